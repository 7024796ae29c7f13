package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A row that was not imported, and why.
 *
 * @param row       1-based number of the row in its run's result
 * @param reference the row's reference when it had one
 * @param reason    the full reason, e.g. {@code row 17: reference is NULL}
 */
public record Rejection(long row, @Nullable String reference, String reason) {
    public Rejection {
        requireNonNull(reason, "reason must not be null");
    }
}
