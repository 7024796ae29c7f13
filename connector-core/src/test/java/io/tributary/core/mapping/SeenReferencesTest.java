package io.tributary.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenReferencesTest {

    @Test
    void countsEachReferenceOnceAcrossGrowth() {
        SeenReferences seen = new SeenReferences();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add("ref-" + i)).isTrue();
        }
        assertThat(seen.add("ref-5")).isFalse();
        assertThat(seen.add("ref-99999")).isFalse();
        assertThat(seen.add("ref-100000")).isTrue();
        assertThat(seen.size()).isEqualTo(100_001);
    }

    @Test
    void keepsEveryFingerprintWhateverItsBits() {
        SeenReferences seen = new SeenReferences();
        // references whose fingerprints fall in the same segment, at its ends and in the middle
        for (int i = 0; i < 2_000; i++) {
            assertThat(seen.add(Integer.toString(i))).isTrue();
        }
        for (int i = 1_999; i >= 0; i--) {
            assertThat(seen.add(Integer.toString(i))).isFalse();
        }
        assertThat(seen.add("")).isTrue();
        assertThat(seen.add("")).isFalse();
        assertThat(seen.size()).isEqualTo(2_001);
    }
}
