package io.tributary.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class RowCapTest {

    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final Window WINDOW = new Window(T, T.plusSeconds(3600));

    @Test
    void stopsAfterTheTieGroupAndResumesAtTheFirstUnreadDate() {
        RowCap cap = new RowCap(3, T);
        assertThat(cap.offer(T.plusSeconds(1))).isTrue();
        assertThat(cap.offer(T.plusSeconds(2))).isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).as("same date as the row at the cap").isTrue();
        assertThat(cap.offer(null)).as("a rejected row inside the group").isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).isTrue();
        assertThat(cap.offer(T.plusSeconds(4))).isFalse();
        assertThat(cap.stopped()).isTrue();
        assertThat(cap.safeCheckpoint(WINDOW)).contains(T.plusSeconds(4));
    }

    @Test
    void lookbackRowsDoNotCountTowardTheCap() {
        RowCap cap = new RowCap(2, T.plusSeconds(10));
        assertThat(cap.offer(T.plusSeconds(1))).isTrue();
        assertThat(cap.offer(T.plusSeconds(5))).isTrue();
        assertThat(cap.offer(T.plusSeconds(10))).isTrue();
        assertThat(cap.offer(T.plusSeconds(11))).isTrue();
        assertThat(cap.offer(T.plusSeconds(12))).isFalse();
        assertThat(cap.safeCheckpoint(WINDOW)).contains(T.plusSeconds(12));
    }

    @Test
    void rowsThatLookOrderedDoNotMoveTheCheckpointWithoutOrderBy() {
        RowCap cap = new RowCap(2, T).withoutDeclaredOrder();
        cap.offer(T.plusSeconds(1));
        cap.offer(T.plusSeconds(2));
        assertThat(cap.offer(T.plusSeconds(3))).isFalse();
        assertThat(cap.stopped()).isTrue();
        assertThat(cap.ordered()).isTrue();
        assertThat(cap.safeCheckpoint(WINDOW)).isEmpty();
        assertThat(cap.whyNotMoved(WINDOW)).contains("the statement has no ORDER BY").contains("MAX_ROWS_PER_MINUTE");
    }

    @Test
    void anUnorderedResultDoesNotMoveTheCheckpointAndSaysWhy() {
        RowCap cap = new RowCap(2, T);
        cap.offer(T.plusSeconds(5));
        cap.offer(T.plusSeconds(2));
        assertThat(cap.offer(T.plusSeconds(9))).isFalse();
        assertThat(cap.ordered()).isFalse();
        assertThat(cap.safeCheckpoint(WINDOW)).isEmpty();
        assertThat(cap.whyNotMoved(WINDOW)).contains("did not arrive ordered by date").contains("ORDER BY");
    }

    @Test
    void aResumeDateOutsideTheWindowDoesNotMoveTheCheckpoint() {
        RowCap cap = new RowCap(1, T);
        cap.offer(T.plusSeconds(10));
        assertThat(cap.offer(T.plusSeconds(7200))).isFalse();
        assertThat(cap.safeCheckpoint(WINDOW)).isEmpty();
        assertThat(cap.whyNotMoved(WINDOW)).contains("outside the window");
    }

    @Test
    void withoutReachingTheCapNothingStops() {
        RowCap cap = new RowCap(10, T);
        for (int i = 0; i < 10; i++) {
            assertThat(cap.offer(T.plusSeconds(10 - i))).isTrue();
        }
        assertThat(cap.stopped()).isFalse();
    }
}
