package com.assignr.resilience.httpclient5.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.function.Supplier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.Test;

/** The bounded copy of a single-use request entity, taken before the call starts. */
class EntityCopyTest {
  private static final byte[] BODY = "{\"game\":{\"home_team\":\"Hawks\"}}".getBytes(StandardCharsets.UTF_8);
  private static final ContentType JSON = ContentType.APPLICATION_JSON;

  /** A stream that counts the bytes read from it, so "never read ahead" can be checked. */
  private static final class CountingStream extends ByteArrayInputStream {
    int read;

    CountingStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public synchronized int read() {
      int b = super.read();
      if (b >= 0) read++;
      return b;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      int n = super.read(b, off, len);
      if (n > 0) read += n;
      return n;
    }
  }

  private static byte[] written(HttpEntity entity) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    entity.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void aStreamWithinTheLimitIsCopiedAndDeclaresWhatTheOriginalDeclared() throws IOException {
    HttpEntity copy = EntityCopy.replayable(new InputStreamEntity(new ByteArrayInputStream(BODY), -1, JSON), 1024);

    assertTrue(copy.isRepeatable());
    assertArrayEquals(BODY, written(copy));
    assertArrayEquals(BODY, written(copy), "the same bytes on every attempt");
    assertEquals(-1, copy.getContentLength(), "still chunked on the wire");
    assertTrue(copy.isChunked() == new InputStreamEntity(InputStream.nullInputStream(), -1, JSON).isChunked());
    assertEquals(JSON.toString(), copy.getContentType());
  }

  @Test
  void aDeclaredLengthIsReadNoFurtherThanHttpClientWouldSend() throws IOException {
    CountingStream in = new CountingStream(BODY);

    HttpEntity copy = EntityCopy.replayable(new InputStreamEntity(in, 10, JSON), 1024);

    assertEquals(10, in.read);
    assertEquals(10, copy.getContentLength());
    assertArrayEquals(java.util.Arrays.copyOf(BODY, 10), written(copy));
  }

  @Test
  void aDeclaredLengthOverTheLimitIsNeverReadAhead() throws IOException {
    CountingStream in = new CountingStream(BODY);
    HttpEntity original = new InputStreamEntity(in, BODY.length, JSON);

    assertSame(original, EntityCopy.replayable(original, BODY.length - 1));
    assertEquals(0, in.read);
  }

  @Test
  void anUnknownLengthOverTheLimitIsSentOnceWhole() throws IOException {
    HttpEntity once = EntityCopy.replayable(new InputStreamEntity(new ByteArrayInputStream(BODY), -1, JSON), 8);

    assertFalse(once.isRepeatable());
    assertArrayEquals(BODY, written(once), "what was read ahead, then the rest");
    IOException again = assertThrows(IOException.class, () -> written(once));
    assertTrue(again.getMessage().contains("cannot be sent twice"), again.getMessage());
  }

  @Test
  void aWriteOnlyEntityIsCopiedWhenItDeclaresALengthWithinTheLimit() throws IOException {
    WriteOnly original = new WriteOnly(BODY.length);

    HttpEntity copy = EntityCopy.replayable(original, 1024);

    assertTrue(copy.isRepeatable());
    assertArrayEquals(BODY, written(copy));
    assertArrayEquals(BODY, written(copy));
    assertEquals(1, original.writes.get());
  }

  @Test
  void aWriteOnlyEntityOfUnknownLengthIsLeftAloneAndNeverWritten() throws IOException {
    WriteOnly original = new WriteOnly(-1);

    assertSame(original, EntityCopy.replayable(original, 1024));
    assertEquals(0, original.writes.get());
  }

  @Test
  void aLimitOfZeroCopiesNothing() throws IOException {
    HttpEntity original = new InputStreamEntity(new ByteArrayInputStream(BODY), -1, JSON);

    assertSame(original, EntityCopy.replayable(original, 0));
  }

  @Test
  void aStreamThatFailsWhileReadAheadFailsTheCallBeforeAnythingIsSent() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }
    };

    IOException e = assertThrows(IOException.class,
        () -> EntityCopy.replayable(new InputStreamEntity(broken, -1, JSON), 1024));

    assertTrue(e.getMessage().contains("reading the request entity failed"), e.getMessage());
    assertInstanceOf(IOException.class, e.getCause());
  }

  /** Writes {@link #BODY} once; cannot be read. */
  private static final class WriteOnly implements HttpEntity {
    final AtomicInteger writes = new AtomicInteger();
    private final long length;

    WriteOnly(long length) {
      this.length = length;
    }

    @Override public boolean isRepeatable() { return false; }
    @Override public InputStream getContent() { throw new UnsupportedOperationException(); }
    @Override public boolean isStreaming() { return true; }
    @Override public Supplier<List<? extends Header>> getTrailers() { return null; }
    @Override public long getContentLength() { return length; }
    @Override public String getContentType() { return JSON.toString(); }
    @Override public String getContentEncoding() { return null; }
    @Override public boolean isChunked() { return length < 0; }
    @Override public Set<String> getTrailerNames() { return Set.of(); }
    @Override public void close() { }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      writes.incrementAndGet();
      out.write(BODY);
    }
  }
}
