package io.tributary.app.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.tributary.core.SourceDefinition;

/**
 * One source as the API shows it. The URL is shown without its password (passwords are kept apart from it at
 * start-up), and the password itself never. {@code checkpoint} and {@code registrations} are {@code null} when the
 * store could not be read (the answer then comes from memory).
 *
 * @param state          {@code idle} (caught up), {@code running}, {@code catching-up}, {@code failing},
 *                       {@code paused} or {@code stalled}
 * @param lagSeconds     now minus the checkpoint: how far behind the store is, {@code null} before the first run
 * @param intervalChange the last change of the effective interval since Tributary started, with its reason, or
 *                       {@code null}
 * @param pausedBecause  why automatic runs are paused after a permanent failure, or {@code null}
 * @param settings       the rest of the settings as Tributary understood them, secrets masked
 * @param catchingUpFrom while catching up: the checkpoint; {@code null} when caught up
 * @param catchingUpTo   while catching up: the source's clock (less the settle time) as the last run saw it
 * @param warnings       what the statement gets wrong about the window, as logged at start-up
 */
public record SourceView(String id, String url, String username, String memberIdSource, String timezone,
        long updateFrequencySeconds, long effectiveIntervalSeconds, String state, Instant checkpoint, Instant nextRunAt,
        Long registrations, RunView lastRun, Long lagSeconds, IntervalChangeView intervalChange, String pausedBecause,
        Settings settings, Instant catchingUpFrom, Instant catchingUpTo, List<String> warnings) {

    /** What a secret looks like in the API: set or not, never its value. */
    static final String MASK = "******";

    /**
     * The settings of a source beyond its identity.
     *
     * @param password  {@value #MASK} when one is set, empty when not
     * @param dialect   the dialect named by {@code DIALECT}, {@code null} when picked by the URL
     * @param rowCap    the most rows a run reads at the effective interval now, {@code null} when there is no cap
     * @param options   dialect-specific settings
     * @param secrets   dialect-specific secrets, each shown as {@value #MASK}
     */
    public record Settings(String password, String statement, String dialect, Instant start, long lookbackSeconds,
            long settleSeconds, int fetchSize, int batchSize, long maxRowsPerMinute, Long rowCap, long queryTimeoutSeconds,
            Map<String, String> options, Map<String, String> secrets) {

        static Settings of(SourceDefinition d, Duration effectiveInterval) {
            Map<String, String> secrets = new TreeMap<>();
            d.secrets().keySet().forEach(k -> secrets.put(k, MASK));
            long cap = d.maxRows(effectiveInterval);
            return new Settings(d.password().isEmpty() ? "" : MASK, d.password().redact(d.statement()), d.dialect(), d.start(),
                    d.lookback().toSeconds(), d.settle().toSeconds(), d.fetchSize(), d.batchSize(), d.maxRowsPerMinute(),
                    cap == Long.MAX_VALUE ? null : cap, d.queryTimeout().toSeconds(), new TreeMap<>(d.options()), secrets);
        }
    }
}
