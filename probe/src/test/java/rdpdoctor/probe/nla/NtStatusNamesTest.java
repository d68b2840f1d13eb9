package rdpdoctor.probe.nla;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rdpdoctor.diagnosis.catalog.Catalog;
import rdpdoctor.diagnosis.catalog.CodeEntry;
import rdpdoctor.protocol.cssp.NtStatus;

/**
 * protocol keeps its own small NTSTATUS/SEC_E name table (it may not see the catalog, which lives
 * in diagnosis); where the catalog names the same number, the two must agree, so the probe's
 * messages and its observations never name one status two ways.
 */
class NtStatusNamesTest {

  @Test
  void protocolNamesAgreeWithTheCatalog() {
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<Long, String> e : NtStatus.names().entrySet()) {
      var entry = Catalog.find("ntstatus", e.getKey()).or(() -> Catalog.find("hresult", e.getKey()));
      if (entry.isPresent()) {
        compared++;
        if (!entry.get().name().equals(e.getValue())) {
          differ.add(String.format("0x%08X: protocol %s, catalog %s", e.getKey(), e.getValue(), entry.get().name()));
        }
      }
    }
    assertThat(differ).isEmpty();
    assertThat(compared).as("statuses both tables name").isGreaterThan(NtStatus.names().size() / 2);
  }

  @Test
  void theProbeNamesAStatusTheCatalogWay() {
    assertThat(NlaStatusCodes.statusName(0xC000006DL))
        .isEqualTo(Catalog.find("ntstatus", 0xC000006DL).map(CodeEntry::name).orElseThrow());
  }
}
