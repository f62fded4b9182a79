package dev.chatplatform.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The malformed requests sent to one endpoint: odd path variables (encoded slashes, NUL, broken percent- and
 * UTF-8 encodings, huge values), odd query parameters (wrong types, out-of-range numbers and dates, control
 * characters), odd bodies (not JSON, wrong JSON types, NUL and lone surrogates, huge and deeply nested values,
 * invalid UTF-8, a chunked body over the limit) and odd content types. Deterministic: the same endpoint always
 * gets the same corpus, so a failure can be replayed.
 */
public final class FuzzCorpus {

    /** One request as it goes on the wire; {@code target} is the raw request target. */
    public record Request(String method, String target, List<String> headers, byte[] body, int chunkSize) {

        @Override
        public String toString() {
            String shown = target.length() > 120 ? target.substring(0, 120) + "..." : target;
            String content = body == null ? "" : " body=" + (body.length > 80
                    ? new String(body, 0, 80, StandardCharsets.UTF_8) + "...(" + body.length + " bytes)"
                    : new String(body, StandardCharsets.UTF_8));
            return method + " " + shown + " " + headers + content + (chunkSize > 0 ? " chunked" : "");
        }
    }

    /**
     * An endpoint: its method, path pattern ({@code /api/v1/things/{id}}), the query parameter names it reads
     * and the JSON property names its body has (none when it takes no body).
     */
    public record Endpoint(String method, String pattern, Collection<String> queryParams, Collection<String> bodyFields,
                           boolean takesBody) {
    }

    static final String JSON = "Content-Type: application/json";
    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:]+)(?::[^}]*)?}");

    private static final List<String> PATH_VALUES = List.of("x", "%00", "a%2Fb", "%2e%2e%2F%2e%2e", "%zz", "%C3%28",
            "%ED%A0%80", "%FF", "%0D%0A", "%F0%9F%98%80", "-1", "99999999999999999999", "%20", "%25", "a".repeat(3000));

    private static final List<String> QUERY_VALUES = List.of("%00", "a%00b", "%ED%A0%80", "%FF", "%zz", "-1", "0",
            "99999999999999999999", "1e309", "NaN", "abc", "true", "%5B%5D", "%2B99999-01-01", "0000-01-01",
            "-0001-12-31", "9999-12-31", "2026-02-30", "2026-13-01", "%01%1F", "x".repeat(5000));

    /** JSON values of every type and several sizes, each wrong for most fields. */
    private static final List<String> FIELD_VALUES = List.of("123", "-1", "1e308", "99999999999999999999999999",
            "true", "[]", "{}", "null", "\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00\"",
            "\"\\u0001\\u001f\\u007f\"", "\"2026-13-45\"", "\"" + "y".repeat(200_000) + "\"",
            "[" + "[".repeat(3000) + "]".repeat(3000) + "]", "[\"a\",1,null,{}]", "{\"\\u0000\":1}");

    private static final List<String> BODIES = List.of("", "null", "[]", "{", "{}}", "\"text\"", "123", "true",
            "{\"a\":1,}", "{'a':1}", "\uFEFF{}", "{\"x\":1e999999}", "{\"x\":" + "9".repeat(5000) + "}",
            "[".repeat(10_000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), "{\"\\ud800\":1}");

    private static final List<String> CONTENT_TYPES = List.of("multipart/form-data; boundary=xyz", "multipart/form-data",
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream",
            "application/json; charset=UTF-16", "application/json; charset=bogus", "application/vnd.api+json", "*/*",
            "application/json, text/plain", "");

    private FuzzCorpus() {
    }

    /** Every malformed request for {@code endpoint}, each carrying {@code identity} (a header line). */
    public static List<Request> requests(Endpoint endpoint, String identity, long maxBodyBytes) {
        List<Request> out = new ArrayList<>();
        String method = endpoint.method();
        String plainPath = fill(endpoint.pattern(), "fuzz-x");
        byte[] emptyObject = endpoint.takesBody() ? "{}".getBytes(StandardCharsets.UTF_8) : null;
        List<String> json = endpoint.takesBody() ? List.of(identity, JSON) : List.of(identity);

        if (VARIABLE.matcher(endpoint.pattern()).find()) {
            for (String value : PATH_VALUES) {
                out.add(new Request(method, fill(endpoint.pattern(), value), json, emptyObject, 0));
            }
        }
        for (String name : endpoint.queryParams()) {
            for (String value : QUERY_VALUES) {
                out.add(new Request(method, plainPath + "?" + name + "=" + value, json, emptyObject, 0));
            }
        }
        out.add(new Request(method, plainPath + "?%00=1&a=%", json, emptyObject, 0));
        out.add(new Request(method, plainPath, List.of(identity, "Accept: text/html"), emptyObject, 0));
        out.add(new Request(method, plainPath, List.of(identity, "Accept: application/xml"), emptyObject, 0));
        for (String type : CONTENT_TYPES) {
            List<String> headers = type.isEmpty() ? List.of(identity) : List.of(identity, "Content-Type: " + type);
            out.add(new Request(method, plainPath, headers, "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8), 0));
        }
        if (!endpoint.takesBody()) {
            return out;
        }
        for (String body : BODIES) {
            out.add(new Request(method, plainPath, json, body.getBytes(StandardCharsets.UTF_8), 0));
        }
        out.add(new Request(method, plainPath, json, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'}, 0));
        out.add(new Request(method, plainPath, json, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0,
                (byte) 0x80, '"', '}'}, 0));
        for (String field : endpoint.bodyFields()) {
            for (String value : FIELD_VALUES) {
                out.add(new Request(method, plainPath, json,
                        ("{\"" + field + "\":" + value + "}").getBytes(StandardCharsets.UTF_8), 0));
            }
        }
        byte[] tooLarge = new byte[(int) maxBodyBytes + 1024];
        java.util.Arrays.fill(tooLarge, (byte) ' ');
        tooLarge[0] = '[';
        tooLarge[tooLarge.length - 1] = ']';
        out.add(new Request(method, plainPath, json, tooLarge, 64 * 1024));
        out.add(new Request(method, plainPath, json, tooLarge, 0));
        return out;
    }

    /** {@code pattern} with every path variable replaced by {@code value} (already encoded as it goes on the wire). */
    static String fill(String pattern, String value) {
        return VARIABLE.matcher(pattern).replaceAll(Matcher.quoteReplacement(value));
    }
}
