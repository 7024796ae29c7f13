package io.tributary.app.web;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.tributary.app.plecto.PlectoPush;
import io.tributary.app.plecto.PlectoWait;
import io.tributary.core.Tributary;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The import events numbered for Server-Sent Events, with the last {@value #BUFFER} kept so that a client that
 * reconnects with {@code Last-Event-ID} gets what it missed. Ids increase monotonically and start at the process's
 * start time in milliseconds times 1,000, so ids of a restarted process are higher than any of the one before: a
 * client that reconnects with an id the buffer no longer holds (too old, or from before a restart) first gets a
 * {@code reset} event that says events were lost, then everything the buffer holds.
 */
@Component
class EventStream implements DisposableBean {

    /** Events kept for clients that reconnect. */
    static final int BUFFER = 1_000;

    private final Sinks.Many<Numbered> sink = Sinks.many().replay().limit(BUFFER);
    private final long firstId;
    private final AtomicLong lastId;
    private final Disposable subscription;
    private final Disposable plectoWaits;

    EventStream(Tributary tributary, Clock clock, PlectoPush plecto) {
        this.firstId = clock.millis() * 1_000 + 1;
        this.lastId = new AtomicLong(firstId - 1);
        this.subscription = tributary.events().subscribe(event -> {
            emit(event.type(), event.sourceId(), EventView.of(event));
        });
        // the app's own events beside the core's: a source's requests to Plecto waiting for the request budget
        this.plectoWaits = plecto.waits().subscribe(wait -> emit(wait.type(), wait.sourceId(), EventView.of(wait)));
    }

    private void emit(String type, String sourceId, Map<String, Object> body) {
        // numbering and emitting together keep ids in buffer order
        synchronized (sink) {
            sink.tryEmitNext(new Numbered(lastId.incrementAndGet(), type, sourceId, body));
        }
    }

    /** One event with its id and its JSON body. */
    record Numbered(long id, String type, String sourceId, Map<String, Object> body) {
    }

    /** Something a client receives: an event, or the notice that events it asked for are gone. */
    sealed interface Item permits Event, Reset {
    }

    record Event(Numbered event) implements Item {
    }

    /** Events after {@code lastEventId} up to {@code firstAvailable - 1} are no longer buffered. */
    record Reset(long lastEventId, long firstAvailable) implements Item {
    }

    /**
     * Events from now on, or, with {@code lastEventId}, every buffered event after it and then the live ones; a
     * {@link Reset} first when some were lost.
     */
    Flux<Item> since(Long lastEventId) {
        if (lastEventId == null) {
            long now = lastId.get();
            return sink.asFlux().filter(n -> n.id() > now).map(Event::new);
        }
        long latest = lastId.get();
        if (lastEventId > latest) {
            // an id this process never gave (another instance, a clock set back): say so and go on from now
            return Flux.<Item>just(new Reset(lastEventId, latest + 1))
                    .concatWith(sink.asFlux().filter(n -> n.id() > latest).map(Event::new));
        }
        return sink.asFlux().filter(n -> n.id() > lastEventId)
                .switchOnFirst((first, events) -> {
                    Flux<Item> items = events.map(Event::new);
                    if (first.hasValue() && first.get().id() > lastEventId + 1) {
                        return Flux.<Item>just(new Reset(lastEventId, first.get().id())).concatWith(items);
                    }
                    return items;
                });
    }

    @Override
    public void destroy() {
        subscription.dispose();
        plectoWaits.dispose();
    }
}
