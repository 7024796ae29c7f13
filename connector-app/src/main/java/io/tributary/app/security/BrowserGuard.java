package io.tributary.app.security;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Keeps the operator's own browser from being used against the API by other web pages (issue 19):
 * <ul>
 * <li>no cross-origin access: a CORS preflight is refused unless its origin is listed in
 * {@code TRIBUTARY_CORS_ORIGINS};</li>
 * <li>a state-changing request (POST, PUT, PATCH, DELETE) that a browser marks as coming from another origin
 * ({@code Origin} other than the request's own host, or {@code Sec-Fetch-Site} {@code cross-site}/{@code same-site})
 * is refused unless the origin is listed, or the request carries {@code Authorization} while a token is configured
 * (the token filter then decides). Requests without those headers (curl, scripts) are not browsers' and pass;</li>
 * <li>without a token, the {@code Host} header must name an address Tributary listens on (loopback names, the bind
 * address, the machine's interfaces when it binds to all of them) or a name in {@code TRIBUTARY_ALLOWED_HOSTS}: a
 * page whose DNS name was rebound to 127.0.0.1 reaches the server under its own name and is refused.</li>
 * </ul>
 * Every refusal is a 403 with a JSON message that says which rule refused it and which variable allows it.
 */
final class BrowserGuard implements WebFilter {

    private final BrowserSettings settings;
    private final boolean tokenConfigured;
    private final Set<String> allowedHosts;

    BrowserGuard(BrowserSettings settings, boolean tokenConfigured, String bindAddress) {
        this.settings = settings;
        this.tokenConfigured = tokenConfigured;
        this.allowedHosts = allowedHosts(bindAddress, settings.allowedHosts());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        if (!tokenConfigured) {
            InetSocketAddress host = headers.getHost();
            if (host != null && !allowedHosts.contains(normalise(host.getHostString()))) {
                return refuse(exchange, "the Host '" + host.getHostString() + "' is not an address "
                        + "Tributary listens on; without TRIBUTARY_API_TOKEN only those are served (protection against DNS "
                        + "rebinding). Add the name to TRIBUTARY_ALLOWED_HOSTS if you reach Tributary under it");
            }
        }
        String origin = headers.getOrigin();
        if (CorsUtils.isPreFlightRequest(request)) {
            if (!listed(origin)) {
                return refuse(exchange, "cross-origin requests from " + origin + " are not allowed; "
                        + "TRIBUTARY_CORS_ORIGINS lists the origins that may call the API");
            }
            return chain.filter(exchange);
        }
        if (changesState(request.getMethod()) && fromAnotherOrigin(request, origin)
                && !listed(origin)
                && !(tokenConfigured && headers.containsHeader(HttpHeaders.AUTHORIZATION))) {
            return refuse(exchange, "a " + request.getMethod() + " from another web page ("
                    + (origin == null ? "Sec-Fetch-Site: " + headers.getFirst("Sec-Fetch-Site") : "Origin " + origin)
                    + ") is refused: only Tributary's own console"
                    + (tokenConfigured ? " or a request carrying the API token" : "") + " may change anything. "
                    + "TRIBUTARY_CORS_ORIGINS lists other origins that may");
        }
        return chain.filter(exchange);
    }

    private boolean listed(String origin) {
        return origin != null && settings.corsOrigins().contains(origin.toLowerCase(Locale.ROOT));
    }

    private static boolean changesState(HttpMethod method) {
        return !(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.TRACE.equals(method));
    }

    /** What the browser says about where the request comes from; no such header is no browser's request. */
    private static boolean fromAnotherOrigin(ServerHttpRequest request, String origin) {
        String site = request.getHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && (site.equalsIgnoreCase("cross-site") || site.equalsIgnoreCase("same-site"))) {
            return true;
        }
        if (origin == null) {
            return false;
        }
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        return host == null || !authority(origin).equalsIgnoreCase(host);
    }

    /** {@code host[:port]} of an origin as a Host header carries it; "null" and malformed origins match nothing. */
    private static String authority(String origin) {
        try {
            String authority = URI.create(origin).getRawAuthority();
            return authority == null ? "\u0000" : authority;
        } catch (IllegalArgumentException e) {
            return "\u0000";
        }
    }

    static Set<String> allowedHosts(String bindAddress, List<String> configured) {
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        hosts.add(normalise(bindAddress));
        if (bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]")) {
            try {
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                        hosts.add(normalise(a.getHostAddress()));
                    }
                }
                hosts.add(normalise(InetAddress.getLocalHost().getHostName()));
            } catch (SocketException | java.net.UnknownHostException e) {
                // the loopback names and the configured ones still count
            }
        }
        configured.forEach(h -> hosts.add(normalise(h)));
        return Set.copyOf(hosts);
    }

    /** Lower case, without IPv6 brackets or a zone id. */
    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        if (h.equals("0:0:0:0:0:0:0:1")) {
            h = "::1";
        }
        return h;
    }

    /** Reads the request's body away first: a refusal sent over an unread body made the server reset the connection. */
    private static Mono<Void> refuse(ServerWebExchange exchange, String message) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatus.FORBIDDEN);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        String json = "{\"status\":403,\"error\":\"Forbidden\",\"message\":\"" + message.replace("\\", "\\\\")
                .replace("\"", "\\\"") + "\"}";
        DataBuffer buffer = response.bufferFactory().wrap(json.getBytes(StandardCharsets.UTF_8));
        return exchange.getRequest().getBody().doOnNext(DataBufferUtils::release)
                .then(Mono.defer(() -> response.writeWith(Mono.just(buffer))));
    }
}
