package io.tributary.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void hashingPiecesEqualsHashingTheirConcatenation() {
        long pieces = Fingerprint.end(Fingerprint.append(Fingerprint.append(Fingerprint.append(Fingerprint.begin(), "crm"),
                '\u0001'), "{\"amount\":12.50}"));
        assertThat(pieces).isEqualTo(Fingerprint.of("crm\u0001{\"amount\":12.50}"));
    }

    @Test
    void valuesStayAsTheyWereSoThatStoredHashesStillMatch() {
        // content hashes are stored: a changed function would make every stored row look changed once
        assertThat(Fingerprint.of("")).isEqualTo(referenceValue(""));
        assertThat(Fingerprint.of("reference-1")).isEqualTo(referenceValue("reference-1"));
    }

    /** The function as it was first written, kept here to pin its values. */
    private static long referenceValue(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
