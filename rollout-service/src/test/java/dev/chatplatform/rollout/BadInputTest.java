package dev.chatplatform.rollout;

import dev.chatplatform.kit.identity.IdentityTokens;
import dev.chatplatform.testkit.PlatformIntegrationTest;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.testkit.fuzz.RawHttp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's edge (service-kit {@code web}) refusing what no handler should see, on a real service over a raw
 * socket: each answer is a 4xx in the platform's JSON error shape naming the problem.
 */
@PlatformIntegrationTest
class BadInputTest {

    private static final String ADMIN = IdentityTokens.HEADER + ": " + TestIdentities.token("acc-bad-input", "admin");
    private static final String JSON = "Content-Type: application/json";

    @LocalServerPort
    int port;

    private RawHttp.Response send(String method, String target, List<String> headers, byte[] body, int chunkSize) {
        return new RawHttp("localhost", port, Duration.ofSeconds(30))
                .send(method, target.getBytes(StandardCharsets.ISO_8859_1), headers, body, chunkSize);
    }

    private static void assertError(RawHttp.Response response, int status, String code, String param) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("content-type")).startsWith("application/json");
        assertThat(response.text()).contains("\"code\":\"" + code + "\"")
                .contains(param == null ? "\"param\":null" : "\"param\":\"" + param + "\"");
    }

    @Test
    void multipartAndFormBodiesAre415WithOrWithoutAnIdentity() {
        byte[] multipart = "--xyz\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nb\r\n--xyz--\r\n".getBytes();
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, "Content-Type: multipart/form-data; boundary=xyz"),
                multipart, 0), 415, "unsupported_media_type", null);
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, "Content-Type: multipart/form-data"),
                "garbage".getBytes(), 0), 415, "unsupported_media_type", null);
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, "Content-Type: application/x-www-form-urlencoded"),
                "key=a".getBytes(), 0), 415, "unsupported_media_type", null);
        assertError(send("POST", "/api/v1/flags", List.of("Content-Type: multipart/form-data; boundary=xyz"),
                multipart, 0), 401, "unauthenticated", null);
    }

    @Test
    void nulAndLoneSurrogatesAre400NamingTheField() {
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, JSON), "{\"key\":\"a\\u0000b\"}".getBytes(), 0),
                400, "invalid_characters", "key");
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, JSON),
                "{\"key\":\"bad-input\",\"description\":\"x\\ud800\"}".getBytes(), 0), 400, "invalid_characters", "description");
        assertError(send("GET", "/api/v1/flags/x/audit?limit=%00", List.of(ADMIN), null, 0),
                400, "invalid_characters", "limit");
        assertThat(send("GET", "/api/v1/flags/bad-input", List.of(ADMIN), null, 0).status()).isEqualTo(404);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        byte[] big = new byte[20 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, JSON), big, 65536), 413, "request_too_large", null);
        // a chunked body under the limit is read as usual
        assertError(send("POST", "/api/v1/flags", List.of(ADMIN, JSON), "{\"key\":\"a\\u0000\"}".getBytes(), 4),
                400, "invalid_characters", "key");
    }

    @Test
    void malformedPathsAndMethodsAnswerJson() {
        for (String path : List.of("/api/v1/flags/a%2Fb", "/api/v1/flags/a%00b", "/api/v1/flags/a%zzb",
                "/api/v1/flags/a%C3%28b", "/api/v1/flags/\u00e9")) {
            assertError(send("GET", path, List.of(ADMIN), null, 0), 400, "invalid_request", null);
        }
        assertError(send("TRACE", "/api/v1/flags", List.of(ADMIN), null, 0), 405, "method_not_allowed", null);
        assertError(send("GET", "/api/v1/flags/x/audit?limit=99999999999999999999", List.of(ADMIN), null, 0),
                400, "invalid_type", "limit");
    }
}
