package dev.chatplatform.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP/1.1 load generator: {@code clients} keep-alive connections, each sending its share of
 * {@code requests} one after the other (the next as soon as the previous answer has been read whole). Raw
 * sockets and one platform thread per connection keep its own cost to a few microseconds per request, and that
 * cost is measured (the threads' CPU time), so it can be told apart from the platform's on a shared machine.
 * Answers of any status are read whole and counted; for each request it records the time to the first byte of
 * the body (the first chunk of a stream) and to the end of the answer.
 */
final class LoadGenerator {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadGenerator() {
    }

    /** What a run measured; times in nanoseconds. */
    record Result(int clients, long answered, long errors, Map<Integer, Long> statuses, List<String> failures,
                  long wallNanos, long[] totalNanos, long[] firstByteNanos, long cpuNanos) {

        double perSecond() {
            return answered * 1e9 / wallNanos;
        }

        long ok() {
            return statuses.getOrDefault(200, 0L);
        }
    }

    /**
     * Sends {@code requests} requests (spread evenly over {@code clients} connections) of {@code body} to
     * {@code url} with the given headers, and waits for every answer.
     */
    static Result run(URI url, Map<String, String> headers, byte[] body, int clients, int requests)
            throws InterruptedException {
        byte[] request = requestBytes(url, headers, body);
        boolean stream = new String(body, StandardCharsets.UTF_8).contains("\"stream\":true");
        int perClient = Math.max(1, requests / clients);
        long[][] total = new long[clients][];
        long[][] firstByte = new long[clients][];
        List<Map<Integer, Long>> statuses = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong cpu = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            Map<Integer, Long> counts = new TreeMap<>();
            statuses.add(counts);
            total[c] = new long[perClient];
            firstByte[c] = new long[perClient];
            threads[c] = Thread.ofPlatform().name("load-" + c).start(() -> {
                Connection connection = new Connection(url);
                try {
                    ready.countDown();
                    go.await();
                    long cpuStart = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < perClient; i++) {
                        long start = System.nanoTime();
                        try {
                            Answer answer = connection.exchange(request, start);
                            counts.merge(stream && answer.status == 200 && !answer.done ? BROKEN_STREAM : answer.status,
                                    1L, Long::sum);
                            total[client][i] = System.nanoTime() - start;
                            firstByte[client][i] = answer.firstByteNanos - start;
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            if (failures.size() < 5) {
                                failures.add(e.toString());
                            }
                            total[client][i] = System.nanoTime() - start;
                            firstByte[client][i] = total[client][i];
                            connection.close();
                        }
                    }
                    cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - cpuStart);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    connection.close();
                }
            });
        }
        ready.await();
        long started = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - started;
        Map<Integer, Long> merged = new TreeMap<>();
        statuses.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Long::sum)));
        long answered = merged.values().stream().mapToLong(Long::longValue).sum();
        return new Result(clients, answered, errors.get(), merged, List.copyOf(failures), wall, flatten(total),
                flatten(firstByte), cpu.get());
    }

    private static long[] flatten(long[][] perClient) {
        return Arrays.stream(perClient).flatMapToLong(Arrays::stream).toArray();
    }

    private static byte[] requestBytes(URI url, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder()
                .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        return request;
    }

    /**
     * Counted in place of 200 for a streamed answer that is not a complete answer: its body did not end with
     * {@code data: [DONE]} (it broke), or it carried an error event (the platform refused it after the stream had
     * started, e.g. provider-service's concurrency limit), so it is not an answered request.
     */
    static final int BROKEN_STREAM = 299;

    /** @param done whether the body ended with {@code [DONE]} and carried no error event: a complete stream */
    private record Answer(int status, long firstByteNanos, boolean done) {
    }

    /** One keep-alive connection, reopened after a failure or a {@code Connection: close}. */
    private static final class Connection {

        private final URI url;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] line = new byte[8192];
        /** The last bytes of a chunked body, where a complete stream's {@code data: [DONE]} is. */
        private final byte[] tail = new byte[32];
        private final byte[] chunk = new byte[8192];
        /** Whether the chunked body read so far carried an error event ({@code "error":}). */
        private boolean errorEvent;

        Connection(URI url) {
            this.url = url;
        }

        Answer exchange(byte[] request, long start) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
                socket.setSoTimeout(120_000);
                in = new BufferedInputStream(socket.getInputStream(), 65536);
                out = socket.getOutputStream();
            }
            out.write(request);
            out.flush();
            String statusLine = readLine();
            if (statusLine.length() < 12) {
                throw new IOException("bad status line '" + statusLine + "'");
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = readLine(); !header.isEmpty(); header = readLine()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            long firstByte;
            if (chunked) {
                firstByte = 0;
                while (true) {
                    String sizeLine = readLine();
                    int semicolon = sizeLine.indexOf(';');
                    long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (firstByte == 0) {
                        firstByte = System.nanoTime();
                    }
                    if (size == 0) {
                        while (!readLine().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skipKeepingTail(size);
                    readLine();
                }
            } else if (contentLength >= 0) {
                if (contentLength > 0) {
                    int first = in.read();
                    if (first < 0) {
                        throw new EOFException("connection closed in the body");
                    }
                    firstByte = System.nanoTime();
                    skip(contentLength - 1);
                } else {
                    firstByte = System.nanoTime();
                }
            } else {
                throw new IOException("answer " + status + " without a length");
            }
            if (close) {
                close();
            }
            boolean done = !errorEvent && new String(tail, StandardCharsets.ISO_8859_1).contains("[DONE]");
            Arrays.fill(tail, (byte) 0);
            errorEvent = false;
            return new Answer(status, firstByte == 0 ? start : firstByte, done);
        }

        private String readLine() throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed");
                }
                if (b == '\n') {
                    break;
                }
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
            }
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
            return new String(line, 0, n, StandardCharsets.ISO_8859_1);
        }

        /** Reads {@code bytes} of a chunk, keeping the body's last bytes in {@link #tail}. */
        private void skipKeepingTail(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                if (n < 0) {
                    throw new EOFException("connection closed in the body");
                }
                errorEvent |= new String(chunk, 0, n, StandardCharsets.ISO_8859_1).contains("\"error\":");
                int keep = Math.min(n, tail.length);
                System.arraycopy(tail, keep, tail, 0, tail.length - keep);
                System.arraycopy(chunk, n - keep, tail, tail.length - keep, keep);
                left -= n;
            }
        }

        private void skip(long bytes) throws IOException {
            long left = bytes;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("connection closed in the body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
