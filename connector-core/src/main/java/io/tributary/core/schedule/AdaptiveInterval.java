package io.tributary.core.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The poll interval of one source, slowed down when runs are slow and stepped back when they are fast again.
 * <p>
 * The product's rules, for a configured frequency {@code f} and a run that took {@code d}:
 * <ul>
 * <li>{@code f <= 1 min} and {@code 30 s <= d < 120 s}: 5 minutes</li>
 * <li>{@code f <= 5 min} and {@code 120 s <= d < 180 s}: 15 minutes</li>
 * <li>{@code f <= 15 min} and {@code d >= 180 s}: 1 hour ({@code d >= 360 s} also warns)</li>
 * </ul>
 * A slow run moves the interval up at once, never down. Beyond the product: after three consecutive runs faster
 * than the lower bound of the current step (30 s, 120 s, 180 s), the interval steps back one level toward
 * {@code f}, skipping levels that do not apply to {@code f}. Not thread-safe: the pipeline feeds it one run at a
 * time.
 */
public final class AdaptiveInterval {

    /** Consecutive fast runs before stepping back one level. */
    public static final int FAST_RUNS_TO_STEP_BACK = 3;

    /** A run at least this long is reported as a warning: even the slowest interval may not keep up. */
    public static final Duration WARN_AT = Duration.ofSeconds(360);

    /** One slow-down level: runs of at least {@code from} lead to {@code interval} for frequencies up to {@code maxFrequency}. */
    private enum Level {
        CONFIGURED(Duration.ZERO, Duration.ZERO, Duration.ZERO),
        FIVE_MINUTES(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(1)),
        FIFTEEN_MINUTES(Duration.ofSeconds(120), Duration.ofMinutes(15), Duration.ofMinutes(5)),
        ONE_HOUR(Duration.ofSeconds(180), Duration.ofHours(1), Duration.ofMinutes(15));

        final Duration from;
        final Duration interval;
        final Duration maxFrequency;

        Level(Duration from, Duration interval, Duration maxFrequency) {
            this.from = from;
            this.interval = interval;
            this.maxFrequency = maxFrequency;
        }
    }

    /** The interval changed: from, to and a sentence saying why. */
    public record Change(Duration from, Duration to, String reason, boolean warning) {
    }

    private final Duration configured;
    private Level level = Level.CONFIGURED;
    private int fastRuns;

    public AdaptiveInterval(Duration configured) {
        requireNonNull(configured, "configured must not be null");
        if (configured.isNegative() || configured.isZero()) {
            throw new IllegalArgumentException("configured > 0 required but it was " + configured);
        }
        this.configured = configured;
    }

    /** The interval the poll loop uses now. */
    public Duration current() {
        return level == Level.CONFIGURED ? configured : level.interval;
    }

    public Duration configured() {
        return configured;
    }

    /**
     * Feeds one successful run's duration.
     *
     * @return the change, when the interval changed; a run of 360 s or more at the top level returns a warning
     *         without a change of interval
     */
    public Optional<Change> onRun(Duration took) {
        requireNonNull(took, "took must not be null");
        Duration before = current();
        Level target = targetFor(took);
        if (target.ordinal() > level.ordinal()) {
            level = target;
            fastRuns = 0;
            return Optional.of(new Change(before, current(), "a run took " + seconds(took) + " (at least "
                    + seconds(target.from) + "): polling every " + human(current()) + " instead of every " + human(before)
                    + warningSuffix(took), took.compareTo(WARN_AT) >= 0));
        }
        if (took.compareTo(WARN_AT) >= 0) {
            fastRuns = 0;
            return Optional.of(new Change(before, before, "a run took " + seconds(took) + warningSuffix(took), true));
        }
        if (level != Level.CONFIGURED && took.compareTo(level.from) < 0) {
            fastRuns++;
            if (fastRuns >= FAST_RUNS_TO_STEP_BACK) {
                fastRuns = 0;
                Level previous = level;
                level = lowerApplicable(level);
                return Optional.of(new Change(before, current(), FAST_RUNS_TO_STEP_BACK + " runs in a row took less than "
                        + seconds(previous.from) + ": stepping back to polling every " + human(current()), false));
            }
        } else {
            fastRuns = 0;
        }
        return Optional.empty();
    }

    private Level targetFor(Duration took) {
        Level target = Level.CONFIGURED;
        for (Level l : Level.values()) {
            if (l != Level.CONFIGURED && took.compareTo(l.from) >= 0 && configured.compareTo(l.maxFrequency) <= 0) {
                target = l;
            }
        }
        return target;
    }

    private Level lowerApplicable(Level from) {
        for (int i = from.ordinal() - 1; i > 0; i--) {
            Level l = Level.values()[i];
            if (configured.compareTo(l.maxFrequency) <= 0) {
                return l;
            }
        }
        return Level.CONFIGURED;
    }

    private static String warningSuffix(Duration took) {
        return took.compareTo(WARN_AT) >= 0 ? "; runs of 6 minutes or more cannot keep up: make the statement "
                + "faster (an index on the window column) or reduce the rows per run" : "";
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** {@code 5 min}, {@code 1 h}, {@code 90 s}. */
    static String human(Duration d) {
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return seconds(d);
    }
}
