package rdpdoctor.evidence.registry;

import org.jspecify.annotations.Nullable;

/**
 * Registry value data types (winnt.h {@code REG_*}; msuhanov/regf "Key value: Data types").
 *
 * <p>A value keeps its type as the raw number ({@link RegistryValue#type()}); this enum only names
 * the numbers Windows defines, so a type nobody defined (hives do contain them) is never lost.
 */
public enum ValueType {
  REG_NONE(0, "hex(0)"),
  REG_SZ(1, null),
  REG_EXPAND_SZ(2, "hex(2)"),
  REG_BINARY(3, "hex"),
  REG_DWORD(4, "dword"),
  REG_DWORD_BIG_ENDIAN(5, "hex(5)"),
  REG_LINK(6, "hex(6)"),
  REG_MULTI_SZ(7, "hex(7)"),
  REG_RESOURCE_LIST(8, "hex(8)"),
  REG_FULL_RESOURCE_DESCRIPTOR(9, "hex(9)"),
  REG_RESOURCE_REQUIREMENTS_LIST(10, "hex(a)"),
  REG_QWORD(11, "hex(b)");

  private static final ValueType[] BY_CODE = values();

  private final int code;
  private final @Nullable String regPrefix;

  ValueType(int code, @Nullable String regPrefix) {
    this.code = code;
    this.regPrefix = regPrefix;
  }

  /** The number stored in a hive and written as {@code hex(n)} in a .reg file. */
  public int code() {
    return code;
  }

  /** The known type for {@code code}, or null for a number Windows does not define. */
  public static @Nullable ValueType of(long code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
  }

  /** {@code REG_SZ}, or {@code 0x1234} for an undefined type. */
  public static String name(long code) {
    ValueType t = of(code);
    return t != null ? t.name() : "0x" + Long.toHexString(code);
  }
}
