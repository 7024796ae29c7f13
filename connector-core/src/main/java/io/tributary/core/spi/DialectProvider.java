package io.tributary.core.spi;

import io.tributary.core.SourceDefinition;

/**
 * Entry point of a database module, found with {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.tributary.core.spi.DialectProvider}.
 */
public interface DialectProvider {

    /** The name a user may set explicitly, e.g. {@code postgresql}. */
    String name();

    /** Whether this provider handles {@code url}, judged by its scheme only. */
    boolean supports(String url);

    /** The pure dialect. */
    Dialect dialect();

    /**
     * A client for one source. Creating it does not connect; connections are made per run.
     *
     * @throws io.tributary.core.ConnectorException.Permanent when the URL or options are invalid
     */
    SourceClient connect(SourceDefinition source);
}
