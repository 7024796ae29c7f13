package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.mapping.Registration;

class SentRegistrationsTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00.000123Z");

    private static Registration sale(String reference, Instant date, String fields) {
        return new Registration(reference, "7", "Ann", date, null, false, fields);
    }

    @Test
    @DisplayName("a row re-read unchanged is not sent again; a changed one is")
    void unchangedRowsAreNotSentAgain() {
        SentRegistrations sent = new SentRegistrations();
        Registration first = sale("o-1", T0, "{\"total\":12.50}");
        assertThat(sent.compare(first)).isEqualTo(SentRegistrations.Outcome.NEW);
        sent.sent(List.of(first));

        assertThat(sent.compare(sale("o-1", T0, "{\"total\":12.50}"))).isEqualTo(SentRegistrations.Outcome.UNCHANGED);
        assertThat(sent.compare(sale("o-1", T0, "{\"total\":12.5}"))).isEqualTo(SentRegistrations.Outcome.CHANGED);
        assertThat(sent.compare(sale("o-1", T0.plusNanos(1000), "{\"total\":12.50}")))
                .isEqualTo(SentRegistrations.Outcome.CHANGED);
    }

    @Test
    @DisplayName("a row compared but never handed over is still new when read again (nothing lost after a failed run)")
    void comparingRemembersNothing() {
        SentRegistrations sent = new SentRegistrations();
        Registration r = sale("o-1", T0, "{}");
        sent.compare(r);

        assertThat(sent.compare(r)).isEqualTo(SentRegistrations.Outcome.NEW);
    }

    @Test
    @DisplayName("rows dated before the next window's lower bound are forgotten")
    void forgetsWhatNoRunReadsAgain() {
        SentRegistrations sent = new SentRegistrations();
        sent.sent(List.of(sale("old", T0, "{}"), sale("recent", T0.plusSeconds(60), "{}")));

        sent.forgetBefore(T0.plusSeconds(30));

        assertThat(sent.size()).isEqualTo(1);
        assertThat(sent.compare(sale("recent", T0.plusSeconds(60), "{}"))).isEqualTo(SentRegistrations.Outcome.UNCHANGED);
    }
}
