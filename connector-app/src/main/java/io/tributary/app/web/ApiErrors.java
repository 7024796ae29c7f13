package io.tributary.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;

/** Errors as JSON {@code {"status": 400, "error": "Bad Request", "message": "..."}} with a message a user can act on. */
@RestControllerAdvice
class ApiErrors {

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
