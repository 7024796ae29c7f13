package io.tributary.core;

import java.util.Objects;

/**
 * A password or token. {@code toString} never shows the value, so a secret can travel inside records
 * that are logged or serialised by accident without leaking.
 */
public final class Secret {

    private static final Secret EMPTY = new Secret("");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "value must not be null");
        return value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The secret itself: hand it to a driver, never to a log. */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Replaces every occurrence of this secret in {@code text} (an error message, say) by {@code ******}. */
    public String redact(String text) {
        if (value.isEmpty() || text == null) {
            return text == null ? "" : text;
        }
        return text.replace(value, "******");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "" : "******";
    }
}
