package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import reactor.core.scheduler.Scheduler;

class ImportLogRetentionTest {

    @Test
    @DisplayName("the sweep is scheduled with the store's threads, which keep no timers")
    void theSweepIsScheduledOnTheStoreScheduler() {
        ThreadPoolExecutor pool = StoreThreads.pool("test-store", 1, 10);
        try {
            Scheduler store = StoreThreads.scheduler(pool);
            ImportLogRetention retention = new ImportLogRetention(new JdbcImportLog(new JdbcDataSource(), store),
                    Duration.ofDays(30), Clock.systemUTC(), store);
            assertThat(retention.scheduled()).as("the sweep's timer is running").isTrue();
            retention.close();
        } finally {
            pool.shutdown();
        }
    }
}
