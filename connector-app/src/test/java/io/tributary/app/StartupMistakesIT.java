package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.TestDatabase;

/**
 * Regression for issue 19: start-up mistakes end with one message naming the variable, never a Spring stack trace;
 * the packaged jar, configured by real environment variables.
 */
class StartupMistakesIT {

    private static TestDatabase db;

    @BeforeAll
    static void store() throws Exception {
        db = TestDatabase.fresh("hard_startup");
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("TRIBUTARY_STORE_URL", db.jdbcUrl());
        env.put("TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl());
        env.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT 1 AS reference, 1 AS member_id, 'a' AS member_name, "
                + "now() AS date WHERE now() >= {{ last_update_time }} AND now() < {{ upper_date_limit }}");
        return env;
    }

    private static void assertStopsWith(Map<String, String> env, String message) throws Exception {
        AppProcess.Result r = AppProcess.run(env, "--server.port=0");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains(message).doesNotContain("\tat org.springframework");
    }

    @Test
    @DisplayName("issue 19: TRIBUTARY_API_TOKN (a typo) stops start-up naming it and suggesting TRIBUTARY_API_TOKEN")
    void unknownVariable() throws Exception {
        Map<String, String> env = env();
        env.put("TRIBUTARY_API_TOKN", "0123456789abcdef0123");
        assertStopsWith(env, "TRIBUTARY_API_TOKN is not a variable Tributary knows; did you mean TRIBUTARY_API_TOKEN?");
    }

    @Test
    @DisplayName("issue 19: a negative SETTLE, and two source ids differing only by case, name the variable")
    void negativeSettleAndCaseDuplicates() throws Exception {
        Map<String, String> settle = env();
        settle.put("TRIBUTARY_SOURCES_SALES_SETTLE", "PT-10S");
        assertStopsWith(settle, "TRIBUTARY_SOURCES_SALES_SETTLE='PT-10S' is negative; it must be 0 or more");

        Map<String, String> twice = env();
        twice.put("TRIBUTARY_SOURCES_Sales_URL", db.sourceUrl());
        twice.put("TRIBUTARY_SOURCES_Sales_STATEMENT", "SELECT 1");
        assertStopsWith(twice, "TRIBUTARY_SOURCES_SALES_* and TRIBUTARY_SOURCES_Sales_* name the same source 'sales'");
    }

    @Test
    @DisplayName("issue 19: the variable is blamed by the step that failed: the statement's parse, the URL's dialect")
    void statementAndUrlMistakesNameTheirVariable() throws Exception {
        Map<String, String> statement = env();
        statement.put("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT 1; DELETE FROM sales");
        assertStopsWith(statement, "TRIBUTARY_SOURCES_SALES_STATEMENT: source sales: statement rejected: only one "
                + "statement is allowed, but a second one starts here: 'DELETE FROM sales' (line 1, column 11)");
        Map<String, String> url = env();
        url.put("TRIBUTARY_SOURCES_SALES_URL", "nosuchdb://h/db");
        assertStopsWith(url, "TRIBUTARY_SOURCES_SALES_URL: source sales: no dialect supports URLs starting 'nosuchdb");
    }

    @Test
    @DisplayName("issue 19: an unreachable store names TRIBUTARY_STORE_URL and never prints its password")
    void unreachableStore() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> env = env();
        env.put("TRIBUTARY_STORE_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/nowhere?user=app&password=hunter2x");
        AppProcess.Result r = AppProcess.run(env, "--server.port=0");
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("TRIBUTARY_STORE_URL: cannot connect to the store jdbc:postgresql://127.0.0.1:"
                + closed + "/nowhere as app: ").doesNotContain("hunter2x").doesNotContain("\tat org.springframework");
    }

    @Test
    @DisplayName("issue 19: the JDBC form ?user=...&password=... is accepted for a source and for the store")
    void passwordParametersAreAccepted() throws Exception {
        Map<String, String> env = env();
        String url = db.sourceUrl();
        String user = url.substring("postgresql://".length(), url.indexOf('@'));
        env.put("TRIBUTARY_SOURCES_SALES_URL", "jdbc:postgresql://" + url.substring(url.indexOf('@') + 1)
                + "?user=" + user + "&password=not-needed-with-trust");
        env.put("TRIBUTARY_STORE_URL", db.jdbcUrl().replace("?user=", "?password=unused-secret&user="));
        try (AppProcess.Server server = AppProcess.start(env)) {
            String sources = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.baseUrl() + "/api/sources")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(sources).contains("\"id\":\"sales\"").contains("\"username\":\"" + user + "\"")
                    .doesNotContain("not-needed-with-trust");
        }
    }
}
