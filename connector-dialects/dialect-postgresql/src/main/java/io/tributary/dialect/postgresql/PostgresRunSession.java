package io.tributary.dialect.postgresql;

import java.time.Duration;

import org.reactivestreams.Publisher;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.tributary.core.SourceDefinition;
import io.tributary.core.r2dbc.RunSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A PostgreSQL run on a shared pooled connection. Its session is named {@code tributary:<source id>#<run tag>} for the
 * run's transaction ({@code set_config(..., true)}: the next user of the connection starts clean), which makes the
 * source's statements easy to find in {@code pg_stat_activity}. A statement the run gave up on (its query timeout, a
 * cancel) is ended with {@code pg_cancel_backend}, found by that name, from a connection of its own (the pool may be
 * full of such statements), so that its pooled connection comes back free instead of running on and starving the
 * sources that share the pool.
 * <p>
 * Not a server-side {@code statement_timeout}: read in fetches, a statement's timeout runs from its first fetch to its
 * last (PostgreSQL stops the clock only when an Execute completes the portal), so it would end any run that reads for
 * longer than the query timeout, however steadily its rows come.
 */
final class PostgresRunSession implements RunSession {

    /** PostgreSQL keeps the first 63 bytes of an application name; ids are ASCII. */
    private static final int MAX_NAME = 63;
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);
    private static final int CANCEL_ATTEMPTS = 5;
    private static final Duration CANCEL_AGAIN = Duration.ofMillis(200);

    private final String prefix;
    private final ConnectionFactoryOptions options;

    PostgresRunSession(SourceDefinition source, ConnectionFactoryOptions options) {
        String base = "tributary:" + source.id();
        // room for '#' and the eight characters of the tag
        this.prefix = base.length() > MAX_NAME - 9 ? base.substring(0, MAX_NAME - 9) : base;
        this.options = options;
    }

    /** The session's name during a run; ids are letters, digits, '-' and '_' only, so quoting is safe. */
    String applicationName(String tag) {
        return prefix + "#" + tag;
    }

    @Override
    public String preamble(String tag) {
        return "SELECT set_config('application_name', '" + applicationName(tag) + "', true)";
    }

    @Override
    public Publisher<Void> cancel(String tag) {
        return Mono.usingWhen(
                Mono.defer(() -> Mono.from(new PostgresqlConnectionFactoryProvider().create(options).create())),
                // a run given up on while its statement was on its way (under load, or a timeout that came right after
                // the connection) finds no active statement yet: look again a few times before leaving it be
                (Connection c) -> Mono.defer(() -> cancelled(c, tag)).filter(n -> n > 0)
                        .repeatWhenEmpty(CANCEL_ATTEMPTS - 1, empty -> empty.delayElements(CANCEL_AGAIN)).then(),
                c -> Mono.from(c.close()))
                .timeout(CANCEL_TIMEOUT)
                .onErrorResume(e -> Mono.empty());
    }

    /** Cancels the run's statement if it is active on the server; how many were. */
    private Mono<Long> cancelled(Connection c, String tag) {
        return Flux.from(c.createStatement("SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = $1 AND state = 'active' AND pid <> pg_backend_pid()")
                .bind("$1", applicationName(tag)).execute())
                .concatMap(result -> result.map((row, meta) -> Boolean.TRUE.equals(row.get(0, Boolean.class))))
                .filter(Boolean::booleanValue).count();
    }
}
