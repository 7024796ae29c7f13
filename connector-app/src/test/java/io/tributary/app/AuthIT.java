package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.tributary.app.support.RunningApp;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** With TRIBUTARY_API_TOKEN set, the API and metrics need the bearer token; health stays open. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {

    private static final String TOKEN = "3f6c1e0b9a8d7c6b5a4f3e2d1c0b9a8d";

    @TempDir
    static Path data;
    private RunningApp app;
    private WebTestClient client;

    @BeforeAll
    void start() {
        // the demo source on the embedded store; listening on loopback only although a token would allow 0.0.0.0
        app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString(), "TRIBUTARY_API_TOKEN", TOKEN,
                "TRIBUTARY_BIND_ADDRESS", "127.0.0.1"));
        // a new connection per request: a 401 closes its connection, and a pooled one the client had not yet seen
        // closed hung a later request under load; keep-alive behaviour is not what this test is about
        client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl(app.baseUrl()).responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @DisplayName("calls without the token, or with a wrong one, get 401; with it they work")
    void tokenIsRequired() {
        for (String path : new String[] {"/api/sources", "/api/sources/demo/runs", "/api/imports", "/api/events",
            "/actuator/prometheus", "/actuator/metrics", "/actuator/info"}) {
            client.get().uri(path).exchange().expectStatus().isUnauthorized()
                    .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"tributary\"")
                    .expectHeader().valueEquals("Connection", "close")
                    .expectBody().jsonPath("$.message").isEqualTo("this endpoint needs the header 'Authorization: Bearer "
                            + "<token>' with the token in TRIBUTARY_API_TOKEN");
            client.get().uri(path).header("Authorization", "Bearer " + TOKEN.substring(1) + "x").exchange()
                    .expectStatus().isUnauthorized().expectBody().jsonPath("$.message").isEqualTo("the bearer token is not valid");
        }
        client.get().uri("/api/sources").header("Authorization", "Basic " + TOKEN).exchange().expectStatus().isUnauthorized();
        client.post().uri("/api/sources/demo/run").exchange().expectStatus().isUnauthorized();
        client.post().uri("/api/sources/demo/test-query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\":\"2024-01-01\",\"to\":\"2024-01-02\"}").exchange().expectStatus().isUnauthorized();

        client.get().uri("/api/sources").header("Authorization", "Bearer " + TOKEN).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[0].id").isEqualTo("demo");
        client.get().uri("/api/sources").header("Authorization", "bearer " + TOKEN).exchange().expectStatus().isOk();
        client.post().uri("/api/sources/demo/run").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("succeeded");
        String metrics = client.get().uri("/actuator/prometheus").header("Authorization", "Bearer " + TOKEN).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("tributary_runs_active");
    }

    @Test
    @DisplayName("health and its probes stay open for load balancers and orchestrators")
    void healthIsOpen() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health").header("Authorization", "Bearer stale-token-from-an-old-probe").exchange()
                .expectStatus().isOk();
    }
}
