package io.tributary.app.store;

import reactor.core.scheduler.Scheduler;

/**
 * The store as the HTTP API reads it: the same tables through a pool of its own whose connection and socket
 * timeouts are short, on threads of its own, so that an API call meets an unreachable store with an answer within
 * a second or two (a 503, or what memory holds) instead of waiting as long as a run would, and so that it never
 * takes a connection or a thread a run needs.
 */
public record StoreReads(RegistrationStore registrations, JdbcCheckpoints checkpoints, JdbcImportLog importLog,
        JdbcHistoricalImports imports, Scheduler scheduler) {
}
