package io.tributary.core.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

import io.tributary.core.SourceDefinition;
import io.tributary.core.window.Window;

/**
 * How big the chunks of a historical import are: each chunk should stay under the per-run row cap. A chunk that
 * stopped at the cap is halved and run again (down to {@code minChunk}: a chunk that small is read whole, however
 * many rows it holds, since it cannot be split); a chunk that returned few rows makes the next one bigger.
 *
 * @param rowCap   rows one run may read
 * @param first    the size of the first chunk
 * @param minChunk the smallest chunk
 * @param maxChunk the biggest chunk
 */
public record ChunkPolicy(long rowCap, Duration first, Duration minChunk, Duration maxChunk) {

    /** The most the next chunk grows by, so that one sparse chunk does not make the next one huge. */
    static final int MAX_GROWTH = 4;

    public ChunkPolicy {
        requireNonNull(first, "first must not be null");
        requireNonNull(minChunk, "minChunk must not be null");
        requireNonNull(maxChunk, "maxChunk must not be null");
        if (rowCap < 1) {
            throw new IllegalArgumentException("rowCap >= 1 required but it was " + rowCap);
        }
        if (minChunk.isNegative() || minChunk.isZero() || maxChunk.compareTo(minChunk) < 0) {
            throw new IllegalArgumentException("0 < minChunk <= maxChunk required but they were " + minChunk + " and " + maxChunk);
        }
    }

    /**
     * A policy with the given cap, a first chunk of one day, chunks from one millisecond (the precision the import's
     * progress is saved with) to 100 years: empty years are crossed in a few growing chunks, and a chunk over the cap
     * is narrowed at what its rows showed, so a long chunk costs one capped read at most.
     */
    public static ChunkPolicy withCap(long rowCap) {
        return new ChunkPolicy(rowCap, Duration.ofDays(1), Duration.ofMillis(1), MAX_CHUNK);
    }

    /** The biggest chunk: 100 years. */
    static final Duration MAX_CHUNK = Duration.ofDays(36_525);

    /**
     * The source's own cap for its configured update frequency ({@code MAX_ROWS_PER_MINUTE}), at least 100 rows;
     * no cap when the source has none.
     */
    public static ChunkPolicy forSource(SourceDefinition source) {
        return withCap(Math.max(100, source.maxRows(source.updateFrequency())));
    }

    /** The first chunk's size for {@code range}. */
    public Duration firstChunk(Window range) {
        Duration whole = Duration.between(range.lower(), range.upper());
        return clamp(min(first, whole));
    }

    /** Whether a chunk of this size can still be halved. */
    public boolean canHalve(Duration size) {
        return size.compareTo(minChunk) > 0;
    }

    public Duration halve(Duration size) {
        return clamp(size.dividedBy(2));
    }

    /** The size of a chunk from {@code from} narrowed to end at {@code split} (at least the smallest chunk). */
    public Duration narrowed(Instant from, Instant split) {
        return clamp(Duration.between(from, split));
    }

    /** The smallest chunk: one that size is read whole, however many rows it holds. */
    public Duration smallest() {
        return minChunk;
    }

    /**
     * The size after a chunk of {@code size} read its whole window, {@code rows} rows: aim at half the cap, grow by at most
     * {@value #MAX_GROWTH} times, and never shrink a chunk that stayed under the cap.
     */
    public Duration next(Duration size, long rows) {
        long target = Math.max(1, rowCap / 2);
        if (rows >= target) {
            return clamp(size);
        }
        double factor = rows == 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, (double) target / rows);
        long millis = (long) Math.min((double) maxChunk.toMillis(), size.toMillis() * factor);
        return clamp(Duration.ofMillis(millis));
    }

    private Duration clamp(Duration d) {
        return d.compareTo(minChunk) < 0 ? minChunk : d.compareTo(maxChunk) > 0 ? maxChunk : d;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
