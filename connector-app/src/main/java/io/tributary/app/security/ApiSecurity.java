package io.tributary.app.security;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.server.ServerWebExchange;

import io.tributary.app.config.EnvVariables;
import reactor.core.publisher.Mono;

/**
 * Bearer-token authentication with Spring Security: when {@code TRIBUTARY_API_TOKEN} is set, every request but the
 * health probes ({@code /actuator/health/**}) and the status page's static files needs
 * {@code Authorization: Bearer <token>}, including
 * {@code /actuator/prometheus} (metrics name sources and their volumes); otherwise a 401. Without a token nothing is
 * checked and the server listens on 127.0.0.1 only (see {@link BindAddressDefaults}). Stateless: no session, no
 * CSRF token, no login page. {@link BrowserGuard} keeps other web pages from using the operator's browser against
 * the API (origins, {@code Host}), with or without a token.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);
    private static final String BEARER = "bearer ";
    private static final ServerWebExchangeMatcher HEALTH = ServerWebExchangeMatchers.pathMatchers("/actuator/health",
            "/actuator/health/**");
    // the console's files hold no data: the page asks for the token and sends it with every API call
    private static final ServerWebExchangeMatcher PAGE = ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/",
            "/index.html", "/app.js", "/app.css", "/js/*.js", "/favicon.ico");
    private static final ServerWebExchangeMatcher OPEN = new OrServerWebExchangeMatcher(HEALTH, PAGE);

    @Bean
    SecurityWebFilterChain bearerTokenFilterChain(ServerHttpSecurity http, ConfigurableEnvironment environment) {
        Optional<ApiToken> token = ApiToken.read(EnvVariables.from(environment));
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        String address = environment.getProperty("server.address", "127.0.0.1");
        BrowserSettings browser = BrowserSettings.read(EnvVariables.from(environment));
        http.addFilterAt(new BrowserGuard(browser, token.isPresent(), address), SecurityWebFiltersOrder.FIRST);
        if (browser.corsOrigins().isEmpty()) {
            http.cors(ServerHttpSecurity.CorsSpec::disable);
        } else {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(browser.corsOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "DELETE"));
            cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT));
            cors.setMaxAge(600L);
            http.cors(c -> c.configurationSource(exchange -> cors));
            log.info("cross-origin calls are allowed from {} (TRIBUTARY_CORS_ORIGINS)", browser.corsOrigins());
        }
        if (token.isEmpty()) {
            if (BindAddressDefaults.isLoopback(address)) {
                log.info("TRIBUTARY_API_TOKEN is not set, so the API asks for no authentication and listens on {} only, "
                        + "unreachable from other machines; set TRIBUTARY_API_TOKEN to require a bearer token and listen "
                        + "on all interfaces", address);
            } else {
                log.warn("TRIBUTARY_API_TOKEN is not set but TRIBUTARY_BIND_ADDRESS={} makes the API reachable from other "
                        + "machines WITHOUT authentication; put an authenticating proxy in front or set TRIBUTARY_API_TOKEN",
                        address);
            }
            return http.authorizeExchange(a -> a.anyExchange().permitAll()).build();
        }
        log.info("TRIBUTARY_API_TOKEN is set: every request but /actuator/health needs 'Authorization: Bearer <token>'; "
                + "listening on {}", address);
        ServerAuthenticationEntryPoint unauthorized = (exchange, e) -> reject(exchange.getResponse(),
                "this endpoint needs the header 'Authorization: Bearer <token>' with the token in TRIBUTARY_API_TOKEN");
        AuthenticationWebFilter bearer = new AuthenticationWebFilter(manager(token.get()));
        bearer.setServerAuthenticationConverter(ApiSecurity::bearerToken);
        // a probe that happens to send a stale token still gets its health
        bearer.setRequiresAuthenticationMatcher(new NegatedServerWebExchangeMatcher(OPEN));
        bearer.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(
                (exchange, e) -> reject(exchange.getResponse(), "the bearer token is not valid")));
        bearer.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return http.addFilterAt(bearer, SecurityWebFiltersOrder.AUTHENTICATION)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized))
                .authorizeExchange(a -> a.matchers(OPEN).permitAll().anyExchange().authenticated())
                .build();
    }

    private static ReactiveAuthenticationManager manager(ApiToken token) {
        return authentication -> {
            Object candidate = authentication.getCredentials();
            if (candidate instanceof String s && token.matches(s)) {
                return Mono.just(UsernamePasswordAuthenticationToken.authenticated("api", null,
                        List.of(new SimpleGrantedAuthority("ROLE_API"))));
            }
            return Mono.error(new BadCredentialsException("the bearer token is not valid"));
        };
    }

    /** {@code Authorization: Bearer <token>}; any other header (or none) is no authentication attempt. */
    private static Mono<org.springframework.security.core.Authentication> bearerToken(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Mono.empty();
        }
        return Mono.just(UsernamePasswordAuthenticationToken.unauthenticated("api", header.substring(BEARER.length()).strip()));
    }

    private static Mono<Void> reject(ServerHttpResponse response, String message) {
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tributary\"");
        // the next request on a kept-alive connection after an early 401 was twice left unread by the server (its
        // socket's receive queue held it); closing the connection after a refusal leaves nothing to hang on
        response.getHeaders().set(HttpHeaders.CONNECTION, "close");
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] json = ("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"" + message + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        DataBuffer buffer = response.bufferFactory().wrap(json);
        return response.writeWith(Mono.just(buffer));
    }
}
