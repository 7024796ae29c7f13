package io.tributary.dialect.bigquery;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQuery.QueryResultsOption;
import com.google.cloud.bigquery.BigQuery.TableDataListOption;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Job;
import com.google.cloud.bigquery.JobId;
import com.google.cloud.bigquery.JobInfo;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;

import io.tributary.core.mapping.Columns;
import io.tributary.core.mapping.SourceRow;
import reactor.core.publisher.SynchronousSink;
import reactor.core.scheduler.Scheduler;

/**
 * One query job and its result, read a page at a time: the job is created ({@code jobs.insert}) and awaited
 * ({@code jobs.getQueryResults}) on the first request, and the next page ({@code tabledata.list} with the page
 * token and the same page size) is fetched only when a row past the current page is requested. All calls but {@link #cancel} run on the
 * subscription's worker, one at a time.
 */
final class BigQueryCursor {

    private static final Logger log = LoggerFactory.getLogger(BigQueryCursor.class);

    private final Supplier<BigQuery> bigquery;
    private final QueryJobConfiguration query;
    private final JobId jobId;
    private final long pageSize;
    private final Scheduler scheduler;

    private volatile boolean cancelled;
    /** Set once the job is created and until its result is complete: only then is there a job to cancel. */
    private volatile boolean jobRunning;

    private @Nullable TableId table;
    private @Nullable Schema schema;
    private @Nullable String nextPageToken;
    private @Nullable Iterator<FieldValueList> rows;
    private @Nullable Columns columns;
    private BigQueryValues.Reader[] readers = new BigQueryValues.Reader[0];
    private boolean finished;

    BigQueryCursor(Supplier<BigQuery> bigquery, QueryJobConfiguration query, JobId jobId, long pageSize, Scheduler scheduler) {
        this.bigquery = bigquery;
        this.query = query;
        this.jobId = jobId;
        this.pageSize = pageSize;
        this.scheduler = scheduler;
    }

    /** Emits at most one row: called once per requested row, on the worker. */
    void next(SynchronousSink<SourceRow> sink) {
        if (finished || cancelled) {
            sink.complete();
            return;
        }
        try {
            if (rows == null) {
                open();
            }
            FieldValueList row = nextRow();
            if (row == null) {
                finished = true;
                sink.complete();
            } else {
                sink.next(new SourceRow(columnsOrFail(), read(row)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(sink, e);
        } catch (RuntimeException e) {
            fail(sink, e);
        }
    }

    /** Stops the job if it is still running; from any thread, the call itself on the scheduler. */
    void cancel() {
        cancelled = true;
        if (jobRunning) {
            cancelJob();
        }
    }

    private void open() throws InterruptedException {
        Job job = bigquery.get().create(JobInfo.of(jobId, query));
        jobRunning = true;
        if (cancelled) {
            // cancelled while the job was being created: the job would otherwise run on, and be billed
            cancelJob();
            throw new IllegalStateException("cancelled");
        }
        TableResult first = job.getQueryResults(QueryResultsOption.pageSize(pageSize));
        jobRunning = false;
        Schema s = first.getSchema();
        schema = s;
        describe(s == null ? FieldList.of() : s.getFields());
        rows = first.getValues().iterator();
        nextPageToken = first.getNextPageToken();
        if (nextPageToken != null && !nextPageToken.isEmpty()) {
            table = destination(job);
        }
        log.debug("BigQuery job {} done: {} rows", jobId.getJob(), first.getTotalRows());
    }

    /** The job's anonymous result table, where the next pages are read from. */
    private TableId destination(Job created) {
        TableId t = ((QueryJobConfiguration) created.getConfiguration()).getDestinationTable();
        if (t == null) {
            Job reloaded = bigquery.get().getJob(jobId);
            t = reloaded == null ? null : ((QueryJobConfiguration) reloaded.getConfiguration()).getDestinationTable();
        }
        if (t == null) {
            throw new IllegalStateException("BigQuery job " + jobId.getJob() + " names no destination table to page through");
        }
        return t;
    }

    private @Nullable FieldValueList nextRow() {
        Iterator<FieldValueList> it = rows;
        while (it != null && !it.hasNext()) {
            String token = nextPageToken;
            TableId t = table;
            if (token == null || token.isEmpty() || t == null || cancelled) {
                return null;
            }
            // demand reached past this page: only now fetch the next one, of the same size (the client's own
            // next-page fetcher would drop the page size and take whatever the service sends)
            TableResult next = bigquery.get().listTableData(t, schema, TableDataListOption.pageToken(token),
                    TableDataListOption.pageSize(pageSize));
            nextPageToken = next.getNextPageToken();
            it = next.getValues().iterator();
            rows = it;
        }
        return it == null ? null : it.next();
    }

    private void describe(FieldList fields) {
        List<String> names = new ArrayList<>(fields.size());
        BigQueryValues.Reader[] plan = new BigQueryValues.Reader[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            names.add(f.getName());
            plan[i] = BigQueryValues.reader(f);
        }
        columns = Columns.of(names);
        readers = plan;
    }

    private @Nullable Object[] read(FieldValueList row) {
        @Nullable Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = readers[i].read(row.get(i));
        }
        return values;
    }

    private Columns columnsOrFail() {
        Columns c = columns;
        if (c == null) {
            throw new IllegalStateException("no result is open");
        }
        return c;
    }

    private void fail(SynchronousSink<SourceRow> sink, Exception e) {
        finished = true;
        if (cancelled) {
            // the subscriber is gone; the failure is the cancel's echo
            sink.complete();
        } else {
            sink.error(e);
        }
    }

    private void cancelJob() {
        jobRunning = false;
        scheduler.schedule(() -> {
            try {
                bigquery.get().cancel(jobId);
                log.debug("BigQuery job {} cancelled", jobId.getJob());
            } catch (RuntimeException e) {
                log.debug("cancelling BigQuery job {} failed: {}", jobId.getJob(), e.toString());
            }
        });
    }
}
