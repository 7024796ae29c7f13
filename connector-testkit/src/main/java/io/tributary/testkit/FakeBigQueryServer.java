package io.tributary.testkit;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.jspecify.annotations.Nullable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the BigQuery REST API (v2) on 127.0.0.1, for tests of the real client without Google: it
 * serves the calls google-cloud-bigquery makes for a query job, with the documented JSON shapes:
 * <ul>
 * <li>{@code POST /bigquery/v2/projects/{p}/jobs} (jobs.insert): the job, {@code RUNNING}, with an anonymous
 * destination table;</li>
 * <li>{@code GET /bigquery/v2/projects/{p}/queries/{job}} (jobs.getQueryResults): {@code jobComplete}, the schema
 * and {@code totalRows} (after {@link Result#pendingPolls} incomplete answers);</li>
 * <li>{@code GET /bigquery/v2/projects/{p}/jobs/{job}} (jobs.get): the job, {@code DONE};</li>
 * <li>{@code GET /bigquery/v2/projects/{p}/datasets/{d}/tables/{t}/data} (tabledata.list): at most
 * {@code maxResults} rows from the page token on, with the next {@code pageToken} unless it is the last page;</li>
 * <li>{@code POST /bigquery/v2/projects/{p}/jobs/{job}/cancel} (jobs.cancel); the job's results then fail with
 * {@code stopped};</li>
 * <li>{@code POST /token}: an OAuth access token, for service account keys whose {@code token_uri} points here.</li>
 * </ul>
 * A query's answer is chosen by the first rule whose text occurs in the jobs.insert body; errors answer with
 * BigQuery's error JSON ({@code {"error": {"code", "message", "errors": [{"reason", ...}], "status"}}}). Request
 * bodies may come gzip-compressed, as the client sends them. Every request is recorded.
 */
public final class FakeBigQueryServer implements AutoCloseable {

    /** The token {@code POST /token} hands out. */
    public static final String ACCESS_TOKEN = "fake-access-token-1";

    private static final Pattern PROJECT_PATH = Pattern.compile("/bigquery/v2/projects/([^/]+)/(.*)");

    /** One recorded request; {@code body} decompressed. */
    public record Request(String method, String path, Map<String, String> query, String body, @Nullable String authorization) {
    }

    /** A column of a result's schema; {@code fields} for a RECORD. */
    public record Column(String name, String type, String mode, List<Column> fields) {
        public Column {
            requireNonNull(name, "name must not be null");
            requireNonNull(type, "type must not be null");
            requireNonNull(mode, "mode must not be null");
            fields = List.copyOf(fields);
        }

        public static Column of(String name, String type) {
            return new Column(name, type, "NULLABLE", List.of());
        }

        public static Column repeated(String name, String type) {
            return new Column(name, type, "REPEATED", List.of());
        }

        public static Column record(String name, Column... fields) {
            return new Column(name, "RECORD", "NULLABLE", List.of(fields));
        }
    }

    /** A STRUCT cell: its fields' values in schema order. */
    public record Struct(List<@Nullable Object> values) {
    }

    /**
     * What a query returns. Cells are as the REST API writes them: text ({@code "12.50"}, {@code "1.7E9"} for a
     * TIMESTAMP), {@code null}, a {@link List} for an ARRAY, a {@link Struct} for a STRUCT.
     *
     * @param pendingPolls how many jobs.getQueryResults calls answer {@code jobComplete: false} first
     */
    public record Result(List<Column> schema, List<List<@Nullable Object>> rows, int pendingPolls) {
        public Result {
            schema = List.copyOf(schema);
            rows = List.copyOf(rows);
        }

        public static Result of(List<Column> schema, List<List<@Nullable Object>> rows) {
            return new Result(schema, rows, 0);
        }

        public Result pendingPolls(int polls) {
            return new Result(schema, rows, polls);
        }
    }

    /** A failure of the query: at jobs.insert ({@code atInsert}) or when its results are asked for. */
    public record Failure(int status, String reason, String message, boolean atInsert) {
    }

    private record Rule(String contains, @Nullable Result result, @Nullable Failure failure) {
    }

    private record RunningJob(String project, String id, @Nullable String location, @Nullable Result result,
            @Nullable Failure failure, AtomicInteger polls) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, RunningJob> jobs = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Object arrivals = new Object();

    private FakeBigQueryServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static FakeBigQueryServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-bigquery");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            FakeBigQueryServer fake = new FakeBigQueryServer(server, executor);
            server.createContext("/", fake::handle);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API's root URL, for the client's host setting: {@code http://127.0.0.1:port}. */
    public String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A source URL of the BigQuery dialect pointing here, without credentials: {@code bigquery://project/dataset?host=...}. */
    public String url(String project, String dataset) {
        return "bigquery://" + project + "/" + dataset + "?host=" + host() + "&credentials=none";
    }

    /** Queries whose text contains {@code contains} return {@code result}. Earlier rules win. */
    public FakeBigQueryServer answer(String contains, Result result) {
        rules.add(new Rule(contains, requireNonNull(result, "result must not be null"), null));
        return this;
    }

    /** Queries whose text contains {@code contains} fail. Earlier rules win. */
    public FakeBigQueryServer fail(String contains, Failure failure) {
        rules.add(new Rule(contains, null, requireNonNull(failure, "failure must not be null")));
        return this;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /**
     * Waits until a request of {@code method} whose path matches {@code pathPattern} has arrived.
     *
     * @return whether one arrived within {@code timeout}
     */
    public boolean awaitRequest(String method, String pathPattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            while (requests(method, pathPattern).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
            return true;
        }
    }

    /** The recorded requests of {@code method} whose path matches {@code pathPattern}, e.g. {@code /data$}. */
    public List<Request> requests(String method, String pathPattern) {
        Pattern p = Pattern.compile(pathPattern);
        return requests.stream().filter(r -> r.method().equals(method) && p.matcher(r.path()).find()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the API ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String body = body(exchange);
            requests.add(new Request(method, path, query, body, exchange.getRequestHeaders().getFirst("Authorization")));
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
            if (method.equals("POST") && path.equals("/token")) {
                respond(exchange, 200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
                return;
            }
            Matcher m = PROJECT_PATH.matcher(path);
            if (!m.matches()) {
                error(exchange, 404, "notFound", "Not found: " + path);
                return;
            }
            String project = m.group(1);
            String[] rest = m.group(2).split("/");
            if (method.equals("POST") && rest.length == 1 && rest[0].equals("jobs")) {
                insert(exchange, project, body);
            } else if (method.equals("GET") && rest.length == 2 && rest[0].equals("queries")) {
                queryResults(exchange, job(rest[1]));
            } else if (method.equals("GET") && rest.length == 2 && rest[0].equals("jobs")) {
                respondJob(exchange, job(rest[1]), "DONE");
            } else if (method.equals("POST") && rest.length == 3 && rest[0].equals("jobs") && rest[2].equals("cancel")) {
                RunningJob job = job(rest[1]);
                cancelled.add(job.id());
                respond(exchange, 200, "{\"kind\":\"bigquery#jobCancelResponse\",\"job\":" + jobJson(job, "DONE") + "}");
            } else if (method.equals("GET") && rest.length == 5 && rest[0].equals("datasets") && rest[4].equals("data")) {
                tableData(exchange, jobOfTable(rest[3]), query);
            } else {
                error(exchange, 501, "notImplemented", "the fake BigQuery does not serve " + method + " " + path);
            }
        } catch (NoSuchJob e) {
            error(exchange, 404, "notFound", "Not found: Job " + e.getMessage());
        } catch (RuntimeException e) {
            error(exchange, 500, "internalError", "fake BigQuery: " + e);
        }
    }

    private void insert(HttpExchange exchange, String project, String body) throws IOException {
        String id = field(body, "jobId");
        String location = field(body, "location");
        Rule rule = rules.stream().filter(r -> body.contains(r.contains())).findFirst().orElse(null);
        if (rule == null) {
            error(exchange, 400, "invalidQuery", "the fake BigQuery has no answer for this query");
            return;
        }
        if (rule.failure() != null && rule.failure().atInsert()) {
            error(exchange, rule.failure().status(), rule.failure().reason(), rule.failure().message());
            return;
        }
        RunningJob job = new RunningJob(project, id == null ? "job_" + jobs.size() : id, location, rule.result(),
                rule.failure(), new AtomicInteger());
        jobs.put(job.id(), job);
        respondJob(exchange, job, "RUNNING");
    }

    private void queryResults(HttpExchange exchange, RunningJob job) throws IOException {
        if (cancelled.contains(job.id())) {
            error(exchange, 400, "stopped", "Job execution was cancelled: User requested cancellation");
            return;
        }
        if (job.failure() != null) {
            error(exchange, job.failure().status(), job.failure().reason(), job.failure().message());
            return;
        }
        Result result = requireNonNull(job.result());
        if (job.polls().getAndIncrement() < result.pendingPolls()) {
            respond(exchange, 200, "{\"kind\":\"bigquery#getQueryResultsResponse\",\"jobReference\":"
                    + reference(job) + ",\"jobComplete\":false}");
            return;
        }
        respond(exchange, 200, "{\"kind\":\"bigquery#getQueryResultsResponse\",\"jobReference\":" + reference(job)
                + ",\"jobComplete\":true,\"schema\":{\"fields\":" + fields(result.schema()) + "},\"totalRows\":\""
                + result.rows().size() + "\",\"totalBytesProcessed\":\"0\",\"cacheHit\":false}");
    }

    private void tableData(HttpExchange exchange, RunningJob job, Map<String, String> query) throws IOException {
        Result result = requireNonNull(job.result());
        int start = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken")) : 0;
        int max = query.containsKey("maxResults") ? Integer.parseInt(query.get("maxResults")) : 100_000;
        int end = Math.min(result.rows().size(), start + max);
        StringBuilder json = new StringBuilder("{\"kind\":\"bigquery#tableDataList\",\"etag\":\"fake\",\"totalRows\":\"")
                .append(result.rows().size()).append('"');
        if (end < result.rows().size()) {
            json.append(",\"pageToken\":\"").append(end).append('"');
        }
        json.append(",\"rows\":[");
        for (int i = start; i < end; i++) {
            json.append(i == start ? "" : ",");
            appendRow(json, result.rows().get(i));
        }
        respond(exchange, 200, json.append("]}").toString());
    }

    private void respondJob(HttpExchange exchange, RunningJob job, String state) throws IOException {
        respond(exchange, 200, jobJson(job, state));
    }

    private String jobJson(RunningJob job, String state) {
        return "{\"kind\":\"bigquery#job\",\"id\":\"" + job.project() + ":" + job.id() + "\",\"jobReference\":"
                + reference(job) + ",\"configuration\":{\"jobType\":\"QUERY\",\"query\":{\"query\":\"(fake)\","
                + "\"useLegacySql\":false,\"destinationTable\":{\"projectId\":\"" + job.project()
                + "\",\"datasetId\":\"_fake_anonymous\",\"tableId\":\"anon_" + job.id() + "\"}}},\"status\":{\"state\":\""
                + state + "\"},\"statistics\":{\"creationTime\":\"" + System.currentTimeMillis() + "\"}}";
    }

    private static String reference(RunningJob job) {
        return "{\"projectId\":\"" + job.project() + "\",\"jobId\":\"" + job.id() + "\""
                + (job.location() == null ? "" : ",\"location\":\"" + job.location() + "\"") + "}";
    }

    private RunningJob job(String id) {
        RunningJob job = jobs.get(URLDecoder.decode(id, StandardCharsets.UTF_8));
        if (job == null) {
            throw new NoSuchJob(id);
        }
        return job;
    }

    private RunningJob jobOfTable(String table) {
        return job(table.startsWith("anon_") ? table.substring("anon_".length()) : table);
    }

    // ---- JSON ------------------------------------------------------------------------------------------------

    private static String fields(List<Column> columns) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(c.name())).append(",\"type\":")
                    .append(quote(c.type())).append(",\"mode\":").append(quote(c.mode()));
            if (!c.fields().isEmpty()) {
                json.append(",\"fields\":").append(fields(c.fields()));
            }
            json.append('}');
        }
        return json.append(']').toString();
    }

    private static void appendRow(StringBuilder json, List<@Nullable Object> cells) {
        json.append("{\"f\":[");
        for (int i = 0; i < cells.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"v\":");
            appendCell(json, cells.get(i));
            json.append('}');
        }
        json.append("]}");
    }

    private static void appendCell(StringBuilder json, @Nullable Object cell) {
        if (cell == null) {
            json.append("null");
        } else if (cell instanceof Struct struct) {
            appendRow(json, struct.values());
        } else if (cell instanceof List<?> items) {
            json.append('[');
            for (int i = 0; i < items.size(); i++) {
                json.append(i == 0 ? "" : ",").append("{\"v\":");
                appendCell(json, items.get(i));
                json.append('}');
            }
            json.append(']');
        } else {
            json.append(quote(cell.toString()));
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder();
        io.tributary.core.mapping.FieldValues.appendString(out, s);
        return out.toString();
    }

    /** The first {@code "name":"value"} of a JSON text: enough for the ids the client sends. */
    private static @Nullable String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String body(HttpExchange exchange) throws IOException {
        byte[] raw = exchange.getRequestBody().readAllBytes();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip") && raw.length > 0) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                raw = in.readAllBytes();
            }
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static void error(HttpExchange exchange, int status, String reason, String message) throws IOException {
        respond(exchange, status, "{\"error\":{\"code\":" + status + ",\"message\":" + quote(message)
                + ",\"errors\":[{\"message\":" + quote(message) + ",\"domain\":\"global\",\"reason\":" + quote(reason)
                + "}],\"status\":\"" + (status == 400 ? "INVALID_ARGUMENT" : status == 403 ? "PERMISSION_DENIED"
                        : status == 404 ? "NOT_FOUND" : "INTERNAL") + "\"}}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static final class NoSuchJob extends RuntimeException {
        NoSuchJob(String id) {
            super(id, null, false, false);
        }
    }
}
