package io.tributary.kafka;

import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.tributary.core.mapping.Fingerprint;
import io.tributary.core.mapping.Registration;

/**
 * What one task sent of one source, for as long as the lookback can read it again: a 64-bit fingerprint of each
 * registration's content and its date. A row re-read unchanged is not sent again; rows dated before the next
 * window's lower bound are forgotten, so the memory holds about one lookback's worth of rows. A restarted task
 * starts empty and sends the rows of the lookback once more.
 */
final class SentRegistrations {

    enum Outcome {
        NEW, CHANGED, UNCHANGED
    }

    private record Sent(long fingerprint, Instant date) {
    }

    private final Map<String, Sent> byReference = new HashMap<>();

    /** How {@code r} compares with what was sent of its reference; changes nothing. */
    synchronized Outcome compare(Registration r) {
        Sent before = byReference.get(r.reference());
        if (before == null) {
            return Outcome.NEW;
        }
        return before.fingerprint() == fingerprint(r) ? Outcome.UNCHANGED : Outcome.CHANGED;
    }

    /**
     * Remembers registrations as sent. Called only once they are in the task's hands: a row remembered but never
     * handed over would be taken for unchanged when read again, and lost.
     */
    synchronized void sent(List<Registration> registrations) {
        for (Registration r : registrations) {
            byReference.put(r.reference(), new Sent(fingerprint(r), r.date()));
        }
    }

    /** Forgets the rows dated before {@code lower}: no run reads them again. */
    synchronized void forgetBefore(Instant lower) {
        for (Iterator<Sent> it = byReference.values().iterator(); it.hasNext();) {
            if (it.next().date().isBefore(lower)) {
                it.remove();
            }
        }
    }

    synchronized int size() {
        return byReference.size();
    }

    static long fingerprint(Registration r) {
        long h = Fingerprint.begin();
        h = Fingerprint.append(h, r.memberId());
        h = Fingerprint.append(h, '\u0000');
        h = Fingerprint.append(h, r.memberName() == null ? "\u0001" : r.memberName());
        h = Fingerprint.append(h, '\u0000');
        h = Fingerprint.append(h, r.teamName() == null ? "\u0001" : r.teamName());
        h = Fingerprint.append(h, '\u0000');
        h = Fingerprint.append(h, r.date().toString());
        h = Fingerprint.append(h, r.deleted() ? 'd' : 'l');
        h = Fingerprint.append(h, r.fieldsJson());
        return Fingerprint.end(h);
    }
}
