package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

/** A JSON document read from a JSON column; written into the custom fields nested, not as a string. */
public record RawJson(String json) {
    public RawJson {
        requireNonNull(json, "json must not be null");
    }
}
