package io.tributary.core.r2dbc;

import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * What a dialect does per run on a shared pooled connection, told by a tag unique to the run: a statement run first
 * in the run's transaction (e.g. naming the session after the run, so that the server can find it), and a way to end
 * the run's statement when the run gives up on it before its end.
 */
public interface RunSession {

    /** No preamble, nothing to cancel. */
    RunSession NONE = new RunSession() {
        @Override
        public @Nullable String preamble(String tag) {
            return null;
        }

        @Override
        public Publisher<Void> cancel(String tag) {
            return Mono.empty();
        }
    };

    /** A statement run first in the run's transaction, {@code null} for none. */
    @Nullable String preamble(String tag);

    /**
     * Ends the statement of the run with this tag on the server, if one still runs; completes once done. Called when
     * the run lets go of its rows before their end, before its connection goes back to the pool.
     */
    Publisher<Void> cancel(String tag);

    /** A new run's tag: eight characters of [0-9a-z], random, so that processes sharing a server do not collide. */
    static String newTag() {
        String tag = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        return tag.length() >= 8 ? tag.substring(0, 8) : "00000000".substring(tag.length()) + tag;
    }
}
