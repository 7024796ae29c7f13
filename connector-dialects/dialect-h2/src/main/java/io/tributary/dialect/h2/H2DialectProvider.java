package io.tributary.dialect.h2;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.SourceDefinition;
import io.tributary.core.r2dbc.R2dbcOptions;
import io.tributary.core.r2dbc.R2dbcSourceClient;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.SqlSyntax;

/**
 * H2 sources on r2dbc-h2, used by the embedded demo and by tests. URLs: {@code r2dbc:h2:mem:///name} or
 * {@code h2:mem:///name}, {@code r2dbc:h2:file:///path}.
 */
public final class H2DialectProvider implements DialectProvider {

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public boolean supports(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("r2dbc:h2:") || lower.startsWith("h2:");
    }

    @Override
    public Dialect dialect() {
        return H2Dialect.INSTANCE;
    }

    @Override
    public SourceClient connect(SourceDefinition source) {
        String url = source.url().strip();
        if (!url.toLowerCase(Locale.ROOT).startsWith("r2dbc:")) {
            url = "r2dbc:" + url;
        }
        ConnectionFactoryOptions options = R2dbcOptions.withLogin(R2dbcOptions.parse(source, "H2", url), source, null).build();
        // sources on the same database share a pool; an in-memory database lives while the pool holds a connection
        return R2dbcSourceClient.builder(H2Dialect.INSTANCE, "SELECT CURRENT_TIMESTAMP", source.password()).pooled(options);
    }

    /** H2: {@code $n} markers, standard quoting. */
    static final class H2Dialect implements Dialect {
        static final H2Dialect INSTANCE = new H2Dialect();

        @Override
        public String name() {
            return "h2";
        }

        @Override
        public SqlSyntax syntax() {
            return SqlSyntax.STANDARD;
        }

        @Override
        public BindMarkers bindMarkers() {
            return BindMarkers.DOLLAR_NUMBERED;
        }

        @Override
        public @Nullable Object normalize(@Nullable Object value) {
            return value;
        }
    }
}
