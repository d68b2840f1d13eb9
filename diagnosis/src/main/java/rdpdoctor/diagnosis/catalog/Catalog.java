package rdpdoctor.diagnosis.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The code and event catalog: every RDP-related code family, the Windows events that carry them,
 * and the readings of disconnect-reason pairs. Data lives in YAML files under
 * {@code rdpdoctor/catalog/} (one file per family, human-editable). At build time they are
 * compiled into one binary index ({@link CatalogIndex}) that loads in a few milliseconds; without
 * the index each YAML file is parsed the first time it is needed. Either way the data is kept for
 * the life of the process.
 */
public final class Catalog {

  /** Every family id, in the order reports list candidate readings of a bare number. */
  public static final List<String> FAMILIES =
      List.of(
          "disconnectReason",
          "extendedReason",
          "errinfo",
          "hresult",
          "tsgu",
          "ntstatus",
          "negFailure",
          "tlsAlert",
          "lsmReason",
          "freerdpConnect",
          "xfreerdpExit",
          "negProtocol",
          "negRequestFlag",
          "negResponseFlag");

  /**
   * Earlier ids still accepted: the family was called {@code discReason} before it was named
   * like the rule files ({@code disconnectReason}).
   */
  private static final Map<String, String> ALIASES = Map.of("discReason", "disconnectReason");

  private static final Map<String, CodeFamily> FAMILY_CACHE = new ConcurrentHashMap<>();

  private Catalog() {}

  /**
   * The family with this id, loaded on first use.
   *
   * @throws IllegalArgumentException when no such family exists
   */
  public static CodeFamily family(String id) {
    id = ALIASES.getOrDefault(id, id);
    if (!FAMILIES.contains(id)) {
      throw new IllegalArgumentException("no code family " + id + " (expected one of: " + FAMILIES + ")");
    }
    if (IndexHolder.INDEX != null) {
      return IndexHolder.BY_ID.get(id);
    }
    return FAMILY_CACHE.computeIfAbsent(id, CatalogLoader::family);
  }

  /** Every family, in {@link #FAMILIES} order. */
  public static List<CodeFamily> families() {
    return FAMILIES.stream().map(Catalog::family).toList();
  }

  /**
   * The single-code entry with this symbolic name in any family (case does not matter), searched
   * in {@link #FAMILIES} order.
   */
  public static Optional<CodeEntry> byName(String name) {
    return Optional.ofNullable(NamesHolder.NAMES.get(name.toUpperCase(java.util.Locale.ROOT)));
  }

  /** The entry for {@code value} in family {@code id}, if the catalog has one. */
  public static Optional<CodeEntry> find(String id, long value) {
    return family(id).find(value);
  }

  /**
   * True when the catalog comes from the build's binary index rather than from parsing the YAML
   * files: the runnable jar must have it, or {@code explain} pays for a YAML parser at start-up.
   */
  public static boolean fromIndex() {
    return IndexHolder.INDEX != null;
  }

  /** The event catalog, loaded on first use. */
  public static EventCatalog events() {
    return EventsHolder.EVENTS;
  }

  /** Every disconnect-reason pair reading, loaded on first use. */
  public static List<Combination> combinations() {
    return CombinationsHolder.COMBINATIONS;
  }

  /** The narrowest reading that applies to this disconnect reason with this extended reason. */
  public static Optional<Combination> combination(long disc, long ext) {
    Combination best = null;
    for (Combination c : combinations()) {
      if (c.matches(disc, ext) && (best == null || c.breadth() < best.breadth())) {
        best = c;
      }
    }
    return Optional.ofNullable(best);
  }

  /** The messages that carry no code (dialog and log texts), loaded on first use. */
  public static MessageCatalog messages() {
    return MessagesHolder.MESSAGES;
  }

  /** Lazy holders: each file is parsed only when its holder class is first used. */
  private static final class EventsHolder {
    static final EventCatalog EVENTS =
        IndexHolder.INDEX != null ? IndexHolder.INDEX.events() : CatalogLoader.events();
  }

  private static final class MessagesHolder {
    static final MessageCatalog MESSAGES =
        IndexHolder.INDEX != null ? IndexHolder.INDEX.messages() : CatalogLoader.messages();
  }

  private static final class CombinationsHolder {
    static final List<Combination> COMBINATIONS =
        List.copyOf(
            IndexHolder.INDEX != null ? IndexHolder.INDEX.combinations() : CatalogLoader.combinations());
  }

  private static final class NamesHolder {
    static final Map<String, CodeEntry> NAMES = new java.util.HashMap<>();

    static {
      for (CodeFamily f : families()) {
        for (CodeEntry e : f.entries()) {
          if (!e.isRange()) {
            NAMES.putIfAbsent(e.name().toUpperCase(java.util.Locale.ROOT), e);
          }
        }
      }
    }
  }

  /**
   * The binary index built from the YAML files at build time ({@link CatalogIndex}): when the
   * jar has it, nothing is parsed from YAML at run time. Without it (a build that skipped the
   * step) each YAML file is parsed on first use.
   */
  private static final class IndexHolder {
    static final CatalogIndex.@Nullable Contents INDEX = current(CatalogIndex.load());
    static final Map<String, CodeFamily> BY_ID = new java.util.HashMap<>();

    /** An index from an older build that lacks a family is ignored: the YAML files win. */
    private static CatalogIndex.@Nullable Contents current(CatalogIndex.@Nullable Contents index) {
      if (index == null) {
        return null;
      }
      List<String> ids = index.families().stream().map(CodeFamily::id).toList();
      return ids.equals(Catalog.FAMILIES) ? index : null; // not IndexHolder.FAMILIES, the map
    }

    static {
      if (INDEX != null) {
        for (CodeFamily f : INDEX.families()) {
          BY_ID.put(f.id(), f);
        }
      }
    }
  }
}
