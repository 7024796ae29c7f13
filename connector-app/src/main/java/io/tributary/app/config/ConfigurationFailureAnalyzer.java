package io.tributary.app.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start-up stopped by a bad setting: print the one message that names the variable, not a stack trace. */
public final class ConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<ConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix that environment variable and start Tributary again. Every variable is listed in docs/configuration.md.",
                cause);
    }
}
