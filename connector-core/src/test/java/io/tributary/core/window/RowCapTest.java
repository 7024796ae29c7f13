package io.tributary.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class RowCapTest {

    private static final Instant T = Instant.parse("2024-01-01T00:00:00Z");
    private static final Window WINDOW = new Window(T, T.plusSeconds(3600));

    @Test
    void stopsAfterTheTieGroupAndResumesAtTheFirstUnreadDate() {
        RowCap cap = new RowCap(3, WINDOW, T, true);
        assertThat(cap.offer(T.plusSeconds(1))).isTrue();
        assertThat(cap.offer(T.plusSeconds(2))).isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).as("same date as the row at the cap").isTrue();
        assertThat(cap.offer(null)).as("a rejected row inside the group").isTrue();
        assertThat(cap.offer(T.plusSeconds(3))).isTrue();
        assertThat(cap.offer(T.plusSeconds(4))).isFalse();
        assertThat(cap.stopped()).isTrue();
        assertThat(cap.safeCheckpoint()).contains(T.plusSeconds(4));
    }

    @Test
    void lookbackRowsDoNotCountTowardTheCap() {
        RowCap cap = new RowCap(2, WINDOW, T.plusSeconds(10), true);
        for (int i = 0; i < 5; i++) {
            assertThat(cap.offer(T.plusSeconds(i))).isTrue();
        }
        assertThat(cap.counted()).isZero();
        assertThat(cap.offer(T.plusSeconds(10))).isTrue();
        assertThat(cap.offer(T.plusSeconds(11))).isTrue();
        assertThat(cap.offer(T.plusSeconds(12))).isFalse();
        assertThat(cap.safeCheckpoint()).contains(T.plusSeconds(12));
    }

    @Test
    void rowsThatLookOrderedDoNotMoveTheCheckpointWithoutOrderBy() {
        RowCap cap = new RowCap(2, WINDOW, T, false);
        cap.offer(T.plusSeconds(1));
        cap.offer(T.plusSeconds(2));
        assertThat(cap.offer(T.plusSeconds(3))).isFalse();
        assertThat(cap.safeCheckpoint()).isEmpty();
        assertThat(cap.whyNarrowed()).contains("no ORDER BY");
    }

    @Test
    void newestFirstRowsDoNotMoveTheCheckpointEvenWithOrderBy() {
        RowCap cap = new RowCap(2, WINDOW, T, true);
        cap.offer(T.plusSeconds(30));
        cap.offer(T.plusSeconds(20));
        assertThat(cap.offer(T.plusSeconds(10))).isFalse();
        assertThat(cap.safeCheckpoint()).isEmpty();
        assertThat(cap.whyNarrowed()).contains("ascending");
    }

    @Test
    void theSplitPointIsTheMedianOfTheRowsReadWhenTheyAreTheOldest() {
        RowCap cap = new RowCap(4, WINDOW, T, false);
        for (int s : new int[] {1, 2, 3, 4}) {
            cap.offer(T.plusSeconds(s));
        }
        cap.offer(T.plusSeconds(5));
        assertThat(cap.splitPoint()).contains(T.plusSeconds(3));
    }

    @Test
    void theSplitPointIsTheMiddleOfTheWindowWhenTheRowsReadAreTheNewest() {
        RowCap cap = new RowCap(2, WINDOW, T, true);
        cap.offer(T.plusSeconds(3599));
        cap.offer(T.plusSeconds(3598));
        cap.offer(T.plusSeconds(3597));
        assertThat(cap.splitPoint()).contains(T.plusSeconds(1800));
    }

    @Test
    void rowsSharingTheCheckpointCannotBeSplit() {
        RowCap cap = new RowCap(2, WINDOW, T, false);
        cap.offer(T);
        cap.offer(T);
        cap.offer(T.plusSeconds(1));
        assertThat(cap.splitPoint()).isEmpty();
    }

    @Test
    void rowsDatedAfterTheWindowAreNoticedAndNotSplitOn() {
        RowCap cap = new RowCap(2, WINDOW, T, false);
        cap.offer(T.plusSeconds(7200));
        cap.offer(T.plusSeconds(1));
        cap.offer(T.plusSeconds(7201));
        assertThat(cap.outside()).isEqualTo(2);
        assertThat(cap.outsideAfter()).isEqualTo(2);
        assertThat(cap.splitPoint()).isEmpty();
        assertThat(cap.whyNarrowed()).contains("outside the window");
    }

    @Test
    void rowsDatedBeforeTheWindowSplitItInTheMiddle() {
        RowCap cap = new RowCap(2, WINDOW, T, false);
        cap.offer(T.minusSeconds(100));
        cap.offer(T.minusSeconds(50));
        cap.offer(T.plusSeconds(1));
        assertThat(cap.splitPoint()).contains(T.plusSeconds(1800));
    }
}
