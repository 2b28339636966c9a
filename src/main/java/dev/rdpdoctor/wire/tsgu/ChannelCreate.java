package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP_CHANNEL_PACKET, [MS-TSGU] 2.2.10.2: the client asks for a channel to the target RDP server.
 * The gateway checks its resource authorization policy (RD RAP) here.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x8 CHANNEL_CREATE)             |
 * +---------------+---------------+-------------------------------+
 * | numResources  |numAltResources|             port              |
 * +---------------+---------------+-------------------------------+
 * |           protocol (3 = RDP)  |  resource names: numResources x
 * +-------------------------------+  HTTP_UNICODE_STRING, then the
 *                                    alternative names the same way
 * </pre>
 */
public record ChannelCreate(
    List<String> resources, List<String> altResources, int port, int protocol) {
  public static final int BODY = 6;
  public static final int PROTOCOL_RDP = 3;

  /** More names than this in one request is not something a client sends. */
  public static final int MAX_RESOURCES = 50;

  public ChannelCreate {
    resources = List.copyOf(resources);
    altResources = List.copyOf(altResources);
  }

  public static ChannelCreate to(String host, int port) {
    return new ChannelCreate(List.of(host), List.of(), port, PROTOCOL_RDP);
  }

  public byte[] encode() {
    Le.Writer w =
        new Le.Writer().u8(resources.size()).u8(altResources.size()).u16(port).u16(protocol);
    resources.forEach(s -> Fields.unicode(w, s));
    altResources.forEach(s -> Fields.unicode(w, s));
    return PacketHeader.frame(PacketHeader.CHANNEL_CREATE, w.toByteArray());
  }

  public static ChannelCreate decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.CHANNEL_CREATE, BODY, "channel create");
    int at = r.position();
    int n = r.u8("numResources");
    int alt = r.u8("numAltResources");
    if (n == 0 || n > MAX_RESOURCES || alt > MAX_RESOURCES) {
      throw new MalformedPduException(
          "resource counts " + n + "/" + alt + " outside 1.." + MAX_RESOURCES, at);
    }
    int port = r.u16le("port");
    int protocol = r.u16le("protocol");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(Fields.unicode(r, "resourceName"));
    }
    List<String> alts = new ArrayList<>();
    for (int i = 0; i < alt; i++) {
      alts.add(Fields.unicode(r, "altResourceName"));
    }
    return new ChannelCreate(names, alts, port, protocol);
  }
}
