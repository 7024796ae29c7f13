package io.tributary.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.mapping.Rejection;
import io.tributary.core.window.Window;

class RunRecordTest {

    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");

    private static RunRecord run(RunKind kind, RunStatus status, long read, long inserted, List<Rejection> rejections,
            String note, boolean complete) {
        return new RunRecord(7, "sales", kind, new Window(T.minusSeconds(60), T), T, Duration.ofMillis(3), status, read,
                inserted, 0, 0, 0, rejections.size(), 0, rejections, status == RunStatus.FAILED ? "boom" : null, note,
                complete, T, Duration.ofMinutes(1));
    }

    @Test
    @DisplayName("an automatic run that read nothing, read its whole window and has no note is an idle poll")
    void idlePoll() {
        assertThat(run(RunKind.AUTOMATIC, RunStatus.SUCCEEDED, 0, 0, List.of(), null, true).idle()).isTrue();
    }

    @Test
    @DisplayName("a run that read a row, failed, stopped at the cap, has a note, or was not automatic is not idle")
    void notIdle() {
        assertThat(run(RunKind.AUTOMATIC, RunStatus.SUCCEEDED, 1, 0, List.of(), null, true).idle()).isFalse();
        assertThat(run(RunKind.AUTOMATIC, RunStatus.SUCCEEDED, 0, 0, List.of(new Rejection(0, "r1", "bad")), null, true)
                .idle()).isFalse();
        assertThat(run(RunKind.AUTOMATIC, RunStatus.FAILED, 0, 0, List.of(), null, true).idle()).isFalse();
        assertThat(run(RunKind.AUTOMATIC, RunStatus.SUCCEEDED, 0, 0, List.of(), null, false).idle()).isFalse();
        assertThat(run(RunKind.AUTOMATIC, RunStatus.SUCCEEDED, 0, 0, List.of(), "the checkpoint could not move", true)
                .idle()).isFalse();
        assertThat(run(RunKind.MANUAL, RunStatus.SUCCEEDED, 0, 0, List.of(), null, true).idle()).isFalse();
        assertThat(run(RunKind.HISTORICAL, RunStatus.SUCCEEDED, 0, 0, List.of(), null, true).idle()).isFalse();
    }
}
