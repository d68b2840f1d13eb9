package rdpdoctor.diagnosis.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import rdpdoctor.diagnosis.Phase;

/** Proves the catalog is complete against its sources and that every entry is well formed. */
class CatalogTest {

  static List<String> families() {
    return Catalog.FAMILIES;
  }

  /**
   * Expected number of single codes per family, and where the number comes from. A change here
   * must come with a change of the source table it counts.
   */
  @ParameterizedTest(name = "{0}: {1} codes")
  @CsvSource(
      delimiter = '|',
      value = {
        // 47 values documented in imstscaxevents-ondisconnected.md, + 33 from TechNet wiki 37870
        // (0x4, 0x1108 and 31 RD Gateway 0x0300xxxx codes), + 0xB08 (mRemoteNG), + 0x03000043 (AVD),
        // + 77 more of the 150 in the TechNet 37870 list as EvtxECmd's 1026 map carries it (its other
        // values are already counted above; 0x404 and 0x408 keep Microsoft's meaning, see disputed)
        "disconnectReason|159",
        // extendeddisconnectreasoncode.md: 0-12 (13), 256-267 (12), 768; type library: 25, 26
        "extendedReason|28",
        // [MS-RDPBCGR] 2.2.5.1.1: ERRINFO_NONE + 17 protocol-independent + 11 licensing
        // + 11 Connection Broker + 79 RDP-specific
        "errinfo|119",
        // [MS-RDPBCGR] 2.2.1.2.2: failure codes 1-6
        "negFailure|6",
        // [MS-RDPBCGR] 2.2.1.1.1: PROTOCOL_RDP, SSL, HYBRID, RDSTLS, HYBRID_EX, RDSAAD
        "negProtocol|6",
        // [MS-RDPBCGR] 2.2.1.1.1 flags: RESTRICTED_ADMIN, REDIRECTED_AUTHENTICATION, CORRELATION_INFO
        "negRequestFlag|3",
        // [MS-RDPBCGR] 2.2.1.2.1 flags: 0x01, 0x02, 0x04 (reserved), 0x08, 0x10
        "negResponseFlag|5",
        // [MS-TSGU] 2.2.6 via FreeRDP tsg.h: 19 E_PROXY_* + E_PROXY_CONNECTIONABORTED
        // + ERROR_GRACEFUL_DISCONNECT
        "tsgu|21",
        // rdp-error-codes.md 9.6: the 30 alert numbers listed for Schannel 36887/36888
        "tlsAlert|30",
        // event-4625.md table (19) + STATUS_SUCCESS, ACCESS_DENIED, PASSWORD_RESTRICTION,
        // INSUFFICIENT_RESOURCES, TRUSTED_RELATIONSHIP_FAILURE, SMARTCARD_WRONG_PIN, CARD_BLOCKED
        "ntstatus|26",
        // ExtendedDisconnectReason numbering 0-7, 9-12 + 0x80070040 (rdp-error-codes.md 9.2)
        "lsmReason|13",
        // FreeRDP error.h ERRCONNECT_* 0x01-0x1D + 0x1E HYBRID_REQUIRED_BY_SERVER (nego.c)
        "freerdpConnect|30",
        // FreeRDP 2.x client/X11/xfreerdp.h enum XF_EXIT_CODE
        "xfreerdpExit|56",
        // [MS-ERREF] 2.1.1 SEC_E_* (78 that SSPI/Schannel/Kerberos/CredSSP return) + CRYPT_E_ (3)
        // + CERT_E_/TRUST_E_ (7) + E_FAIL + 9 Win32/Winsock HRESULTs seen in RDP logs
        "hresult|98",
      })
  void countsMatchTheSourceTables(String family, int expected) {
    assertThat(Catalog.family(family).singleCodes()).hasSize(expected);
  }

  @Test
  void theOldFamilyIdStillWorks() {
    assertThat(Catalog.family("discReason")).isSameAs(Catalog.family("disconnectReason"));
    assertThat(Catalog.find("discReason", 0x904).orElseThrow().family()).isEqualTo("disconnectReason");
  }

  @Test
  void everyFamilyIsCounted() {
    assertThat(Catalog.FAMILIES).hasSize(14);
  }

  @Test
  void everyDataFileIsAListedFamily() throws IOException {
    Path dir = Path.of("src", "main", "resources", "rdpdoctor", "catalog", "codes");
    try (Stream<Path> files = Files.list(dir)) {
      List<String> ids =
          files.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toList();
      assertThat(ids).containsExactlyInAnyOrderElementsOf(Catalog.FAMILIES);
    }
  }

  @ParameterizedTest
  @MethodSource("families")
  void noDuplicateValuesOrNames(String id) {
    CodeFamily f = Catalog.family(id);
    Set<Long> values = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (CodeEntry e : f.entries()) {
      assertThat(values.add(e.value())).as("%s value %s twice", id, e.hex()).isTrue();
      assertThat(names.add(e.name().toUpperCase(Locale.ROOT))).as("%s name %s twice", id, e.name()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("families")
  void everyEntryIsWellFormed(String id) {
    CodeFamily f = Catalog.family(id);
    assertThat(f.title()).isNotBlank();
    for (CodeEntry e : f.entries()) {
      String what = id + " " + e.hex() + " " + e.name();
      assertThat(e.family()).as(what).isEqualTo(id);
      assertThat(e.name()).as(what).matches("[A-Za-z][A-Za-z0-9_]*");
      assertThat(e.meaning()).as(what).isNotBlank().endsWith(".");
      assertThat(e.phase()).as(what).isIn((Object[]) Phase.values());
      assertThat(e.sources()).as(what + " sources").isNotEmpty();
      assertThat(e.causes()).as(what + " causes").isNotEmpty();
      assertThat(e.whereSeen()).as(what + " whereSeen").isNotEmpty();
      assertThat(e.value()).as(what).isBetween(0L, 0xFFFF_FFFFL);
      assertThat(e.valueTo()).as(what).isBetween(e.value(), 0xFFFF_FFFFL);
      for (Cause c : e.causes()) {
        assertThat(c.title()).as(what).isNotBlank();
        assertThat(c.why()).as(what).isNotBlank();
        c.checks().forEach(s -> assertThat(s).as(what).isNotBlank());
      }
      for (Dispute d : e.disputed()) {
        assertThat(d.why()).as(what).isNotBlank();
      }
    }
  }

  /** YAML plain scalars keep backslashes as typed; a doubled one is an escaping mistake. */
  @ParameterizedTest
  @MethodSource("families")
  void noDoubledBackslashes(String id) {
    for (CodeEntry e : Catalog.family(id).entries()) {
      Stream<String> texts =
          Stream.of(
                  Stream.of(e.meaning(), e.name(), e.note() == null ? "" : e.note()),
                  e.whereSeen().stream(),
                  e.causes().stream()
                      .flatMap(
                          c ->
                              Stream.concat(
                                  Stream.of(c.title(), c.why()),
                                  Stream.concat(c.checks().stream(), c.fixes().stream()))))
              .flatMap(s -> s);
      texts.forEach(t -> assertThat(t).as(id + " " + e.name()).doesNotContain("\\\\"));
    }
  }

  @ParameterizedTest
  @MethodSource("families")
  void hexDecimalAndSignedFormsAgree(String id) {
    CodeFamily f = Catalog.family(id);
    for (CodeEntry e : f.entries()) {
      assertThat(Long.parseLong(e.hex().substring(2), 16)).isEqualTo(e.value());
      assertThat(e.hex()).matches("0x[0-9A-F]+");
      assertThat((long) e.signed() & 0xFFFF_FFFFL).isEqualTo(e.value());
      if (f.signedForm() && e.value() != 0) {
        // HRESULT and NTSTATUS failures have the severity bit set, so their signed form is negative
        assertThat(e.signed()).as(id + " " + e.name()).isNegative();
      }
    }
  }

  @Test
  void signedFormsOfKnownCodes() {
    CodeEntry wrongPrincipal = Catalog.find("hresult", 0x80090322L).orElseThrow();
    assertThat(wrongPrincipal.name()).isEqualTo("SEC_E_WRONG_PRINCIPAL");
    assertThat(wrongPrincipal.signed()).isEqualTo(-2146893022);
    CodeEntry logonFailure = Catalog.find("ntstatus", 0xC000006DL).orElseThrow();
    assertThat(logonFailure.signed()).isEqualTo(-1073741715);
    assertThat(Catalog.find("disconnectReason", 2308).orElseThrow().hex()).isEqualTo("0x904");
  }

  @ParameterizedTest
  @MethodSource("families")
  void relatedCodesExist(String id) {
    for (CodeEntry e : Catalog.family(id).entries()) {
      for (String rel : e.related()) {
        String[] parts = rel.split(":", 2);
        assertThat(parts).as(id + " " + e.name() + " related " + rel).hasSize(2);
        long v = CodeEntry.parseNumber(parts[1]);
        assertThat(Catalog.find(parts[0], v)).as(id + " " + e.name() + " related " + rel).isPresent();
      }
    }
  }

  /** Extended reasons 1-12 and 256-266 are the ERRINFO codes with the same number, both ways. */
  @Test
  void extendedReasonsAndErrinfoShareNumbers() {
    for (long v = 1; v <= 12; v++) {
      if (v == 8) {
        continue; // exDiscReasonServerDeniedConnectionFips has no ERRINFO twin
      }
      assertThat(Catalog.find("errinfo", v)).as("errinfo %d", v).isPresent();
      assertThat(Catalog.find("extendedReason", v)).as("extendedReason %d", v).isPresent();
    }
    for (long v = 256; v <= 266; v++) {
      assertThat(Catalog.find("errinfo", v)).as("errinfo %d", v).isPresent();
      assertThat(Catalog.find("extendedReason", v)).as("extendedReason %d", v).isPresent();
    }
    assertThat(Catalog.find("errinfo", 8)).isEmpty();
    // the protocol range covers every RDP-specific ERRINFO code
    for (CodeEntry e : Catalog.family("errinfo").entries()) {
      if (e.value() >= 0x10C9) {
        assertThat(Catalog.find("extendedReason", e.value()).orElseThrow().name())
            .isEqualTo("exDiscReasonProtocolRange");
      }
    }
  }

  @Test
  void theSeedCodesDecodeAsMicrosoftDocumentsThem() {
    assertThat(Catalog.find("disconnectReason", 0x904).orElseThrow().name())
        .isEqualTo("disconnectReasonAtClientWinsockFDCLOSE");
    CodeEntry seven = Catalog.find("extendedReason", 7).orElseThrow();
    assertThat(seven.name()).isEqualTo("exDiscReasonServerDeniedConnection");
    assertThat(seven.disputed())
        .anySatisfy(
            d -> {
              assertThat(d.claim()).containsIgnoringCase("profile");
              assertThat(d.trusted()).isFalse();
            });
    assertThat(Catalog.find("errinfo", 7).orElseThrow().name())
        .isEqualTo("ERRINFO_SERVER_DENIED_CONNECTION");
    // the type library, not the repository copy, decides exDiscReasonLogoffByUser
    assertThat(Catalog.find("extendedReason", 12).orElseThrow().name()).isEqualTo("exDiscReasonLogoffByUser");
    assertThat(Catalog.find("extendedReason", 2).orElseThrow().name()).isEqualTo("exDiscReasonAPIInitiatedLogoff");
  }

  @Test
  void rangeEntriesAreFoundOnlyWhenNoExactEntryExists() {
    assertThat(Catalog.find("extendedReason", 0x112F).orElseThrow().isRange()).isTrue();
    assertThat(Catalog.find("extendedReason", 7).orElseThrow().isRange()).isFalse();
    assertThat(Catalog.find("extendedReason", 40000)).isEmpty();
  }

  @Test
  void combinationsPickTheNarrowestReading() {
    assertThat(Catalog.combination(0x904, 7).orElseThrow().title()).contains("refused");
    assertThat(Catalog.combination(0x904, 0).orElseThrow().title()).contains("no reason");
    assertThat(Catalog.combination(0x904, 0x102).orElseThrow().phase()).isEqualTo(Phase.LICENSING);
    assertThat(Catalog.combination(0x904, 0x112F).orElseThrow().title()).contains("protocol");
    assertThat(Catalog.combination(0x204, 3).orElseThrow().title()).contains("server gave a reason");
    assertThat(Catalog.combination(0x904, 7).orElseThrow().disputed()).isNotEmpty();
  }

  @Test
  void everyCombinationAndEventIsWellFormed() {
    for (Combination c : Catalog.combinations()) {
      assertThat(c.sources()).as(c.title()).isNotEmpty();
      assertThat(c.reading()).as(c.title()).isNotBlank();
    }
    Set<String> seen = new HashSet<>();
    for (EventEntry e : Catalog.events().events()) {
      String key = e.channel() + "/" + e.provider() + "/" + e.id();
      assertThat(seen.add(key)).as("duplicate event " + key).isTrue();
      assertThat(e.sources()).as(key).isNotEmpty();
      assertThat(e.meaning()).as(key).isNotBlank();
      for (EventField f : e.fields()) {
        if (f.decodes() != null) {
          assertThat(Catalog.FAMILIES).as(key + " field " + f.name()).contains(f.decodes());
        }
      }
    }
  }

  @Test
  void eventCatalogFindsByChannelOrProvider() {
    EventEntry e1026 =
        Catalog.events().find("Microsoft-Windows-TerminalServices-RDPClient/Operational", 1026).orElseThrow();
    assertThat(e1026.field("Value").orElseThrow().decodes()).isEqualTo("disconnectReason");
    EventEntry e4625 = Catalog.events().find("Microsoft-Windows-Security-Auditing", 4625).orElseThrow();
    assertThat(e4625.channel()).isEqualTo("Security");
    assertThat(e4625.codeFields()).extracting(EventField::name).containsExactly("Status", "SubStatus");
    assertThat(Catalog.events().find("security", 4625)).isPresent();
    assertThat(Catalog.events().find("Security", 1026)).isEmpty();
    EventEntry lsm40 =
        Catalog.events().find("Microsoft-Windows-TerminalServices-LocalSessionManager", 40).orElseThrow();
    assertThat(lsm40.field("reason").orElseThrow().decodes()).isEqualTo("lsmReason");
    assertThat(Catalog.events().find("System", 36888).orElseThrow().field("AlertDesc").orElseThrow().decodes())
        .isEqualTo("tlsAlert");
  }

  @Test
  void eventCatalogCoversTheChannelsTheIssueLists() {
    Set<String> channels = new HashSet<>();
    Catalog.events().events().forEach(e -> channels.add(e.channel() + " | " + e.provider()));
    assertThat(channels)
        .contains(
            "Microsoft-Windows-TerminalServices-RDPClient/Operational | Microsoft-Windows-TerminalServices-ClientActiveXCore",
            "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational | Microsoft-Windows-TerminalServices-LocalSessionManager",
            "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational | Microsoft-Windows-TerminalServices-RemoteConnectionManager",
            "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational | Microsoft-Windows-RemoteDesktopServices-RdpCoreTS",
            "Application | Microsoft-Windows-User Profiles Service",
            "System | Schannel",
            "Microsoft-Windows-TerminalServices-Gateway/Operational | Microsoft-Windows-TerminalServices-Gateway",
            "Security | Microsoft-Windows-Security-Auditing");
    for (int id : new int[] {4624, 4625, 4778, 4779, 4825}) {
      assertThat(Catalog.events().find("Security", id)).as("Security %d", id).isPresent();
    }
  }
}
