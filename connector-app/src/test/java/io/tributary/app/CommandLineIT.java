package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;

/** The packaged jar, configured by real environment variables: the {@code import} command and start-up errors. */
class CommandLineIT {

    private static TestDatabase db;

    @BeforeAll
    static void createSource() throws Exception {
        db = TestDatabase.fresh("tributary_cli");
        db.execute("CREATE TABLE sales (id int, seller int, sold_at timestamptz, amount numeric(8,2))",
                "INSERT INTO sales SELECT g, g % 9, timestamptz '2024-01-01 00:00:00+00' + g * interval '40 seconds', g "
                        + "FROM generate_series(1, 1500) g");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_STORE_URL", db.jdbcUrl());
        env.put("TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl());
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT id AS reference, seller AS member_id, 'S' || seller AS member_name, "
                + "sold_at AS date, amount FROM sales WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}");
        return env;
    }

    @Test
    void importsOneWindowWithoutMovingTheCheckpoint() throws Exception {
        // 2024-01-01 + 40 s * g < 2024-01-01T10:00 for g < 900
        AppProcess.Result r = AppProcess.run(env(), "import", "--source", "sales", "--from", "2024-01-01",
                "--to", "2024-01-01T10:00:00Z");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("imported sales [2024-01-01T00:00:00Z, 2024-01-01T10:00:00Z)")
                .contains("read 899, inserted 899");
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(899);
        assertThat(db.count("SELECT count(*) FROM import_runs WHERE kind = 'HISTORICAL' AND status = 'SUCCEEDED'")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM checkpoints")).isZero();
    }

    @Test
    void badArgumentsExitWithTwoAndTheUsage() throws Exception {
        AppProcess.Result r = AppProcess.run(env(), "import", "--source", "sales", "--from", "yesterday", "--to", "2024-01-02");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains("--from 'yesterday' is not an ISO date or timestamp").contains("usage:");

        AppProcess.Result unknown = AppProcess.run(env(), "import", "--source", "nope", "--from", "2024-01-01", "--to", "2024-01-02");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.output()).contains("no source 'nope'; configured: [sales]");
    }

    @Test
    void aMalformedVariableStopsStartUpNamingIt() throws Exception {
        Map<String, String> env = env();
        env.put("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "5x");
        AppProcess.Result r = AppProcess.run(env, "--server.port=0");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY='5x' is not a duration; write e.g. 30s, 1m");
    }

    @Test
    void aStatementThatIsNotASelectStopsStartUpNamingTheVariable() throws Exception {
        Map<String, String> env = env();
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT 1; DELETE FROM sales");
        AppProcess.Result r = AppProcess.run(env, "--server.port=0");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).contains("TRIBUTARY_SOURCES_SALES_STATEMENT: source sales: statement rejected: "
                + "only one statement is allowed, but a second one starts here: 'DELETE FROM sales' (line 1, column 11)");
        assertThat(db.count("SELECT count(*) FROM sales")).isEqualTo(1500);
    }
}
