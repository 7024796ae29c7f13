package io.tributary.app.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.tributary.app.TributaryApplication;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The real application in this JVM on a random port, configured with {@code TRIBUTARY_*} settings exactly as the
 * environment variables are named (Spring reads command-line arguments and the environment the same way).
 */
public final class RunningApp implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final WebTestClient client;
    private final LoopResources loops;
    private final ConnectionProvider connections;

    private RunningApp(ConfigurableApplicationContext context) {
        this.context = context;
        String port = context.getEnvironment().getProperty("local.server.port");
        // the client's own event loop and pool: Reactor Netty's global ones are disposed when an earlier app in this
        // JVM shuts down, which twice left a request of the next test class unsent for 60 s
        this.loops = LoopResources.create("test-client-" + port, 1, true);
        this.connections = ConnectionProvider.create("test-client-" + port);
        this.client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(connections).runOn(loops)))
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }

    public static RunningApp start(Map<String, String> variables) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        variables.forEach((k, v) -> args.add("--" + k + "=" + v));
        return new RunningApp(new SpringApplicationBuilder(TributaryApplication.class).run(args.toArray(String[]::new)));
    }

    public WebTestClient client() {
        return client;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
        connections.dispose();
        loops.dispose();
    }
}
