package io.tributary.dialect.oracle;

import java.util.Locale;

import io.tributary.core.ConnectorException;

/**
 * The stored-procedure form: the user writes {@code CALL pkg.proc({{ last_update_time }}, {{ upper_date_limit }})}
 * for a procedure whose <em>last</em> parameter is {@code OUT SYS_REFCURSOR}; Tributary runs
 * {@code BEGIN pkg.proc(:1, :2, :3); END;} with {@code :3} registered as the cursor, and streams the cursor.
 * A PL/SQL block rather than the CALL statement, because ojdbc's reference form for an OUT cursor is the block.
 */
final class OracleStatements {

    private OracleStatements() {
    }

    /** The statement's first keyword in upper case, comments skipped. */
    static String firstWord(String sql) {
        int start = firstWordStart(sql);
        int end = start;
        while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
            end++;
        }
        return sql.substring(start, end).toUpperCase(Locale.ROOT);
    }

    private static int firstWordStart(String sql) {
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end + 1;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            } else {
                return i;
            }
        }
        return sql.length();
    }

    static boolean isCall(String sql) {
        return firstWord(sql).equals("CALL");
    }

    /**
     * {@code CALL p(:1, :2)} as {@code BEGIN p(:1, :2, :3); END;}, the added marker being the OUT cursor.
     *
     * @param markers the number of markers the template wrote, {@code :1} to {@code :markers}
     * @throws ConnectorException.Permanent for EXEC, which is SQL*Plus and not SQL, and for a CALL whose argument
     *         list does not end the statement
     */
    static String callWithCursor(String sql, int markers) {
        if (!isCall(sql)) {
            throw new IllegalArgumentException("not a CALL statement");
        }
        String body = sql.substring(firstWordStart(sql) + "CALL".length()).strip();
        String cursor = ":" + (markers + 1);
        String invocation;
        int open = body.indexOf('(');
        if (open < 0) {
            invocation = body + "(" + cursor + ")";
        } else if (!body.endsWith(")")) {
            throw new ConnectorException.Permanent("write the procedure call as CALL name(arguments) with nothing "
                    + "after the closing parenthesis; Tributary adds the OUT SYS_REFCURSOR as the last argument");
        } else {
            String arguments = body.substring(open + 1, body.length() - 1).strip();
            invocation = body.substring(0, open).strip() + "(" + (arguments.isEmpty() ? "" : arguments + ", ") + cursor + ")";
        }
        return "BEGIN " + invocation + "; END;";
    }

    /** EXEC is a SQL*Plus command; the driver would send it to the server, which rejects it without a hint. */
    static void rejectExec(String sql) {
        String word = firstWord(sql);
        if (word.equals("EXEC") || word.equals("EXECUTE")) {
            throw new ConnectorException.Permanent("Oracle has no EXEC statement (it is a SQL*Plus command): write "
                    + "CALL name({{ last_update_time }}, {{ upper_date_limit }}) for a procedure whose last parameter "
                    + "is OUT SYS_REFCURSOR");
        }
    }
}
