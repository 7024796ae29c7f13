package io.tributary.core.sink;

import java.time.Instant;

import io.tributary.core.window.Window;
import reactor.core.publisher.Mono;

/** The record of every run: automatic, manual, historical and test. */
public interface ImportLog {

    /** Records that a run started and returns its id. */
    Mono<Long> started(String sourceId, RunKind kind, Window window, Instant startedAt);

    /** Records how the run ended, with its counts, sampled rejections and error. */
    Mono<Void> finished(RunRecord record);
}
