package dev.chatplatform.kit.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body has no declared length (chunked): reading past {@code maxBytes} throws {@link
 * TooLarge}, which {@link ApiErrorHandler} answers with 413. A body with a Content-Length over the limit never
 * gets this far ({@link EdgeFilter} refuses it before reading), so both ways of sending a body meet the same limit
 * and a service never buffers more than the limit.
 */
final class BoundedBodyRequest extends HttpServletRequestWrapper {

    private final long maxBytes;
    private ServletInputStream in;

    BoundedBodyRequest(HttpServletRequest request, long maxBytes) {
        super(request);
        this.maxBytes = maxBytes;
    }

    /** The body went past the limit while it was read. */
    static final class TooLarge extends IOException {

        TooLarge(long maxBytes) {
            super("The request body is larger than " + maxBytes + " bytes.");
        }
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (in == null) {
            in = new Bounded(super.getInputStream(), maxBytes);
        }
        return in;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private static final class Bounded extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long maxBytes;
        private long read;

        Bounded(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > maxBytes) {
                throw new TooLarge(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
