package rdpdoctor.protocol.tsgu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import rdpdoctor.protocol.DecodeException;

/**
 * [RFC 9112] 2-5 the head of an HTTP/1.1 message (start line and header fields), as the RD
 * Gateway's RDG_OUT_DATA / RDG_IN_DATA exchange uses it: a response's status and WWW-Authenticate
 * challenges for the client, a request's method and headers for the bench's server side. The body
 * is not part of it: after the head the connection carries MS-TSGU packets.
 *
 * <p>No HTTP library fits: the methods are not standard, and after the head the same connection
 * carries a binary stream (or a WebSocket), which general-purpose clients do not hand over.
 *
 * @param startLine "HTTP/1.1 401 Unauthorized" or "RDG_OUT_DATA /remoteDesktopGateway/ HTTP/1.1"
 * @param headers the header fields in order, names as sent
 */
public record HttpHead(String startLine, List<Header> headers) {
  /** A head larger than this is refused (Windows' http.sys allows 16 KiB per header line by default). */
  public static final int MAX_HEAD = 64 * 1024;
  /** At most this many header fields. */
  public static final int MAX_HEADERS = 200;

  /** One header field. */
  public record Header(String name, String value) {}

  public HttpHead {
    headers = List.copyOf(headers);
  }

  /** Parses a head that ends with CRLF CRLF (as {@link Framer} delivers it). */
  public static HttpHead decode(byte[] head) {
    try {
      DecodeException.checkBound("HTTP head length", head.length, MAX_HEAD);
      String text = new String(head, StandardCharsets.ISO_8859_1);
      String[] lines = text.split("\r\n", -1);
      if (lines.length < 1 || lines[0].isEmpty()) {
        throw new DecodeException.InvalidField("start line", "empty");
      }
      List<Header> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i];
        if (line.isEmpty()) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new DecodeException.InvalidField("header field " + i, "no name before ':' in \""
              + shorten(line) + "\"");
        }
        if (headers.size() == MAX_HEADERS) {
          throw new DecodeException.InvalidField("header count", "more than " + MAX_HEADERS);
        }
        headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
      return new HttpHead(lines[0], headers);
    } catch (DecodeException e) {
      throw e.in("cannot read HTTP head");
    }
  }

  private static String shorten(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  public byte[] encode() {
    StringBuilder b = new StringBuilder(startLine).append("\r\n");
    for (Header h : headers) {
      b.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
  }

  /** Every value of a header, by case-insensitive name (WWW-Authenticate comes once per scheme). */
  public List<String> all(String name) {
    return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
  }

  /** A response's status code ("HTTP/1.1 401 ..." gives 401). */
  public int status() {
    String[] parts = startLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new DecodeException.InvalidField("status line", "\"" + shorten(startLine)
          + "\" (expected: HTTP/1.1 NNN reason)").in("cannot read HTTP response");
    }
    return Integer.parseInt(parts[1]);
  }

  /** A request's method ("RDG_OUT_DATA"). */
  public String method() {
    int sp = startLine.indexOf(' ');
    return sp < 0 ? startLine : startLine.substring(0, sp);
  }

  /** The schemes a 401 offers, from its WWW-Authenticate fields: "NTLM", "Negotiate", "Basic"... */
  public List<String> schemes() {
    List<String> out = new ArrayList<>();
    for (String v : all("WWW-Authenticate")) {
      String scheme = v.split("[ ,]", 2)[0];
      if (!scheme.isEmpty() && out.stream().noneMatch(s -> s.equalsIgnoreCase(scheme))) {
        out.add(scheme);
      }
    }
    return out;
  }

  /** The token after a scheme in WWW-Authenticate or Authorization ("NTLM TlRMTVNT..."), if any. */
  public Optional<String> token(String field, String scheme) {
    for (String v : all(field)) {
      String[] parts = v.split(" ", 2);
      if (parts[0].equalsIgnoreCase(scheme) && parts.length == 2 && !parts[1].isBlank()) {
        return Optional.of(parts[1].trim());
      }
    }
    return Optional.empty();
  }

  /** Whether a header holds a token, comma-separated and case-insensitive ("Connection: keep-alive, Upgrade"). */
  public boolean hasToken(String name, String token) {
    return all(name).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
        .anyMatch(t -> t.trim().toLowerCase(Locale.ROOT).equals(token.toLowerCase(Locale.ROOT)));
  }

  /**
   * Sans-I/O search for the end of a head: {@link #offer} takes bytes up to and including the blank
   * line and no further, so what follows (MS-TSGU packets, a WebSocket frame) stays with the caller.
   * More than {@code max} bytes without the blank line fail: a 10 MB header never buffers.
   */
  public static final class Framer {
    private final int max;
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream(512);
    /** How many bytes of CR LF CR LF have been seen at the end of the buffer. */
    private int matched;
    private boolean done;

    public Framer(int max) {
      this.max = max;
    }

    public Framer() {
      this(MAX_HEAD);
    }

    /** Takes bytes until the head ends; returns how many it took. */
    public int offer(byte[] data, int offset, int count) {
      int i = 0;
      while (i < count && !done) {
        byte b = data[offset + i++];
        buf.write(b);
        matched = switch (matched) {
          case 0, 2 -> b == '\r' ? matched + 1 : 0;
          case 1, 3 -> b == '\n' ? matched + 1 : b == '\r' ? 1 : 0;
          default -> 0;
        };
        if (matched == 4) {
          done = true;
        } else if (buf.size() >= max) {
          throw new DecodeException.InvalidField("HTTP head length",
              "more than " + max + " bytes without the blank line that ends it").in("cannot read HTTP head");
        }
      }
      return i;
    }

    public boolean complete() {
      return done;
    }

    public int received() {
      return buf.size();
    }

    public HttpHead head() {
      if (!done) {
        throw new IllegalStateException("head incomplete after " + buf.size() + " bytes");
      }
      return decode(buf.toByteArray());
    }
  }
}
