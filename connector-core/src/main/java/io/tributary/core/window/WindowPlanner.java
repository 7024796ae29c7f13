package io.tributary.core.window;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Plans the windows of one source's runs from its checkpoint, so that every run makes progress and no row is lost,
 * whatever order the statement sends its rows in. One planner serves automatic runs, the first run and "run now";
 * historical chunks narrow by the same {@link RowCap#splitPoint()}.
 * <ul>
 *   <li>A window starts one {@link RowCap#TICK} (or the lookback) before the checkpoint, so rows dated at the
 *       checkpoint are read whether the statement compares with {@code >} or {@code >=}; every row dated before the
 *       checkpoint was read, whether it compares the upper bound with {@code <} or {@code <=}.</li>
 *   <li>A run that read its whole window moves the checkpoint to the window's upper bound.</li>
 *   <li>A run stopped at the cap whose rows came in declared ascending order moves it to the first unread date.</li>
 *   <li>Otherwise it keeps what it read, and the next run (at once) reads the earlier part of the window up to the
 *       split point, which it completes; a window that cannot be split (one instant) is read whole, and so is the
 *       window of a statement that does not filter by its upper bound.</li>
 *   <li>While catching up, windows are sized from the density of the rows found, aiming at three quarters of the
 *       cap, so that a statement without {@code ORDER BY} reads each row about once.</li>
 * </ul>
 * Not thread-safe: a source's runs are serialised.
 */
public final class WindowPlanner {

    /** Runs in a row that end without moving the checkpoint before the source counts as stalled. */
    public static final int STALL_RUNS = 64;

    /** The most a catch-up window grows from one run to the next. */
    static final int MAX_GROWTH = 4;

    private final Instant start;
    private final Duration lookback;
    private final Duration settle;
    private final boolean filtersUpper;
    private @Nullable Window narrowed;
    private boolean readWhole;
    private @Nullable Duration chunk;
    private int runsWithoutProgress;
    /**
     * While narrowing: the sorted dates (epoch microseconds) a capped run counted past the narrowed window, and that
     * run's upper bound. They are rows the part after the narrowed window holds for sure, so when they alone fill a
     * window the next one is narrowed from them rather than read again up to the cap to learn the same.
     */
    private long[] knownAfter = new long[0];
    private @Nullable Instant knownUpper;

    /**
     * @param filtersUpper the statement binds {@code {{ upper_date_limit }}}: narrowing a window narrows its rows
     */
    public WindowPlanner(Instant start, Duration lookback, Duration settle, boolean filtersUpper) {
        this.start = requireNonNull(start, "start must not be null");
        this.lookback = requireNonNull(lookback, "lookback must not be null");
        this.settle = requireNonNull(settle, "settle must not be null");
        this.filtersUpper = filtersUpper;
    }

    /**
     * The next run's window.
     *
     * @param checkpoint the source's checkpoint, {@code null} before its first import
     * @param sourceNow  the source database's clock
     * @param maxRows    the cap for the interval in force, {@link Long#MAX_VALUE} for none
     */
    public Plan plan(@Nullable Instant checkpoint, Instant sourceNow, long maxRows) {
        Instant countFrom = checkpoint == null ? start : later(start, checkpoint);
        Instant lower = lowerFor(checkpoint);
        Instant head = later(lower, sourceNow.minus(settle));
        Window pending = narrowed;
        if (pending != null && pending.lower().equals(lower) && pending.upper().isAfter(countFrom)) {
            Window w = new Window(lower, earlier(pending.upper(), head));
            return new Plan(w, countFrom, readWhole ? Long.MAX_VALUE : maxRows, w.upper().equals(head), head);
        }
        narrowed = null;
        forgetKnown();
        Duration size = chunk;
        Instant upper = size == null ? head : earlier(head, countFrom.plus(size));
        return new Plan(new Window(lower, upper), countFrom, maxRows, upper.equals(head), head);
    }

    /**
     * What the planner learned from a run that succeeded: where the checkpoint moves and what runs next.
     *
     * @param cap the run's cap, fed every row it read
     */
    public Step succeeded(Plan plan, RowCap cap) {
        Window w = plan.window();
        if (!cap.stopped()) {
            boolean wasNarrowed = narrowed != null;
            narrowed = null;
            boolean progress = w.upper().isAfter(plan.countFrom());
            if (plan.reachesHead()) {
                chunk = null;
                forgetKnown();
            } else if (wasNarrowed && narrowFromKnown(w.upper(), plan.maxRows())) {
                chunk = null;
            } else {
                forgetKnown();
                chunk = nextChunk(foundIn(plan, cap), cap.counted(), plan.maxRows());
            }
            runsWithoutProgress = progress ? 0 : runsWithoutProgress + 1;
            String note = cap.outside() > 0 ? outsideNote(cap, w) : null;
            // an empty window (START in the future, the source's clock behind) still settles where the source stands
            return new Step(w.upper(), !plan.reachesHead(), true, note);
        }
        Optional<Instant> safe = cap.safeCheckpoint();
        if (safe.isPresent()) {
            narrowed = null;
            runsWithoutProgress = 0;
            return new Step(safe.get(), true, false, "stopped at the cap of " + cap.maxRows() + " rows in date order; "
                    + "the checkpoint moved to " + safe.get() + " and the next run continues from there at once");
        }
        runsWithoutProgress++;
        chunk = null;
        Optional<Instant> split = filtersUpper ? cap.splitPoint() : Optional.empty();
        String why = cap.whyNarrowed();
        if (split.isPresent()) {
            narrowed = new Window(w.lower(), split.get());
            readWhole = false;
            knownAfter = cap.sortedDatesFrom(split.get());
            knownUpper = w.upper();
            return new Step(null, true, false, "stopped at the cap of " + cap.maxRows() + " rows (" + why + "); what it "
                    + "read is kept, and the next run reads the earlier part " + narrowed + " at once");
        }
        readWhole = true;
        forgetKnown();
        if (!filtersUpper || cap.outsideAfter() > 0) {
            narrowed = w;
            return new Step(null, true, false, "stopped at the cap of " + cap.maxRows() + " rows (" + why + "); the "
                    + "statement " + (filtersUpper ? "returns rows dated after {{ upper_date_limit }}" : "does not use "
                    + "{{ upper_date_limit }}") + ", so a smaller window would not hold fewer rows: the next run reads "
                    + w + " whole");
        }
        narrowed = new Window(w.lower(), plan.countFrom().plus(RowCap.TICK));
        return new Step(null, true, false, "stopped at the cap of " + cap.maxRows() + " rows that share the date "
                + plan.countFrom() + "; the next run reads that instant whole");
    }

    /**
     * After a narrowed window was read whole up to {@code checkpoint}: when the rows the capped run counted past it
     * would fill a window on their own (three quarters of the cap), the next window is narrowed at once at the median
     * of them or the middle of what is left, whichever is earlier, as a capped read of the rest would be; it is not
     * read again up to the cap. A first import from {@code START} 1970 of rows of the last few years so halves its
     * way through the empty decades with empty runs instead of reading the same capped rows once per halving.
     *
     * @return whether the next window was narrowed
     */
    private boolean narrowFromKnown(Instant checkpoint, long maxRows) {
        Instant upper = knownUpper;
        if (upper == null || maxRows == Long.MAX_VALUE || !upper.isAfter(checkpoint)) {
            return false;
        }
        long from = RowCap.micros(checkpoint);
        int i = 0;
        while (i < knownAfter.length && knownAfter[i] < from) {
            i++;
        }
        long[] left = java.util.Arrays.copyOfRange(knownAfter, i, knownAfter.length);
        if (left.length < Math.max(1, maxRows * 3 / 4)) {
            return false;
        }
        long to = RowCap.micros(upper);
        long split = Math.min(from + (to - from) / 2, left[left.length / 2]);
        if (split <= from) {
            return false;
        }
        Instant splitAt = RowCap.instant(split);
        narrowed = new Window(lowerFor(checkpoint), splitAt);
        readWhole = false;
        knownAfter = left;
        return true;
    }

    private void forgetKnown() {
        knownAfter = new long[0];
        knownUpper = null;
    }

    private Instant lowerFor(@Nullable Instant checkpoint) {
        return checkpoint == null ? start : later(start, checkpoint.minus(longer(lookback, RowCap.TICK)));
    }

    /** Consecutive successful runs that did not move the checkpoint (narrowing runs included). */
    public int runsWithoutProgress() {
        return runsWithoutProgress;
    }

    /** Whether the source has made no progress for {@link #STALL_RUNS} runs: a human must look. */
    public boolean stalled() {
        return runsWithoutProgress >= STALL_RUNS;
    }

    /**
     * The span a window read whole found its rows in, for the density that sizes the next window: from the earliest
     * row counted when there were enough rows to tell (a quarter of what a window aims at), so that rows beginning
     * late in a wide window (the step that found where they begin) do not make them look sparse and the next window
     * too wide for the cap; the whole window otherwise.
     */
    private static Duration foundIn(Plan plan, RowCap cap) {
        Duration whole = Duration.between(plan.countFrom(), plan.window().upper());
        if (plan.maxRows() == Long.MAX_VALUE || cap.counted() < Math.max(1, plan.maxRows() * 3 / 16)) {
            return whole;
        }
        return cap.firstCounted().filter(first -> first.isAfter(plan.countFrom()))
                .map(first -> Duration.between(first, plan.window().upper()))
                .filter(span -> !span.isZero() && !span.isNegative()).orElse(whole);
    }

    /** A window read whole with {@code rows} counted: size the next to hold about three quarters of the cap. */
    static Duration nextChunk(Duration size, long rows, long maxRows) {
        if (maxRows == Long.MAX_VALUE || size.isZero() || size.isNegative()) {
            return Duration.ofDays(366);
        }
        double target = Math.max(1, maxRows * 3 / 4);
        double factor = rows == 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, target / rows);
        long micros = (long) Math.min(Long.MAX_VALUE / 2.0, micros(size) * factor);
        return Duration.of(Math.max(1, micros), java.time.temporal.ChronoUnit.MICROS);
    }

    private static String outsideNote(RowCap cap, Window w) {
        return cap.outside() + " rows were dated outside the window " + w + " they were read for: the statement "
                + "filters on another column than the one it returns as date, or ignores {{ last_update_time }} or "
                + "{{ upper_date_limit }}";
    }

    private static long micros(Duration d) {
        return d.getSeconds() * 1_000_000L + d.getNano() / 1_000;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * One run's window.
     *
     * @param countFrom   the checkpoint the window continues from: rows dated before it were read already
     * @param maxRows     the run's cap
     * @param reachesHead the window reaches the source's clock (less the settle time): reading it whole catches up
     * @param head        the source's clock less the settle time
     */
    public record Plan(Window window, Instant countFrom, long maxRows, boolean reachesHead, Instant head) {
        public Plan {
            requireNonNull(window, "window must not be null");
            requireNonNull(countFrom, "countFrom must not be null");
            requireNonNull(head, "head must not be null");
        }

        /** A fresh cap for this window. */
        public RowCap cap(boolean orderDeclared) {
            return new RowCap(maxRows, window, countFrom, orderDeclared);
        }
    }

    /**
     * What follows a successful run.
     *
     * @param checkpoint where the checkpoint moves, {@code null} when it stays
     * @param again      the source has not caught up: the next run starts at once
     * @param complete   the run read its whole window
     * @param note       what the run's record says about it, {@code null} when nothing
     */
    public record Step(@Nullable Instant checkpoint, boolean again, boolean complete, @Nullable String note) {
    }
}
