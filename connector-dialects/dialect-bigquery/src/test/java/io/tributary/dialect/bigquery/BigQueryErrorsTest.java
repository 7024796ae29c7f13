package io.tributary.dialect.bigquery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;

import io.tributary.core.ConnectorException;

class BigQueryErrorsTest {

    @ParameterizedTest
    @CsvSource({"400, invalidQuery, true", "403, accessDenied, true", "404, notFound, true",
            "400, bytesBilledLimitExceeded, true", "403, billingNotEnabled, true", "400, resourcesExceeded, true",
            "401, , true", "403, rateLimitExceeded, false", "403, quotaExceeded, false", "500, backendError, false",
            "503, , false", "429, , false", "400, stopped, false", "500, internalError, false"})
    void byReasonThenByStatus(int code, String reason, boolean permanent) {
        BigQueryException e = reason == null ? new BigQueryException(code, "msg")
                : new BigQueryException(code, "msg", new BigQueryError(reason, "global", "msg"));

        Throwable classified = BigQueryErrors.classify(e);

        assertThat(classified).isInstanceOf(permanent ? ConnectorException.Permanent.class : ConnectorException.Transient.class)
                .hasMessage("BigQuery " + (reason == null ? "error" : reason) + ": msg (HTTP " + code + ")").hasCause(e);
    }

    @Test
    void aJobsErrorsAndLostConnectionsAreDescribed() {
        BigQueryException failedJob = new BigQueryException(List.of(new BigQueryError("invalidQuery", "query",
                "Syntax error: Expected end of input but got keyword FROM at [1:10]")));
        assertThat(BigQueryErrors.classify(failedJob)).isInstanceOf(ConnectorException.Permanent.class)
                .hasMessage("BigQuery invalidQuery: Syntax error: Expected end of input but got keyword FROM at [1:10]");
        BigQueryException refused = new BigQueryException(new ConnectException("Connection refused"));
        assertThat(BigQueryErrors.classify(refused)).isInstanceOf(ConnectorException.Transient.class)
                .hasMessageContaining("Connection refused");
        assertThat(BigQueryErrors.classify(new IOException("reset"))).isInstanceOf(ConnectorException.Transient.class)
                .hasMessage("BigQuery: reset");
    }
}
