package io.tributary.app.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;

import io.tributary.app.config.ConfigurationException;
import io.tributary.core.Secret;

/**
 * The API's bearer token: {@code TRIBUTARY_API_TOKEN}, or the content of the file named by
 * {@code TRIBUTARY_API_TOKEN_FILE}. Compared in constant time; never printed.
 */
public final class ApiToken {

    static final String VARIABLE = "TRIBUTARY_API_TOKEN";
    static final String FILE_VARIABLE = "TRIBUTARY_API_TOKEN_FILE";

    /** Short tokens are guessable; 16 characters of a random hex string are 64 bits. */
    static final int MIN_LENGTH = 16;

    private final Secret token;
    private final byte[] digest;

    private ApiToken(Secret token) {
        this.token = token;
        this.digest = sha256(token.reveal());
    }

    /** The token when one is configured. */
    public static Optional<ApiToken> read(Map<String, String> env) {
        String direct = env.get(VARIABLE);
        String file = env.get(FILE_VARIABLE);
        if (direct != null && !direct.isEmpty() && file != null && !file.isBlank()) {
            throw new ConfigurationException(VARIABLE + " and " + FILE_VARIABLE + " are both set; keep one");
        }
        String value = direct;
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.strip());
            try {
                // secret mounts and editors end the file with a newline that is not part of the token
                value = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigurationException(FILE_VARIABLE + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() < MIN_LENGTH || value.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigurationException((file != null && !file.isBlank() ? FILE_VARIABLE : VARIABLE)
                    + " must be at least " + MIN_LENGTH + " characters without spaces (it has " + value.length()
                    + "); generate one with: openssl rand -hex 32");
        }
        return Optional.of(new ApiToken(Secret.of(value)));
    }

    /** Whether a variable asks for a token, without reading or checking it (for the listen address). */
    static boolean configured(String direct, String file) {
        return (direct != null && !direct.isEmpty()) || (file != null && !file.isBlank());
    }

    /** Constant time in the length of the token: both sides are hashed to 32 bytes first. */
    public boolean matches(String candidate) {
        return MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** Redacts the token from a text. */
    public String redact(String text) {
        return token.redact(text);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[******]";
    }
}
