package io.tributary.app.web;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.tributary.app.plecto.PlectoWait;
import io.tributary.core.event.ImportEvent;

/** The JSON body of one Server-Sent Event: the type, source and time, then the event's own fields. */
final class EventView {

    private EventView() {
    }

    static Map<String, Object> of(ImportEvent event) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", event.type());
        body.put("source", event.sourceId());
        body.put("at", event.at());
        if (event instanceof ImportEvent.RunStarted e) {
            body.put("runId", e.runId());
            body.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
            body.put("windowFrom", e.window().lower());
            body.put("windowTo", e.window().upper());
            body.put("plannedAt", e.plannedAt());
        } else if (event instanceof ImportEvent.RunProgress e) {
            body.put("runId", e.runId());
            body.put("read", e.read());
            body.put("written", e.written());
            body.put("rejected", e.rejected());
        } else if (event instanceof ImportEvent.RunFinished e) {
            body.put("run", RunView.of(e.record()));
        } else if (event instanceof ImportEvent.RunFailed e) {
            body.put("run", RunView.of(e.record()));
            body.put("transient", e.transientFailure());
        } else if (event instanceof ImportEvent.IntervalChanged e) {
            body.put("fromSeconds", e.from().toSeconds());
            body.put("toSeconds", e.to().toSeconds());
            body.put("reason", e.reason());
        } else if (event instanceof ImportEvent.Stalled e) {
            body.put("runs", e.runs());
            body.put("checkpoint", e.checkpoint());
            body.put("reason", e.reason());
        } else if (event instanceof ImportEvent.ImportProgress e) {
            body.put("importId", e.importId());
            body.put("state", e.state());
            body.put("chunk", e.chunk());
            body.put("chunks", e.chunks());
            body.put("rows", e.rows());
            body.put("percent", e.percent());
            body.put("etaSeconds", e.eta() == null ? null : e.eta().toSeconds());
        }
        return body;
    }

    /** A source's request to Plecto waits for the account's request budget or a 429's Retry-After. */
    static Map<String, Object> of(PlectoWait wait) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", wait.type());
        body.put("source", wait.sourceId());
        body.put("at", wait.at());
        body.put("waitSeconds", wait.delay().toMillis() / 1000.0);
        body.put("until", wait.until());
        body.put("reason", wait.reason());
        return body;
    }
}
