package io.tributary.dialect.bigquery;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a {@code bigquery://} URL says: {@code bigquery://project[/dataset][?location=EU&maximumBytesBilled=N]}, plus
 * {@code host} and {@code credentials=none} for a local emulator.
 *
 * @param project            the project the query jobs run (and are billed) in
 * @param dataset            the default dataset of unqualified table names, or {@code null}
 * @param location           where jobs run ({@code EU}, {@code US}, {@code europe-west1}), or {@code null} for BigQuery's choice
 * @param maximumBytesBilled the cap per query job, or {@code null} for none
 * @param host               the API's root URL, or {@code null} for Google's
 * @param noCredentials      send no credentials (an emulator)
 */
record BigQuerySettings(String project, @Nullable String dataset, @Nullable String location,
        @Nullable Long maximumBytesBilled, @Nullable String host, boolean noCredentials) {

    static final String PREFIX = "bigquery://";
    static final List<String> PARAMETERS = List.of("location", "maximumBytesBilled", "host", "credentials");

    BigQuerySettings {
        requireNonNull(project, "project must not be null");
    }

    static boolean supports(String url) {
        return url.strip().toLowerCase(Locale.ROOT).startsWith(PREFIX);
    }

    /**
     * @throws IllegalArgumentException naming the part that is wrong
     */
    static BigQuerySettings parse(String url) {
        String u = url.strip();
        if (!supports(u)) {
            throw new IllegalArgumentException("not a BigQuery URL; expected bigquery://project[/dataset][?location=EU]");
        }
        String rest = u.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String path = question < 0 ? rest : rest.substring(0, question);
        Map<String, String> params = parameters(question < 0 ? "" : rest.substring(question + 1));
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int slash = path.indexOf('/');
        String project = slash < 0 ? path : path.substring(0, slash);
        String dataset = slash < 0 ? null : path.substring(slash + 1);
        if (project.contains("@")) {
            throw new IllegalArgumentException("the URL holds credentials; give a service account key with the source's "
                    + "CREDENTIALS or CREDENTIALS_FILE setting instead");
        }
        // project ids: lower-case letters, digits and '-', optionally domain-scoped as example.com:project
        if (!project.matches("[a-z0-9][a-z0-9.:-]*[a-z0-9]")) {
            throw new IllegalArgumentException("'" + project + "' is not a project id; expected bigquery://project[/dataset]");
        }
        if (dataset != null && !dataset.matches("[A-Za-z0-9_]{1,1024}")) {
            throw new IllegalArgumentException("'" + dataset + "' is not a dataset name (letters, digits and '_')");
        }
        String location = params.get("location");
        if (location != null && !location.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("location='" + location + "' is not a BigQuery location such as EU, US or europe-west1");
        }
        Long cap = null;
        if (params.containsKey("maximumBytesBilled")) {
            cap = bytes(params.get("maximumBytesBilled"));
        }
        String host = params.get("host");
        if (host != null) {
            host = host(host);
        }
        String credentials = params.get("credentials");
        if (credentials != null && !credentials.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("credentials='" + credentials + "': the only value is none (for an "
                    + "emulator); a service account key goes in the source's CREDENTIALS or CREDENTIALS_FILE setting");
        }
        return new BigQuerySettings(project, dataset, location, cap, host, credentials != null);
    }

    Optional<String> datasetName() {
        return Optional.ofNullable(dataset);
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            String known = PARAMETERS.stream().filter(p -> p.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown URL parameter '" + name + "'; known: "
                            + String.join(", ", PARAMETERS)));
            if (value.isBlank()) {
                throw new IllegalArgumentException("the URL parameter " + known + " is empty");
            }
            params.put(known, value.strip());
        }
        return params;
    }

    private static long bytes(String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("maximumBytesBilled='" + value + "' must be a whole number of bytes >= 1, "
                + "e.g. 10737418240 for 10 GiB");
    }

    /** An https URL, or http to this machine only: credentials must not cross a network in clear. */
    private static String host(String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("host='" + value + "' is not a URL such as https://bigquery.googleapis.com");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = h.equals("localhost") || h.startsWith("127.") || h.equals("[::1]") || h.equals("::1");
        if (scheme.equals("https") || (scheme.equals("http") && loopback)) {
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }
        throw new IllegalArgumentException("host='" + value + "' must be an https URL (http only to localhost, for an emulator)");
    }
}
