package io.tributary.core.template;

/** The statement cannot be used; the message says where and why. */
public final class TemplateException extends IllegalArgumentException {

    private final int line;
    private final int column;

    TemplateException(String message, int line, int column) {
        super(message + " (line " + line + ", column " + column + ")");
        this.line = line;
        this.column = column;
    }

    TemplateException(String message) {
        super(message);
        this.line = 0;
        this.column = 0;
    }

    /** 1-based line of the offending text, 0 when the problem is not at one place. */
    public int line() {
        return line;
    }

    /** 1-based column of the offending text, 0 when the problem is not at one place. */
    public int column() {
        return column;
    }
}
