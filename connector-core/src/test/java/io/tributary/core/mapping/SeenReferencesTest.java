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
}
