package io.tributary.app.plecto;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The requests one Plecto account may make: at most {@code limit} in any {@code period} (Plecto: 3,600 an hour),
 * shared by every source of the account. A request takes a slot before it is sent; when the last {@code limit}
 * slots span less than the period, the next slot is one period (and a {@link #MARGIN} for the time a request takes
 * to arrive) after the oldest of them, and the request waits for it. A 429 answer with {@code Retry-After} holds every
 * request of the account until then. Time comes from the scheduler, so tests run it in virtual time.
 */
final class RequestBudget {

    private static final Logger log = LoggerFactory.getLogger(RequestBudget.class);

    /** Added to the period, so that requests that wait for a slot never arrive inside the server's window. */
    static final Duration MARGIN = Duration.ofMillis(500);

    /** Waits are logged at most once per this or the period, whichever is longer. */
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final String account;
    private final int limit;
    private final long periodMillis;
    private final Scheduler scheduler;
    /** The last {@code limit} slots handed out, oldest first; some may lie in the future. */
    private final ArrayDeque<Long> slots = new ArrayDeque<>();
    private long holdUntil;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong waitedMillis = new AtomicLong();
    private volatile long lastWaitUntil;
    private volatile long lastLogged = Long.MIN_VALUE / 2;
    private final java.util.Map<String, Long> lastPublished = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.function.Consumer<PlectoWait> onWait;

    RequestBudget(String account, int limit, Duration period, Scheduler scheduler) {
        this(account, limit, period, scheduler, told -> { });
    }

    /**
     * @param onWait told when a source's request waits, at most once per source and reason per {@link #LOG_EVERY} or
     *               period
     */
    RequestBudget(String account, int limit, Duration period, Scheduler scheduler, java.util.function.Consumer<PlectoWait> onWait) {
        this.account = requireNonNull(account, "account must not be null");
        this.onWait = requireNonNull(onWait, "onWait must not be null");
        if (limit < 1) {
            throw new IllegalArgumentException("limit >= 1 required but it was " + limit);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period > 0 required but it was " + period);
        }
        this.limit = limit;
        this.periodMillis = period.plus(MARGIN).toMillis();
        this.scheduler = requireNonNull(scheduler, "scheduler must not be null");
    }

    /** Completes when a request of {@code sourceId} may be sent; emits how long it waited. */
    Mono<Duration> acquire(String sourceId) {
        return Mono.defer(() -> {
            long now = scheduler.now(TimeUnit.MILLISECONDS);
            long held;
            long slot;
            synchronized (this) {
                held = holdUntil;
                slot = reserve(now);
            }
            if (slot <= now) {
                return Mono.just(Duration.ZERO);
            }
            Duration wait = Duration.ofMillis(slot - now);
            waiting.incrementAndGet();
            long every = Math.max(periodMillis, LOG_EVERY.toMillis());
            String reason = slot <= held ? "retry-after" : "budget";
            Long published = lastPublished.get(sourceId + "/" + reason);
            if (published == null || now - published >= every) {
                lastPublished.put(sourceId + "/" + reason, now);
                onWait.accept(new PlectoWait(sourceId, Instant.ofEpochMilli(now), wait, Instant.ofEpochMilli(slot), reason));
            }
            if (now - lastLogged >= every) {
                // once per period at most: a saturated budget makes every request wait
                lastLogged = now;
                log.info("Plecto: account '{}' has used its {} requests per {}; requests wait, the next until {}",
                        account, limit, Duration.ofMillis(periodMillis).minus(MARGIN), Instant.ofEpochMilli(slot));
            }
            waits.incrementAndGet();
            lastWaitUntil = Math.max(lastWaitUntil, slot);
            return Mono.delay(wait, scheduler).thenReturn(wait)
                    .doFinally(s -> {
                        waiting.decrementAndGet();
                        waitedMillis.addAndGet(wait.toMillis());
                    });
        });
    }

    private synchronized long reserve(long now) {
        long slot = Math.max(now, holdUntil);
        if (slots.size() >= limit) {
            slot = Math.max(slot, slots.peekFirst() + periodMillis);
        }
        // slots are handed out in order, so the deque stays sorted
        slot = slots.isEmpty() ? slot : Math.max(slot, slots.peekLast());
        slots.addLast(slot);
        if (slots.size() > limit) {
            slots.removeFirst();
        }
        return slot;
    }

    /** The server answered 429: no request of the account goes out before {@code after} from now. */
    synchronized void holdFor(Duration after) {
        holdUntil = Math.max(holdUntil, scheduler.now(TimeUnit.MILLISECONDS) + after.toMillis());
    }

    /** What the API and the metrics show. */
    Snapshot snapshot() {
        long now = scheduler.now(TimeUnit.MILLISECONDS);
        int used;
        long hold;
        synchronized (this) {
            used = (int) slots.stream().filter(s -> s > now - periodMillis && s <= now).count();
            hold = holdUntil;
        }
        long until = Math.max(lastWaitUntil, hold);
        return new Snapshot(limit, Duration.ofMillis(periodMillis).minus(MARGIN), used, waiting.get(), waits.get(),
                Duration.ofMillis(waitedMillis.get()), until > now ? Instant.ofEpochMilli(until) : null,
                hold > now ? Instant.ofEpochMilli(hold) : null);
    }

    /**
     * @param usedInPeriod   requests sent in the last period
     * @param waiting        requests waiting for a slot now
     * @param waits          requests that had to wait, since start
     * @param waited         their waits added up
     * @param waitingUntil   when the last waiting request goes out, {@code null} when none waits
     * @param heldAfter429Until when a 429's {@code Retry-After} ends, {@code null} when none holds the account
     */
    record Snapshot(int limit, Duration period, int usedInPeriod, int waiting, long waits, Duration waited,
            @Nullable Instant waitingUntil, @Nullable Instant heldAfter429Until) {
    }
}
