package io.tributary.bench;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.database.JdbcBatchItemWriter;
import org.springframework.batch.infrastructure.item.database.JdbcCursorItemReader;
import org.springframework.batch.infrastructure.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.infrastructure.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.jdbc.support.JdbcTransactionManager;

import com.zaxxer.hikari.HikariDataSource;

import io.tributary.core.window.Window;

/**
 * (c) Spring Batch: a {@link JdbcCursorItemReader} (fetch size 5,000, on a connection with autocommit off so that
 * pgjdbc streams) into a {@link JdbcBatchItemWriter} with the same upsert as (b) on a {@code reWriteBatchedInserts}
 * pool, chunks of 1,000, each chunk one transaction. The job repository is Spring Batch's resourceless one: no
 * metadata tables, the cheapest setting Spring Batch has.
 */
final class SpringBatchCase implements ImportCase {

    private final String schema;
    private final String table;
    private final HikariDataSource source;
    private final HikariDataSource store;
    private final JobRepository repository = new ResourcelessJobRepository();
    private final TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
    private final AtomicLong runs = new AtomicLong();

    SpringBatchCase(BenchOptions options, String schema, String table) throws Exception {
        this.schema = schema;
        this.table = table;
        String password = System.getenv("PGPASSWORD");
        source = new HikariDataSource();
        source.setPoolName("batch-source");
        source.setJdbcUrl(options.jdbcUrl(options.sourceDatabase()));
        source.setUsername(options.user());
        source.setAutoCommit(false);
        store = new HikariDataSource();
        store.setPoolName("batch-store");
        store.setJdbcUrl(options.jdbcUrl(options.storeDatabase()) + "?reWriteBatchedInserts=true");
        store.setUsername(options.user());
        store.setSchema(schema);
        if (password != null) {
            source.setPassword(password);
            store.setPassword(password);
        }
        operator.setJobRepository(repository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.afterPropertiesSet();
    }

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String label() {
        return "(c) Spring Batch";
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public Counts run(Window window) throws Exception {
        JdbcCursorItemReader<SaleRow> reader = new JdbcCursorItemReaderBuilder<SaleRow>()
                .name("sales")
                .dataSource(source)
                .sql(Dataset.jdbcStatement(table))
                .preparedStatementSetter(ps -> {
                    ps.setObject(1, OffsetDateTime.ofInstant(window.lower(), ZoneOffset.UTC));
                    ps.setObject(2, OffsetDateTime.ofInstant(window.upper(), ZoneOffset.UTC));
                })
                .fetchSize(JdbcLoaderCase.FETCH_SIZE)
                .rowMapper((rs, i) -> SaleRow.read(rs))
                .saveState(false)
                .build();
        JdbcBatchItemWriter<SaleRow> writer = new JdbcBatchItemWriterBuilder<SaleRow>()
                .dataSource(store)
                .sql(SaleRow.UPSERT)
                .itemPreparedStatementSetter(SaleRow::bind)
                // an unchanged row updates nothing: that is not an error here
                .assertUpdates(false)
                .build();
        writer.afterPropertiesSet();
        Job job = new JobBuilder("import", repository)
                .start(new StepBuilder("import", repository).<SaleRow, SaleRow>chunk(JdbcLoaderCase.BATCH)
                        .transactionManager(new JdbcTransactionManager(store))
                        .reader(reader)
                        .writer(writer)
                        .build())
                .build();
        JobExecution execution = operator.start(job, new JobParametersBuilder().addLong("run", runs.incrementAndGet())
                .toJobParameters());
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            throw new IllegalStateException("Spring Batch job ended " + execution.getStatus() + ": "
                    + execution.getAllFailureExceptions());
        }
        long read = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            read += step.getReadCount();
        }
        return Counts.readOnly(read);
    }

    @Override
    public void close() {
        source.close();
        store.close();
    }
}
