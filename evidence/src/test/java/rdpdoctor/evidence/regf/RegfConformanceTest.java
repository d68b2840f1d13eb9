package rdpdoctor.evidence.regf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rdpdoctor.evidence.registry.RegistryCorpus;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.evidence.registry.RegistryWalker;
import rdpdoctor.evidence.registry.ValueType;

/**
 * Conformance with libregf: for each readable corpus hive, the same key paths, and per key the
 * same value names, types and data as {@code regfexport} prints, in the same order.
 */
class RegfConformanceTest {

  /**
   * Every primary file in the corpus (a "regf" file whose type is 0, so not a log), found by
   * walking the folder; one "(corpus missing)" entry when there is none, which then skips.
   */
  static Stream<String> corpusHives() throws IOException {
    Path dir = RegistryCorpus.dirOrNull();
    if (dir == null) {
      return Stream.of("(corpus missing)");
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        byte[] head = new byte[32];
        try (var in = Files.newInputStream(p)) {
          if (in.readNBytes(head, 0, 32) == 32 && head[0] == 'r' && head[1] == 'e' && head[2] == 'g'
              && head[3] == 'f' && head[28] == 0) {
            names.add(dir.relativize(p).toString());
          }
        }
      }
    }
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("corpusHives")
  void sameKeysAndValuesAsRegfexport(String name) throws Exception {
    Path file = RegistryCorpus.file(name);
    Assumptions.assumeTrue(RegistryCorpus.hasCommand("regfexport"),
        "regfexport (Debian libregf-utils) missing: conformance with libregf not checked");
    Map<String, List<RegfExport.Value>> expected = RegfExport.run(file);
    // Damaged hives (bad checksum, broken bin chain) are refused by libregf: HiveCheckCorpusTest
    // covers their verdicts; here they are skipped with the reason visible. Only those: a hive our
    // check finds sound must be read by the peer, or a broken peer would pass CI as skips.
    if (RegfExport.lastExitCode != 0) {
      HiveCheck c = HiveCheck.run(Files.readAllBytes(file), List.of());
      assertThat(c.verdict()).as("regfexport refused %s (exit %d), which our check finds sound",
          name, RegfExport.lastExitCode).isNotEqualTo(HiveCheck.Verdict.LOADS_AS_IS);
    }
    Assumptions.assumeTrue(RegfExport.lastExitCode == 0, "regfexport cannot read " + name
        + " (exit " + RegfExport.lastExitCode + "): no conformance to check");

    Map<String, List<RegistryValue>> actual = new LinkedHashMap<>();
    RegistryWalker.walk(Hive.open(file).root(), (key, depth) -> actual.put(key.path(), key.values()));

    assertThat(new ArrayList<>(actual.keySet())).containsExactlyElementsOf(expected.keySet());
    int values = 0;
    int residentShort = 0;
    int unterminated = 0;
    for (Map.Entry<String, List<RegfExport.Value>> e : expected.entrySet()) {
      List<RegfExport.Value> peer = e.getValue();
      List<RegistryValue> ours = actual.get(e.getKey());
      assertThat(ours).as("values of %s", e.getKey()).hasSameSizeAs(peer);
      List<String> want = new ArrayList<>();
      List<String> got = new ArrayList<>();
      for (int i = 0; i < peer.size(); i++) {
        RegfExport.Value p = peer.get(i);
        RegistryValue v = ours.get(i);
        if (libregfShortResidentData(p, v)) {
          residentShort++;
          continue;
        }
        if (libregfReadPastUnterminatedString(p, v)) {
          unterminated++;
          continue;
        }
        want.add(render(p));
        got.add(render(v, peer));
      }
      assertThat(got).as("values of %s", e.getKey()).containsExactlyElementsOf(want);
      values += want.size();
    }
    System.out.printf(
        "conformance %s: %d keys, %d values identical to regfexport, %d resident values of"
            + " 1-3 bytes where libregf prints zeros (ours: the bytes Windows stored), %d"
            + " strings without NUL where libregf reads past the stored size%n",
        name, expected.size(), values, residentShort, unterminated);
  }

  /**
   * libregf 20201007 prints resident data shorter than 4 bytes (kept in the key value's Data
   * offset field) as zeros: for SchemeLangID it shows 00 00 where Windows stored 09 04 (0x0409,
   * US English). Such a value still has to agree on name, type and size.
   */
  private static boolean libregfShortResidentData(RegfExport.Value p, RegistryValue v) {
    return p.hex() && p.size() > 0 && p.size() < 4 && p.data().matches("(00)+")
        && p.name().equals(v.name()) && p.size() == v.data().length
        && p.type().equals(libregfType(v));
  }

  /**
   * A REG_SZ stored without its NUL: libregf goes on reading the cell's slack after the stored
   * size ("COM1" followed by two garbage characters); we stop at the stored size.
   */
  private static boolean libregfReadPastUnterminatedString(RegfExport.Value p, RegistryValue v) {
    String ours = v.asString();
    return !p.hex() && ours != null && p.name().equals(v.name())
        && p.data().length() > ours.length() && p.data().startsWith(ours)
        && ours.length() * 2 >= (v.data().length & ~1);
  }

  private static String render(RegfExport.Value v) {
    boolean text = !v.hex() && v.type().matches("REG_(EXPAND_)?SZ|REG_LINK") && v.size() > 0;
    return v.name() + " | " + v.type() + " | " + (text ? -1 : v.size()) + " | "
        + (text ? v.data().stripTrailing() : v.data());
  }

  /** Our value in regfexport's words: its type names, inline text for strings and integers. */
  private static String libregfType(RegistryValue v) {
    return switch (ValueType.name(v.type())) {
      case "REG_DWORD" -> "REG_DWORD_LITTLE_ENDIAN";
      case "REG_QWORD" -> "REG_QWORD_LITTLE_ENDIAN";
      default -> ValueType.of(v.type()) == null
          ? String.format("unknown: 0x%08x", v.type()) : ValueType.name(v.type());
    };
  }

  private static String render(RegistryValue v, List<RegfExport.Value> peer) {
    String type = libregfType(v);
    long size = v.data().length;
    boolean peerHex = peer.stream().filter(p -> p.name().equals(v.name())).findFirst()
        .map(RegfExport.Value::hex).orElse(true);
    String data;
    if (v.data().length == 0) {
      data = "";
    } else if (peerHex) {
      StringBuilder b = new StringBuilder();
      for (byte x : v.data()) {
        b.append(String.format("%02x", x & 0xFF));
      }
      data = b.toString();
    } else if (v.asString() != null) {
      // regfexport's text is read line by line: a string's trailing line break is not seen.
      data = v.asString().stripTrailing();
      // For strings libregf prints a size derived from the text it decoded, not the stored size
      // (both 74 and 76 for 74 stored bytes in SYSTEM); the text itself is what is compared.
      size = -1;
    } else if (v.asNumber() != null) {
      data = Long.toUnsignedString(v.asNumber());
    } else {
      data = "?";
    }
    return v.name() + " | " + type + " | " + size + " | " + data;
  }
}
