package io.tributary.core.mapping;

import java.util.List;

import io.tributary.core.ConnectorException;

/**
 * The result lacks a standard column, so every row would be rejected: the run fails instead, naming what is
 * missing and what was found.
 */
public final class MissingColumnsException extends ConnectorException.Permanent {

    private final List<String> missing;
    private final List<String> found;

    MissingColumnsException(List<String> missing, List<String> found) {
        super("every row would be rejected: the statement's result has no column " + String.join(", ", missing)
                + " (required: " + String.join(", ", RegistrationMapper.REQUIRED_COLUMNS)
                + "); columns found: " + (found.isEmpty() ? "none" : String.join(", ", found))
                + ". Alias your columns, e.g. SELECT id AS reference, ...");
        this.missing = List.copyOf(missing);
        this.found = List.copyOf(found);
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> found() {
        return found;
    }
}
