package io.tributary.app.web;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.tributary.core.TestQueryResult;
import io.tributary.core.mapping.Registration;
import io.tributary.core.mapping.Rejection;

/**
 * The answer to a test query: what the statement returned for the window, and nothing was written.
 *
 * @param rows    rows the statement returned
 * @param mapped  rows that would be imported
 * @param columns the result's columns in order
 * @param sample  the first mapped rows, at most 20
 * @param error   why the statement failed, {@code null} when it ran
 */
public record TestQueryView(long runId, String source, Instant from, Instant to, long durationMs, long rows, long mapped,
        long rejected, long duplicates, List<String> columns, List<Row> sample, List<Rejection> rejections, String error) {

    static TestQueryView of(TestQueryResult r) {
        return new TestQueryView(r.runId(), r.sourceId(), r.window().lower(), r.window().upper(), r.duration().toMillis(),
                r.rows(), r.mapped(), r.rejected(), r.duplicates(), r.columns(),
                r.sample().stream().map(Row::of).toList(), r.rejections(), r.error());
    }

    /** A mapped row as it would be stored; {@code fields} is the exact JSON of the custom fields. */
    public record Row(String reference, String memberId, String memberName, Instant date, String teamName,
            boolean deleted, @JsonRawValue String fields) {
        static Row of(Registration r) {
            return new Row(r.reference(), r.memberId(), r.memberName(), r.date(), r.teamName(), r.deleted(), r.fieldsJson());
        }
    }
}
