package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One row as read from a source: the values already copied out of the driver's row (which is only valid inside
 * its callback), normalised by the dialect to plain Java types (see {@link FieldValues}).
 */
public final class SourceRow {

    private final Columns columns;
    private final @Nullable Object[] values;

    public SourceRow(Columns columns, @Nullable Object[] values) {
        this.columns = requireNonNull(columns, "columns must not be null");
        this.values = requireNonNull(values, "values must not be null");
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("a row of " + columns.size() + " columns needs as many values, got " + values.length);
        }
    }

    public Columns columns() {
        return columns;
    }

    public @Nullable Object value(int index) {
        return values[index];
    }
}
