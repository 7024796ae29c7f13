package io.tributary.app.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.tributary.core.Tributary;
import io.tributary.core.event.ImportEvent;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/events}: the import events as Server-Sent Events, named by type ({@code run-started},
 * {@code run-progress}, {@code run-finished}, {@code run-failed}, ...), with a comment every 15 s so that proxies
 * keep the stream open.
 */
@RestController
class EventsController {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final Tributary tributary;
    private final AtomicLong sequence = new AtomicLong();

    EventsController(Tributary tributary) {
        this.tributary = tributary;
    }

    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> events(@RequestParam(required = false) String source) {
        Flux<ServerSentEvent<Object>> events = tributary.events()
                .filter(e -> source == null || source.equals(e.sourceId()))
                .onBackpressureBuffer(1_000, dropped -> { }, reactor.core.publisher.BufferOverflowStrategy.DROP_OLDEST)
                .map(this::toSse);
        Flux<ServerSentEvent<Object>> heartbeat = Flux.interval(HEARTBEAT)
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        return Flux.merge(events, heartbeat);
    }

    private ServerSentEvent<Object> toSse(ImportEvent event) {
        return ServerSentEvent.<Object>builder(EventView.of(event))
                .id(Long.toString(sequence.incrementAndGet()))
                .event(event.type())
                .build();
    }
}
