package rdpdoctor.evidence.even6;

import java.time.Instant;

/** [MS-DTYP] 2.3.3 FILETIME: 100-nanosecond intervals since 1601-01-01 UTC. */
public final class FileTime {
  /** Seconds from 1601-01-01 to 1970-01-01. */
  private static final long EPOCH_DIFF_SECONDS = 11_644_473_600L;

  private FileTime() {}

  /** The instant, or null for a value outside what {@link Instant} can hold (it cannot be). */
  public static Instant toInstant(long filetime) {
    long secs = Long.divideUnsigned(filetime, 10_000_000L) - EPOCH_DIFF_SECONDS;
    long rem = Long.remainderUnsigned(filetime, 10_000_000L);
    return Instant.ofEpochSecond(secs, rem * 100);
  }

  /** The FILETIME of an instant (for writers and filters). */
  public static long fromInstant(Instant t) {
    return (t.getEpochSecond() + EPOCH_DIFF_SECONDS) * 10_000_000L + t.getNano() / 100;
  }

  /** The last FILETIME of year 9999: 9999-12-31T23:59:59.9999999Z. */
  static final long MAX_FOUR_DIGIT_YEAR = 0x24C85A5ED1C03FFFL;

  /**
   * {@code yyyy-MM-ddTHH:mm:ss.fffffff00Z} (the seven 100 ns digits and two zeros, as evtxexport
   * prints and Microsoft's XML examples show), or past year 9999, where four year digits end, the
   * value's two 32-bit halves {@code (0x24c85a5e 0xd1c04000)} as evtxexport prints them: the year
   * used to wrap, 0x7fffffffffffffff (30828-09-14) printing as 0828-09-14.
   */
  public static String format(long filetime) {
    if (Long.compareUnsigned(filetime, MAX_FOUR_DIGIT_YEAR) > 0) {
      return "(" + Values.hex32((int) (filetime >>> 32)) + " " + Values.hex32((int) filetime) + ")";
    }
    long secs = Long.divideUnsigned(filetime, 10_000_000L) - EPOCH_DIFF_SECONDS;
    int frac = (int) Long.remainderUnsigned(filetime, 10_000_000L);
    long days = Math.floorDiv(secs, 86400L);
    int sod = (int) Math.floorMod(secs, 86400L);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    long z = days + 719468;
    long era = Math.floorDiv(z, 146097);
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int) (doy - (153 * mp + 2) / 5 + 1);
    int m = (int) (mp < 10 ? mp + 3 : mp - 9);
    if (m <= 2) {
      y++;
    }
    char[] c = new char[30];
    int year = (int) y;
    Values.digits(c, 0, 4, year);
    c[4] = '-';
    Values.digits(c, 5, 2, m);
    c[7] = '-';
    Values.digits(c, 8, 2, d);
    c[10] = 'T';
    Values.digits(c, 11, 2, sod / 3600);
    c[13] = ':';
    Values.digits(c, 14, 2, sod / 60 % 60);
    c[16] = ':';
    Values.digits(c, 17, 2, sod % 60);
    c[19] = '.';
    Values.digits(c, 20, 7, frac);
    c[27] = '0';
    c[28] = '0';
    c[29] = 'Z';
    return new String(c);
  }
}
