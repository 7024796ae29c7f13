package io.tributary.dialect.mysql;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.Variable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A MySQL or MariaDB source's client. Each run gets its session's {@code time_zone} as a fixed offset and its bounds
 * as zone-less {@code DATETIME} values, both from {@link MySqlLocalWindow}, so that a region zone with daylight
 * saving time needs no time zone tables on the server. The session zone is set on connect, so there is one client
 * per offset in use (two for most zones), opened when first needed.
 */
final class MySqlSourceClient implements SourceClient {

    private final ZoneId zone;
    private final Function<ZoneOffset, SourceClient> sessions;
    private final Clock clock;
    private final ConcurrentMap<ZoneOffset, SourceClient> open = new ConcurrentHashMap<>();

    /**
     * @param zone     the source's zone, in which {@code DATETIME} values are written
     * @param sessions opens a client whose sessions run at the given offset
     * @param clock    for the offset of a statement without bounds
     */
    MySqlSourceClient(ZoneId zone, Function<ZoneOffset, SourceClient> sessions, Clock clock) {
        this.zone = requireNonNull(zone, "zone must not be null");
        this.sessions = requireNonNull(sessions, "sessions must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        // the client of today's offset is opened at once, so that a bad driver option fails when the source is added
        session(zone.getRules().getOffset(clock.instant()));
    }

    @Override
    public Flux<SourceRow> stream(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        requireNonNull(statement, "statement must not be null");
        statement.checkStreamArguments(bindValues, fetchSize);
        // deferred: opening another offset's client happens at subscription, and a failure is an error signal
        return Flux.defer(() -> streamInSession(statement, bindValues, fetchSize));
    }

    private Flux<SourceRow> streamInSession(RenderedStatement statement, List<Object> bindValues, int fetchSize) {
        @Nullable Instant lower = null;
        @Nullable Instant upper = null;
        for (int i = 0; i < bindValues.size(); i++) {
            if (bindValues.get(i) instanceof Instant bound) {
                if (statement.parameters().get(i) == Variable.LAST_UPDATE_TIME) {
                    lower = lower == null || bound.isBefore(lower) ? bound : lower;
                } else {
                    upper = upper == null || bound.isAfter(upper) ? bound : upper;
                }
            }
        }
        if (lower == null && upper == null) {
            return session(zone.getRules().getOffset(clock.instant())).stream(statement, bindValues, fetchSize);
        }
        MySqlLocalWindow window = MySqlLocalWindow.of(zone, lower != null ? lower : upper, upper != null ? upper : lower);
        List<Object> local = new ArrayList<>(bindValues.size());
        for (int i = 0; i < bindValues.size(); i++) {
            Object value = bindValues.get(i);
            local.add(!(value instanceof Instant) ? value
                    : statement.parameters().get(i) == Variable.LAST_UPDATE_TIME ? window.lower() : window.upper());
        }
        return session(window.sessionOffset()).stream(statement, local, fetchSize);
    }

    /** {@code UTC_TIMESTAMP} does not depend on the session's zone: any session will do. */
    @Override
    public Mono<Instant> now() {
        return Mono.defer(() -> session(zone.getRules().getOffset(clock.instant())).now());
    }

    @Override
    public Mono<Void> close() {
        return Flux.fromIterable(List.copyOf(open.values())).concatMap(SourceClient::close).then();
    }

    private SourceClient session(ZoneOffset offset) {
        return open.computeIfAbsent(offset, sessions);
    }
}
