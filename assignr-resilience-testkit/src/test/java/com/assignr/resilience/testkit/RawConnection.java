package com.assignr.resilience.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One persistent HTTP/1.1 connection driven by hand, so a test knows exactly which requests shared
 * a connection and which bytes came back. Reads time out after 10 s rather than hang.
 */
final class RawConnection implements AutoCloseable {

  /** A response read off the wire; {@code body} holds the bytes that arrived. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private int requests;

  private RawConnection(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawConnection open(int port) throws IOException {
    return new RawConnection(new Socket("localhost", port));
  }

  static RawConnection openTls(int port, SSLContext context) throws IOException {
    SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
    tls.startHandshake();
    return new RawConnection(tls);
  }

  /** Requests sent on this connection so far. */
  int requestsSent() {
    return requests;
  }

  /** Sends one request as an Assignr client would (Accept, Bearer token, keep-alive). */
  void send(String method, String path, String jsonBody, String... extraHeaders) throws IOException {
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: localhost:").append(socket.getPort()).append("\r\n")
        .append("Accept: ").append(AssignrSimulator.MEDIA_TYPE).append("\r\n")
        .append("Authorization: Bearer ").append(Http.TOKEN).append("\r\n")
        .append("Connection: keep-alive\r\n");
    for (String header : extraHeaders) {
      head.append(header).append("\r\n");
    }
    if (jsonBody != null) {
      head.append("Content-Type: ").append(AssignrSimulator.MEDIA_TYPE).append("\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
    requests++;
  }

  /**
   * Reads status line, headers and a {@code Content-Length} or chunked body. Throws {@link EOFException}
   * when the stream ends early, or the socket's exception (e.g. a reset).
   */
  Response readResponse() throws IOException {
    Response head = readHead();
    String length = head.header("Content-Length");
    if (length == null && "chunked".equalsIgnoreCase(head.header("Transfer-Encoding"))) {
      return new Response(head.status(), head.headers(), readChunked());
    }
    if (length == null) {
      throw new IOException("test helper expects Content-Length or chunked, got "
          + head.headers());
    }
    return new Response(head.status(), head.headers(), exactly(Integer.parseInt(length)));
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line();
      int semicolon = sizeLine.indexOf(';');
      int size = Integer.parseInt(
          (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        while (!line().isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(exactly(size));
      line();
    }
  }

  private byte[] exactly(int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n) {
      throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("stream ended inside a chunked body");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  /** Reads status line and headers, then every byte until the server closes the connection. */
  Response readHeadThenToEnd() throws IOException {
    Response head = readHead();
    return new Response(head.status(), head.headers(), in.readAllBytes());
  }

  /** Reads until end of stream; returns how many bytes came (a reset throws instead). */
  int bytesUntilEnd() throws IOException {
    return in.readAllBytes().length;
  }

  private Response readHead() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("stream ended after " + head.size() + " header bytes");
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    return new Response(status, headers, new byte[0]);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
