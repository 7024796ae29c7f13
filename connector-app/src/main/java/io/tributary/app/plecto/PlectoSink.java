package io.tributary.app.plecto;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.tributary.core.ConnectorException;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.RegistrationSink;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Registrations of the sources that name a Plecto data source go to Plecto; the others go to {@code others} (the
 * registration store) as before. For a Plecto source a batch is compared with what Plecto last accepted
 * ({@link PushedRegistrations}): unchanged registrations are not sent; new and changed ones are posted in arrays of
 * at most 100 and recorded as accepted once Plecto answered; ones Plecto refuses (a 400 naming the item) become
 * rejections of the run with Plecto's message; a registration the source marks {@code deleted} is looked up by
 * {@code external_id} and each match deleted by its id. The batch completes (and so the checkpoint may move) only
 * when every registration in it was accepted, refused with a reason or deleted.
 */
public final class PlectoSink implements RegistrationSink {

    private final RegistrationSink others;
    private final Map<String, String> dataSources;
    private final PlectoClient client;
    private final PushedRegistrations pushed;
    private final SinkRejections rejections;
    private final Scheduler storeScheduler;
    private final Map<String, Map<String, AtomicLong>> outcomes = new ConcurrentHashMap<>();

    PlectoSink(RegistrationSink others, Map<String, String> dataSources, PlectoClient client, PushedRegistrations pushed,
            SinkRejections rejections, Scheduler storeScheduler) {
        this.others = requireNonNull(others, "others must not be null");
        this.dataSources = Map.copyOf(dataSources);
        this.client = requireNonNull(client, "client must not be null");
        this.pushed = requireNonNull(pushed, "pushed must not be null");
        this.rejections = requireNonNull(rejections, "rejections must not be null");
        this.storeScheduler = requireNonNull(storeScheduler, "storeScheduler must not be null");
    }

    @Override
    public int concurrentWrites() {
        return others.concurrentWrites();
    }

    /** Registrations by outcome ({@code inserted}, {@code updated}, {@code unchanged}, {@code rejected}, {@code deleted}) per source. */
    Map<String, Map<String, AtomicLong>> outcomes() {
        return outcomes;
    }

    private void count(String sourceId, String outcome, long n) {
        if (n > 0) {
            outcomes.computeIfAbsent(sourceId, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(outcome, k -> new AtomicLong()).addAndGet(n);
        }
    }

    @Override
    public Mono<WriteResult> write(SinkBatch batch) {
        String dataSource = dataSources.get(batch.sourceId());
        if (dataSource == null) {
            return others.write(batch);
        }
        if (batch.registrations().isEmpty()) {
            return Mono.just(WriteResult.NONE);
        }
        List<String> references = batch.registrations().stream().map(Registration::reference).toList();
        return Mono.fromCallable(() -> pushed.find(batch.sourceId(), references)).subscribeOn(storeScheduler)
                .flatMap(known -> push(batch, dataSource, known));
    }

    /** A registration to post, and whether Plecto had none of it before. */
    private record Send(PlectoItem item, boolean fresh) {
    }

    private Mono<WriteResult> push(SinkBatch batch, String dataSource, Map<String, PushedRegistrations.Pushed> known) {
        List<Send> sends = new ArrayList<>();
        List<Registration> deletes = new ArrayList<>();
        long unchanged = 0;
        for (Registration r : batch.registrations()) {
            PushedRegistrations.Pushed before = known.get(r.reference());
            if (r.deleted()) {
                if (before != null && before.deleted()) {
                    unchanged++;
                } else {
                    deletes.add(r);
                }
                continue;
            }
            PlectoItem.Result result = PlectoItem.of(dataSource, batch.memberIdSource(), r);
            if (result.item() == null) {
                reject(batch, r.reference(), String.valueOf(result.refusal()));
                continue;
            }
            if (before != null && !before.deleted() && before.hash() == result.item().hash()) {
                unchanged++;
            } else {
                sends.add(new Send(result.item(), before == null || before.deleted()));
            }
        }
        count(batch.sourceId(), "unchanged", unchanged);
        List<List<Send>> chunks = new ArrayList<>();
        for (int from = 0; from < sends.size(); from += PlectoClient.MAX_ITEMS) {
            chunks.add(sends.subList(from, Math.min(sends.size(), from + PlectoClient.MAX_ITEMS)));
        }
        WriteResult start = new WriteResult(0, 0, unchanged, 0);
        return Flux.fromIterable(chunks).concatMap(chunk -> post(batch, dataSource, chunk))
                .concatWith(Flux.fromIterable(deletes).concatMap(r -> delete(batch, dataSource, r)))
                .reduce(start, WriteResult::plus);
    }

    /** Posts one array; on a 400 that names items, rejects those and posts the others again. */
    private Mono<WriteResult> post(SinkBatch batch, String dataSource, List<Send> chunk) {
        return client.post(batch.sourceId(), chunk.stream().map(s -> s.item().json()).toList()).flatMap(answer -> {
            if (answer.accepted()) {
                return accepted(batch, dataSource, chunk);
            }
            List<@Nullable String> errors = requireNonNull(answer.itemErrors());
            List<Send> valid = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                String error = errors.get(i);
                if (error == null) {
                    valid.add(chunk.get(i));
                } else {
                    String reference = chunk.get(i).item().registration().reference();
                    reject(batch, reference, "Plecto refused registration '" + reference + "': " + error);
                }
            }
            if (valid.size() == chunk.size()) {
                return Mono.error(new ConnectorException.Permanent("Plecto answered HTTP 400 to "
                        + chunk.size() + " registrations without naming an error"));
            }
            return valid.isEmpty() ? Mono.just(WriteResult.NONE) : post(batch, dataSource, valid);
        });
    }

    private Mono<WriteResult> accepted(SinkBatch batch, String dataSource, List<Send> chunk) {
        List<PushedRegistrations.Accepted> accepted = chunk.stream()
                .map(s -> new PushedRegistrations.Accepted(s.item().registration().reference(), s.item().hash(), false))
                .toList();
        long fresh = chunk.stream().filter(Send::fresh).count();
        return Mono.fromRunnable(() -> pushed.accepted(batch.sourceId(), dataSource, batch.runId(), accepted))
                .subscribeOn(storeScheduler)
                .then(Mono.fromSupplier(() -> {
                    count(batch.sourceId(), "inserted", fresh);
                    count(batch.sourceId(), "updated", chunk.size() - fresh);
                    return new WriteResult(fresh, chunk.size() - fresh, 0, 0);
                }));
    }

    /**
     * Finds the registrations of the reference and deletes each; then records it deleted, so that re-reading the row
     * sends nothing. A reference Plecto does not have counts as unchanged.
     */
    private Mono<WriteResult> delete(SinkBatch batch, String dataSource, Registration r) {
        return client.find(batch.sourceId(), dataSource, r.reference())
                .flatMap(ids -> Flux.fromIterable(ids).concatMap(id -> client.delete(batch.sourceId(), dataSource, id))
                        .reduce(false, (a, b) -> a || b))
                .flatMap(deleted -> Mono.fromRunnable(() -> pushed.accepted(batch.sourceId(), dataSource, batch.runId(),
                                List.of(new PushedRegistrations.Accepted(r.reference(), 0, true))))
                        .subscribeOn(storeScheduler)
                        .then(Mono.fromSupplier(() -> {
                            count(batch.sourceId(), deleted ? "deleted" : "unchanged", 1);
                            return deleted ? new WriteResult(0, 0, 0, 1) : new WriteResult(0, 0, 1, 0);
                        })));
    }

    private void reject(SinkBatch batch, String reference, String reason) {
        count(batch.sourceId(), "rejected", 1);
        rejections.add(batch.runId(), reference, reason);
    }
}
