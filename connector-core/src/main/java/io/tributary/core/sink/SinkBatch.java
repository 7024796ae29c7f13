package io.tributary.core.sink;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.tributary.core.mapping.Registration;

/**
 * Registrations for one write. References are unique within a batch (the pipeline keeps the last of duplicates).
 *
 * @param sourceId       the source they came from
 * @param memberIdSource the source's Member ID Source, the namespace of their member ids
 * @param runId          the run that read them
 */
public record SinkBatch(String sourceId, String memberIdSource, long runId, List<Registration> registrations) {
    public SinkBatch {
        requireNonNull(sourceId, "sourceId must not be null");
        requireNonNull(memberIdSource, "memberIdSource must not be null");
        registrations = List.copyOf(requireNonNull(registrations, "registrations must not be null"));
    }
}
