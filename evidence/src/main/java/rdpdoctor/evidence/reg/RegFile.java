package rdpdoctor.evidence.reg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.EvidenceFiles;
import rdpdoctor.evidence.registry.RegistryValue;
import rdpdoctor.protocol.DecodeException;

/**
 * A registry export in regedit's text format: "Windows Registry Editor Version 5.00" (UTF-16LE
 * with a byte order mark as regedit writes it, or UTF-8 with or without one) and "REGEDIT4"
 * (ANSI, whose hex(2) and hex(7) data are single-byte strings).
 *
 * <p>The file is applied in order to an empty tree, as an import would: {@code [key]} creates,
 * {@code [-key]} deletes a key and its subkeys, {@code "name"=-} deletes a value; the deletions
 * are also listed so a report can say what the file removes. Values: {@code "text"} (REG_SZ),
 * {@code dword:}, {@code hex:} (REG_BINARY) and {@code hex(n):} for any type number, with
 * {@code \} line continuations, {@code ;} comments and {@code \\}/{@code \"} escapes. Root names
 * are written out in full (HKLM becomes HKEY_LOCAL_MACHINE).
 *
 * @param root the tree; its children are the root keys (HKEY_LOCAL_MACHINE, ...)
 * @param version 5 or 4
 * @param deletedKeys full paths of {@code [-key]} lines, in file order
 * @param deletedValues "key\name" of {@code "name"=-} lines, in file order
 */
public record RegFile(RegKey root, int version, List<String> deletedKeys, List<String> deletedValues) {

  /** .reg files from real machines are a few MB; this bounds a mistaken read of something else. */
  public static final long MAX_SIZE = 512L * 1024 * 1024;

  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  public static RegFile read(Path file) throws IOException {
    return parse(EvidenceFiles.read(file, ".reg file size", MAX_SIZE));
  }

  /** Decodes the bytes (BOM, UTF-8, or ANSI) and parses the text. */
  public static RegFile parse(byte[] bytes) {
    String text;
    if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
      text = new String(bytes, 2, bytes.length - 2, StandardCharsets.UTF_16LE);
    } else if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    } else {
      try {
        text = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        text = new String(bytes, WINDOWS_1252); // REGEDIT4 files are in the ANSI code page
      }
    }
    return parse(text);
  }

  /** Parses .reg text. Fails with the line number and what was wrong. */
  public static RegFile parse(String text) {
    return new Parser(text).run();
  }

  private static final class Parser {
    private final String[] lines;
    private int lineNo;
    private int version;
    private final RegKey root = new RegKey("", "");
    private @Nullable RegKey current;
    private final List<String> deletedKeys = new ArrayList<>();
    private final List<String> deletedValues = new ArrayList<>();

    Parser(String text) {
      this.lines = text.split("\r\n|\n|\r", -1);
    }

    private DecodeException error(String what) {
      return new DecodeException.InvalidField("line " + lineNo, what).in("cannot read .reg file");
    }

    RegFile run() {
      int i = 0;
      while (i < lines.length && lines[i].isBlank()) {
        i++;
      }
      lineNo = i + 1;
      String header = i < lines.length ? lines[i].strip() : "";
      if (header.startsWith("\uFEFF")) {
        header = header.substring(1);
      }
      if (header.equals("Windows Registry Editor Version 5.00")) {
        version = 5;
      } else if (header.equals("REGEDIT4")) {
        version = 4;
      } else {
        throw error("header \"" + abbreviate(header)
            + "\" (expected: \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\")");
      }
      for (i++; i < lines.length; i++) {
        lineNo = i + 1;
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[")) {
          key(line);
          continue;
        }
        // A value: join continuation lines (a trailing backslash outside a string).
        StringBuilder logical = new StringBuilder(line);
        int startLine = lineNo;
        if (endsWithContinuation(line)) {
          while (logical.charAt(logical.length() - 1) == '\\' && i + 1 < lines.length) {
            logical.setLength(logical.length() - 1);
            i++;
            logical.append(lines[i].strip());
          }
        }
        lineNo = startLine;
        value(logical.toString());
      }
      return new RegFile(root, version, List.copyOf(deletedKeys), List.copyOf(deletedValues));
    }

    private static String abbreviate(String s) {
      return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Continuation applies to hex data only: a string value may end with an escaped backslash. */
    private static boolean endsWithContinuation(String str) {
      if (str.isEmpty() || str.charAt(str.length() - 1) != '\\') {
        return false;
      }
      int eq = findEquals(str);
      if (eq < 0) {
        return false;
      }
      String data = str.substring(eq + 1).stripLeading().toLowerCase(Locale.ROOT);
      return data.startsWith("hex");
    }

    private void key(String line) {
      if (!line.endsWith("]")) {
        throw error("key line without a closing ']'");
      }
      boolean delete = line.startsWith("[-");
      String path = line.substring(delete ? 2 : 1, line.length() - 1).strip();
      List<String> parts = new ArrayList<>();
      for (String p : path.split("\\\\")) {
        if (!p.isEmpty()) {
          parts.add(RegNames.unescape(p)); // RegWriter's escape for unreadable characters
        }
      }
      if (parts.isEmpty()) {
        throw error("empty key path");
      }
      parts.set(0, rootName(parts.get(0)));
      String full = String.join("\\", parts);
      if (delete) {
        deletedKeys.add(full);
        RegKey parent = root;
        for (int i = 0; i < parts.size() - 1 && parent != null; i++) {
          parent = parent.subkey(parts.get(i));
        }
        if (parent != null) {
          parent.removeChild(parts.get(parts.size() - 1));
        }
        current = null;
        return;
      }
      RegKey k = root;
      for (String p : parts) {
        k = k.child(p);
      }
      current = k;
    }

    private static String rootName(String s) {
      return switch (s.toUpperCase(Locale.ROOT)) {
        case "HKLM", "HKEY_LOCAL_MACHINE" -> "HKEY_LOCAL_MACHINE";
        case "HKCU", "HKEY_CURRENT_USER" -> "HKEY_CURRENT_USER";
        case "HKCR", "HKEY_CLASSES_ROOT" -> "HKEY_CLASSES_ROOT";
        case "HKU", "HKEY_USERS" -> "HKEY_USERS";
        case "HKCC", "HKEY_CURRENT_CONFIG" -> "HKEY_CURRENT_CONFIG";
        default -> s;
      };
    }

    /** Index of the '=' after the value name (skipping a quoted name with escapes), or -1. */
    private static int findEquals(String s) {
      if (s.startsWith("@")) {
        int i = 1;
        while (i < s.length() && s.charAt(i) == ' ') {
          i++;
        }
        return i < s.length() && s.charAt(i) == '=' ? i : -1;
      }
      if (!s.startsWith("\"")) {
        return -1;
      }
      int i = 1;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '"') {
          break;
        }
        i++;
      }
      i++;
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      return i < s.length() && s.charAt(i) == '=' ? i : -1;
    }

    private void value(String line) {
      if (current == null) {
        throw error("value outside a key (no [key] line before it, or after a [-key] line)");
      }
      int eq = findEquals(line);
      if (eq < 0) {
        throw error("\"" + abbreviate(line) + "\" is neither a [key] nor a \"name\"=data line");
      }
      String name = line.startsWith("@") ? ""
          : RegNames.unescape(unescape(line.substring(1, line.lastIndexOf('"', eq))));
      String data = line.substring(eq + 1).strip();
      if (data.equals("-")) {
        deletedValues.add(current.path() + "\\" + name);
        current.removeValue(name);
        return;
      }
      current.put(new RegistryValue(name, typeOf(data), bytes(data)));
    }

    private long typeOf(String data) {
      String d = data.toLowerCase(Locale.ROOT);
      if (d.startsWith("\"")) {
        return 1;
      }
      if (d.startsWith("dword:")) {
        return 4;
      }
      if (d.startsWith("hex:")) {
        return 3;
      }
      if (d.startsWith("hex(")) {
        int close = d.indexOf("):");
        if (close < 0) {
          throw error("hex( without \"):\"");
        }
        try {
          return DecodeException.checkBound("hex(n) type", Long.parseLong(d.substring(4, close), 16), 0xFFFFFFFFL);
        } catch (NumberFormatException e) {
          throw error("type \"" + d.substring(4, close) + "\" in hex(n) is not a hex number");
        }
      }
      throw error("data \"" + abbreviate(data) + "\" (expected: \"string\", dword:, hex: or hex(n):)");
    }

    private byte[] bytes(String data) {
      if (data.startsWith("\"")) {
        if (data.length() < 2 || !data.endsWith("\"")) {
          throw error("string data without a closing quote");
        }
        String s = unescape(data.substring(1, data.length() - 1)) + "\0";
        return s.getBytes(StandardCharsets.UTF_16LE);
      }
      String lower = data.toLowerCase(Locale.ROOT);
      if (lower.startsWith("dword:")) {
        String hex = data.substring(6).strip();
        if (hex.isEmpty() || hex.length() > 8) {
          throw error("dword \"" + hex + "\" (expected: 1 to 8 hex digits)");
        }
        long v;
        try {
          v = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw error("dword \"" + hex + "\" is not hex");
        }
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
      }
      String list = data.substring(data.indexOf(':') + 1);
      byte[] raw = hexList(list);
      long type = typeOf(data);
      if (version == 4 && (type == 2 || type == 7)) {
        // REGEDIT4 stores these as ANSI bytes; the hive holds UTF-16LE.
        return new String(raw, WINDOWS_1252).getBytes(StandardCharsets.UTF_16LE);
      }
      return raw;
    }

    private byte[] hexList(String list) {
      String s = list.strip();
      if (s.isEmpty()) {
        return new byte[0];
      }
      String[] parts = s.split(",");
      byte[] out = new byte[parts.length];
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i].strip();
        if (p.isEmpty() && i == parts.length - 1) {
          return java.util.Arrays.copyOf(out, i); // a trailing comma
        }
        if (p.length() == 0 || p.length() > 2) {
          throw error("hex byte \"" + abbreviate(p) + "\" at position " + i + " (expected: 2 hex digits)");
        }
        int hi = Character.digit(p.charAt(0), 16);
        int lo = p.length() == 2 ? Character.digit(p.charAt(1), 16) : 0;
        if (hi < 0 || lo < 0) {
          throw error("hex byte \"" + p + "\" at position " + i + " is not hex");
        }
        out[i] = (byte) (p.length() == 2 ? hi << 4 | lo : hi);
      }
      return out;
    }

    /** regedit escapes only backslash and double quote. */
    private static String unescape(String s) {
      if (s.indexOf('\\') < 0) {
        return s;
      }
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          b.append(s.charAt(++i));
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
  }
}
