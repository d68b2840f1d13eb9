package rdpdoctor.evidence.text;

import com.code_intelligence.jazzer.junit.FuzzTest;
import rdpdoctor.protocol.DecodeException;

/** Only DecodeException may leave the text readers, whatever the bytes. */
class TextEvidenceFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void cbsLog(byte[] data) {
    try {
      CbsLog.looksLike(data);
      CbsLog.read(data, "fuzz");
    } catch (DecodeException expected) {
      // typed refusal is the documented outcome
    }
  }

  @FuzzTest(maxDuration = "10s")
  void installChecks(byte[] data) {
    try {
      InstallChecks.looksLike(data);
      InstallChecks.read(data, "fuzz");
    } catch (DecodeException expected) {
      // typed refusal is the documented outcome
    }
  }

  @FuzzTest(maxDuration = "10s")
  void certificate(byte[] data) {
    try {
      CertificateFile.looksLike(data);
      CertificateFile.read(data, "fuzz");
    } catch (DecodeException expected) {
      // typed refusal is the documented outcome
    }
  }
}
