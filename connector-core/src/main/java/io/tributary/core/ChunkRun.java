package io.tributary.core;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.tributary.core.sink.RunRecord;

/**
 * The result of one chunk of a historical import ({@link SourcePipeline#importChunk}).
 *
 * @param record  the run as the import log holds it
 * @param stopped it stopped at the row cap: rows of its window were left unread, so it is not done
 * @param split   for a stopped chunk: where to narrow it so that its earlier part fits under the cap; {@code null}
 *                when it cannot be narrowed (its rows share one instant) and must be read whole
 */
public record ChunkRun(RunRecord record, boolean stopped, @Nullable Instant split) {

    public ChunkRun {
        requireNonNull(record, "record must not be null");
    }
}
