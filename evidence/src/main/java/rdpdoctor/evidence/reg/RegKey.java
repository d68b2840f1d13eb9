package rdpdoctor.evidence.reg;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import rdpdoctor.evidence.registry.RegistryKey;
import rdpdoctor.evidence.registry.RegistryValue;

/** A key read from a .reg file; built by {@link RegFile} and not changed after reading. */
public final class RegKey implements RegistryKey {
  private final String name;
  private final String path;
  private final Map<String, RegKey> subkeys = new LinkedHashMap<>();
  private final Map<String, RegistryValue> values = new LinkedHashMap<>();

  RegKey(String name, String path) {
    this.name = name;
    this.path = path;
  }

  static String fold(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String path() {
    return path;
  }

  /** .reg files carry no timestamps. */
  @Override
  public @Nullable Instant lastWritten() {
    return null;
  }

  @Override
  public List<RegKey> subkeys() {
    return List.copyOf(subkeys.values());
  }

  @Override
  public List<RegistryValue> values() {
    return List.copyOf(values.values());
  }

  @Override
  public @Nullable RegKey subkey(String wanted) {
    return subkeys.get(fold(wanted));
  }

  @Override
  public @Nullable RegistryValue value(String wanted) {
    return values.get(fold(wanted));
  }

  RegKey child(String childName) {
    return subkeys.computeIfAbsent(fold(childName),
        k -> new RegKey(childName, path.isEmpty() ? childName : path + "\\" + childName));
  }

  boolean removeChild(String childName) {
    return subkeys.remove(fold(childName)) != null;
  }

  void put(RegistryValue v) {
    values.put(fold(v.name()), v);
  }

  boolean removeValue(String valueName) {
    return values.remove(fold(valueName)) != null;
  }

  List<String> childNames() {
    return new ArrayList<>(subkeys.keySet());
  }

  @Override
  public String toString() {
    return path.isEmpty() ? "(root)" : path;
  }
}
