package dev.chatplatform.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request, so a test can send what no well-behaved client
 * would: raw bytes in the request line, a body that does not match its Content-Type, a chunked body of any size.
 * The server may answer and close before the whole body is sent (a refused oversized body): the answer is
 * still read.
 */
public final class RawHttp {

    private final String host;
    private final int port;
    private final Duration timeout;

    public RawHttp(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** What the server answered; {@code body} is de-chunked. */
    public record Response(int status, Map<String, String> headers, byte[] body) {

        /** A header by its lower-case name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one request.
     *
     * @param target  the request target exactly as written on the request line (bytes, may be malformed)
     * @param headers header lines without CR LF ({@code Host} and {@code Connection: close} are added)
     * @param body    the body, or null; sent with Content-Length unless {@code chunkSize > 0}
     */
    public Response send(String method, byte[] target, Iterable<String> headers, byte[] body, int chunkSize) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.write(method.getBytes(StandardCharsets.ISO_8859_1));
            head.write(' ');
            head.write(target);
            head.write(" HTTP/1.1\r\nHost: ".getBytes(StandardCharsets.ISO_8859_1));
            head.write((host + ":" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (String h : headers) {
                head.write((h + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (body != null && chunkSize > 0) {
                head.write("Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (body != null) {
                head.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(head.toByteArray());
                if (body != null) {
                    writeBody(out, body, chunkSize);
                }
                out.flush();
            } catch (SocketException e) {
                // the server answered and closed while the body was still being sent: read what it said
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + new String(target, StandardCharsets.ISO_8859_1) + ": " + e, e);
        }
    }

    private static void writeBody(OutputStream out, byte[] body, int chunkSize) throws IOException {
        if (chunkSize <= 0) {
            out.write(body);
            return;
        }
        for (int offset = 0; offset < body.length; offset += chunkSize) {
            int n = Math.min(chunkSize, body.length - offset);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, offset, n);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Response read(InputStream raw) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("connection closed without an answer");
        }
        while (statusLine.startsWith("HTTP/1.1 1")) {
            // interim answer (100 Continue): skip its headers
            while (!line(in).isEmpty()) {
                // skip
            }
            statusLine = line(in);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                out.write(in.readNBytes(size));
                line(in);
            }
            body = out.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static int chunkSize(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isBlank()) {
            return 0;
        }
        int semicolon = line.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
    }

    /** One line without its CR LF, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            out.write(b);
        }
        return out.size() == 0 ? null : out.toString(StandardCharsets.ISO_8859_1);
    }
}
