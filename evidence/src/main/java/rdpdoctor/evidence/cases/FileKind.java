package rdpdoctor.evidence.cases;

import java.nio.charset.StandardCharsets;
import rdpdoctor.evidence.text.CbsLog;
import rdpdoctor.evidence.text.CertificateFile;
import rdpdoctor.evidence.text.InstallChecks;

/** What an evidence file is, decided by its first bytes and never by its name alone. */
public enum FileKind {
  EVTX("Windows event log (EVTX)"),
  REGISTRY_HIVE("registry hive (regf)"),
  TRANSACTION_LOG("registry transaction log (.LOG1/.LOG2)"),
  REG_TEXT("registry export (.reg)"),
  CERTIFICATE("certificate (PEM/DER)"),
  CBS_LOG("CBS.log (sfc /scannow)"),
  INSTALL_CHECKS("rdpdoctor install checks"),
  ZIP("zip bundle"),
  MANIFEST("bundle manifest"),
  UNKNOWN("not a kind rdpdoctor reads");

  private final String label;

  FileKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The kind of a file whose first bytes (up to 8 KiB) are {@code head}. */
  public static FileKind detect(byte[] head, String name) {
    if (starts(head, "ElfFile\0")) {
      return EVTX;
    }
    if (isRegistryHive(head)) {
      // A .LOG1/.LOG2 starts with a copy of its hive's base block, "regf" included; only the
      // file type at offset 28 tells them apart (0 primary; 1, 2 and 6 logs, see regf.BaseBlock).
      return head.length >= 32 && u32le(head, 28) != 0 ? TRANSACTION_LOG : REGISTRY_HIVE;
    }
    if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZIP;
    }
    String text = text(head);
    if (text.startsWith("Windows Registry Editor Version 5.00") || text.startsWith("REGEDIT4")) {
      return REG_TEXT;
    }
    if (InstallChecks.looksLike(head)) {
      return INSTALL_CHECKS;
    }
    if (CertificateFile.looksLike(head)) {
      return CERTIFICATE;
    }
    if (CbsLog.looksLike(head)) {
      return CBS_LOG;
    }
    if (name.equalsIgnoreCase("manifest.json") && text.startsWith("{")) {
      return MANIFEST;
    }
    return UNKNOWN;
  }

  /** True when the bytes start with a registry hive's base block signature "regf". */
  public static boolean isRegistryHive(byte[] head) {
    return starts(head, "regf");
  }

  private static long u32le(byte[] b, int at) {
    return (b[at] & 0xFFL) | (b[at + 1] & 0xFFL) << 8 | (b[at + 2] & 0xFFL) << 16 | (b[at + 3] & 0xFFL) << 24;
  }

  private static boolean starts(byte[] head, String magic) {
    if (head.length < magic.length()) {
      return false;
    }
    for (int i = 0; i < magic.length(); i++) {
      if (head[i] != (byte) magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Text of the head in UTF-16LE (BOM) or UTF-8, without a BOM. */
  private static String text(byte[] head) {
    if (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xFE) {
      return new String(head, 2, head.length - 2 - (head.length % 2 == 1 ? 1 : 0), StandardCharsets.UTF_16LE);
    }
    String s = new String(head, StandardCharsets.UTF_8);
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }
}
