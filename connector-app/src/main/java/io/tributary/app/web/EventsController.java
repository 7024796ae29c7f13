package io.tributary.app.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/events}: the import events as Server-Sent Events, named by type ({@code run-started},
 * {@code run-progress}, {@code run-finished}, {@code run-failed}, {@code interval-changed}, {@code import-progress}),
 * each with an id; a client reconnecting with {@code Last-Event-ID} gets the events it missed (see
 * {@link EventStream}). A comment on connection says the stream is open; one every 15 s keeps proxies from closing it.
 */
@RestController
class EventsController {

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final EventStream stream;

    EventsController(EventStream stream) {
        this.stream = stream;
    }

    @GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> events(@RequestParam(required = false) String source,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Long after = lastEventId(lastEventId);
        Flux<ServerSentEvent<Object>> events = stream.since(after)
                .filter(item -> source == null || !(item instanceof EventStream.Event e) || source.equals(e.event().sourceId()))
                // a client that cannot keep up loses its oldest events rather than holding memory
                .onBackpressureBuffer(EventStream.BUFFER, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST)
                .map(EventsController::toSse);
        Flux<ServerSentEvent<Object>> heartbeat = Flux.interval(HEARTBEAT)
                .map(tick -> ServerSentEvent.builder().comment("keep-alive").build());
        // a first comment at once: the client (and any proxy) knows the stream is open before the first event
        return Flux.merge(events, heartbeat).startWith(ServerSentEvent.builder().comment("connected").build());
    }

    private static Long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Last-Event-ID must be the id of an event this "
                    + "stream sent (a number)");
        }
    }

    private static ServerSentEvent<Object> toSse(EventStream.Item item) {
        if (item instanceof EventStream.Event e) {
            return ServerSentEvent.<Object>builder(e.event().body()).id(Long.toString(e.event().id()))
                    .event(e.event().type()).build();
        }
        EventStream.Reset reset = (EventStream.Reset) item;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "reset");
        body.put("lastEventId", reset.lastEventId());
        body.put("firstAvailableId", reset.firstAvailable());
        body.put("message", "events after " + reset.lastEventId() + " are no longer buffered (the last "
                + EventStream.BUFFER + " events are kept, and a restart empties the buffer); reload /api/sources and "
                + "/api/imports, then follow the events below");
        return ServerSentEvent.<Object>builder(body).event("reset").build();
    }
}
