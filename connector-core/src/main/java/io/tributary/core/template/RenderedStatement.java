package io.tributary.core.template;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A statement ready for the driver: SQL text with bind markers and, in marker order, the variable each marker
 * stands for.
 */
public record RenderedStatement(String sql, List<Variable> parameters) {
    public RenderedStatement {
        requireNonNull(sql, "sql must not be null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters must not be null"));
    }

    /**
     * Checks the arguments every {@link io.tributary.core.spi.SourceClient#stream} receives: one value per marker
     * and a positive fetch size.
     *
     * @throws IllegalArgumentException naming what does not match
     */
    public void checkStreamArguments(List<Object> bindValues, int fetchSize) {
        requireNonNull(bindValues, "bindValues must not be null");
        if (bindValues.size() != parameters.size()) {
            throw new IllegalArgumentException("the statement has " + parameters.size() + " bind markers but "
                    + bindValues.size() + " values were given");
        }
        if (fetchSize < 1) {
            throw new IllegalArgumentException("fetchSize >= 1 required but it was " + fetchSize);
        }
    }
}
