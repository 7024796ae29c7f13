package io.tributary.app.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A URL with its password (in {@code user:password@} or a {@code password=} parameter) taken out. */
record UrlCredentials(String url, String password) {
    static UrlCredentials split(String url) {
        UrlCredentials fromUserInfo = splitUserInfo(url);
        UrlCredentials fromQuery = splitQuery(fromUserInfo.url());
        if (fromUserInfo.password() != null && fromQuery.password() != null) {
            throw new ConfigurationException("the URL holds a password twice (user:password@ and ?password=); keep one");
        }
        return new UrlCredentials(fromQuery.url(),
                fromUserInfo.password() != null ? fromUserInfo.password() : fromQuery.password());
    }

    /** The user of a {@code user=} parameter ({@code ?user=} or {@code ;user=}), and the URL without it. */
    record UserInUrl(String url, String user) {
    }

    static UserInUrl takeUser(String url) {
        Params params = Params.of(url);
        if (params == null) {
            return new UserInUrl(url, null);
        }
        String user = null;
        List<String> kept = new ArrayList<>();
        for (String param : params.parts()) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (name.equalsIgnoreCase("user")) {
                user = decode(eq < 0 ? "" : param.substring(eq + 1));
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        return user == null ? new UserInUrl(url, null) : new UserInUrl(params.rebuild(kept), user);
    }

    /**
     * A URL's parameters: after {@code ?} separated by {@code &}, or (SQL Server's JDBC form) after the first
     * {@code ;} separated by {@code ;}.
     */
    private record Params(String base, char start, char separator, List<String> parts) {
        static Params of(String url) {
            int q = url.indexOf('?');
            if (q >= 0) {
                return new Params(url.substring(0, q), '?', '&', List.of(url.substring(q + 1).split("&")));
            }
            int semi = url.indexOf(';');
            if (semi >= 0) {
                return new Params(url.substring(0, semi), ';', ';', List.of(url.substring(semi + 1).split(";")));
            }
            return null;
        }

        String rebuild(List<String> kept) {
            return base + (kept.isEmpty() ? "" : start + String.join(String.valueOf(separator), kept));
        }
    }

    /** A {@code password=} parameter (which drivers accept) is taken out too, so the URL can be shown. */
    private static UrlCredentials splitQuery(String url) {
        Params params = Params.of(url);
        if (params == null) {
            return new UrlCredentials(url, null);
        }
        String password = null;
        List<String> kept = new ArrayList<>();
        for (String param : params.parts()) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (name.equalsIgnoreCase("password")) {
                password = decode(eq < 0 ? "" : param.substring(eq + 1));
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        if (password == null) {
            return new UrlCredentials(url, null);
        }
        return new UrlCredentials(params.rebuild(kept), password);
    }

    private static UrlCredentials splitUserInfo(String url) {
        int scheme = url.indexOf("://");
        int at = url.indexOf('@', Math.max(scheme, 0));
        int slash = url.indexOf('/', scheme + 3);
        if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) {
            return new UrlCredentials(url, null);
        }
        String userInfo = url.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return new UrlCredentials(url, null);
        }
        String password = decode(userInfo.substring(colon + 1));
        return new UrlCredentials(url.substring(0, scheme + 3) + userInfo.substring(0, colon) + url.substring(at), password);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
