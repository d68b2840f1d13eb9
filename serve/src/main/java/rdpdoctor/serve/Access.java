package rdpdoctor.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.EvidenceFiles;

/**
 * Who may use the server and which POSTs are the user's own. The access token (the first line of
 * the config's {@code tokenFile}) is checked on every request when set: as
 * {@code Authorization: Bearer TOKEN} (Prometheus' {@code authorization.credentials_file}) or as the
 * HttpOnly cookie that {@code /?token=TOKEN} sets once, so the token is never typed into a form.
 * CSRF: every page sets a random cookie (SameSite=Strict, HttpOnly) and puts the same value in
 * its forms; a POST whose form field does not equal its cookie is refused. A page of another site
 * can make the browser send the cookie (not with SameSite=Strict, but older browsers) but cannot
 * read it, so it cannot write the field.
 */
final class Access {
  static final String TOKEN_COOKIE = "rdpdoctor_token";
  static final String CSRF_COOKIE = "rdpdoctor_csrf";
  static final String CSRF_FIELD = "csrf";
  /** A guessable token protects nothing: 128 bits of base64 is 22 characters. */
  static final int MIN_TOKEN_CHARS = 20;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final @Nullable String token;

  Access(@Nullable String token) {
    this.token = token;
  }

  /** The token from the file's first line; the file is refused when the token is short. */
  static String readToken(Path file) throws IOException {
    String text = new String(EvidenceFiles.read(file, "token file", 4096), StandardCharsets.UTF_8);
    String first = text.lines().findFirst().orElse("").strip();
    if (first.length() < MIN_TOKEN_CHARS) {
      throw new IllegalArgumentException("the token file " + file + " holds " + first.length()
          + " characters on its first line (expected: >= " + MIN_TOKEN_CHARS + "); make one with: head -c 24 /dev/urandom | base64");
    }
    return first;
  }

  boolean tokenRequired() {
    return token != null;
  }

  /** Whether the request carries the token (header or cookie); true when no token is set. */
  boolean allowed(@Nullable String authorization, @Nullable String cookie) {
    if (token == null) {
      return true;
    }
    if (authorization != null && authorization.startsWith("Bearer ") && same(authorization.substring(7).strip(), token)) {
      return true;
    }
    return cookie != null && same(cookie, token);
  }

  boolean isToken(@Nullable String candidate) {
    return token != null && candidate != null && same(candidate, token);
  }

  static String newCsrf() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A POST is the user's own when its form field equals its cookie, and both are there. */
  static boolean csrfMatches(@Nullable String cookie, @Nullable String field) {
    return cookie != null && field != null && cookie.length() >= 32 && same(cookie, field);
  }

  /** Constant time, so the comparison's duration does not tell how much of a guess was right. */
  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
