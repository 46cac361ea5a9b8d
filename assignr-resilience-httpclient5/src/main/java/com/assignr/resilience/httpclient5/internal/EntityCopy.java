package com.assignr.resilience.httpclient5.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.function.Supplier;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * A bounded copy of a request entity that is not repeatable, so that the engine may send it again
 * when Assignr provably did not act on it (a 429, a 503, a connection never established). Not for
 * users.
 *
 * <h2>When is the copy taken, and why then?</h2>
 *
 * <p>As in the JDK adapter: the engine decides every retry from the call's {@code RequestInfo},
 * whose {@code replayableBody} is fixed when the call starts, so the copy is taken before the call
 * starts, and the call knows exactly what it has:
 *
 * <ul>
 *   <li>An entity that can be read ({@code getContent()}, as {@code InputStreamEntity}) and
 *       declares a length within the limit: that many bytes are read ({@link Copied}), the bytes
 *       HttpClient would have sent (it sends no more than the declared length). One of unknown
 *       length is read up to the limit: the whole of it fits, {@link Copied}; it does not, the
 *       call carries the bytes read so far followed by the rest of the stream ({@link SendOnce})
 *       and is sent once, as without a copy, holding at most the limit plus one read's worth.
 *   <li>An entity that can only be written ({@code getContent()} unsupported, as Spring's
 *       streaming bodies): written once into the copy when it declares a length within the
 *       limit; with no declared length it is left as it is and sent once, since a body that
 *       turns out larger than the limit could then be sent neither whole nor again.
 *   <li>A declared length over the limit: left as it is, sent once, never read ahead.
 * </ul>
 *
 * <p>A copy declares what the original declared (length, type, encoding, chunking), so what goes on
 * the wire is unchanged. The original is closed once its bytes are copied. The copy is held for the
 * whole call, waits included: at most the limit per call.
 */
final class EntityCopy {
  private EntityCopy() {}

  /**
   * {@code entity}, or the copy or the relay that replaces it.
   *
   * @param entity a request entity that is not repeatable
   * @param limit the most bytes to copy; 0 copies nothing
   * @throws IOException when the entity fails while it is read ahead (nothing has been sent)
   */
  static HttpEntity replayable(HttpEntity entity, long limit) throws IOException {
    long declared = entity.getContentLength();
    if (limit <= 0 || declared > limit) return entity;
    InputStream content;
    try {
      content = entity.getContent();
    } catch (UnsupportedOperationException | IllegalStateException writeOnly) {
      content = null;
    }
    try {
      if (content == null) {
        if (declared < 0) return entity;
        LimitedBuffer out = new LimitedBuffer((int) declared);
        entity.writeTo(out);
        closeQuietly(entity);
        return new Copied(entity, out.bytes());
      }
      int want = declared >= 0 ? (int) declared : (int) limit + 1;
      byte[] head = content.readNBytes(want);
      if (declared >= 0 || head.length <= limit) {
        closeQuietly(content);
        closeQuietly(entity);
        return new Copied(entity, head);
      }
      return new SendOnce(entity, head, content);
    } catch (IOException | RuntimeException e) {
      if (content != null) closeQuietly(content);
      throw new IOException("reading the request entity failed", e);
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // The bytes are copied; the original is of no further use.
    }
  }

  /** Keeps the first {@code size} bytes written and drops the rest, as HttpClient's length framing does. */
  private static final class LimitedBuffer extends OutputStream {
    private final byte[] bytes;
    private int count;

    LimitedBuffer(int size) {
      this.bytes = new byte[size];
    }

    @Override
    public void write(int b) {
      if (count < bytes.length) bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      int n = Math.min(len, bytes.length - count);
      if (n <= 0) return;
      System.arraycopy(b, off, bytes, count, n);
      count += n;
    }

    byte[] bytes() {
      return count == bytes.length ? bytes : Arrays.copyOf(bytes, count);
    }
  }

  /** What an entity declares about itself, kept from the original. */
  private abstract static class Declared implements HttpEntity {
    private final long length;
    private final String type;
    private final String encoding;
    private final boolean chunked;
    private final HttpEntity original;

    Declared(HttpEntity original) {
      this.original = original;
      this.length = original.getContentLength();
      this.type = original.getContentType();
      this.encoding = original.getContentEncoding();
      this.chunked = original.isChunked();
    }

    HttpEntity original() {
      return original;
    }

    @Override public long getContentLength() { return length; }
    @Override public String getContentType() { return type; }
    @Override public String getContentEncoding() { return encoding; }
    @Override public boolean isChunked() { return chunked; }
    @Override public Set<String> getTrailerNames() { return original.getTrailerNames(); }
    @Override public Supplier<List<? extends Header>> getTrailers() { return original.getTrailers(); }
  }

  /** The whole entity, within the limit: the same bytes on every attempt. */
  static final class Copied extends Declared {
    private final byte[] bytes;

    Copied(HttpEntity original, byte[] bytes) {
      super(original);
      this.bytes = bytes;
    }

    @Override public boolean isRepeatable() { return true; }
    @Override public boolean isStreaming() { return false; }
    @Override public InputStream getContent() { return new ByteArrayInputStream(bytes); }
    @Override public void writeTo(OutputStream out) throws IOException { out.write(bytes); }
    @Override public void close() { }

    @Override
    public String toString() {
      return "copied(" + bytes.length + " bytes)";
    }
  }

  /** An entity over the limit: what was read, then the rest of the original. Sent once. */
  static final class SendOnce extends Declared {
    private final byte[] head;
    private final InputStream rest;
    private boolean used;

    SendOnce(HttpEntity original, byte[] head, InputStream rest) {
      super(original);
      this.head = head;
      this.rest = rest;
    }

    @Override public boolean isRepeatable() { return false; }
    @Override public boolean isStreaming() { return true; }

    @Override
    public synchronized InputStream getContent() throws IOException {
      use();
      return new SequenceInputStream(new ByteArrayInputStream(head), rest);
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      synchronized (this) {
        use();
      }
      out.write(head);
      rest.transferTo(out);
    }

    private void use() throws IOException {
      if (used) throw new IOException("a single-use request entity cannot be sent twice");
      used = true;
    }

    @Override
    public void close() throws IOException {
      try {
        rest.close();
      } finally {
        original().close();
      }
    }

    @Override
    public String toString() {
      return "sendOnce(" + original() + ")";
    }
  }
}
