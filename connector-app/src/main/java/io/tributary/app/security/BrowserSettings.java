package io.tributary.app.security;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.tributary.app.config.ConfigurationException;

/**
 * What the browser rules allow beyond the console's own origin: {@code TRIBUTARY_CORS_ORIGINS}, a comma-separated
 * list of origins ({@code https://dashboard.example.com}) that may call the API from their pages, and
 * {@code TRIBUTARY_ALLOWED_HOSTS}, names other than the listen addresses under which Tributary is reached (a
 * proxy's name) when no token is set.
 */
record BrowserSettings(List<String> corsOrigins, List<String> allowedHosts) {

    static final String CORS_ORIGINS = "TRIBUTARY_CORS_ORIGINS";
    static final String ALLOWED_HOSTS = "TRIBUTARY_ALLOWED_HOSTS";

    BrowserSettings {
        corsOrigins = List.copyOf(corsOrigins);
        allowedHosts = List.copyOf(allowedHosts);
    }

    static BrowserSettings read(Map<String, String> env) {
        List<String> origins = new ArrayList<>();
        for (String origin : split(env.get(CORS_ORIGINS))) {
            if (origin.equals("*")) {
                throw new ConfigurationException(CORS_ORIGINS + " must list origins, not '*': any web page could then "
                        + "drive the API from the operator's browser");
            }
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
                throw new ConfigurationException(CORS_ORIGINS + ": '" + origin + "' is not an origin; write "
                        + "scheme://host[:port] without a path, such as https://dashboard.example.com");
            }
            origins.add(origin.toLowerCase(Locale.ROOT));
        }
        List<String> hosts = new ArrayList<>();
        for (String host : split(env.get(ALLOWED_HOSTS))) {
            if (!host.matches("[A-Za-z0-9.\\-:\\[\\]]+")) {
                throw new ConfigurationException(ALLOWED_HOSTS + ": '" + host + "' is not a host name or address "
                        + "(no scheme, port or path)");
            }
            hosts.add(host);
        }
        return new BrowserSettings(origins, hosts);
    }

    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        if (value != null) {
            for (String p : value.split(",")) {
                if (!p.isBlank()) {
                    parts.add(p.strip());
                }
            }
        }
        return parts;
    }
}
