package io.tributary.app.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import io.tributary.core.mapping.Fingerprint;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;
import io.tributary.core.sink.WriteResult;

/**
 * One store database's way of writing a batch inside the caller's transaction: registrations upserted by
 * (source, reference) without rewriting unchanged rows, members by (member id source, member id), teams by name.
 * The batch is the transaction's only work, so an implementation may roll the transaction back and write the batch
 * again another way.
 */
interface Upsert {

    WriteResult write(Connection connection, SinkBatch batch, Instant now) throws SQLException;

    /**
     * Called on the same connection after a batch was committed, for upkeep such as statistics. The connection is
     * not in auto-commit; whatever this does must be committed or rolled back before it returns, and it must not
     * fail the batch, which is durable already.
     */
    default void afterCommit(Connection connection, WriteResult written) {
    }

    /**
     * A member's name and the date of the registration that carries it. The rule: the name on the registration with
     * the newest date wins; on a tie the name already held is kept; a registration without a name names no one.
     */
    record MemberName(String name, Instant date) {
    }

    /**
     * Per member id of the batch (sorted, so that concurrent batches lock member rows in the same order and cannot
     * deadlock), the name the rule picks from this batch alone, or {@code null} when no registration names it. A tie
     * inside the batch keeps the first of them in the batch's order.
     */
    static TreeMap<String, MemberName> memberNames(List<Registration> registrations) {
        TreeMap<String, MemberName> members = new TreeMap<>();
        for (Registration r : registrations) {
            MemberName held = members.get(r.memberId());
            if (r.memberName() == null) {
                if (!members.containsKey(r.memberId())) {
                    members.put(r.memberId(), null);
                }
            } else if (held == null || r.date().isAfter(held.date())) {
                members.put(r.memberId(), new MemberName(r.memberName(), r.date()));
            }
        }
        return members;
    }

    /** What decides whether a stored registration changed: every column but the key and bookkeeping. */
    static long contentHash(String memberIdSource, Registration r) {
        return contentHash(memberIdSource, r, r.date().toString());
    }

    /**
     * The same hash with the date's text given, hashed piece by piece rather than concatenated first: the value is
     * that of the text {@code memberIdSource␁memberId␁memberName␁teamName␁date␁deleted␁fieldsJson} (nulls as
     * {@code null}), as stored hashes were computed.
     */
    static long contentHash(String memberIdSource, Registration r, String dateText) {
        long h = Fingerprint.begin();
        h = Fingerprint.append(Fingerprint.append(h, memberIdSource), '\u0001');
        h = Fingerprint.append(Fingerprint.append(h, r.memberId()), '\u0001');
        h = Fingerprint.append(Fingerprint.append(h, r.memberName() == null ? "null" : r.memberName()), '\u0001');
        h = Fingerprint.append(Fingerprint.append(h, r.teamName() == null ? "null" : r.teamName()), '\u0001');
        h = Fingerprint.append(Fingerprint.append(h, dateText), '\u0001');
        h = Fingerprint.append(Fingerprint.append(h, r.deleted() ? "true" : "false"), '\u0001');
        return Fingerprint.end(Fingerprint.append(h, r.fieldsJson()));
    }
}
