package io.tributary.app.plecto;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plecto's registrations API for one account: post up to {@value #MAX_ITEMS} registrations, find registrations by
 * {@code external_id}, delete one by its id. Every request takes a slot of the account's {@link RequestBudget}
 * first. 5xx, 408, timeouts and refused connections are retried {@value #MAX_RETRIES} times, with a backoff from
 * {@link #FIRST_BACKOFF} doubling to {@link #MAX_BACKOFF} with jitter; a 429 is retried after its {@code Retry-After}
 * (which holds every request of the account, through the budget) up to {@value #MAX_THROTTLED} times, or like a 5xx
 * without one;
 * 401/403 and other refusals fail with {@link ConnectorException.Permanent}, so the source pauses. Longer than most
 * classes because each request's answers (2xx, 400 per item, 401/403, 429, 5xx, timeouts) are handled where the
 * request is made, so the whole contract with the API reads in one place.
 */
final class PlectoClient {

    private static final Logger log = LoggerFactory.getLogger(PlectoClient.class);

    static final int MAX_ITEMS = 100;
    static final int MAX_RETRIES = 10;
    /** 429 answers with Retry-After waited out for one request before the run fails (and is retried later). */
    static final int MAX_THROTTLED = 100;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient web;
    private final URI baseUrl;
    private final String username;
    private final Secret password;
    private final RequestBudget budget;
    private final Duration timeout;
    private final Scheduler scheduler;
    private final RequestCounts counts = new RequestCounts();

    PlectoClient(WebClient.Builder builder, URI baseUrl, String username, Secret password, RequestBudget budget,
            Duration timeout, Scheduler scheduler) {
        this.baseUrl = baseUrl;
        this.username = username;
        this.password = password;
        this.budget = budget;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.web = builder.defaultHeaders(h -> h.setBasicAuth(username, password.reveal())).build();
    }

    RequestBudget budget() {
        return budget;
    }

    RequestCounts counts() {
        return counts;
    }

    /** What Plecto answered to a post: all accepted, or (400) one error per item, {@code null} for a valid one. */
    record PostAnswer(@Nullable List<@Nullable String> itemErrors) {
        boolean accepted() {
            return itemErrors == null;
        }
    }

    /** Posts items (JSON objects) as one array; Plecto saves all of them or, on a 400, none. */
    Mono<PostAnswer> post(String sourceId, List<String> items) {
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("1 to " + MAX_ITEMS + " items required but there were " + items.size());
        }
        String body = "[" + String.join(",", items) + "]";
        URI uri = baseUrl.resolve("registrations/");
        return send("POST registrations/", sourceId, () -> web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchangeToMono(response -> {
                    HttpStatusCode status = response.statusCode();
                    if (status.is2xxSuccessful()) {
                        return response.releaseBody().thenReturn(new PostAnswer(null));
                    }
                    if (status.value() == 400) {
                        return response.bodyToMono(String.class).defaultIfEmpty("")
                                .flatMap(text -> itemErrors(text, items.size()));
                    }
                    return refused(response, "POST registrations/");
                }));
    }

    /** The ids of the registrations of {@code dataSource} whose {@code external_id} is {@code externalId}. */
    Mono<List<String>> find(String sourceId, String dataSource, String externalId) {
        URI uri = UriComponentsBuilder.fromUri(baseUrl.resolve("registrations/")).queryParam("data_source", dataSource)
                .queryParam("external_id", externalId).encode().build().toUri();
        return send("GET registrations/", sourceId, () -> web.get().uri(uri).accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(String.class).defaultIfEmpty("[]").map(text -> ids(text, externalId))
                        : refused(response, "GET registrations/")));
    }

    /** Deletes one registration; one that is already gone (404) counts as deleted. */
    Mono<Boolean> delete(String sourceId, String dataSource, String id) {
        URI uri = baseUrl.resolve("registrations/" + UriUtils.encodePathSegment(dataSource, StandardCharsets.UTF_8) + "/"
                + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8) + "/");
        return send("DELETE registrations/", sourceId, () -> web.delete().uri(uri).exchangeToMono(response -> {
            if (response.statusCode().is2xxSuccessful()) {
                return response.releaseBody().thenReturn(true);
            }
            if (response.statusCode().value() == 404) {
                return response.releaseBody().thenReturn(false);
            }
            return refused(response, "DELETE registrations/");
        }));
    }

    /** One request with its budget slot, timeout and retries. */
    private <T> Mono<T> send(String what, String sourceId, Supplier<Mono<T>> request) {
        return Mono.defer(() -> {
            // failures without Retry-After count toward MAX_RETRIES; a 429 with one is waited out, up to MAX_THROTTLED
            AtomicLong failures = new AtomicLong();
            AtomicLong throttles = new AtomicLong();
            // the timeout counts from the request, not from the wait for its budget slot
            return Mono.defer(() -> budget.acquire(sourceId).then(Mono.defer(request).timeout(timeout, scheduler)))
                    .doOnNext(ok -> counts.ok.incrementAndGet())
                    .onErrorMap(e -> classify(what, e))
                    .retryWhen(Retry.from(signals -> signals.concatMap(signal -> {
                        Throwable failure = signal.failure();
                        if (!(failure instanceof Retryable retryable)) {
                            return Mono.error(failure);
                        }
                        Duration delay;
                        if (retryable.retryAfter != null && throttles.incrementAndGet() <= MAX_THROTTLED) {
                            // the budget holds the account's requests until the Retry-After has passed (holdFor):
                            // the retry waits there, where the wait is counted, shown and told as a plecto-wait event
                            delay = Duration.ZERO;
                        } else if (failures.incrementAndGet() <= MAX_RETRIES) {
                            delay = backoff(failures.get() - 1);
                        } else {
                            return Mono.error(new ConnectorException.Transient("Plecto did not take " + what + " after "
                                    + (signal.totalRetries() + 1) + " tries; the run is retried later: "
                                    + retryable.getMessage(), failure));
                        }
                        log.info("Plecto: {} failed ({}); try {} in {} ms", what, retryable.getMessage(),
                                signal.totalRetries() + 2, delay.toMillis());
                        return Mono.delay(delay, scheduler);
                    })));
        });
    }

    private Duration backoff(long retries) {
        long base = FIRST_BACKOFF.toMillis() << Math.min(retries, 16);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        // jitter of up to a quarter, so that sources that failed together do not retry together
        long jitter = (long) (capped * 0.25 * Math.random());
        return Duration.ofMillis(capped - jitter);
    }

    private Throwable classify(String what, Throwable e) {
        if (e instanceof Retryable || e instanceof ConnectorException) {
            return e;
        }
        if (e instanceof TimeoutException) {
            counts.timeouts.incrementAndGet();
            return new Retryable("no answer within " + timeout + " (TRIBUTARY_PLECTO_TIMEOUT)", null, e);
        }
        if (e instanceof WebClientRequestException request) {
            counts.failed.incrementAndGet();
            return new Retryable("cannot reach " + baseUrl.getHost() + ": " + password.redact(String.valueOf(request.getMostSpecificCause().getMessage())), null, e);
        }
        return e;
    }

    private <T> Mono<T> refused(ClientResponse response, String what) {
        int status = response.statusCode().value();
        return response.bodyToMono(String.class).defaultIfEmpty("").flatMap(body -> {
            String detail = password.redact(shorten(body));
            if (status == 429) {
                counts.throttled.incrementAndGet();
                Duration after = retryAfter(response.headers().header("Retry-After"));
                if (after != null) {
                    budget.holdFor(after);
                }
                return Mono.error(new Retryable("HTTP 429 Too Many Requests"
                        + (after == null ? "" : ", Retry-After " + after.toSeconds() + " s"), after, null));
            }
            if (status >= 500 || status == 408) {
                counts.failed.incrementAndGet();
                return Mono.error(new Retryable("HTTP " + status + (detail.isEmpty() ? "" : ": " + detail), null, null));
            }
            counts.refused.incrementAndGet();
            if (status == 401 || status == 403) {
                return Mono.error(new ConnectorException.Permanent("Plecto refused the account '" + username + "' at "
                        + baseUrl + " (HTTP " + status + (detail.isEmpty() ? "" : ": " + detail) + "): check "
                        + "TRIBUTARY_PLECTO_USERNAME and TRIBUTARY_PLECTO_PASSWORD, and that the user may use the "
                        + "registrations API"));
            }
            return Mono.error(new ConnectorException.Permanent("Plecto refused " + what + " (HTTP " + status
                    + (detail.isEmpty() ? "" : ": " + detail) + ")" + (status == 404
                            ? "; check TRIBUTARY_PLECTO_URL and the source's PLECTO_DATA_SOURCE" : "")));
        });
    }

    /** A 400's body: Plecto's list of one error object per item ({@code {}} for a valid one), in request order. */
    private Mono<PostAnswer> itemErrors(String body, int items) {
        JsonNode answer = null;
        try {
            answer = JSON.readTree(body);
        } catch (JacksonException e) {
            // not a list of item errors: the whole request was refused, below
        }
        if (answer == null || !answer.isArray() || answer.size() != items) {
            counts.refused.incrementAndGet();
            return Mono.error(new ConnectorException.Permanent("Plecto refused the registrations (HTTP 400: "
                    + password.redact(shorten(body)) + ")"));
        }
        List<@Nullable String> errors = new ArrayList<>(items);
        for (JsonNode item : answer) {
            errors.add(item.isEmpty() ? null : message(item));
        }
        return Mono.just(new PostAnswer(errors));
    }

    /** {@code {"date": ["Enter a valid date."]}} as {@code date: Enter a valid date.} */
    private static String message(JsonNode item) {
        if (!item.isObject()) {
            return item.asString();
        }
        List<String> parts = new ArrayList<>();
        item.properties().forEach(e -> {
            JsonNode v = e.getValue();
            List<String> texts = new ArrayList<>();
            if (v.isArray()) {
                v.forEach(t -> texts.add(t.isString() ? t.asString() : t.toString()));
            } else {
                texts.add(v.isString() ? v.asString() : v.toString());
            }
            parts.add(e.getKey() + ": " + String.join(" ", texts));
        });
        return String.join("; ", parts);
    }

    private static List<String> ids(String body, String externalId) {
        JsonNode answer = JSON.readTree(body);
        JsonNode list = answer.isArray() ? answer : answer.path("results");
        List<String> ids = new ArrayList<>();
        // a server that ignores the external_id filter still answers right: the list is filtered here too
        for (JsonNode r : list) {
            JsonNode id = r.has("uuid") ? r.get("uuid") : r.get("id");
            if (id != null && externalId.equals(r.path("external_id").asString(null))) {
                ids.add(id.asString());
            }
        }
        return ids;
    }

    static @Nullable Duration retryAfter(@Nullable List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String v = values.get(0).strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static String shorten(String body) {
        String b = body.strip().replaceAll("\\s+", " ");
        return b.length() <= 300 ? b : b.substring(0, 297) + "...";
    }

    /** A failure worth another try, after {@code retryAfter} at the earliest. */
    static final class Retryable extends RuntimeException {
        final transient @Nullable Duration retryAfter;

        Retryable(String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
            super(message, cause, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** Requests by outcome since start: what the API and the metrics show. */
    static final class RequestCounts {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
    }
}
