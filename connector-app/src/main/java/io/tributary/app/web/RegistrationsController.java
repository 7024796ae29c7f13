package io.tributary.app.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.tributary.app.store.JdbcRegistrations;
import io.tributary.app.store.JdbcRegistrations.Cursor;
import io.tributary.app.store.JdbcRegistrations.StoredRegistration;
import io.tributary.core.SourcePipeline;
import io.tributary.core.Tributary;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * What was imported, read from the store: {@code GET /api/sources/{id}/registrations} pages through one source's
 * registrations in {@code (date, reference)} order with a cursor ({@code after}), within an optional date range, or
 * finds one by {@code reference}; {@code .csv} (or {@code Accept: text/csv}) exports the same rows as CSV, streamed.
 */
@RestController
class RegistrationsController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;
    /** Rows read from the store per query while a CSV export streams. */
    static final int CSV_PAGE = 1_000;
    static final String CSV_HEADER = "reference,member_id_source,member_id,member_name,team_name,date,deleted,first_seen,"
            + "updated_at,last_run_id,fields\r\n";

    private final Tributary tributary;
    private final JdbcRegistrations registrations;
    private final Scheduler storeScheduler;

    RegistrationsController(Tributary tributary, JdbcRegistrations registrations, Scheduler storeScheduler) {
        this.tributary = tributary;
        this.registrations = registrations;
        this.storeScheduler = storeScheduler;
    }

    /** One page, and the cursor of the next ({@code null} on the last page). */
    public record Page(List<RegistrationView> registrations, String next) {
    }

    /** A stored registration; {@code fields} is the exact JSON of its custom fields. */
    public record RegistrationView(String reference, String memberIdSource, String memberId, String memberName,
            String teamName, Instant date, @JsonRawValue String fields, boolean deleted, Instant firstSeen,
            Instant updatedAt, Long lastRunId) {
        static RegistrationView of(StoredRegistration r) {
            return new RegistrationView(r.reference(), r.memberIdSource(), r.memberId(), r.memberName(), r.teamName(),
                    r.date(), r.fields(), r.deleted(), r.firstSeen(), r.updatedAt(), r.lastRunId());
        }
    }

    @GetMapping(path = "/api/sources/{id}/registrations", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Page> page(@PathVariable String id, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String reference) {
        Query q = Query.of(source(id), from, to, after, reference);
        int n = limit == null ? DEFAULT_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1 to " + MAX_LIMIT + " but it was " + n);
        }
        return Mono.fromCallable(() -> {
            // one row more than asked says whether there is a next page
            List<StoredRegistration> rows = q.read(registrations, q.after, n + 1);
            List<StoredRegistration> page = rows.size() > n ? rows.subList(0, n) : rows;
            String next = rows.size() > n ? cursor(page.get(page.size() - 1)) : null;
            return new Page(page.stream().map(RegistrationView::of).toList(), next);
        }).subscribeOn(storeScheduler);
    }

    @GetMapping(path = "/api/sources/{id}/registrations", produces = "text/csv")
    Mono<ResponseEntity<Flux<String>>> csvByAccept(@PathVariable String id, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String reference) {
        return csv(id, from, to, after, limit, reference);
    }

    /** Every matching row (or the first {@code limit}) as CSV, read from the store a page at a time while it streams. */
    @GetMapping(path = "/api/sources/{id}/registrations.csv")
    Mono<ResponseEntity<Flux<String>>> csv(@PathVariable String id, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String after,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String reference) {
        Query q = Query.of(source(id), from, to, after, reference);
        if (limit != null && limit < 1) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be at least 1 but it was " + limit);
        }
        Flux<StoredRegistration> rows = Mono.fromCallable(() -> q.read(registrations, q.after, CSV_PAGE))
                .subscribeOn(storeScheduler)
                .expand(page -> page.size() < CSV_PAGE ? Mono.empty()
                        : Mono.fromCallable(() -> q.read(registrations, key(page.get(page.size() - 1)), CSV_PAGE))
                                .subscribeOn(storeScheduler))
                .concatMapIterable(page -> page);
        if (limit != null) {
            rows = rows.take(limit);
        }
        Flux<String> body = Flux.just(CSV_HEADER).concatWith(rows.map(RegistrationsController::csvLine));
        return Mono.just(ResponseEntity.ok().contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-registrations.csv\"")
                .body(body));
    }

    /** The parsed filters of one request. */
    private record Query(String source, Instant from, Instant to, Cursor after, String reference) {
        static Query of(String source, String from, String to, String after, String reference) {
            Instant lower = from == null || from.isBlank() ? null : instant("from", from);
            Instant upper = to == null || to.isBlank() ? null : instant("to", to);
            if (lower != null && upper != null && !upper.isAfter(lower)) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "to (" + upper + ") must be after from (" + lower + ")");
            }
            if (reference != null && reference.isEmpty()) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "reference is empty; give the reference to look up");
            }
            return new Query(source, lower, upper, after == null || after.isBlank() ? null : parseCursor(after), reference);
        }

        List<StoredRegistration> read(JdbcRegistrations store, Cursor from, int limit) {
            if (reference != null) {
                // a lookup is one row at most: it is on the first page and there is no second
                return from != null ? List.of() : store.byReference(source, reference).stream()
                        .filter(r -> (this.from == null || !r.date().isBefore(this.from)) && (to == null || r.date().isBefore(to)))
                        .toList();
            }
            return store.page(source, this.from, to, from, limit);
        }
    }

    private static Instant instant(String name, String value) {
        try {
            return WindowInput.instant(name, value);
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** {@code <date>,<reference>}: the date and reference of the last row of the previous page. */
    static Cursor parseCursor(String text) {
        int comma = text.indexOf(',');
        String hint = "; pass the 'next' value of the previous page, e.g. after=2024-01-01T00:00:00Z,s-1";
        if (comma < 0) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after '" + shorten(text) + "' is not a cursor" + hint);
        }
        try {
            return new Cursor(Instant.parse(text.substring(0, comma)), text.substring(comma + 1));
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "after '" + shorten(text)
                    + "' does not start with an ISO instant" + hint);
        }
    }

    static String cursor(StoredRegistration r) {
        return r.date() + "," + r.reference();
    }

    private static Cursor key(StoredRegistration r) {
        return new Cursor(r.date(), r.reference());
    }

    /** One CSV record (RFC 4180): a value with a comma, quote or line break is quoted, quotes doubled. */
    static String csvLine(StoredRegistration r) {
        return String.join(",", csv(r.reference()), csv(r.memberIdSource()), csv(r.memberId()), csv(r.memberName()),
                csv(r.teamName()), r.date().toString(), Boolean.toString(r.deleted()), r.firstSeen().toString(),
                r.updatedAt().toString(), r.lastRunId() == null ? "" : r.lastRunId().toString(), csv(r.fields())) + "\r\n";
    }

    private static String csv(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String shorten(String v) {
        return v.length() > 60 ? v.substring(0, 60) + "..." : v;
    }

    private String source(String id) {
        return tributary.pipeline(id).map(SourcePipeline::id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no source '" + id + "'; known: " + tributary.pipelines().stream().map(SourcePipeline::id).toList()));
    }
}
