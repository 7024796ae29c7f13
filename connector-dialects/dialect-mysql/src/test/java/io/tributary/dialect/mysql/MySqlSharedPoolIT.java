package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.r2dbc.SharedConnectionFactories;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;

/** Sources on the same MariaDB share connections where their sessions agree; a capped run holds up no other. */
class MySqlSharedPoolIT {

    private static final MySqlDialectProvider PROVIDER = new MySqlDialectProvider();
    private static final RenderedStatement SESSION = new RenderedStatement(
            "SELECT CONNECTION_ID() AS id, @@session.time_zone AS zone", List.of());

    @Test
    @DisplayName("sources with the same URL, login and offset use one pool: the second run gets the first run's session")
    void sameUrlLoginAndOffsetShareOneSession() {
        int before = SharedConnectionFactories.INSTANCE.size();
        SourceClient paris = PROVIDER.connect(source("dial_paris", "+02:00"));
        SourceClient cairo = PROVIDER.connect(source("dial_cairo", "+02:00"));
        SourceClient delhi = PROVIDER.connect(source("dial_delhi", "+05:30"));
        try {
            assertThat(SharedConnectionFactories.INSTANCE.size()).as("one pool per offset").isEqualTo(before + 2);

            SourceRow first = session(paris);
            SourceRow second = session(cairo);
            SourceRow other = session(delhi);

            assertThat(second.value(0)).as("the same server session").isEqualTo(first.value(0));
            assertThat(second.value(1)).isEqualTo("+02:00");
            assertThat(other.value(0)).as("another offset, another session").isNotEqualTo(first.value(0));
            assertThat(other.value(1)).isEqualTo("+05:30");
        } finally {
            Flux.concat(paris.close(), cairo.close(), delhi.close()).blockLast(Duration.ofSeconds(30));
        }
        assertThat(SharedConnectionFactories.INSTANCE.size()).as("pools close with their last source").isEqualTo(before);
    }

    @Test
    @DisplayName("a run cancelled mid-stream (the row cap) does not hold up the next: it gets another of the pool's sessions")
    void theNextRunDoesNotWaitBehindACancelledOne() {
        SourceClient client = PROVIDER.connect(source("dial_capped", "+00:00"));
        try {
            // ten million rows streamed; the run stops after ten, and its session reads the rest for seconds
            List<SourceRow> capped = client.stream(new RenderedStatement(
                    "SELECT CONNECTION_ID() AS id, seq FROM seq_1_to_10000000", List.of()), List.of(), 100)
                    .take(10).collectList().block(Duration.ofSeconds(30));
            assertThat(capped).hasSize(10);

            SourceRow next = session(client, Duration.ofSeconds(2));

            assertThat(next.value(0)).as("another session").isNotEqualTo(capped.get(0).value(0));
        } finally {
            client.close().block(Duration.ofSeconds(30));
        }
    }

    private static SourceRow session(SourceClient client) {
        return session(client, Duration.ofSeconds(10));
    }

    private static SourceRow session(SourceClient client, Duration within) {
        List<SourceRow> rows = client.stream(SESSION, List.of(), 10).collectList().block(within);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static SourceDefinition source(String id, String zone) {
        return SourceDefinition.builder(id, MariaDbBehaviourIT.URL, "SELECT 1").timezone(ZoneId.of(zone)).build();
    }
}
