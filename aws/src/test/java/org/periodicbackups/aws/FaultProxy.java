package org.periodicbackups.aws;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A loopback HTTP/1.1 proxy between an S3 client and a real S3 server (S3Proxy, moto) that forwards
 * every request unchanged, except those a planned {@link Rule} picks, which get a {@link Fault}: an
 * S3 error answer, a connection reset part-way through the request body, a stall, or a response cut
 * short. Requests are framed by {@code Content-Length} or chunked encoding, so that a fault applies
 * to one request of a kept-alive connection. The client's {@code Host} header is forwarded as it
 * is, so AWS V4 signatures stay valid.
 *
 * <p>Rules say which requests they hit and how often ("part 2 of any multipart upload, the next 3
 * times"); {@link Rule#hits()} counts the faults that actually happened, for tests to assert. A
 * small fixture of our own because no emulator resets mid-request or stream-forwards large parts.
 */
public final class FaultProxy implements AutoCloseable {
  private static final int MAX_HEAD = 64 * 1024;

  private final URI upstream;
  private final ServerSocket server;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "fault-proxy");
            thread.setDaemon(true);
            return thread;
          });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger forwarded = new AtomicInteger();
  private volatile boolean closed;

  /** Starts forwarding from an ephemeral loopback port to {@code upstream} (http only). */
  public FaultProxy(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  /** Where clients connect instead of the upstream server. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** Requests passed to the server whole (faults excluded). */
  public int forwarded() {
    return forwarded.get();
  }

  /** Injects {@code fault} into the next {@code times} requests {@code when} matches. */
  public Rule inject(Fault fault, Predicate<Request> when, int times) {
    return inject(fault, when, 0, times);
  }

  /** As {@link #inject(Fault, Predicate, int)}, after letting {@code skip} matches pass. */
  public Rule inject(Fault fault, Predicate<Request> when, int skip, int times) {
    Rule rule = new Rule(fault, when, skip, times);
    rules.add(rule);
    return rule;
  }

  /** Removes every rule: from now on everything is forwarded. */
  public void clear() {
    rules.clear();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    threads.shutdownNow();
  }

  // ---- what to inject, and when ----

  /** What happens to a request a rule picks. */
  public sealed interface Fault {}

  /** Answers {@code status} with an S3 XML error body; the server never sees the request. */
  public record ErrorAnswer(int status, String reason, String code, String message)
      implements Fault {}

  /** Forwards the head and {@code bodyBytes} of the body, then resets the client connection. */
  public record ResetAfter(long bodyBytes) implements Fault {}

  /** Reads the request and never answers, until the client gives up and closes. */
  public record Stall() implements Fault {}

  /**
   * Forwards the request, then sends the response head (its full {@code Content-Length}) and only
   * {@code bodyBytes} of the body (at most all but one), and closes the connection: with a reset
   * when {@code reset}, else normally (the client sees the body end early).
   */
  public record TruncatedResponse(long bodyBytes, boolean reset) implements Fault {}

  /** 503 SlowDown, S3's throttling answer. */
  public static Fault slowDown() {
    return new ErrorAnswer(503, "Slow Down", "SlowDown", "Please reduce your request rate.");
  }

  /** 500 InternalError. */
  public static Fault internalError() {
    return new ErrorAnswer(
        500,
        "Internal Server Error",
        "InternalError",
        "We encountered an internal error. Please try again.");
  }

  public static Fault resetAfter(long bodyBytes) {
    return new ResetAfter(bodyBytes);
  }

  public static Fault stall() {
    return new Stall();
  }

  public static Fault truncateResponse(long bodyBytes) {
    return new TruncatedResponse(bodyBytes, false);
  }

  public static Fault resetResponseAfter(long bodyBytes) {
    return new TruncatedResponse(bodyBytes, true);
  }

  /** One request as the proxy read it. */
  public record Request(String method, String path, String query) {
    /** The {@code partNumber} of an UploadPart request, or 0. */
    public int partNumber() {
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("partNumber=") && query.contains("uploadId=")) {
          return Integer.parseInt(parameter.substring("partNumber=".length()));
        }
      }
      return 0;
    }

    @Override
    public String toString() {
      return method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
  }

  /** UploadPart requests of part {@code partNumber}. */
  public static Predicate<Request> uploadPart(int partNumber) {
    return r -> r.method().equals("PUT") && r.partNumber() == partNumber;
  }

  /** Single-request uploads (PutObject) of keys ending with {@code keySuffix}. */
  public static Predicate<Request> putObject(String keySuffix) {
    return r -> r.method().equals("PUT") && r.query().isEmpty() && r.path().endsWith(keySuffix);
  }

  /** GETs of objects whose key ends with {@code keySuffix} (not listings). */
  public static Predicate<Request> getObject(String keySuffix) {
    return r ->
        r.method().equals("GET")
            && r.path().endsWith(keySuffix)
            && !r.query().contains("list-type")
            && !r.query().contains("uploads");
  }

  /** A planned fault; thread-safe. */
  public static final class Rule {
    private final Fault fault;
    private final Predicate<Request> when;
    private int skip;
    private int remaining;
    private final List<String> hits = new CopyOnWriteArrayList<>();

    private Rule(Fault fault, Predicate<Request> when, int skip, int times) {
      this.fault = fault;
      this.when = when;
      this.skip = skip;
      this.remaining = times;
    }

    /** How many times the fault happened. */
    public int hits() {
      return hits.size();
    }

    /** The requests it happened to. */
    public List<String> hitRequests() {
      return List.copyOf(hits);
    }

    private synchronized boolean take(Request request) {
      if (remaining == 0 || !when.test(request)) {
        return false;
      }
      if (skip > 0) {
        skip--;
        return false;
      }
      remaining--;
      return true;
    }

    private void hit(Request request) {
      hits.add(request.toString());
    }

    @Override
    public String toString() {
      return fault + " (" + hits() + " hits)";
    }
  }

  private Rule ruleFor(Request request) {
    for (Rule rule : rules) {
      if (rule.take(request)) {
        return rule;
      }
    }
    return null;
  }

  // ---- forwarding ----

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          System.err.println("fault proxy: accept failed: " + e);
        }
      }
    }
  }

  /** Serves the requests of one client connection, in order, over one upstream connection. */
  private void serve(Socket client) {
    Socket server = null;
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      InputStream serverIn = null;
      OutputStream serverOut = null;
      while (true) {
        Head head = Head.read(in);
        if (head == null) {
          return;
        }
        String[] target = head.start.split(" ");
        int q = target[1].indexOf('?');
        Request request =
            new Request(
                target[0],
                q < 0 ? target[1] : target[1].substring(0, q),
                q < 0 ? "" : target[1].substring(q + 1));
        Rule rule = ruleFor(request);
        Fault fault = rule == null ? null : rule.fault;
        // The proxy answers "100 Continue" itself, so the body never waits on the server.
        boolean expectsContinue = "100-continue".equalsIgnoreCase(head.remove("Expect"));
        if (fault instanceof ErrorAnswer error) {
          // Every hit is counted before the client can see the fault: a test that reads the count
          // after its request failed always finds it.
          rule.hit(request);
          if (expectsContinue) { // answer before the body, as S3 does, and close
            writeError(out, request, error, true);
            return;
          }
          head.copyBody(in, OutputStream.nullOutputStream(), Long.MAX_VALUE);
          writeError(out, request, error, false);
          continue;
        }
        if (expectsContinue) {
          out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(ISO_8859_1));
          out.flush();
        }
        if (fault instanceof Stall) {
          head.copyBody(in, OutputStream.nullOutputStream(), Long.MAX_VALUE);
          rule.hit(request);
          while (in.read() >= 0) {
            // wait for the client to give up
          }
          return;
        }
        if (server == null) {
          server = new Socket();
          server.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
          server.setSoTimeout(60_000);
          sockets.add(server);
          serverIn = new BufferedInputStream(server.getInputStream());
          serverOut = new BufferedOutputStream(server.getOutputStream());
        }
        head.write(serverOut);
        if (fault instanceof ResetAfter reset) {
          head.copyBody(in, serverOut, reset.bodyBytes());
          serverOut.flush();
          rule.hit(request); // before the reset reaches the client
          client.setSoLinger(true, 0); // close with RST
          return;
        }
        head.copyBody(in, serverOut, Long.MAX_VALUE);
        serverOut.flush();
        Head response = Head.read(serverIn);
        while (response != null && response.start.split(" ")[1].startsWith("1")) {
          response = Head.read(serverIn); // interim answers: the client already had its own
        }
        if (response == null) {
          throw new EOFException("the server closed the connection without answering " + request);
        }
        response.bodyless |= request.method().equals("HEAD");
        if (fault instanceof TruncatedResponse cut && response.contentLength() > 0) {
          rule.hit(request);
          response.write(out);
          response.copyBody(serverIn, out, Math.min(cut.bodyBytes(), response.contentLength() - 1));
          out.flush();
          if (cut.reset()) {
            client.setSoLinger(true, 0);
          }
          return;
        }
        if (fault instanceof TruncatedResponse) {
          throw new IllegalStateException(
              "cannot truncate the answer to " + request + ": it has no body of known length");
        }
        // Counted before the client can see the answer, so that a test reading the count after
        // its request returned always finds it.
        forwarded.incrementAndGet();
        response.write(out);
        response.copyBody(serverIn, out, Long.MAX_VALUE);
        out.flush();
        if (response.closes() || head.closes()) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!closed && !(e instanceof java.net.SocketException)) {
        System.err.println("fault proxy: connection ended: " + e);
      }
    } finally {
      close(client);
      close(server);
    }
  }

  private void close(Socket socket) {
    if (socket != null) {
      sockets.remove(socket);
      try {
        socket.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  private static void writeError(
      OutputStream out, Request request, ErrorAnswer error, boolean close) throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
                + error.code()
                + "</Code><Message>"
                + error.message()
                + "</Message><Resource>"
                + request.path()
                + "</Resource><RequestId>fault-proxy</RequestId></Error>")
            .getBytes(UTF_8);
    out.write(
        ("HTTP/1.1 "
                + error.status()
                + " "
                + error.reason()
                + "\r\n"
                + "Content-Type: application/xml\r\nContent-Length: "
                + body.length
                + "\r\n"
                + "x-amz-request-id: fault-proxy\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "\r\n")
            .getBytes(ISO_8859_1));
    if (!request.method().equals("HEAD")) {
      out.write(body);
    }
    out.flush();
  }

  /** The start line and headers of a request or response, and how its body is framed. */
  private static final class Head {
    final String start;
    final List<String[]> headers = new ArrayList<>();
    boolean bodyless;

    private Head(String start) {
      this.start = start;
    }

    /** The next head, or null at the end of the stream before any byte of one. */
    static Head read(InputStream in) throws IOException {
      String start = line(in, true);
      if (start == null) {
        return null;
      }
      Head head = new Head(start);
      for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
        int colon = line.indexOf(':');
        head.headers.add(
            new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
      }
      if (!start.startsWith("HTTP/")) {
        head.bodyless = head.get("Content-Length") == null && !head.chunked();
      } else {
        int status = Integer.parseInt(start.split(" ")[1]);
        head.bodyless = status < 200 || status == 204 || status == 304;
      }
      return head;
    }

    private static String line(InputStream in, boolean eofAllowed) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          if (eofAllowed && line.size() == 0) {
            return null;
          }
          throw new EOFException("connection closed inside an HTTP head");
        }
        if (line.size() > MAX_HEAD) {
          throw new IOException("HTTP head line longer than " + MAX_HEAD + " bytes");
        }
        line.write(b);
      }
      String text = line.toString(ISO_8859_1);
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    String get(String name) {
      for (String[] header : headers) {
        if (header[0].equalsIgnoreCase(name)) {
          return header[1];
        }
      }
      return null;
    }

    String remove(String name) {
      String value = get(name);
      headers.removeIf(h -> h[0].equalsIgnoreCase(name));
      return value;
    }

    boolean chunked() {
      String encoding = get("Transfer-Encoding");
      return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    long contentLength() {
      String length = get("Content-Length");
      return length == null || chunked() ? -1 : Long.parseLong(length);
    }

    boolean closes() {
      return "close".equalsIgnoreCase(get("Connection"))
          || (!bodyless && !chunked() && contentLength() < 0); // a body that ends at close
    }

    void write(OutputStream out) throws IOException {
      StringBuilder text = new StringBuilder(start).append("\r\n");
      for (String[] header : headers) {
        text.append(header[0]).append(": ").append(header[1]).append("\r\n");
      }
      out.write(text.append("\r\n").toString().getBytes(ISO_8859_1));
    }

    /** Copies the body as framed, stopping after {@code limit} bytes of it. */
    boolean copyBody(InputStream in, OutputStream out, long limit) throws IOException {
      if (bodyless) {
        return true;
      }
      if (!chunked()) {
        long length = contentLength();
        copy(in, out, length < 0 ? Long.MAX_VALUE : length, limit, length < 0);
        return true;
      }
      long left = limit;
      while (true) {
        String sizeLine = line(in, false);
        out.write((sizeLine + "\r\n").getBytes(ISO_8859_1));
        long size = Long.parseLong(sizeLine.split(";")[0].strip(), 16);
        if (size == 0) {
          for (String trailer = line(in, false); ; trailer = line(in, false)) {
            out.write((trailer + "\r\n").getBytes(ISO_8859_1));
            if (trailer.isEmpty()) {
              return true;
            }
          }
        }
        long copied = copy(in, out, size, left, false);
        left -= copied;
        if (copied < size) {
          return false;
        }
        out.write((line(in, false) + "\r\n").getBytes(ISO_8859_1));
      }
    }

    /** Copies up to {@code min(length, limit)} bytes; returns how many. */
    private static long copy(
        InputStream in, OutputStream out, long length, long limit, boolean untilEnd)
        throws IOException {
      byte[] buffer = new byte[64 * 1024];
      long want = Math.min(length, limit);
      long copied = 0;
      while (copied < want) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, want - copied));
        if (n < 0) {
          if (untilEnd) {
            return copied;
          }
          throw new EOFException("body ended after " + copied + " of " + length + " bytes");
        }
        out.write(buffer, 0, n);
        copied += n;
      }
      return copied;
    }
  }
}
