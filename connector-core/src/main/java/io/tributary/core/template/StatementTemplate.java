package io.tributary.core.template;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A user's statement with its template variables found and checked.
 * <p>
 * The statement is lexed (strings, quoted identifiers, comments, dollar quotes) so that a {@code ;} or a
 * {@code {{ ... }}} inside a string or comment is not mistaken for one outside. It must be one SELECT, WITH, EXEC
 * or CALL statement; a trailing {@code ;} is fine. Variables become bind markers when {@link #render rendered}:
 * values are never spliced into the SQL text. A variable written inside quotes, {@code '{{ last_update_time }}'},
 * is replaced quotes and all, because users paste statements that were written for string substitution. Longer
 * than most classes: it holds a small SQL lexer, whose states are easier to check together than split apart.
 */
public final class StatementTemplate {

    private static final Set<String> ALLOWED_FIRST_WORDS = Set.of("SELECT", "WITH", "EXEC", "EXECUTE", "CALL");
    private static final Pattern QUOTED_VARIABLE = Pattern.compile("\\{\\{([^{}]*)}}");

    private final String original;
    private final List<Segment> segments;
    private final boolean declaresOrder;

    private StatementTemplate(String original, List<Segment> segments, boolean declaresOrder) {
        this.original = original;
        this.segments = List.copyOf(segments);
        this.declaresOrder = declaresOrder;
    }

    /** Parses with standard SQL lexing plus dollar quotes. */
    public static StatementTemplate parse(String statement) {
        return parse(statement, SqlSyntax.POSTGRESQL);
    }

    /**
     * @throws TemplateException naming the offending text and its line and column
     */
    public static StatementTemplate parse(String statement, SqlSyntax syntax) {
        requireNonNull(statement, "statement must not be null");
        requireNonNull(syntax, "syntax must not be null");
        return new Parser(statement, syntax).parse();
    }

    /** The statement as the user wrote it. */
    public String original() {
        return original;
    }

    /**
     * Whether the statement says in what order its rows come: an {@code ORDER BY} outside strings and comments. A
     * run that stops at the row cap continues from where it stopped only for such a statement, and only when its rows
     * came in ascending date order: rows that merely looked ordered prove nothing about those unread, and a stored
     * procedure's order cannot be seen from here. Other statements narrow their window instead.
     */
    public boolean declaresOrder() {
        return declaresOrder;
    }

    /** Whether the statement binds {@code variable} at least once. */
    public boolean uses(Variable variable) {
        return variables().contains(variable);
    }

    /** The variables in order of occurrence (a variable used twice appears twice). */
    public List<Variable> variables() {
        List<Variable> vars = new ArrayList<>();
        for (Segment s : segments) {
            if (s instanceof VariableSegment v) {
                vars.add(v.variable());
            }
        }
        return vars;
    }

    /** The SQL with each variable replaced by the dialect's bind marker, without the trailing {@code ;}. */
    public RenderedStatement render(BindMarkers markers) {
        requireNonNull(markers, "markers must not be null");
        StringBuilder sql = new StringBuilder(original.length());
        List<Variable> params = new ArrayList<>();
        for (Segment s : segments) {
            if (s instanceof TextSegment t) {
                sql.append(t.text());
            } else if (s instanceof VariableSegment v) {
                sql.append(markers.marker(params.size(), v.variable()));
                params.add(v.variable());
            }
        }
        return new RenderedStatement(sql.toString().strip(), params);
    }

    @Override
    public String toString() {
        return original;
    }

    private sealed interface Segment permits TextSegment, VariableSegment {
    }

    private record TextSegment(String text) implements Segment {
    }

    private record VariableSegment(Variable variable) implements Segment {
    }

    /** One pass over the text; state is the position only. */
    private static final class Parser {
        private final String s;
        private final SqlSyntax syntax;
        private final List<Segment> segments = new ArrayList<>();
        private final StringBuilder text = new StringBuilder();
        private int pos;
        private int statementEnd = -1;
        private boolean sawWord;
        private boolean procedure;
        private boolean orderBy;
        /** The previous word, when nothing but whitespace and comments came after it. */
        private @Nullable String previousWord;

        Parser(String s, SqlSyntax syntax) {
            this.s = s;
            this.syntax = syntax;
        }

        StatementTemplate parse() {
            if (s.isBlank()) {
                throw new TemplateException("the statement is empty: write one SELECT (or EXEC / CALL of a stored procedure)");
            }
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (statementEnd >= 0) {
                    afterEnd(c);
                } else if (c == ';' && sawWord) {
                    statementEnd = pos++;
                } else if (c == '-' && peek(1) == '-') {
                    lineComment();
                } else if (c == '/' && peek(1) == '*') {
                    blockComment();
                } else if (c == '\'') {
                    stringLiteral(pos, false);
                } else if ((c == 'E' || c == 'e') && peek(1) == '\'' && syntax.dollarQuotes() && !identifierCharBefore()) {
                    text.append(c);
                    pos++;
                    stringLiteral(pos, true);
                } else if (c == '"' || (c == '`' && syntax.backslashEscapes())) {
                    quoted(c, "quoted identifier");
                } else if (c == '$' && syntax.dollarQuotes() && dollarTag().isPresent()) {
                    dollarQuoted(dollarTag().get());
                } else if (c == '{' && peek(1) == '{') {
                    variable();
                } else if (Character.isLetter(c) || c == '_') {
                    word();
                } else {
                    if (!sawWord && !Character.isWhitespace(c) && c != '(') {
                        throw error("the statement must start with SELECT, WITH, EXEC or CALL; found '" + excerpt(pos) + "'", pos);
                    }
                    if (!Character.isWhitespace(c)) {
                        previousWord = null;
                    }
                    text.append(c);
                    pos++;
                }
            }
            if (!sawWord) {
                throw new TemplateException("the statement holds only comments: write one SELECT (or EXEC / CALL of a stored procedure)");
            }
            flushText();
            return new StatementTemplate(s, segments, orderBy);
        }

        private void afterEnd(char c) {
            if (Character.isWhitespace(c) || c == ';') {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                skipLineComment();
            } else if (c == '/' && peek(1) == '*') {
                int before = text.length();
                blockComment();
                text.setLength(before);
            } else {
                throw error("only one statement is allowed, but a second one starts here: '" + excerpt(pos) + "'", pos);
            }
        }

        private void word() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            String w = s.substring(start, pos);
            String upper = w.toUpperCase(Locale.ROOT);
            if (!sawWord) {
                if (!ALLOWED_FIRST_WORDS.contains(upper)) {
                    throw error("the statement must start with SELECT, WITH, EXEC or CALL; found '" + w + "'", start);
                }
                sawWord = true;
                procedure = !upper.equals("SELECT") && !upper.equals("WITH");
            }
            if (upper.equals("BY") && "ORDER".equals(previousWord)) {
                orderBy = true;
            }
            previousWord = upper;
            text.append(w);
        }

        private void lineComment() {
            int end = s.indexOf('\n', pos);
            end = end < 0 ? s.length() : end;
            text.append(s, pos, end);
            pos = end;
        }

        private void skipLineComment() {
            int end = s.indexOf('\n', pos);
            pos = end < 0 ? s.length() : end;
        }

        private void blockComment() {
            int start = pos;
            int depth = 0;
            while (pos < s.length()) {
                if (s.startsWith("/*", pos)) {
                    depth++;
                    pos += 2;
                } else if (s.startsWith("*/", pos)) {
                    depth--;
                    pos += 2;
                    if (depth == 0 || !syntax.dollarQuotes()) {
                        text.append(s, start, pos);
                        return;
                    }
                } else {
                    pos++;
                }
            }
            throw error("this comment is never closed: '" + excerpt(start) + "'", start);
        }

        /** A string literal; the one case a variable may appear in, and then it must be the whole literal. */
        private void stringLiteral(int start, boolean backslashes) {
            int end = closingQuote(start, '\'', backslashes || syntax.backslashEscapes(), "string");
            String content = s.substring(start + 1, end);
            Matcher m = QUOTED_VARIABLE.matcher(content);
            if (m.find()) {
                if (content.strip().length() != m.group().length()) {
                    throw error("a template variable must be the whole string literal, or stand without quotes: '"
                            + excerpt(start) + "'", start);
                }
                Variable v = lookup(m.group(1), start + 1 + m.start());
                flushText();
                segments.add(new VariableSegment(v));
            } else {
                text.append(s, start, end + 1);
            }
            pos = end + 1;
        }

        private void quoted(char quote, String what) {
            int start = pos;
            int end = closingQuote(start, quote, false, what);
            text.append(s, start, end + 1);
            pos = end + 1;
        }

        private int closingQuote(int start, char quote, boolean backslashes, String what) {
            int i = start + 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (backslashes && c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                        i += 2;
                    } else {
                        return i;
                    }
                } else {
                    i++;
                }
            }
            throw error("this " + what + " is never closed: '" + excerpt(start) + "'", start);
        }

        private Optional<String> dollarTag() {
            int i = pos + 1;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                if (i == pos + 1 && Character.isDigit(s.charAt(i))) {
                    return Optional.empty(); // $1 is a parameter, not a quote
                }
                i++;
            }
            if (i < s.length() && s.charAt(i) == '$') {
                return Optional.of(s.substring(pos, i + 1));
            }
            return Optional.empty();
        }

        private void dollarQuoted(String tag) {
            int start = pos;
            int end = s.indexOf(tag, start + tag.length());
            if (end < 0) {
                throw error("this dollar-quoted string is never closed: '" + excerpt(start) + "'", start);
            }
            text.append(s, start, end + tag.length());
            pos = end + tag.length();
        }

        private void variable() {
            int start = pos;
            int end = s.indexOf("}}", start + 2);
            if (end < 0) {
                throw error("'{{' is never closed with '}}': '" + excerpt(start) + "'", start);
            }
            Variable v = lookup(s.substring(start + 2, end), start);
            flushText();
            segments.add(new VariableSegment(v));
            pos = end + 2;
        }

        private Variable lookup(String written, int at) {
            return Variable.byWrittenName(written).orElseThrow(() -> error("unknown template variable {{"
                    + written + "}}; the known ones are {{ last_update_time }} and {{ upper_date_limit }}", at));
        }

        private boolean identifierCharBefore() {
            return pos > 0 && (Character.isLetterOrDigit(s.charAt(pos - 1)) || s.charAt(pos - 1) == '_');
        }

        private char peek(int ahead) {
            int i = pos + ahead;
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void flushText() {
            if (!text.isEmpty()) {
                segments.add(new TextSegment(text.toString()));
                text.setLength(0);
            }
        }

        private String excerpt(int from) {
            String rest = s.substring(from).strip().replaceAll("\\s+", " ");
            return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
        }

        private TemplateException error(String message, int at) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < at && i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new TemplateException(message, line, col);
        }
    }
}
