package io.tributary.core.template;

import java.util.Optional;

/**
 * How a dialect writes a bind parameter: {@code $1}, {@code ?}, {@code @P0}, {@code :1} or {@code @name}.
 * The template calls it once per occurrence of a variable, in order.
 */
@FunctionalInterface
public interface BindMarkers {

    /**
     * @param index    0-based position of this occurrence among all occurrences
     * @param variable the variable at that position
     * @return the text that replaces the variable in the SQL
     */
    String marker(int index, Variable variable);

    /**
     * The name a driver must bind the marker at {@code index} by, for drivers that bind by name only; empty (the
     * default) binds by position. r2dbc-mssql needs it: it counts every {@code @word} of the text as a parameter,
     * so in {@code EXEC proc @from = @P0} position 0 is {@code @from}, not the marker.
     *
     * @param index    0-based position of this occurrence among all occurrences
     * @param variable the variable at that position
     */
    default Optional<String> bindName(int index, Variable variable) {
        return Optional.empty();
    }

    /** PostgreSQL and H2: {@code $1, $2, ...}. */
    BindMarkers DOLLAR_NUMBERED = (index, variable) -> "$" + (index + 1);

    /** JDBC and MySQL: {@code ?}. */
    BindMarkers QUESTION_MARK = (index, variable) -> "?";
}
