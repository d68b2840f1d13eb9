package rdpdoctor.app.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import rdpdoctor.app.UserError;

class CodeInputTest {
  @Test
  void codeInput() {
    var obs = CodeInput.parse("Error code: 0x904, Extended error code: 0x7");
    assertThat(obs).extracting(o -> o.string("family") + "=" + o.get("value")).containsExactly("disconnectReason=2308", "extendedReason=7");
    assertThat(CodeInput.parse("0x904 0x7")).extracting(o -> o.string("family")).containsExactly("disconnectReason", "extendedReason");
    assertThat(CodeInput.parse("4625 0xC000006E")).extracting(o -> o.string("family")).contains("ntstatus");
    assertThat(CodeInput.parse("hresult:0x80090302").get(0).get("value")).isEqualTo(0x80090302L);
    assertThatThrownBy(() -> CodeInput.parse("no numbers")).isInstanceOf(UserError.class);
  }
}
