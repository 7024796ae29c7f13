package io.tributary.dialect.bigquery;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import com.google.cloud.bigquery.BigQueryError;
import com.google.cloud.bigquery.BigQueryException;

import io.tributary.core.ConnectorException;
import io.tributary.core.mapping.MissingColumnsException;

/**
 * Sorts BigQuery failures by the error's {@code reason} (see BigQuery's error messages reference), then by HTTP
 * status: a query, a permission or the bytes-billed cap that fails now fails again ({@link ConnectorException.Permanent});
 * a busy or failing backend, a rate limit or a lost connection may pass ({@link ConnectorException.Transient}).
 * Messages carry the reason, BigQuery's message and the HTTP status, never a credential.
 */
final class BigQueryErrors {

    /** Need a change of the statement, the grants, the project or the cap. */
    static final Set<String> PERMANENT_REASONS = Set.of("invalidQuery", "invalid", "accessDenied", "notFound",
            "bytesBilledLimitExceeded", "billingNotEnabled", "billingTierLimitExceeded", "duplicate",
            "responseTooLarge", "resourcesExceeded", "invalidUser", "unauthorized");

    /** Pass by themselves: the backend, rate limits and quotas that refill, a job stopped by its timeout. */
    static final Set<String> TRANSIENT_REASONS = Set.of("backendError", "internalError", "rateLimitExceeded",
            "jobRateLimitExceeded", "quotaExceeded", "jobBackendError", "jobInternalError", "stopped", "timeout",
            "tableUnavailable");

    private BigQueryErrors() {
    }

    static Throwable classify(Throwable e) {
        if (e instanceof ConnectorException || e instanceof MissingColumnsException) {
            return e;
        }
        BigQueryException bq = bigQueryException(e);
        if (bq == null) {
            // I/O and the like: the run is retried
            return new ConnectorException.Transient("BigQuery: " + describe(e), e);
        }
        String reason = reason(bq);
        String message = "BigQuery " + (reason.isEmpty() ? "error" : reason) + ": " + describe(bq)
                + (bq.getCode() > 0 ? " (HTTP " + bq.getCode() + ")" : "");
        return isPermanent(bq, reason) ? new ConnectorException.Permanent(message, e)
                : new ConnectorException.Transient(message, e);
    }

    private static boolean isPermanent(BigQueryException e, String reason) {
        if (PERMANENT_REASONS.contains(reason)) {
            return true;
        }
        if (TRANSIENT_REASONS.contains(reason)) {
            return false;
        }
        int code = e.getCode();
        // 401, 403, 404, 400: the request itself is wrong; 408 and 429 are worth another try
        return code >= 400 && code < 500 && code != 408 && code != 429;
    }

    private static String reason(BigQueryException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        BigQueryError error = e.getError();
        return error == null || error.getReason() == null ? "" : error.getReason();
    }

    private static @Nullable BigQueryException bigQueryException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BigQueryException bq) {
                return bq;
            }
        }
        return null;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? describe(cause) : e.getClass().getSimpleName();
        }
        return message.strip();
    }
}
