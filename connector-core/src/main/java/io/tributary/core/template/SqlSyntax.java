package io.tributary.core.template;

/**
 * The lexical rules a dialect's SQL follows, as far as the template needs them to find strings, comments and
 * statement ends.
 *
 * @param backslashEscapes {@code \'} escapes a quote inside a string literal (MySQL's default)
 * @param dollarQuotes     {@code $tag$ ... $tag$} quotes a string (PostgreSQL)
 */
public record SqlSyntax(boolean backslashEscapes, boolean dollarQuotes) {

    /** Standard SQL plus PostgreSQL's dollar quotes and {@code E'...'} strings. */
    public static final SqlSyntax POSTGRESQL = new SqlSyntax(false, true);

    /** Standard SQL: doubled quotes only. */
    public static final SqlSyntax STANDARD = new SqlSyntax(false, false);

    /** MySQL and MariaDB: backslash escapes in strings, backtick identifiers. */
    public static final SqlSyntax MYSQL = new SqlSyntax(true, false);
}
