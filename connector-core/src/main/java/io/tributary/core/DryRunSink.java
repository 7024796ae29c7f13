package io.tributary.core;

import java.util.ArrayList;
import java.util.List;

import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import reactor.core.publisher.Mono;

/**
 * The sink of a test query: a run like any other, but nothing is written; the first
 * {@link TestQueryResult#SAMPLE_SIZE} registrations are kept for the answer. One per test query.
 */
final class DryRunSink implements RegistrationSink {

    private final List<Registration> sample = new ArrayList<>();

    @Override
    public synchronized Mono<WriteResult> write(SinkBatch batch) {
        for (Registration r : batch.registrations()) {
            if (sample.size() >= TestQueryResult.SAMPLE_SIZE) {
                break;
            }
            sample.add(r);
        }
        return Mono.just(WriteResult.NONE);
    }

    synchronized List<Registration> sample() {
        return List.copyOf(sample);
    }
}
