package io.tributary.app.web;

import java.time.Instant;

import io.tributary.core.history.HistoricalImport;

/**
 * A historical import as the API shows it.
 *
 * @param nextFrom    where the next chunk starts: everything before it is imported
 * @param chunk       chunks done
 * @param chunks      chunks in all, estimated (chunk sizes adapt to the rows found)
 * @param chunkSeconds the size of the next chunk
 * @param lastResume  the last time it was resumed after Tributary stopped in the middle of it, or {@code null}
 */
public record ImportView(String id, String source, String status, Instant from, Instant to, Instant nextFrom, int chunk,
        int chunks, double percent, Long etaSeconds, long chunkSeconds, long rowCap, int halvings, Rows rows,
        Instant createdAt, Instant updatedAt, int resumes, Resume lastResume, String error) {

    static ImportView of(HistoricalImport i) {
        HistoricalImport.Resume r = i.lastResume();
        HistoricalImport.Counts c = i.rows();
        return new ImportView(i.id(), i.sourceId(), i.status().label(), i.range().lower(), i.range().upper(), i.cursor(),
                i.chunksDone(), i.estimatedChunks(), i.percent(), i.eta() == null ? null : i.eta().toSeconds(),
                i.chunkSize().toSeconds(), i.rowCap(), i.halvings(),
                new Rows(c.read(), c.inserted(), c.updated(), c.unchanged(), c.rejected()), i.createdAt(), i.updatedAt(),
                i.resumes(), r == null ? null : new Resume(r.at(), r.chunk(), r.cursor()), i.error());
    }

    /** Counts of the chunks done. */
    public record Rows(long read, long inserted, long updated, long unchanged, long rejected) {
    }

    /** One resumption: when, at which chunk, from where. */
    public record Resume(Instant at, int chunk, Instant from) {
    }
}
