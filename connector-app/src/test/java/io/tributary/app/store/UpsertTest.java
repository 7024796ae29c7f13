package io.tributary.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tributary.core.mapping.Fingerprint;
import io.tributary.core.mapping.Registration;

class UpsertTest {

    @Test
    void contentHashIsTheHashOfTheJoinedColumnsAsStoredHashesWere() {
        Registration full = new Registration("r-1", "m-7", "Alice", Instant.parse("2024-03-01T12:00:00.123Z"), "North",
                true, "{\"amount\":12.50}");
        Registration sparse = new Registration("r-2", "m-8", null, Instant.parse("2024-03-01T12:00:00Z"), null, false, "{}");
        for (Registration r : new Registration[] {full, sparse}) {
            // the text the hash was first computed over, built the way it was first built
            String joined = new StringBuilder().append("crm").append('\u0001').append(r.memberId()).append('\u0001')
                    .append(r.memberName()).append('\u0001').append(r.teamName()).append('\u0001').append(r.date())
                    .append('\u0001').append(r.deleted()).append('\u0001').append(r.fieldsJson()).toString();
            assertThat(Upsert.contentHash("crm", r)).isEqualTo(Fingerprint.of(joined));
        }
    }

    @Test
    void anyColumnChangeChangesTheHash() {
        Registration r = new Registration("r-1", "m-7", "Alice", Instant.parse("2024-03-01T12:00:00Z"), "North", false, "{\"a\":1}");
        long hash = Upsert.contentHash("crm", r);
        assertThat(Upsert.contentHash("erp", r)).isNotEqualTo(hash);
        assertThat(Upsert.contentHash("crm", new Registration("r-1", "m-7", "Alice", r.date(), "North", false, "{\"a\":2}")))
                .isNotEqualTo(hash);
        assertThat(Upsert.contentHash("crm", new Registration("r-1", "m-7", "Alice", r.date(), null, false, "{\"a\":1}")))
                .isNotEqualTo(hash);
        assertThat(Upsert.contentHash("crm", new Registration("r-1", "m-7", "Alice", r.date(), "North", true, "{\"a\":1}")))
                .isNotEqualTo(hash);
    }
}
