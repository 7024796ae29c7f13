package io.tributary.testkit;

import static java.util.Objects.requireNonNull;

/**
 * One database type and the exact JSON a value of it must become as a custom field.
 *
 * @param column       the column's name, lower case, unique within the cases
 * @param sqlType      the column's type in the database's DDL, e.g. {@code DECIMAL(12,2)}
 * @param sqlLiteral   the value in the database's SQL, e.g. {@code 12.50}
 * @param expectedJson the custom field's JSON, exactly, e.g. {@code 12.50}
 */
public record TypeCase(String column, String sqlType, String sqlLiteral, String expectedJson) {

    public TypeCase {
        requireNonNull(column, "column must not be null");
        requireNonNull(sqlType, "sqlType must not be null");
        requireNonNull(sqlLiteral, "sqlLiteral must not be null");
        requireNonNull(expectedJson, "expectedJson must not be null");
        if (!column.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("column must be lower-case letters, digits and '_' but it was " + column);
        }
    }

    /** A case, in the order its arguments read: column, type, value, JSON. */
    public static TypeCase of(String column, String sqlType, String sqlLiteral, String expectedJson) {
        return new TypeCase(column, sqlType, sqlLiteral, expectedJson);
    }
}
