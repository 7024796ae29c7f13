package io.tributary.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentReferencesTest {

    @Test
    void everyRepeatIsCountedInARunOfUpToOneGeneration() {
        RecentReferences seen = new RecentReferences(1_000);
        for (int i = 0; i < 1_000; i++) {
            seen.rotateIfFull();
            assertThat(seen.add("ref-" + i)).isTrue();
        }
        for (int i = 0; i < 1_000; i++) {
            seen.rotateIfFull();
            assertThat(seen.add("ref-" + i)).as("ref-" + i).isFalse();
        }
        assertThat(seen.forgotten()).isFalse();
    }

    @Test
    void memoryStaysBoundedAndOnlyLongAgoReferencesAreForgotten() {
        RecentReferences seen = new RecentReferences(1_000);
        for (int i = 0; i < 100_000; i++) {
            seen.rotateIfFull();
            assertThat(seen.add("ref-" + i)).isTrue();
            assertThat(seen.remembered()).isLessThanOrEqualTo(2_000);
        }
        assertThat(seen.forgotten()).isTrue();
        // fewer than a generation came since each of the last thousand: every repeat of them is recognised
        for (int i = 99_000; i < 100_000; i++) {
            seen.rotateIfFull();
            assertThat(seen.add("ref-" + i)).as("ref-" + i).isFalse();
        }
        // the first ones are forgotten: a repeat of one is taken as new (it is stored as an update, never dropped)
        assertThat(seen.add("ref-0")).isTrue();
    }

    @Test
    void aRepeatFromThePreviousGenerationStaysRememberedInTheNext() {
        RecentReferences seen = new RecentReferences(3);
        seen.add("a");
        seen.add("b");
        seen.add("c");
        seen.rotateIfFull();
        assertThat(seen.add("a")).isFalse();
        seen.add("d");
        seen.add("e");
        seen.rotateIfFull();
        // "a" came again in the generation now previous: still recognised although its first generation is gone
        assertThat(seen.add("a")).isFalse();
        assertThat(seen.add("b")).isTrue();
        assertThat(seen.forgotten()).isTrue();
    }

    @Test
    void rotatesOnlyWhenAsked() {
        RecentReferences seen = new RecentReferences(2);
        for (int i = 0; i < 10; i++) {
            seen.add("ref-" + i);
        }
        // one batch bigger than a generation: every repeat inside it is still found
        for (int i = 0; i < 10; i++) {
            assertThat(seen.add("ref-" + i)).isFalse();
        }
        assertThat(seen.remembered()).isEqualTo(10);
        assertThatThrownBy(() -> new RecentReferences(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generation >= 1");
    }
}
