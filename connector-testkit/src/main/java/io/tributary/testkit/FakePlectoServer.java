package io.tributary.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local stand-in for Plecto's registrations API (v2) on 127.0.0.1, enforcing what Plecto documents:
 * <ul>
 * <li>HTTP basic authentication with one account: anything else is a 401;</li>
 * <li>{@code POST /api/v2/registrations/}: a JSON array of 1 to 100 registrations (more is a 400), each with
 * {@code data_source}, {@code member_api_provider}, {@code member_api_id} and an ISO-8601 {@code date}; a registration
 * with the {@code external_id} of an earlier one of its data source overwrites it (keeping its id). As Django REST
 * Framework does, an array with an invalid item saves nothing and answers 400 with one error object per item, in
 * order, {@code {}} for the valid ones; otherwise 201 with the saved registrations;</li>
 * <li>{@code GET /api/v2/registrations/?data_source=..&external_id=..}: the matching registrations;</li>
 * <li>{@code DELETE /api/v2/registrations/<data_source>/<id>/}: 204, or 404 when there is none;</li>
 * <li>a request budget of every request to {@code /registrations} (Plecto: 3,600 an hour, here configurable): past
 * it, 429 with {@code Retry-After} in seconds, counted in {@link #budgetRefusals()}.</li>
 * </ul>
 * Failures can be injected: the next requests answering a status ({@link #failNext}), a share of posts failing at
 * random ({@link #failRandomly}: half 500s that save nothing, half saved and then answered too late for the client,
 * as a timeout looks from outside), slow answers, and per-item 400s for chosen external ids. Every request is
 * recorded.
 */
public final class FakePlectoServer implements AutoCloseable {

    public static final int MAX_ITEMS = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One recorded request.
     *
     * @param items  the number of registrations a POST held (0 for other requests)
     * @param status the status it was answered with
     * @param at     when it arrived, in milliseconds since the epoch
     */
    public record Request(String method, String path, String query, int items, int status, long at) {
    }

    /** A registration as stored: its id and the JSON object last posted for it. */
    public record Stored(String id, JsonNode json) {
        public String field(String name) {
            JsonNode v = json.get(name);
            return v == null || v.isNull() ? null : v.isString() ? v.asString() : v.toString();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String authorization;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    /** By data source and external id. */
    private final Map<String, Stored> registrations = new ConcurrentHashMap<>();
    private final Map<String, String> itemErrors = new ConcurrentHashMap<>();
    private final ArrayDeque<Long> window = new ArrayDeque<>();
    private final AtomicInteger budgetRefusals = new AtomicInteger();
    private final AtomicInteger overLimit = new AtomicInteger();
    private final AtomicInteger savedThenLate = new AtomicInteger();
    private final AtomicInteger failedAtRandom = new AtomicInteger();
    private volatile int budget = 3600;
    private volatile Duration budgetPeriod = Duration.ofHours(1);
    private volatile int failNext;
    private volatile int failStatus;
    private volatile @Nullable Duration failRetryAfter;
    private volatile double failShare;
    private volatile Duration lateBy = Duration.ZERO;
    private volatile Duration slowBy = Duration.ZERO;
    private final Random random = new Random(1);

    private FakePlectoServer(HttpServer server, ExecutorService executor, String username, String password) {
        this.server = server;
        this.executor = executor;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Listens on a free port of 127.0.0.1 and takes requests of the account {@code username}/{@code password}. */
    public static FakePlectoServer start(String username, String password) {
        requireNonNull(username, "username must not be null");
        requireNonNull(password, "password must not be null");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-plecto");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            FakePlectoServer fake = new FakePlectoServer(server, executor, username, password);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API's base URL, for {@code TRIBUTARY_PLECTO_URL}: {@code http://127.0.0.1:port/api/v2/}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/";
    }

    /** At most {@code requests} requests to {@code /registrations} per {@code period} (a sliding window). */
    public synchronized FakePlectoServer budget(int requests, Duration period) {
        if (requests < 1) {
            throw new IllegalArgumentException("requests >= 1 required but it was " + requests);
        }
        this.budget = requests;
        this.budgetPeriod = requireNonNull(period, "period must not be null");
        window.clear();
        return this;
    }

    /** The next {@code n} requests answer {@code status} and do nothing; a 429 carries {@code retryAfter}. */
    public FakePlectoServer failNext(int n, int status, @Nullable Duration retryAfter) {
        this.failStatus = status;
        this.failRetryAfter = retryAfter;
        this.failNext = n;
        return this;
    }

    /**
     * A {@code share} of posts fails: half of them answer 500 and save nothing, the other half save and answer only
     * after {@code lateBy} (longer than the client's timeout, so the client sees a timeout and sends them again).
     */
    public FakePlectoServer failRandomly(double share, Duration lateBy) {
        this.failShare = share;
        this.lateBy = requireNonNull(lateBy, "lateBy must not be null");
        return this;
    }

    /** Every answer waits {@code delay} first. */
    public FakePlectoServer slowAnswers(Duration delay) {
        this.slowBy = requireNonNull(delay, "delay must not be null");
        return this;
    }

    /** A posted registration with this external id is invalid: a 400 with {@code {field: [message]}} for it. */
    public FakePlectoServer rejectItem(String externalId, String field, String message) {
        itemErrors.put(externalId, "{" + JSON.writeValueAsString(field) + ":[" + JSON.writeValueAsString(message) + "]}");
        return this;
    }

    /** Ends every injected failure. */
    public FakePlectoServer healthy() {
        failNext = 0;
        failShare = 0;
        slowBy = Duration.ZERO;
        itemErrors.clear();
        return this;
    }

    /** The registrations held, by {@code data_source + "/" + external_id}. */
    public Map<String, Stored> registrations() {
        return new LinkedHashMap<>(registrations);
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** Forgets the recorded requests (not the registrations). */
    public void clearRequests() {
        requests.clear();
    }

    /** Requests answered 429 because the budget was spent (not the injected ones). */
    public int budgetRefusals() {
        return budgetRefusals.get();
    }

    /** Posts refused for holding more than {@value #MAX_ITEMS} registrations. */
    public int overLimit() {
        return overLimit.get();
    }

    /** Posts that failed at random: answered 500, or saved and answered late. */
    public int failedAtRandom() {
        return failedAtRandom.get() + savedThenLate.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the API ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long at = System.currentTimeMillis();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer answer = answer(exchange, method, path, query, body);
            sleep(slowBy);
            if (answer.late) {
                sleep(lateBy);
            }
            requests.add(new Request(method, path, query, answer.items, answer.status, at));
            if (answer.retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", answer.retryAfter);
            }
            if (answer.status == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"api\"");
            }
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, answer.status == 204 ? -1 : bytes.length);
            if (answer.status != 204) {
                exchange.getResponseBody().write(bytes);
            }
        } catch (IOException e) {
            // the client gave up (a timeout): nothing to answer
        }
    }

    private record Answer(int status, String body, int items, @Nullable String retryAfter, boolean late) {
        static Answer of(int status, String body) {
            return new Answer(status, body, 0, null, false);
        }
    }

    private Answer answer(HttpExchange exchange, String method, String path, String query, String body) {
        if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return Answer.of(401, "{\"detail\":\"Invalid username/password.\"}");
        }
        if (!path.startsWith("/api/v2/registrations/")) {
            return Answer.of(404, "{\"detail\":\"Not found.\"}");
        }
        Answer refused = spend();
        if (refused != null) {
            return refused;
        }
        if (failNext > 0) {
            synchronized (this) {
                if (failNext > 0) {
                    failNext--;
                    Duration after = failRetryAfter;
                    return new Answer(failStatus, "{\"detail\":\"injected failure\"}", 0,
                            after == null ? null : Long.toString(after.toSeconds()), false);
                }
            }
        }
        return switch (method) {
            case "POST" -> post(path, body);
            case "GET" -> find(path, query);
            case "DELETE" -> delete(path);
            default -> Answer.of(405, "{\"detail\":\"Method \\\"" + method + "\\\" not allowed.\"}");
        };
    }

    /** Takes a request from the budget, or answers 429 with the seconds until one is free. */
    private synchronized @Nullable Answer spend() {
        long now = System.currentTimeMillis();
        long period = budgetPeriod.toMillis();
        while (!window.isEmpty() && window.peekFirst() <= now - period) {
            window.removeFirst();
        }
        if (window.size() >= budget) {
            budgetRefusals.incrementAndGet();
            long seconds = Math.max(1, (window.peekFirst() + period - now + 999) / 1000);
            return new Answer(429, "{\"detail\":\"Request was throttled. Expected available in " + seconds + " seconds.\"}",
                    0, Long.toString(seconds), false);
        }
        window.addLast(now);
        return null;
    }

    private Answer post(String path, String body) {
        if (!path.equals("/api/v2/registrations/")) {
            return Answer.of(404, "{\"detail\":\"Not found.\"}");
        }
        JsonNode items;
        try {
            items = JSON.readTree(body);
        } catch (JacksonException e) {
            return Answer.of(400, "{\"detail\":\"JSON parse error\"}");
        }
        if (items.isObject()) {
            items = JSON.createArrayNode().add(items);
        }
        if (!items.isArray() || items.isEmpty()) {
            return Answer.of(400, "{\"detail\":\"Expected a list of registrations.\"}");
        }
        if (items.size() > MAX_ITEMS) {
            overLimit.incrementAndGet();
            return new Answer(400, "{\"detail\":\"At most " + MAX_ITEMS + " registrations per request.\"}", items.size(), null, false);
        }
        ArrayNode errors = JSON.createArrayNode();
        boolean invalid = false;
        for (JsonNode item : items) {
            String error = validate(item);
            invalid |= error != null;
            errors.add(error == null ? JSON.createObjectNode() : JSON.readTree(error));
        }
        if (invalid) {
            return new Answer(400, errors.toString(), items.size(), null, false);
        }
        boolean fail;
        boolean late;
        synchronized (random) {
            fail = failShare > 0 && random.nextDouble() < failShare;
            late = fail && random.nextBoolean();
        }
        if (fail && !late) {
            failedAtRandom.incrementAndGet();
            return new Answer(500, "{\"detail\":\"A server error occurred.\"}", items.size(), null, false);
        }
        ArrayNode saved = JSON.createArrayNode();
        for (JsonNode item : items) {
            String externalId = item.path("external_id").asString(null);
            String key = item.get("data_source").asString() + "/" + (externalId == null ? UUID.randomUUID() : externalId);
            Stored stored = registrations.compute(key, (k, before) ->
                    new Stored(before == null ? UUID.randomUUID().toString() : before.id(), item));
            ObjectNode out = ((ObjectNode) item.deepCopy()).put("id", stored.id());
            saved.add(out);
        }
        if (late) {
            savedThenLate.incrementAndGet();
        }
        return new Answer(201, saved.toString(), items.size(), null, late);
    }

    /** Plecto's checks of one registration, as a DRF error object, or {@code null} when it is valid. */
    private @Nullable String validate(JsonNode item) {
        if (!item.isObject()) {
            return "{\"non_field_errors\":[\"Invalid data. Expected a dictionary.\"]}";
        }
        Map<String, String> errors = new LinkedHashMap<>();
        for (String field : List.of("data_source", "member_api_provider", "member_api_id", "date")) {
            JsonNode v = item.get(field);
            if (v == null || v.isNull() || !v.isString() || v.asString().isBlank()) {
                errors.put(field, "This field is required.");
            }
        }
        if (!errors.containsKey("date")) {
            try {
                OffsetDateTime.parse(item.get("date").asString());
            } catch (DateTimeParseException e) {
                errors.put("date", "Datetime has wrong format.");
            }
        }
        JsonNode externalId = item.get("external_id");
        if (externalId != null && !externalId.isString()) {
            errors.put("external_id", "Not a valid string.");
        }
        if (externalId != null && itemErrors.containsKey(externalId.asString())) {
            return itemErrors.get(externalId.asString());
        }
        if (errors.isEmpty()) {
            return null;
        }
        ObjectNode node = JSON.createObjectNode();
        errors.forEach((k, v) -> node.putArray(k).add(v));
        return node.toString();
    }

    private Answer find(String path, String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : query.split("&")) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                params.put(decode(p.substring(0, eq)), decode(p.substring(eq + 1)));
            }
        }
        String dataSource = params.get("data_source");
        if (!path.equals("/api/v2/registrations/") || dataSource == null) {
            return Answer.of(400, "{\"detail\":\"data_source is required.\"}");
        }
        String externalId = params.get("external_id");
        ArrayNode found = JSON.createArrayNode();
        registrations.forEach((key, stored) -> {
            if (key.startsWith(dataSource + "/") && (externalId == null || externalId.equals(stored.field("external_id")))) {
                found.add(((ObjectNode) stored.json().deepCopy()).put("id", stored.id()));
            }
        });
        return Answer.of(200, found.toString());
    }

    private Answer delete(String path) {
        String[] parts = path.substring("/api/v2/registrations/".length()).split("/");
        if (parts.length != 2) {
            return Answer.of(404, "{\"detail\":\"Not found.\"}");
        }
        String dataSource = decode(parts[0]);
        String id = decode(parts[1]);
        for (Map.Entry<String, Stored> e : registrations.entrySet()) {
            if (e.getKey().startsWith(dataSource + "/") && e.getValue().id().equals(id)) {
                registrations.remove(e.getKey());
                return Answer.of(204, "");
            }
        }
        return Answer.of(404, "{\"detail\":\"Not found.\"}");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                TimeUnit.MILLISECONDS.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
