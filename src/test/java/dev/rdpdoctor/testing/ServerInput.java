package dev.rdpdoctor.testing;

import dev.rdpdoctor.sources.eventlog.LogFileReader;
import dev.rdpdoctor.sources.eventlog.evtx.EvtxReader;
import dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import dev.rdpdoctor.wire.DtlsClientHello;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.PeerProtocol;
import dev.rdpdoctor.wire.RdpUdpSyn;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.TsRequest;
import dev.rdpdoctor.wire.X224ConnectionConfirm;
import dev.rdpdoctor.wire.X224ConnectionRequest;
import dev.rdpdoctor.wire.http.HttpResponseHead;
import dev.rdpdoctor.wire.session.DemandActivePdu;
import dev.rdpdoctor.wire.session.LicensingPdu;
import dev.rdpdoctor.wire.session.McsAttachUserConfirm;
import dev.rdpdoctor.wire.session.McsChannelJoinConfirm;
import dev.rdpdoctor.wire.session.McsSendData;
import dev.rdpdoctor.wire.session.SaveSessionInfoPdu;
import dev.rdpdoctor.wire.session.ServerLicenseRequest;
import dev.rdpdoctor.wire.session.ServerRedirectionPacket;
import dev.rdpdoctor.wire.session.SetErrorInfoPdu;
import dev.rdpdoctor.wire.session.ShareControlHeader;
import dev.rdpdoctor.wire.tsgu.ChannelResponse;
import dev.rdpdoctor.wire.tsgu.HandshakeResponse;
import dev.rdpdoctor.wire.tsgu.TunnelAuthResponse;
import dev.rdpdoctor.wire.tsgu.TunnelResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every decoder that reads bytes from a server or a file, grouped by what feeds it, for the corpus
 * replay (DecoderCorpusTest) and the fuzz targets (DecoderFuzzTest). Each group runs all of its
 * decoders on the input, as the probes would meet it, and says whether any produced a value or all
 * rejected it. Rejecting means the decoder's documented checked error (MalformedPduException); the
 * file readers never throw, and count as producing a value when they read at least one record or
 * setting. Any other exception escapes and is a defect.
 *
 * <p>The seeds live where Jazzer looks for them:
 * src/test/resources/dev/rdpdoctor/fuzz/DecoderFuzzTestInputs/&lt;id&gt;/, one binary file per
 * input, named after the capture or fixture it was taken from.
 */
public enum ServerInput {
  /** X.224 Connection Confirm, TPKT header, MCS Disconnect Provider Ultimatum, peer sniffing. */
  X224("x224", false) {
    @Override
    boolean decodeAll(byte[] b) {
      boolean any = false;
      any |= value(() -> X224ConnectionConfirm.decode(b));
      any |= value(() -> McsDisconnectProviderUltimatum.decode(b));
      any |= value(() -> X224ConnectionRequest.decode(b));
      any |= value(() -> Tpkt.decodeHeader(Arrays.copyOf(b, Math.min(b.length, 4))));
      PeerProtocol.identify(b, b.length);
      return any;
    }
  },
  /** [MS-CSSP] TSRequest, as the server answers the NEGOTIATE. */
  TS_REQUEST("tsRequest", false) {
    @Override
    boolean decodeAll(byte[] b) {
      return value(() -> TsRequest.decode(b));
    }
  },
  /** [MS-NLMP] CHALLENGE_MESSAGE, with its AV pairs. */
  NTLM_CHALLENGE("ntlmChallenge", false) {
    @Override
    boolean decodeAll(byte[] b) {
      return value(() -> NtlmChallenge.decode(b));
    }
  },
  /** MCS Connect Response with the GCC server data blocks and the server's certificate. */
  MCS_CONNECT_RESPONSE("mcsConnectResponse", false) {
    @Override
    boolean decodeAll(byte[] b) {
      return value(() -> McsConnectResponse.decode(b));
    }
  },
  /** Whole MCS domain PDUs after the Connect Response: Attach User, Channel Join, Send Data. */
  MCS_DOMAIN_PDU("mcsDomainPdu", false) {
    @Override
    boolean decodeAll(byte[] b) {
      boolean any = false;
      any |= value(() -> McsAttachUserConfirm.decode(b));
      any |= value(() -> McsChannelJoinConfirm.decode(b));
      any |= value(() -> McsSendData.decode(b));
      McsSendData.choice(b);
      return any;
    }
  },
  /**
   * The user data of a Send Data Indication: licensing, Demand Active, Set Error Info, Save Session
   * Info, Enhanced Security Server Redirection.
   */
  SHARE_DATA("shareData", false) {
    @Override
    boolean decodeAll(byte[] b) {
      boolean any = false;
      ShareControlHeader.looksLike(b);
      LicensingPdu.isLicensing(b);
      any |= value(() -> LicensingPdu.decode(b));
      any |= value(() -> ServerLicenseRequest.decode(b));
      any |= value(() -> DemandActivePdu.decode(b));
      any |= value(() -> SetErrorInfoPdu.decode(b));
      any |= value(() -> SaveSessionInfoPdu.decode(b));
      any |= value(() -> ServerRedirectionPacket.decodeEnhanced(b));
      any |= value(() -> ServerRedirectionPacket.decode(b));
      return any;
    }
  },
  /** [MS-TSGU] packets a gateway sends: handshake, tunnel, tunnel auth and channel responses. */
  TSGU("tsgu", false) {
    @Override
    boolean decodeAll(byte[] b) {
      boolean any = false;
      any |= value(() -> HandshakeResponse.decode(b));
      any |= value(() -> TunnelResponse.decode(b));
      any |= value(() -> TunnelAuthResponse.decode(b));
      any |= value(() -> ChannelResponse.decode(b));
      return any;
    }
  },
  /** The HTTP/1.1 response head of a gateway (status line, headers, what follows). */
  HTTP_HEAD("httpHead", false) {
    @Override
    boolean decodeAll(byte[] b) {
      return value(() -> HttpResponseHead.parse(b, b.length));
    }
  },
  /** [MS-RDPEUDP] SYN+ACK and the reply to the gateway's DTLS ClientHello. */
  RDP_UDP("rdpUdp", false) {
    @Override
    boolean decodeAll(byte[] b) {
      DtlsClientHello.describeReply(b, b.length);
      return value(() -> RdpUdpSyn.decode(b, b.length));
    }
  },
  /** An .evtx file: header, chunks, records, BinXml, rendered as `logs --xml` does. */
  EVTX("evtx", true) {
    @Override
    boolean decodeAll(byte[] b) {
      StringBuilder xml = new StringBuilder();
      return EvtxReader.read(b, r -> xml.append(PythonEvtxXml.render(r.xml()))).records() > 0;
    }
  },
  /** Any file `logs` is given: EVTX, wevtutil XML, Export-Csv, RDGClientTrace, by content. */
  EVENT_LOG_FILE("eventLogFile", true) {
    @Override
    boolean decodeAll(byte[] b) {
      return LogFileReader.read("fuzz-input", b, e -> {}).records() > 0;
    }
  },
  /** An .rdp file in any of its encodings. */
  RDP_FILE("rdpFile", true) {
    @Override
    boolean decodeAll(byte[] b) {
      return !RdpFileParser.parse(b).settings().isEmpty();
    }
  };

  /** Where the seeds and regression inputs are, on the test class path. */
  public static final String INPUTS = "/dev/rdpdoctor/fuzz/DecoderFuzzTestInputs/";

  private final String id;
  private final boolean neverThrows;

  ServerInput(String id, boolean neverThrows) {
    this.id = id;
    this.neverThrows = neverThrows;
  }

  /** The seed directory's name, which is also the fuzz test method's. */
  public String id() {
    return id;
  }

  /** True for the file readers, which report problems in their result instead of throwing. */
  public boolean neverThrows() {
    return neverThrows;
  }

  /**
   * Runs every decoder of this group on {@code b}.
   *
   * @return true when some decoder produced a value (a file reader: at least one record or
   *     setting), false when all rejected it with their documented error
   */
  public boolean decode(byte[] b) {
    return decodeAll(b);
  }

  abstract boolean decodeAll(byte[] b);

  interface Decoding {
    Object run() throws MalformedPduException;
  }

  static boolean value(Decoding d) {
    try {
      if (d.run() == null) {
        throw new AssertionError("a decoder returned null instead of a value or an error");
      }
      return true;
    } catch (MalformedPduException e) {
      return false;
    }
  }

  /** The seed files of this group, sorted by name; empty when the directory is missing. */
  public List<Path> seeds() {
    URL dir = ServerInput.class.getResource(INPUTS + id);
    if (dir == null) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
