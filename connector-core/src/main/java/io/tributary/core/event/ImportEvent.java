package io.tributary.core.event;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunKind;
import io.tributary.core.sink.RunRecord;
import io.tributary.core.window.Window;

/**
 * What the pipelines report as they work; the app turns these into Server-Sent Events and metrics. Events carry
 * no secrets.
 */
public sealed interface ImportEvent {

    String sourceId();

    Instant at();

    /** The SSE event name, e.g. {@code run-started}. */
    String type();

    /**
     * A run began reading its window.
     *
     * @param plannedAt when it should have started (the poll loop's plan, or the operator's request): {@code at}
     *                  minus this is how long it waited for its turn
     */
    record RunStarted(String sourceId, Instant at, long runId, RunKind kind, Window window, Instant plannedAt)
            implements ImportEvent {
        public RunStarted {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(kind, "kind must not be null");
            requireNonNull(window, "window must not be null");
            requireNonNull(plannedAt, "plannedAt must not be null");
        }

        @Override
        public String type() {
            return "run-started";
        }
    }

    /** Rows read and written so far; emitted at most once a second per run. */
    record RunProgress(String sourceId, Instant at, long runId, long read, long written, long rejected)
            implements ImportEvent {
        public RunProgress {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
        }

        @Override
        public String type() {
            return "run-progress";
        }
    }

    /** A run succeeded; its full record. */
    record RunFinished(String sourceId, Instant at, RunRecord record) implements ImportEvent {
        public RunFinished {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(record, "record must not be null");
        }

        @Override
        public String type() {
            return "run-finished";
        }
    }

    /** A run failed; its record holds the reason. */
    record RunFailed(String sourceId, Instant at, RunRecord record, boolean transientFailure) implements ImportEvent {
        public RunFailed {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(record, "record must not be null");
        }

        @Override
        public String type() {
            return "run-failed";
        }
    }

    /** The effective poll interval changed, and why. */
    record IntervalChanged(String sourceId, Instant at, Duration from, Duration to, String reason) implements ImportEvent {
        public IntervalChanged {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(from, "from must not be null");
            requireNonNull(to, "to must not be null");
            requireNonNull(reason, "reason must not be null");
        }

        @Override
        public String type() {
            return "interval-changed";
        }
    }

    /**
     * A source has run {@code runs} times in a row without moving its checkpoint: it is not making progress, and a
     * human must look. Published once when it happens; a run that moves the checkpoint ends it.
     */
    record Stalled(String sourceId, Instant at, int runs, @Nullable Instant checkpoint, String reason)
            implements ImportEvent {
        public Stalled {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(reason, "reason must not be null");
        }

        @Override
        public String type() {
            return "source-stalled";
        }
    }

    /**
     * Progress of a historical import split into chunks.
     *
     * @param state   {@code running}, {@code succeeded}, {@code failed} or {@code cancelled}
     * @param chunk   chunks done so far
     * @param chunks  the estimated number of chunks in all (chunk sizes adapt, so it may change)
     * @param rows    rows read by the chunks done
     * @param percent share of the import's time range done, 0 to 100
     * @param eta     estimated time to the end, {@code null} before the first chunk and once finished
     */
    record ImportProgress(String sourceId, Instant at, String importId, String state, int chunk, int chunks, long rows,
            double percent, @Nullable Duration eta) implements ImportEvent {
        public ImportProgress {
            requireNonNull(sourceId, "sourceId must not be null");
            requireNonNull(at, "at must not be null");
            requireNonNull(importId, "importId must not be null");
            requireNonNull(state, "state must not be null");
        }

        @Override
        public String type() {
            return "import-progress";
        }
    }
}
