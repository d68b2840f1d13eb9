package rdpdoctor.evidence.registry;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A registry key, from a binary hive or a .reg file: the query API every registry source offers,
 * so the RDP extraction and the dumper do not care where the keys came from.
 *
 * <p>Names compare case-insensitively, as Windows does. Lookups by path take backslash-separated
 * names relative to this key.
 */
public interface RegistryKey {

  /** The key's own name; the root of a .reg file is "". */
  String name();

  /** The path from the root of its source, names joined by backslashes; "" for the root. */
  String path();

  /** When the key was last written (hives only; null for .reg keys). */
  @Nullable Instant lastWritten();

  List<? extends RegistryKey> subkeys();

  /**
   * The subkeys found another way when {@link #subkeys} fails (a hive's key nodes that name this
   * key as their parent); empty when there is no other way.
   */
  default List<? extends RegistryKey> recoveredSubkeys() {
    return List.of();
  }

  /**
   * Where the key is stored when that can be shared (a hive's key node offset), so walkers visit a
   * node once even when damaged lists point to it twice; -1 when every key object is distinct.
   */
  default long cellOffset() {
    return -1;
  }

  List<RegistryValue> values();

  /** The direct subkey called {@code name}, ignoring case, or null. */
  default @Nullable RegistryKey subkey(String name) {
    for (RegistryKey k : subkeys()) {
      if (k.name().equalsIgnoreCase(name)) {
        return k;
      }
    }
    return null;
  }

  /** The value called {@code name} ("" for the default value), ignoring case, or null. */
  default @Nullable RegistryValue value(String name) {
    for (RegistryValue v : values()) {
      if (v.name().equalsIgnoreCase(name)) {
        return v;
      }
    }
    return null;
  }

  /** The key at {@code path} below this one ("A\B\C", case-insensitive), or null. */
  default @Nullable RegistryKey find(String path) {
    RegistryKey k = this;
    for (String part : path.split("\\\\")) {
      if (part.isEmpty()) {
        continue;
      }
      k = k.subkey(part);
      if (k == null) {
        return null;
      }
    }
    return k;
  }
}
