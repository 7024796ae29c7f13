package io.tributary.core;

import static java.util.Objects.requireNonNull;

import io.tributary.core.sink.RunRecord;

/**
 * The result of one chunk of a historical import ({@link SourcePipeline#importChunk}).
 *
 * @param record  the run as the import log holds it
 * @param stopped it stopped at the row cap: rows of its window were left unread, so it is not done
 */
public record ChunkRun(RunRecord record, boolean stopped) {

    public ChunkRun {
        requireNonNull(record, "record must not be null");
    }
}
