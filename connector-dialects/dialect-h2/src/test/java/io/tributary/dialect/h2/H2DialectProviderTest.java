package io.tributary.dialect.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tributary.core.SourceDefinition;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.r2dbc.SharedConnectionFactories;
import io.tributary.core.spi.SourceClient;
import io.tributary.core.template.RenderedStatement;
import reactor.core.publisher.Flux;

class H2DialectProviderTest {

    private static final H2DialectProvider PROVIDER = new H2DialectProvider();
    private static final RenderedStatement SESSION = new RenderedStatement("SELECT SESSION_ID() AS id", List.of());

    @Test
    void sourcesOnTheSameDatabaseShareOnePoolAndItsSession() {
        int before = SharedConnectionFactories.INSTANCE.size();
        SourceClient sales = PROVIDER.connect(SourceDefinition.builder("dial_sales", "h2:mem:///dial_shared", "SELECT 1").build());
        SourceClient refunds = PROVIDER.connect(SourceDefinition.builder("dial_refunds", "h2:mem:///dial_shared", "SELECT 1").build());
        SourceClient other = PROVIDER.connect(SourceDefinition.builder("dial_other", "h2:mem:///dial_other", "SELECT 1").build());
        try {
            assertThat(SharedConnectionFactories.INSTANCE.size()).as("one pool per database").isEqualTo(before + 2);
            assertThat(session(refunds)).as("the second source's run reuses the first's session").isEqualTo(session(sales));
            assertThat(session(other)).isNotNull();
        } finally {
            Flux.concat(sales.close(), refunds.close(), other.close()).blockLast(Duration.ofSeconds(10));
        }
        assertThat(SharedConnectionFactories.INSTANCE.size()).as("pools close with their last source").isEqualTo(before);
    }

    private static Object session(SourceClient client) {
        List<SourceRow> rows = client.stream(SESSION, List.of(), 10).collectList().block(Duration.ofSeconds(10));
        assertThat(rows).hasSize(1);
        return rows.get(0).value(0);
    }
}
