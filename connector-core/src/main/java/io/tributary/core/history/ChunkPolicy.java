package io.tributary.core.history;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

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

    /** The cap when the source defines none: 10,000 rows per minute of update frequency. */
    public static final long ROWS_PER_MINUTE_OF_FREQUENCY = 10_000;

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

    /** A policy with the given cap, a first chunk of one day, chunks from one second to 366 days. */
    public static ChunkPolicy withCap(long rowCap) {
        return new ChunkPolicy(rowCap, Duration.ofDays(1), Duration.ofSeconds(1), Duration.ofDays(366));
    }

    /** 10,000 rows per minute of the source's update frequency (at least 100). */
    public static ChunkPolicy forSource(SourceDefinition source) {
        long cap = ROWS_PER_MINUTE_OF_FREQUENCY * source.updateFrequency().toMillis() / 60_000;
        return withCap(Math.max(100, cap));
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
