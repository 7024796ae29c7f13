package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.Dialects;

class BigQueryDialectProviderTest {

    private static SourceDefinition source(String url) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference").build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bigquery://shop-analytics", "BIGQUERY://shop-analytics/eu_sales",
            "bigquery://example.com:shop-analytics/eu_sales?location=EU"})
    void bigqueryUrlsAreFoundByServiceLoader(String url) {
        assertThat(new BigQueryDialectProvider().supports(url)).isTrue();
        assertThat(Dialects.discover().select(source(url)).name()).isEqualTo("bigquery");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:bigquery://https://www.googleapis.com/bigquery/v2:443;ProjectId=p", "postgresql://db/x",
            "snowflake://acme.snowflakecomputing.com"})
    void otherUrlsAreNot(String url) {
        assertThat(new BigQueryDialectProvider().supports(url)).isFalse();
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
    void mistakesAreRefusedNamingThePart() {
        assertRefused("bigquery://", "is not a project id");
        assertRefused("bigquery://Shop_Analytics", "is not a project id");
        assertRefused("bigquery://reader:pw@shop-analytics", "holds credentials");
        assertRefused("bigquery://shop-analytics/eu-sales", "is not a dataset name");
        assertRefused("bigquery://shop-analytics?maximumBytesBilled=10GB", "maximumBytesBilled='10GB' must be a whole number");
        assertRefused("bigquery://shop-analytics?maximumBytesBilled=0", "must be a whole number of bytes >= 1");
        assertRefused("bigquery://shop-analytics?project=x", "unknown URL parameter 'project'; known: location");
        assertRefused("bigquery://shop-analytics?host=http://bigquery.example.com", "http only to localhost");
        assertRefused("bigquery://shop-analytics?credentials=/etc/key.json", "the only value is none");
        assertRefused("bigquery://shop-analytics?location=", "is empty");
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

    private static void assertRefused(String url, String reason) {
        assertThatThrownBy(() -> new BigQueryDialectProvider().connect(source(url)))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("source sales: ")
                .hasMessageContaining(reason);
    }
}
