package io.tributary.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;
import io.tributary.core.window.Window;

class ChunkPolicyTest {

    private final ChunkPolicy policy = ChunkPolicy.withCap(10_000);

    @Test
    void theCapIsTenThousandRowsPerMinuteOfUpdateFrequency() {
        SourceDefinition.Builder source = SourceDefinition.builder("s", "scripted:s", "SELECT 1");
        assertThat(ChunkPolicy.forSource(source.build()).rowCap()).isEqualTo(10_000);
        assertThat(ChunkPolicy.forSource(source.updateFrequency(Duration.ofMinutes(15)).build()).rowCap()).isEqualTo(150_000);
        assertThat(ChunkPolicy.forSource(source.updateFrequency(Duration.ofSeconds(30)).build()).rowCap()).isEqualTo(5_000);
        assertThat(ChunkPolicy.forSource(source.updateFrequency(Duration.ofMillis(100)).build()).rowCap()).isEqualTo(100);
    }

    @Test
    void theFirstChunkIsADayOrTheWholeRangeWhenShorter() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(policy.firstChunk(new Window(t, t.plus(Duration.ofDays(365))))).isEqualTo(Duration.ofDays(1));
        assertThat(policy.firstChunk(new Window(t, t.plus(Duration.ofHours(3))))).isEqualTo(Duration.ofHours(3));
    }

    @Test
    void aChunkOverTheCapIsNarrowedDownToOneMillisecond() {
        assertThat(policy.canHalve(Duration.ofMillis(2))).isTrue();
        assertThat(policy.halve(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(30));
        assertThat(policy.canHalve(Duration.ofMillis(1))).isFalse();
        assertThat(policy.halve(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
        Instant t = Instant.parse("2024-01-01T00:00:00Z");
        assertThat(policy.narrowed(t, t.plusSeconds(90))).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy.narrowed(t, t)).as("never below the smallest chunk").isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void theNextChunkGrowsTowardHalfTheCapByAtMostFourTimes() {
        assertThat(policy.next(Duration.ofHours(1), 0)).isEqualTo(Duration.ofHours(4));
        assertThat(policy.next(Duration.ofHours(1), 2_500)).isEqualTo(Duration.ofHours(2));
        assertThat(policy.next(Duration.ofHours(1), 5_000)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.next(Duration.ofHours(1), 9_999)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.next(Duration.ofDays(30_000), 0)).isEqualTo(ChunkPolicy.MAX_CHUNK);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> ChunkPolicy.withCap(0)).hasMessage("rowCap >= 1 required but it was 0");
    }
}
