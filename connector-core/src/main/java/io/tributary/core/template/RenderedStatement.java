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
}
