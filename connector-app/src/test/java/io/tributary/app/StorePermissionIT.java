package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;

/**
 * Regression for issue 19: a store user without INSERT on the registrations table pauses the source with a
 * message naming the user, instead of a transient failure retried every few seconds forever.
 */
class StorePermissionIT {

    private static final String USER = "hard_store_writer";
    private static TestDatabase db;

    @BeforeAll
    static void storeWithoutInsert() throws Exception {
        db = TestDatabase.fresh("hard_denied");
        db.execute("CREATE TABLE public.sales (id int, seller int, sold_at timestamptz)",
                "INSERT INTO public.sales SELECT g, g % 3, timestamptz '2024-01-01' + g * interval '1 minute' "
                        + "FROM generate_series(1, 50) g");
        // the schema is migrated by its owner; Tributary's own user may read and write it, but not INSERT registrations
        Flyway.configure().dataSource(db.jdbcUrl(), null, null).schemas("tributary").defaultSchema("tributary")
                .placeholders(Map.of("json_type", "jsonb")).locations("classpath:db/migration").load().migrate();
        db.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN CREATE ROLE "
                        + USER + " LOGIN; END IF; END $$",
                "GRANT USAGE ON SCHEMA tributary TO " + USER,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tributary TO " + USER,
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA tributary TO " + USER,
                "REVOKE INSERT ON tributary.registrations FROM " + USER);
    }

    @AfterAll
    static void dropRole() throws Exception {
        db.execute("DROP OWNED BY " + USER + " CASCADE", "DROP ROLE " + USER);
    }

    @Test
    @DisplayName("issue 19: permission denied on the store pauses the source, naming the store user, and is not retried")
    void permissionDeniedPauses() throws Exception {
        try (RunningApp app = RunningApp.start(Map.of(
                "TRIBUTARY_STORE_URL", db.jdbcUrl().replace("user=postgres", "user=" + USER),
                "TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl(),
                "TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' || seller AS "
                        + "member_name, sold_at AS date FROM public.sales WHERE sold_at >= {{ last_update_time }} "
                        + "AND sold_at < {{ upper_date_limit }} ORDER BY sold_at",
                "TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1s"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> state(app).equals("paused"));
            String error = app.client().get().uri("/api/sources/sales").exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody().get("lastRun") instanceof Map<?, ?> run
                            ? String.valueOf(run.get("error")) : "";
            assertThat(error).contains("the store user '" + USER + "' lacks a privilege on the store's tables")
                    .contains("permission denied for table registrations");
            long failed = db.count("SELECT count(*) FROM tributary.import_runs WHERE status = 'FAILED'");
            // a transient failure would be retried after 1 s, 2 s, 4 s: none comes while the source is paused
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                    db.count("SELECT count(*) FROM tributary.import_runs") == failed && state(app).equals("paused"));
            assertThat(failed).isEqualTo(1);
        }
    }

    private static String state(RunningApp app) {
        Map<?, ?> source = app.client().get().uri("/api/sources/sales").exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return String.valueOf(source.get("state"));
    }
}
