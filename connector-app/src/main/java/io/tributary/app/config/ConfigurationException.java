package io.tributary.app.config;

/** A setting is missing or malformed; the message names the environment variable and what it should hold. */
public final class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
