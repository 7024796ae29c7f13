package io.tributary.core.window;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The row cap of one run, fed the date of every row in the order the source sends them, and what the rows revealed
 * when the run stopped at it: where the checkpoint may safely move, or where to narrow the window.
 * <p>
 * Rows dated before {@code countFrom} (the previous checkpoint: re-read by the lookback) do not count toward the cap.
 * After the cap, the run reads on while rows share the date of the row at the cap (a group of equal dates is never
 * split) and stops at the first row with a later date. Not thread-safe: one per run, fed in row order.
 */
public final class RowCap {

    /** The smallest step of time the planner uses: the precision of the databases' timestamps. */
    public static final java.time.Duration TICK = java.time.Duration.of(1, ChronoUnit.MICROS);

    private final long maxRows;
    private final Window window;
    private final Instant countFrom;
    private final boolean orderDeclared;
    private long counted;
    private @Nullable Instant lastDate;
    private @Nullable Instant capDate;
    private boolean reached;
    private boolean stopped;
    private boolean ordered = true;
    private @Nullable Instant resumeAt;
    private long outsideBefore;
    private long outsideAfter;
    /** Epoch microseconds of the counted dates, kept only under a cap (at most about the cap). */
    private long[] sample = new long[0];
    private int sampled;
    /** Epoch microseconds of the earliest counted date, {@link Long#MAX_VALUE} before one was kept. */
    private long firstCounted = Long.MAX_VALUE;

    /**
     * @param maxRows       rows the run may read, not counting lookback rows; {@link Long#MAX_VALUE} for no cap
     * @param window        the window the rows are read for
     * @param countFrom     the previous checkpoint (every row dated before it was read already), or the window's lower
     *                      bound when there is none
     * @param orderDeclared the statement declares that its rows come in ascending date order ({@code ORDER BY})
     */
    public RowCap(long maxRows, Window window, Instant countFrom, boolean orderDeclared) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows >= 1 required but it was " + maxRows);
        }
        this.maxRows = maxRows;
        this.window = requireNonNull(window, "window must not be null");
        this.countFrom = requireNonNull(countFrom, "countFrom must not be null");
        this.orderDeclared = orderDeclared;
    }

    /** No cap: every row is taken (dates are still checked against the window). */
    public static RowCap none(Window window) {
        return new RowCap(Long.MAX_VALUE, window, window.lower(), false);
    }

    /**
     * @param date the row's date, or {@code null} for a row that was rejected
     * @return whether the run takes this row; after the first {@code false} the run stops reading
     */
    public boolean offer(@Nullable Instant date) {
        if (date != null) {
            if (lastDate != null && date.isBefore(lastDate)) {
                ordered = false;
            }
            if (date.isBefore(window.lower())) {
                outsideBefore++;
            } else if (date.isAfter(window.upper())) {
                outsideAfter++;
            }
        }
        if (reached) {
            if (date == null) {
                return true;
            }
            if (capDate == null) {
                // the row at the cap had no date: the first dated row after it opens the tie group
                capDate = date;
            }
            if (date.equals(capDate)) {
                remember(date);
                return true;
            }
            stopped = true;
            resumeAt = date;
            return false;
        }
        remember(date);
        if (date == null || !date.isBefore(countFrom)) {
            counted++;
            if (date != null && maxRows != Long.MAX_VALUE) {
                keep(date);
            }
        }
        if (counted >= maxRows) {
            reached = true;
            capDate = lastDate;
        }
        return true;
    }

    private void remember(@Nullable Instant date) {
        if (date != null && (lastDate == null || date.isAfter(lastDate))) {
            lastDate = date;
        }
    }

    private void keep(Instant date) {
        if (sampled == sample.length) {
            sample = Arrays.copyOf(sample, (int) Math.min(Math.max(16, sampled * 2L), Math.max(16, maxRows + 1)));
        }
        long micros = micros(date);
        firstCounted = Math.min(firstCounted, micros);
        if (sampled < sample.length) {
            sample[sampled++] = micros;
        }
    }

    /**
     * The earliest date among the rows counted toward the cap, when the run had a cap and counted a dated row: with
     * the number of rows counted, the span in which the rows of a window read whole were found.
     */
    public Optional<Instant> firstCounted() {
        return firstCounted == Long.MAX_VALUE ? Optional.empty() : Optional.of(instant(firstCounted));
    }

    /**
     * Epoch microseconds of the dates counted at or after {@code from}, sorted; none when rows came dated outside the
     * window (their dates say nothing about the column the statement filters on).
     */
    long[] sortedDatesFrom(Instant from) {
        if (outside() > 0) {
            return new long[0];
        }
        long[] dates = Arrays.copyOf(sample, sampled);
        Arrays.sort(dates);
        int i = Arrays.binarySearch(dates, micros(from));
        if (i < 0) {
            i = -i - 1;
        } else {
            while (i > 0 && dates[i - 1] == dates[i]) {
                i--;
            }
        }
        return Arrays.copyOfRange(dates, i, dates.length);
    }

    /** The run stopped at the cap with rows left unread. */
    public boolean stopped() {
        return stopped;
    }

    /** Every row with a date came in date order. */
    public boolean ordered() {
        return ordered;
    }

    public long maxRows() {
        return maxRows;
    }

    public Window window() {
        return window;
    }

    /** Rows counted toward the cap: those not dated before {@code countFrom}. */
    public long counted() {
        return counted;
    }

    /** Rows dated before the window's lower bound or after its upper bound. */
    public long outside() {
        return outsideBefore + outsideAfter;
    }

    /** Rows dated after the window's upper bound: the statement does not filter the dates it returns by the upper bound. */
    public long outsideAfter() {
        return outsideAfter;
    }

    /**
     * Where the checkpoint may move after a run that stopped at the cap: the date of the first unread row, when the
     * statement declares its order, every row came in ascending date order inside the window, and that date is past
     * {@code countFrom}. Every row dated before it was read; the next window starts just before it, so that rows at
     * it are read whether the statement compares with {@code >} or {@code >=}. Empty when it may not move.
     */
    public Optional<Instant> safeCheckpoint() {
        if (!stopped || !ordered || !orderDeclared || resumeAt == null || outside() > 0) {
            return Optional.empty();
        }
        if (!resumeAt.isAfter(countFrom) || resumeAt.isAfter(window.upper())) {
            return Optional.empty();
        }
        return Optional.of(resumeAt);
    }

    /**
     * Where to narrow the window of a run that stopped at the cap and cannot continue from where it stopped: the
     * earlier part {@code [lower, split)} should fit under the cap. It is the earlier of the median date of the rows
     * counted (right when the source sends its oldest rows first, as a table scan in insertion order does) and the
     * middle of the window (right whatever the order, newest first included); only the middle when rows came dated
     * outside the window, since their dates say nothing about the column the statement filters on. Empty when no
     * point after {@code countFrom} splits the window (the rows share one instant), or when rows came dated after the
     * window (a smaller window would not hold fewer of them): the window is then read whole.
     */
    public Optional<Instant> splitPoint() {
        if (outsideAfter > 0) {
            return Optional.empty();
        }
        long from = micros(countFrom);
        long to = micros(window.upper());
        long split = from + (to - from) / 2;
        if (outside() == 0 && sampled > 0) {
            long[] dates = Arrays.copyOf(sample, sampled);
            Arrays.sort(dates);
            split = Math.min(split, dates[sampled / 2]);
        }
        return split > from ? Optional.of(instant(split)) : Optional.empty();
    }

    /** Why the run could not continue from where it stopped, for its record. */
    public String whyNarrowed() {
        if (outside() > 0) {
            return outside() + " rows were dated outside the window they were read for";
        }
        if (!orderDeclared) {
            return "the statement has no ORDER BY on the date, so unread rows may be older than those read";
        }
        if (!ordered) {
            return "the rows did not come in ascending date order";
        }
        return "the rows it read did not reach past the checkpoint";
    }

    static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
