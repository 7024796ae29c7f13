package io.tributary.core.window;

import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The row cap of one run and the rules that keep it from losing rows. Rows must arrive ordered by their date for
 * a capped run to move the checkpoint: after the cap, the run reads on while rows share the date of the row at the
 * cap (a tie group is finished, however large, so that it cannot be re-read forever), stops at the first row with
 * a later date, and the checkpoint may then move to that date: every row before it was read, rows at it will be
 * read by the next run. Rows dated before the previous checkpoint (re-read by the lookback) do not count toward
 * the cap. Not thread-safe: one per run, fed in row order.
 */
public final class RowCap {

    private final long maxRows;
    private final Instant countFrom;
    private long counted;
    private @Nullable Instant lastDate;
    private @Nullable Instant capDate;
    private boolean reached;
    private boolean stopped;
    private boolean ordered = true;
    private boolean orderDeclared = true;
    private @Nullable Instant resumeAt;

    /**
     * @param maxRows   rows a run may read, not counting lookback rows; {@link Long#MAX_VALUE} for no cap
     * @param countFrom the previous checkpoint: rows dated before it were imported already
     */
    public RowCap(long maxRows, Instant countFrom) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows >= 1 required but it was " + maxRows);
        }
        this.maxRows = maxRows;
        this.countFrom = countFrom;
    }

    /**
     * This cap, for a statement that does not say in what order its rows come (no {@code ORDER BY}): a run stopped
     * at it never moves the checkpoint, since rows that looked ordered prove nothing about those left unread (a
     * database may start a large scan in the middle of a table).
     */
    public RowCap withoutDeclaredOrder() {
        orderDeclared = false;
        return this;
    }

    /** No cap: every row is taken. */
    public static RowCap none() {
        return new RowCap(Long.MAX_VALUE, Instant.MIN);
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

    /**
     * Where the checkpoint may move after a run that stopped at the cap: the date of the first unread row, when
     * the rows were ordered and that date lies inside the window after its lower bound. Empty when it may not move.
     */
    public Optional<Instant> safeCheckpoint(Window window) {
        if (!stopped || !ordered || !orderDeclared || resumeAt == null) {
            return Optional.empty();
        }
        if (!resumeAt.isAfter(window.lower()) || resumeAt.isAfter(window.upper())) {
            return Optional.empty();
        }
        return Optional.of(resumeAt);
    }

    /** Why a stopped run does not move the checkpoint, for the run's record. */
    public String whyNotMoved(Window window) {
        if (!orderDeclared) {
            return "the run stopped at the cap of " + maxRows + " rows, but the statement has no ORDER BY, so rows not "
                    + "read yet may be dated before those read; the checkpoint was not moved (unread rows could be lost). "
                    + "End the statement with ORDER BY on the date column, or raise the cap (MAX_ROWS_PER_MINUTE)";
        }
        if (!ordered) {
            return "the run stopped at the cap of " + maxRows + " rows, but the rows did not arrive ordered by date, "
                    + "so the checkpoint was not moved (unread rows could be lost). Add ORDER BY on the date column, "
                    + "or raise the cap (MAX_ROWS_PER_MINUTE)";
        }
        return "the run stopped at the cap of " + maxRows + " rows at date " + resumeAt + ", outside the window "
                + window + ", so the checkpoint was not moved. Filter the window and return as date the same column";
    }
}
