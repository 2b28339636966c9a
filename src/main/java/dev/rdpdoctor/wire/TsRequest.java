package dev.rdpdoctor.wire;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;

/**
 * The CredSSP message ([MS-CSSP] 2.2.1), DER-encoded, every field explicitly tagged:
 *
 * <pre>
 * TSRequest ::= SEQUENCE {
 *   version     [0] INTEGER,                 -- 2..6: what the sender speaks
 *   negoTokens  [1] NegoData OPTIONAL,       -- SEQUENCE OF SEQUENCE { negoToken [0] OCTET STRING }
 *   authInfo    [2] OCTET STRING OPTIONAL,   -- sealed TSCredentials
 *   pubKeyAuth  [3] OCTET STRING OPTIONAL,   -- sealed public key (v2-4) or its hash (v5+)
 *   errorCode   [4] INTEGER OPTIONAL,        -- v3+: an NTSTATUS when the server gives up
 *   clientNonce [5] OCTET STRING OPTIONAL    -- v5+: 32 random bytes bound into the hash
 * }
 * </pre>
 *
 * Only the first negoToken is kept: NTLM never sends more than one per message.
 *
 * @param errorCode the 32-bit NTSTATUS pattern (a signed INTEGER on the wire), or null
 */
public record TsRequest(
    int version,
    byte[] negoToken,
    byte[] authInfo,
    byte[] pubKeyAuth,
    Integer errorCode,
    byte[] clientNonce) {
  /** No legitimate TSRequest comes near this; a larger length claim is hostile or garbage. */
  public static final int MAX_LENGTH = 64 * 1024;

  /** Versions defined by [MS-CSSP]; anything else is reported as it is, never rejected. */
  public static final int MAX_KNOWN_VERSION = 6;

  public static TsRequest negotiate(int version, byte[] token) {
    return new TsRequest(version, token, null, null, null, null);
  }

  public byte[] encode() {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new DERTaggedObject(true, 0, new ASN1Integer(version)));
    if (negoToken != null) {
      DERSequence item =
          new DERSequence(new DERTaggedObject(true, 0, new DEROctetString(negoToken)));
      v.add(new DERTaggedObject(true, 1, new DERSequence(item)));
    }
    if (authInfo != null) {
      v.add(new DERTaggedObject(true, 2, new DEROctetString(authInfo)));
    }
    if (pubKeyAuth != null) {
      v.add(new DERTaggedObject(true, 3, new DEROctetString(pubKeyAuth)));
    }
    if (errorCode != null) {
      v.add(new DERTaggedObject(true, 4, new ASN1Integer(errorCode)));
    }
    if (clientNonce != null) {
      v.add(new DERTaggedObject(true, 5, new DEROctetString(clientNonce)));
    }
    return der(new DERSequence(v));
  }

  /** Decodes one whole TSRequest; unknown context tags are skipped, as DER extensibility asks. */
  public static TsRequest decode(byte[] b) throws MalformedPduException {
    if (b.length > MAX_LENGTH) {
      throw new MalformedPduException(
          "TSRequest of " + b.length + " bytes exceeds the cap " + MAX_LENGTH, 0);
    }
    ASN1Sequence seq;
    try {
      ASN1Primitive p = ASN1Primitive.fromByteArray(b);
      if (!(p instanceof ASN1Sequence s)) {
        throw new MalformedPduException("TSRequest is not a SEQUENCE", 0);
      }
      seq = s;
    } catch (IOException | RuntimeException e) {
      throw new MalformedPduException("TSRequest is not valid DER: " + e.getMessage(), 0);
    }
    Integer version = null;
    byte[] token = null;
    byte[] auth = null;
    byte[] pub = null;
    Integer error = null;
    byte[] nonce = null;
    try {
      for (int i = 0; i < seq.size(); i++) {
        if (!(seq.getObjectAt(i) instanceof ASN1TaggedObject t)
            || t.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
          throw new MalformedPduException("TSRequest field " + i + " is not context-tagged", 0);
        }
        ASN1Primitive inner = t.getExplicitBaseObject().toASN1Primitive();
        switch (t.getTagNo()) {
          case 0 -> version = smallInt(inner, "version");
          case 1 -> token = firstToken(inner);
          case 2 -> auth = octets(inner, "authInfo");
          case 3 -> pub = octets(inner, "pubKeyAuth");
          case 4 -> error = ASN1Integer.getInstance(inner).getValue().intValue();
          case 5 -> nonce = octets(inner, "clientNonce");
          default -> {
            /* a later version's field: ignore */
          }
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new MalformedPduException("TSRequest field has the wrong type: " + e.getMessage(), 0);
    }
    if (version == null) {
      throw new MalformedPduException("TSRequest without the mandatory version", 0);
    }
    return new TsRequest(version, token, auth, pub, error, nonce);
  }

  /**
   * Reads one DER TLV (a whole TSRequest) from a stream: the tag, a definite length of at most
   * {@link #MAX_LENGTH}, then exactly that many bytes.
   */
  public static byte[] readFrom(InputStream in) throws IOException, MalformedPduException {
    int tag = in.read();
    if (tag < 0) {
      throw new java.io.EOFException("the server closed the connection before a TSRequest");
    }
    if (tag != 0x30) {
      throw new MalformedPduException(
          String.format("expected a TSRequest (DER SEQUENCE 0x30), got 0x%02x", tag), 0);
    }
    int first = readByte(in);
    int len;
    int headerLen;
    if (first < 0x80) {
      len = first;
      headerLen = 2;
    } else {
      int n = first & 0x7F;
      if (n == 0 || n > 3) {
        throw new MalformedPduException(
            "TSRequest length uses "
                + n
                + " bytes"
                + (n == 0 ? " (indefinite length is not DER)" : ""),
            1);
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | readByte(in);
      }
      headerLen = 2 + n;
    }
    if (len > MAX_LENGTH - headerLen) {
      throw new MalformedPduException(
          "TSRequest claims " + len + " bytes (cap " + MAX_LENGTH + ")", 1);
    }
    byte[] out = new byte[headerLen + len];
    out[0] = 0x30;
    int pos = 1;
    if (first < 0x80) {
      out[pos++] = (byte) first;
    } else {
      int n = first & 0x7F;
      out[pos++] = (byte) first;
      for (int i = n - 1; i >= 0; i--) {
        out[pos++] = (byte) (len >>> (8 * i));
      }
    }
    int got = 0;
    while (got < len) {
      int r = in.read(out, pos + got, len - got);
      if (r < 0) {
        throw new java.io.EOFException(
            "the server closed the connection after " + got + " of " + len + " TSRequest bytes");
      }
      got += r;
    }
    return out;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new java.io.EOFException("the server closed the connection inside a TSRequest header");
    }
    return b;
  }

  private static int smallInt(ASN1Primitive p, String what) throws MalformedPduException {
    BigInteger v = ASN1Integer.getInstance(p).getValue();
    if (v.signum() < 0 || v.bitLength() > 31) {
      throw new MalformedPduException("TSRequest " + what + " " + v + " is out of range", 0);
    }
    return v.intValue();
  }

  private static byte[] octets(ASN1Primitive p, String what) {
    return ASN1OctetString.getInstance(p).getOctets();
  }

  private static byte[] firstToken(ASN1Primitive p) throws MalformedPduException {
    ASN1Sequence list = ASN1Sequence.getInstance(p);
    if (list.size() == 0) {
      return null;
    }
    ASN1Sequence item = ASN1Sequence.getInstance(list.getObjectAt(0));
    if (item.size() == 0
        || !(item.getObjectAt(0) instanceof ASN1TaggedObject t)
        || t.getTagNo() != 0) {
      throw new MalformedPduException("NegoData item without negoToken [0]", 0);
    }
    return ASN1OctetString.getInstance(t.getExplicitBaseObject()).getOctets();
  }

  static byte[] der(ASN1Primitive p) {
    try {
      return p.getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("DER encoding of an in-memory structure failed", e);
    }
  }

  /**
   * TSCredentials carrying TSPasswordCreds ([MS-CSSP] 2.2.1.2, 2.2.1.2.1), the secret the client
   * delegates once the server proved its key:
   *
   * <pre>
   * TSCredentials   ::= SEQUENCE { credType [0] INTEGER (1 = password), credentials [1] OCTET STRING }
   * TSPasswordCreds ::= SEQUENCE { domainName [0] OCTET STRING, userName [1] OCTET STRING,
   *                                password [2] OCTET STRING }   -- each UTF-16LE
   * </pre>
   *
   * The caller wipes the returned array after sealing it.
   */
  public static byte[] passwordCredentials(
      byte[] domainUtf16, byte[] userUtf16, byte[] passwordUtf16) {
    DERSequence creds =
        new DERSequence(
            new ASN1EncodableVector() {
              {
                add(new DERTaggedObject(true, 0, new DEROctetString(domainUtf16)));
                add(new DERTaggedObject(true, 1, new DEROctetString(userUtf16)));
                add(new DERTaggedObject(true, 2, new DEROctetString(passwordUtf16)));
              }
            });
    DERSequence ts =
        new DERSequence(
            new ASN1EncodableVector() {
              {
                add(new DERTaggedObject(true, 0, new ASN1Integer(1)));
                add(new DERTaggedObject(true, 1, new DEROctetString(der(creds))));
              }
            });
    return der(ts);
  }
}
