package io.tributary.dialect.bigquery;

import java.util.Optional;

import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;
import io.tributary.core.template.Variable;

/**
 * BigQuery (GoogleSQL): each variable becomes the named parameter {@code @last_update_time} or
 * {@code @upper_date_limit}, bound as a {@code TIMESTAMP}; the clock is {@code CURRENT_TIMESTAMP()}. Values arrive
 * as plain Java types already (see {@link BigQueryValues}), so {@link #normalize} is the identity.
 */
final class BigQueryDialect implements Dialect {

    static final BigQueryDialect INSTANCE = new BigQueryDialect();

    /** The service's clock, a TIMESTAMP (an instant). */
    static final String NOW_QUERY = "SELECT CURRENT_TIMESTAMP()";

    /** {@code @name} markers, bound by name: a variable used twice is one parameter. */
    static final BindMarkers MARKERS = new BindMarkers() {
        @Override
        public String marker(int index, Variable variable) {
            return "@" + variable.templateName();
        }

        @Override
        public Optional<String> bindName(int index, Variable variable) {
            return Optional.of(variable.templateName());
        }
    };

    private BigQueryDialect() {
    }

    @Override
    public String name() {
        return "bigquery";
    }

    /** GoogleSQL lexes like MySQL as far as the template cares: backslash escapes in strings, backtick identifiers. */
    @Override
    public SqlSyntax syntax() {
        return SqlSyntax.MYSQL;
    }

    @Override
    public BindMarkers bindMarkers() {
        return MARKERS;
    }
}
