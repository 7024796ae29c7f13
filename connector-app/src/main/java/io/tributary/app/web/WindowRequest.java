package io.tributary.app.web;

/** The JSON body {@code {"from": "2024-01-01", "to": "2024-02-01T00:00:00Z"}} of test queries and imports. */
public record WindowRequest(String from, String to) {
}
