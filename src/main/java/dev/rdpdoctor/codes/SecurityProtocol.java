package dev.rdpdoctor.codes;

import java.util.ArrayList;
import java.util.List;

/**
 * requestedProtocols / selectedProtocol flags ([MS-RDPBCGR] 2.2.1.1.1). PROTOCOL_RDP is the absence
 * of every flag, so these are described as a mask rather than an enum.
 */
public final class SecurityProtocol {
  public static final int PROTOCOL_RDP = 0x00000000;
  public static final int PROTOCOL_SSL = 0x00000001;
  public static final int PROTOCOL_HYBRID = 0x00000002;
  public static final int PROTOCOL_RDSTLS = 0x00000004;
  public static final int PROTOCOL_HYBRID_EX = 0x00000008;
  public static final int PROTOCOL_RDSAAD = 0x00000010;

  /**
   * What current mstsc offers with NLA on (the default client): TLS, CredSSP and CredSSP with Early
   * User Authorization; the server picks one.
   */
  public static final int MSTSC_OFFER = PROTOCOL_SSL | PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX;

  private static final int[] FLAGS = {
    PROTOCOL_SSL, PROTOCOL_HYBRID, PROTOCOL_RDSTLS, PROTOCOL_HYBRID_EX, PROTOCOL_RDSAAD
  };
  private static final String[] NAMES = {"SSL", "HYBRID", "RDSTLS", "HYBRID_EX", "RDSAAD"};
  private static final String[] FRIENDLY = {
    "TLS", "CredSSP (NLA)", "RDSTLS", "CredSSP with Early User Authorization", "Azure AD (RDSAAD)"
  };

  private SecurityProtocol() {}

  /** "RDP", "SSL|HYBRID", and unknown bits as hex: decoding never loses information. */
  public static String names(int mask) {
    if (mask == 0) {
      return "RDP";
    }
    return FlagNames.describe(mask, FLAGS, NAMES);
  }

  /** Words a helpdesk reader understands, e.g. "Standard RDP Security" or "TLS". */
  public static String friendly(int mask) {
    if (mask == 0) {
      return "Standard RDP Security";
    }
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < FLAGS.length; i++) {
      if ((mask & FLAGS[i]) != 0) {
        parts.add(FRIENDLY[i]);
      }
    }
    int rest =
        mask
            & ~(PROTOCOL_SSL
                | PROTOCOL_HYBRID
                | PROTOCOL_RDSTLS
                | PROTOCOL_HYBRID_EX
                | PROTOCOL_RDSAAD);
    if (rest != 0) {
      parts.add(String.format("unknown 0x%x", rest & 0xFFFFFFFFL));
    }
    return String.join(" + ", parts);
  }

  /** True when the selected protocol starts a TLS handshake on the same socket. */
  public static boolean usesTls(int selected) {
    return (selected
            & (PROTOCOL_SSL
                | PROTOCOL_HYBRID
                | PROTOCOL_HYBRID_EX
                | PROTOCOL_RDSTLS
                | PROTOCOL_RDSAAD))
        != 0;
  }

  /** True when the selected protocol runs CredSSP (NLA) after TLS: HYBRID or HYBRID_EX. */
  public static boolean usesCredSsp(int selected) {
    return (selected & (PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX)) != 0;
  }
}
