package rdpdoctor.evidence.registry;

/**
 * Which hive a key tree is, decided from its content (a copied file's name is often lost or
 * wrong): the top-level keys each standard hive always has.
 */
public enum HiveKind {
  SYSTEM("HKLM\\SYSTEM"),
  SOFTWARE("HKLM\\SOFTWARE"),
  NTUSER("HKCU (NTUSER.DAT)"),
  USRCLASS("HKCU\\Software\\Classes (UsrClass.dat)"),
  SAM("HKLM\\SAM"),
  SECURITY("HKLM\\SECURITY"),
  OTHER("unknown hive");

  private final String label;

  HiveKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** True for the hives a user's logon loads, whose failure means a temporary profile. */
  public boolean userHive() {
    return this == NTUSER || this == USRCLASS;
  }

  /** Decides from the root key's subkeys; a damaged list falls back to OTHER. */
  public static HiveKind detect(RegistryKey root) {
    try {
      if (root.subkey("Select") != null
          && (root.subkey("ControlSet001") != null || root.subkey("ControlSet002") != null)) {
        return SYSTEM;
      }
      if (root.find("Microsoft\\Windows NT\\CurrentVersion") != null
          || root.find("Microsoft\\Windows\\CurrentVersion") != null && root.subkey("Classes") != null) {
        return SOFTWARE;
      }
      if (root.subkey("SAM") != null && root.find("SAM\\Domains") != null) {
        return SAM;
      }
      if (root.subkey("Policy") != null && root.subkey("RXACT") != null) {
        return SECURITY;
      }
      if (root.subkey("Software") != null
          && (root.subkey("Control Panel") != null || root.subkey("Environment") != null
              || root.subkey("Console") != null)) {
        return NTUSER;
      }
      if (root.subkey("Local Settings") != null || root.subkey("CLSID") != null
          && root.subkey("Interface") == null && root.subkey("Software") == null) {
        return USRCLASS;
      }
    } catch (rdpdoctor.protocol.DecodeException e) {
      return OTHER;
    }
    return OTHER;
  }
}
