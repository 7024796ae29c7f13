package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;

class BigQueryDialectProviderTest {

    private static SourceDefinition source(String url) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference").build();
    }

    @Test
    void theUrlSaysProjectDatasetLocationCapAndHost() {
        BigQuerySettings s = BigQuerySettings.parse("bigquery://shop-analytics/eu_sales/?Location=europe-west1"
                + "&maximumbytesbilled=10737418240&host=https://bigquery.example.com/");

        assertThat(s).isEqualTo(new BigQuerySettings("shop-analytics", "eu_sales", "europe-west1", 10_737_418_240L,
                "https://bigquery.example.com", false));
        assertThat(BigQuerySettings.parse("bigquery://shop-analytics")).isEqualTo(new BigQuerySettings("shop-analytics",
                null, null, null, null, false));
        assertThat(BigQuerySettings.parse("bigquery://local-test/d?host=http://localhost:9050&credentials=none"))
                .isEqualTo(new BigQuerySettings("local-test", "d", null, null, "http://localhost:9050", true));
    }

    @Test
    void aLoginOrASecretBigQueryDoesNotUseIsRefused() {
        assertThatThrownBy(() -> new BigQueryDialectProvider().connect(source("bigquery://shop-analytics?credentials=none")
                .toBuilder().credentials("reader", Secret.of("pw")).build()))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("takes no username or password");
        assertThatThrownBy(() -> new BigQueryDialectProvider().connect(source("bigquery://shop-analytics?credentials=none")
                .toBuilder().secrets(Map.of("private_key_password", Secret.of("pw"))).build()))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("does not use [private_key_password]");
        assertThatThrownBy(() -> new BigQueryDialectProvider().connect(source("bigquery://shop-analytics?credentials=none")
                .toBuilder().secrets(Map.of("credentials", Secret.of("{}"))).build()))
                .isInstanceOf(ConnectorException.Permanent.class).hasMessageContaining("keep one");
    }

    @Test
    void withoutAKeyNothingIsLookedUpBeforeTheFirstRun() {
        // application default credentials may ask the metadata server: connect must not
        assertThat(new BigQueryDialectProvider().connect(source("bigquery://shop-analytics"))).isNotNull();
    }
}
