package io.tributary.core.template;

import java.util.Locale;
import java.util.Optional;

/** The template variables a statement may contain. */
public enum Variable {
    /** The lower bound of the run's window: the checkpoint minus the lookback. */
    LAST_UPDATE_TIME("last_update_time"),
    /** The upper bound of the run's window: the source database's clock minus the settle time. */
    UPPER_DATE_LIMIT("upper_date_limit");

    private final String templateName;

    Variable(String templateName) {
        this.templateName = templateName;
    }

    /** The name as written between the braces, e.g. {@code last_update_time}. */
    public String templateName() {
        return templateName;
    }

    /**
     * Looks a written name up: case-insensitive, and spaces count as underscores so that the older spelling
     * {@code last update time} still works.
     */
    static Optional<Variable> byWrittenName(String written) {
        String normalised = written.trim().replaceAll("\\s+", "_").toLowerCase(Locale.ROOT);
        for (Variable v : values()) {
            if (v.templateName.equals(normalised)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "{{ " + templateName + " }}";
    }
}
