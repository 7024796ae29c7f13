package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.app.support.AppProcess;
import io.tributary.app.support.PasswordAskingServer;
import io.tributary.app.support.TestDatabase;

/**
 * Passwords and the API token never appear in what the packaged app prints or serves. The local PostgreSQL trusts
 * 127.0.0.1 (pg_hba.conf has no password rule, and its configuration is not ours to change), so the failing secret
 * takes three other routes: a source on a stand-in server that asks for the password in clear text and echoes it in
 * its refusal, a source whose URL carries {@code ?password=} and points at a closed port, and the store's password.
 */
class SecretsIT {

    private static final String SOURCE_PASSWORD = "Src-Pw-7d1e9c3a";
    private static final String URL_PASSWORD = "Url-Pw-4b8f2a6e";
    private static final String STORE_PASSWORD = "Store-Pw-9a3c5e7f";
    private static final String TOKEN = "Api-Token-5f0e1d2c3b4a69788796";

    @Test
    @DisplayName("passwords and the token appear nowhere in the logs, /api/sources, /api/sources/{id}/runs, /api/events or /actuator/*")
    void secretsNeverLeak() throws Exception {
        TestDatabase db = TestDatabase.fresh("tributary_ops_secrets");
        try (PasswordAskingServer server = new PasswordAskingServer()) {
            Map<String, String> env = new HashMap<>();
            env.put("TRIBUTARY_STORE_URL", "postgresql://postgres:" + STORE_PASSWORD + "@127.0.0.1:5432/tributary_ops_secrets");
            env.put("TRIBUTARY_API_TOKEN", TOKEN);
            env.put("TRIBUTARY_BIND_ADDRESS", "127.0.0.1");
            env.put("TRIBUTARY_SOURCES_CRM_URL", "postgresql://reader@127.0.0.1:" + server.port() + "/crm?sslMode=disable");
            env.put("TRIBUTARY_SOURCES_CRM_PASSWORD", SOURCE_PASSWORD);
            env.put("TRIBUTARY_SOURCES_CRM_STATEMENT", "SELECT * FROM sales WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }}");
            env.put("TRIBUTARY_SOURCES_CRM_UPDATE_FREQUENCY", "1h");
            env.put("TRIBUTARY_SOURCES_SHOP_URL", "postgresql://reader@127.0.0.1:1/shop?password=" + URL_PASSWORD);
            env.put("TRIBUTARY_SOURCES_SHOP_STATEMENT", "SELECT * FROM sales WHERE d >= {{ last_update_time }} AND d < {{ upper_date_limit }}");
            env.put("TRIBUTARY_SOURCES_SHOP_UPDATE_FREQUENCY", "1h");

            List<String> served = new ArrayList<>();
            String output;
            try (AppProcess.Server app = AppProcess.start(env)) {
                HttpClient http = HttpClient.newHttpClient();
                String crmRun = send(http, request(app, "/api/sources/crm/run").POST(HttpRequest.BodyPublishers.noBody()), 200, served);
                assertThat(crmRun).as("the source really was refused on its password")
                        .contains("password authentication failed for user").contains("******");
                assertThat(server.passwordsReceived()).contains(SOURCE_PASSWORD);
                String shopRun = send(http, request(app, "/api/sources/shop/run").POST(HttpRequest.BodyPublishers.noBody()), 200, served);
                assertThat(shopRun).contains("\"status\":\"failed\"");
                send(http, request(app, "/api/sources/crm/test-query").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"2024-01-01\",\"to\":\"2024-01-02\"}")), 200, served);
                String sources = send(http, request(app, "/api/sources"), 200, served);
                assertThat(sources).contains("\"url\":\"postgresql://reader@127.0.0.1:1/shop\"");
                send(http, request(app, "/api/sources/crm/runs"), 200, served);
                send(http, request(app, "/api/sources/shop/runs"), 200, served);
                send(http, request(app, "/actuator/health"), 200, served);
                send(http, request(app, "/actuator/prometheus"), 200, served);
                send(http, request(app, "/actuator/metrics"), 200, served);
                send(http, request(app, "/actuator/info"), 200, served);
                send(http, HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/sources")).timeout(Duration.ofSeconds(60)),
                        401, served);
                send(http, HttpRequest.newBuilder(URI.create(app.baseUrl() + "/api/sources")).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + TOKEN + "x"), 401, served);
                served.add(eventsFor(http, app));
                app.close();
                output = app.output();
            }
            assertThat(output).contains("Tributary is importing 2 source(s)");
            assertThat(String.join("\n", served)).contains("run-failed");
            for (String secret : List.of(SOURCE_PASSWORD, URL_PASSWORD, STORE_PASSWORD, TOKEN)) {
                assertThat(output).as("the app's output").doesNotContain(secret);
                assertThat(served).as("what the app served").noneMatch(body -> body.contains(secret));
            }
        }
    }

    /** The event stream until a run failed (at most 20 s), with a run in the middle, as text. */
    private static String eventsFor(HttpClient http, AppProcess.Server app) throws Exception {
        StringBuilder received = new StringBuilder();
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
        HttpResponse<java.util.stream.Stream<String>> r = http.send(request(app, "/api/events").build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> r.body().forEach(line -> {
            synchronized (received) {
                received.append(line).append('\n');
            }
            if (line.startsWith("event:run-failed")) {
                failed.countDown();
            }
        }));
        reader.setDaemon(true);
        reader.start();
        http.send(request(app, "/api/sources/crm/run").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        // the assertions on what was received say what is missing if it never came
        failed.await(20, java.util.concurrent.TimeUnit.SECONDS);
        synchronized (received) {
            return received.toString();
        }
    }

    private static HttpRequest.Builder request(AppProcess.Server app, String path) {
        return HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(60));
    }

    private static String send(HttpClient http, HttpRequest.Builder request, int status, List<String> served) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String all = r.headers().map() + "\n" + r.body();
        served.add(all);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return r.body();
    }
}
