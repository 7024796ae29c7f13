package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.tributary.app.support.RunningApp;

/**
 * Regression for issue 19: without a token, other web pages cannot use the operator's browser against the API. The
 * requests are written byte for byte (a browser's headers, a forged Host) on a plain socket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSafetyIT {

    private static final String EVIL = "http://evil.example";

    @TempDir
    static Path data;
    private RunningApp app;
    private int port;

    @BeforeAll
    void start() {
        // the demo source, no token; one origin of a dashboard is allowed to call the API
        app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString(),
                "TRIBUTARY_CORS_ORIGINS", "https://dash.example.com"));
        port = Integer.parseInt(app.baseUrl().substring(app.baseUrl().lastIndexOf(':') + 1));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @DisplayName("issue 19: a CORS preflight from another origin is refused, one from a listed origin answered")
    void preflight() throws IOException {
        Response evil = send("OPTIONS /api/sources/demo/run", "Origin: " + EVIL, "Access-Control-Request-Method: POST",
                "Access-Control-Request-Headers: content-type");
        assertThat(evil.status).isEqualTo(403);
        assertThat(evil.head).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
        assertThat(evil.body).contains("cross-origin requests from http://evil.example are not allowed")
                .contains("TRIBUTARY_CORS_ORIGINS");

        Response dashboard = send("OPTIONS /api/sources/demo/run", "Origin: https://dash.example.com",
                "Access-Control-Request-Method: POST");
        assertThat(dashboard.status).isEqualTo(200);
        assertThat(dashboard.head).containsIgnoringCase("Access-Control-Allow-Origin: https://dash.example.com");
    }

    @Test
    @DisplayName("issue 19: cross-origin text/plain and form POSTs to /run are refused and start no run")
    void crossOriginPostsAreRefused() throws IOException {
        long before = runs();
        Response text = send("POST /api/sources/demo/run", "Origin: " + EVIL, "Sec-Fetch-Site: cross-site",
                "Content-Type: text/plain", "", "x");
        assertThat(text.status).isEqualTo(403);
        assertThat(text.body).contains("a POST from another web page (Origin http://evil.example) is refused");
        Response form = send("POST /api/sources/demo/run", "Origin: " + EVIL,
                "Content-Type: application/x-www-form-urlencoded", "", "a=b");
        assertThat(form.status).isEqualTo(403);
        // a page of another port on this machine is same-site, not same-origin
        Response sameSite = send("POST /api/sources/demo/run", "Sec-Fetch-Site: same-site", "Content-Type: text/plain",
                "", "x");
        assertThat(sameSite.status).isEqualTo(403);
        Response nullOrigin = send("POST /api/sources/demo/run", "Origin: null", "Content-Type: text/plain", "", "x");
        assertThat(nullOrigin.status).isEqualTo(403);
        assertThat(runs()).as("no run was started").isEqualTo(before);
    }

    @Test
    @DisplayName("issue 19: the console's own origin, a listed origin and a non-browser client may POST")
    void ownOriginMayPost() throws IOException {
        Response console = send("POST /api/sources/demo/run", "Origin: http://127.0.0.1:" + port,
                "Sec-Fetch-Site: same-origin");
        assertThat(console.status).isEqualTo(200);
        assertThat(console.body).contains("\"status\":\"succeeded\"");
        assertThat(send("POST /api/sources/demo/run").status).as("curl sends no Origin").isEqualTo(200);
        Response dashboard = send("POST /api/sources/demo/run", "Origin: https://dash.example.com",
                "Sec-Fetch-Site: cross-site");
        assertThat(dashboard.status).isEqualTo(200);
        assertThat(dashboard.head).containsIgnoringCase("Access-Control-Allow-Origin: https://dash.example.com");
    }

    @Test
    @DisplayName("issue 19: a request whose Host is not ours (DNS rebinding) is refused, a JSON POST of an import too")
    void foreignHostIsRefused() throws IOException {
        Response read = send("GET /api/sources", "Host: evil.example:" + port);
        assertThat(read.status).isEqualTo(403);
        assertThat(read.body).contains("the Host 'evil.example' is not an address Tributary listens on")
                .contains("TRIBUTARY_ALLOWED_HOSTS").doesNotContain("\"id\":\"demo\"");
        Response startImport = send("POST /api/sources/demo/imports", "Host: evil.example:" + port,
                "Origin: http://evil.example:" + port, "Content-Type: application/json", "",
                "{\"from\":\"2024-01-01\",\"to\":\"2024-01-02\"}");
        assertThat(startImport.status).isEqualTo(403);
        assertThat(send("GET /api/imports").body).isEqualTo("[]");
        assertThat(send("GET /api/sources", "Host: localhost:" + port).status).isEqualTo(200);
        assertThat(send("GET /", "Host: 127.0.0.1:" + port).status).isEqualTo(200);
    }

    private long runs() throws IOException {
        String total = send("GET /api/sources/demo/runs?limit=1").header("X-Total-Count");
        return Long.parseLong(total);
    }

    /**
     * One HTTP/1.1 request: the request line, headers (a Host of 127.0.0.1 unless given), then after an empty
     * string the body.
     */
    private Response send(String requestLine, String... headersThenBody) throws IOException {
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
        boolean host = false;
        String body = "";
        for (int i = 0; i < headersThenBody.length; i++) {
            if (headersThenBody[i].isEmpty()) {
                body = headersThenBody[i + 1];
                break;
            }
            host |= headersThenBody[i].regionMatches(true, 0, "Host:", 0, 5);
            head.append(headersThenBody[i]).append("\r\n");
        }
        if (!host) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new Response(all.toString(StandardCharsets.UTF_8));
        }
    }

    private static final class Response {
        final int status;
        final String head;
        final String body;

        Response(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            head = raw.substring(0, split);
            String rest = raw.substring(split + 4);
            body = head.toLowerCase().contains("transfer-encoding: chunked") ? unchunk(rest) : rest;
            status = Integer.parseInt(head.substring(9, 12));
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).strip();
                }
            }
            return null;
        }

        private static String unchunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (true) {
                int eol = chunked.indexOf("\r\n", at);
                int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
                if (size == 0) {
                    return out.toString();
                }
                out.append(chunked, eol + 2, eol + 2 + size);
                at = eol + 2 + size + 2;
            }
        }
    }
}
