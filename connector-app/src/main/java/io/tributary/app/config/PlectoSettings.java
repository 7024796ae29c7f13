package io.tributary.app.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.tributary.core.Secret;

/**
 * The Plecto sink: {@code TRIBUTARY_PLECTO_URL} (the API's base, default Plecto's own), {@code _USERNAME},
 * {@code _PASSWORD} or {@code _PASSWORD_FILE}, {@code _REQUEST_BUDGET} (requests per period shared by every source of
 * the account, default {@code 3600/1h}), {@code _TIMEOUT} (per request, default 30s), and per source
 * {@code TRIBUTARY_SOURCES_<ID>_PLECTO_DATA_SOURCE}: the Plecto data source its registrations go to. A source without
 * one goes to the registration store as before. {@code toString} never shows the password.
 *
 * @param dataSources source id (lower case) to Plecto data source id; empty when no source pushes to Plecto
 */
public record PlectoSettings(URI baseUrl, String username, Secret password, int budgetRequests, Duration budgetPeriod,
        Duration timeout, Map<String, String> dataSources) {

    public static final String DEFAULT_URL = "https://app.plecto.com/api/v2/";

    public PlectoSettings {
        dataSources = Map.copyOf(dataSources);
    }

    /** Whether any source pushes to Plecto. */
    public boolean enabled() {
        return !dataSources.isEmpty();
    }

    public static PlectoSettings read(Map<String, String> env) {
        Map<String, String> dataSources = new TreeMap<>();
        String suffix = "_PLECTO_DATA_SOURCE";
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith(SourceSettings.PREFIX) && name.endsWith(suffix)
                    && name.length() > SourceSettings.PREFIX.length() + suffix.length()) {
                String id = name.substring(SourceSettings.PREFIX.length(), name.length() - suffix.length())
                        .toLowerCase(Locale.ROOT);
                String value = e.getValue().strip();
                if (!value.matches("[A-Za-z0-9_-]{1,100}")) {
                    throw new ConfigurationException(name + "='" + e.getValue() + "' must be a Plecto data source id "
                            + "(the letters, digits and '-' at the end of the data source's address in Plecto)");
                }
                dataSources.put(id, value);
            }
        }
        URI url = url(env.getOrDefault("TRIBUTARY_PLECTO_URL", DEFAULT_URL).strip());
        String username = env.getOrDefault("TRIBUTARY_PLECTO_USERNAME", "").strip();
        Secret password = Secret.of(password(env));
        String budget = env.getOrDefault("TRIBUTARY_PLECTO_REQUEST_BUDGET", "3600/1h").strip();
        String budgetRule = "TRIBUTARY_PLECTO_REQUEST_BUDGET='" + budget + "' must be requests per period: a whole "
                + "number from 1 to 1000000, a '/' and a duration of 1s or more, e.g. 3600/1h (Plecto's limit)";
        int slash = budget.indexOf('/');
        int requests;
        Duration period;
        try {
            requests = Integer.parseInt(slash < 0 ? budget : budget.substring(0, slash).strip());
            period = Durations.parse("TRIBUTARY_PLECTO_REQUEST_BUDGET", slash < 0 ? "" : budget.substring(slash + 1));
        } catch (NumberFormatException | ConfigurationException e) {
            throw new ConfigurationException(budgetRule);
        }
        if (requests < 1 || requests > 1_000_000 || period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException(budgetRule);
        }
        Duration timeout = Durations.parse("TRIBUTARY_PLECTO_TIMEOUT", env.getOrDefault("TRIBUTARY_PLECTO_TIMEOUT", "30s"));
        if (timeout.isZero()) {
            throw new ConfigurationException("TRIBUTARY_PLECTO_TIMEOUT must be longer than 0");
        }
        if (!dataSources.isEmpty() && (username.isEmpty() || password.isEmpty())) {
            throw new ConfigurationException("TRIBUTARY_SOURCES_" + dataSources.keySet().iterator().next().toUpperCase(Locale.ROOT)
                    + "_PLECTO_DATA_SOURCE is set, so Tributary pushes to Plecto and needs the account: set "
                    + "TRIBUTARY_PLECTO_USERNAME and TRIBUTARY_PLECTO_PASSWORD (or TRIBUTARY_PLECTO_PASSWORD_FILE)");
        }
        return new PlectoSettings(url, username, password, requests, period, timeout, dataSources);
    }

    private static URI url(String value) {
        try {
            URI uri = new URI(value.endsWith("/") ? value : value + "/");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getUserInfo() == null
                    && uri.getQuery() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // fall through to the message below
        }
        throw new ConfigurationException("TRIBUTARY_PLECTO_URL='" + value + "' must be an http(s) address without "
                + "credentials or query, like " + DEFAULT_URL);
    }

    private static String password(Map<String, String> env) {
        String direct = env.get("TRIBUTARY_PLECTO_PASSWORD");
        String file = env.get("TRIBUTARY_PLECTO_PASSWORD_FILE");
        if (direct != null && file != null) {
            throw new ConfigurationException("TRIBUTARY_PLECTO_PASSWORD and TRIBUTARY_PLECTO_PASSWORD_FILE are both set; keep one");
        }
        if (file == null) {
            return direct == null ? "" : direct;
        }
        Path path = Path.of(file.strip());
        try {
            String content = Files.readString(path, StandardCharsets.UTF_8).stripTrailing();
            if (content.isEmpty()) {
                throw new ConfigurationException("TRIBUTARY_PLECTO_PASSWORD_FILE: the file " + path + " is empty");
            }
            return content;
        } catch (IOException e) {
            throw new ConfigurationException("TRIBUTARY_PLECTO_PASSWORD_FILE: cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "PlectoSettings[" + baseUrl + ", user " + username + ", " + budgetRequests + "/" + budgetPeriod
                + ", data sources " + dataSources + "]";
    }
}
