package io.tributary.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

import io.tributary.core.ConnectorException;

/** Errors as JSON {@code {"status": 400, "error": "Bad Request", "message": "..."}} with a message a user can act on. */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> badInput(ServerWebInputException e) {
        String message;
        if (hasCause(e, DecodingException.class)) {
            message = "the request body is not valid JSON; send e.g. {\"from\": \"2024-01-01\", \"to\": \"2024-02-01\"}";
        } else if (e.getMethodParameter() != null && e.getMethodParameter().getParameterName() != null) {
            message = "parameter '" + e.getMethodParameter().getParameterName() + "' is invalid: " + e.getReason();
        } else {
            message = e.getReason() == null ? "bad request" : e.getReason();
        }
        return body(HttpStatus.BAD_REQUEST, message);
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<Map<String, Object>> status(ResponseStatusException e) {
        return body(e.getStatusCode(), e.getReason() == null ? e.getStatusCode().toString() : e.getReason());
    }

    /**
     * The store could not answer (down, unreachable, too slow): a 503 within a second or two, with one line of the
     * reason and without a stack trace in the log.
     */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Map<String, Object>> storeUnavailable(DataAccessException e) {
        log.info("answered 503, the store could not be read: {}", storeReason(e));
        ResponseEntity<Map<String, Object>> body = body(HttpStatus.SERVICE_UNAVAILABLE, "the registration store cannot "
                + "be read right now (" + storeReason(e) + "); this answer needs it. Imports wait for the store and go on "
                + "by themselves when it is back; try again in a few seconds");
        return ResponseEntity.status(body.getStatusCode()).header(HttpHeaders.RETRY_AFTER, "5").body(body.getBody());
    }

    /** A run asked for through the API could not be completed for a reason that goes away (the store is down). */
    @ExceptionHandler(ConnectorException.Transient.class)
    ResponseEntity<Map<String, Object>> transientFailure(ConnectorException.Transient e) {
        log.info("answered 503: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(body(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage() + "; try again in a few seconds").getBody());
    }

    /** The innermost cause's first line: "Connection refused", "connection attempt timed out". */
    static String storeReason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> illegal(IllegalArgumentException e) {
        return body(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    static ResponseEntity<Map<String, Object>> body(HttpStatusCode status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status instanceof HttpStatus s ? s.getReasonPhrase() : status.toString());
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
