package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** The column names of one result, shared by all its rows, with case-insensitive lookup. */
public final class Columns {

    private final String[] names;
    private final Map<String, Integer> byLowerName;

    private Columns(String[] names) {
        this.names = names;
        this.byLowerName = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            byLowerName.putIfAbsent(names[i].toLowerCase(Locale.ROOT), i);
        }
    }

    public static Columns of(List<String> names) {
        requireNonNull(names, "names must not be null");
        return new Columns(names.toArray(String[]::new));
    }

    public static Columns of(String... names) {
        return new Columns(names.clone());
    }

    public int size() {
        return names.length;
    }

    public String name(int index) {
        return names[index];
    }

    public List<String> names() {
        return List.of(names);
    }

    /** The index of a column, matching its name case-insensitively. */
    public OptionalInt indexOf(String name) {
        Integer i = byLowerName.get(name.toLowerCase(Locale.ROOT));
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** Same names in the same order: rows of one result can share one instance. */
    public boolean sameAs(List<String> other) {
        return Arrays.asList(names).equals(other);
    }

    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
