package dev.rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetSourceTest {
  @TempDir Path dir;

  /** A stand-in for the CLI's parser: host[:port], port 3389 by default. */
  static Target parse(String text) {
    String host = text;
    int port = 3389;
    if (text.startsWith("[")) {
      host = text.substring(1, text.indexOf(']'));
      if (text.contains("]:")) {
        port = Integer.parseInt(text.substring(text.indexOf("]:") + 2));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = Integer.parseInt(text.substring(text.indexOf(':') + 1));
    }
    if (host.contains("bad")) {
      throw new IllegalArgumentException("'" + host + "' is not a valid host name");
    }
    boolean literal = AddressRange.literal(host).isPresent();
    return new Target(host, port, literal, ClientProfile.WINDOWS);
  }

  private static List<String> hosts(TargetSource s) {
    List<String> out = new ArrayList<>();
    for (TargetSource.Entry e : s) {
      out.add(
          e instanceof TargetSource.Host h
              ? h.target().display()
              : "! " + ((TargetSource.Problem) e).message());
    }
    return out;
  }

  private static TargetSource source(List<String> specs, List<String> excludes) {
    return new TargetSource(specs, excludes, TargetSourceTest::parse);
  }

  @Test
  void cidrsRangesAndHostsExpandInOrder() {
    assertThat(
            hosts(
                source(
                    List.of("10.0.0.0/30", "10.0.1.5-7", "srv.example:3390", "2001:db8::/127"),
                    List.of())))
        .containsExactly(
            "10.0.0.0:3389",
            "10.0.0.1:3389",
            "10.0.0.2:3389",
            "10.0.0.3:3389",
            "10.0.1.5:3389",
            "10.0.1.6:3389",
            "10.0.1.7:3389",
            "srv.example:3390",
            "[2001:db8:0:0:0:0:0:0]:3389",
            "[2001:db8:0:0:0:0:0:1]:3389");
  }

  @Test
  void badInputBecomesAProblemAndTheRestGoesOn() {
    List<String> out =
        hosts(
            source(
                List.of(
                    "10.0.0.0/0",
                    "10.0.0.0/33",
                    "10.0.0.9-10.0.0.1",
                    "bad_host!",
                    "10.0.0.1",
                    "@" + dir.resolve("missing.txt")),
                List.of()));
    assertThat(out).hasSize(6);
    assertThat(out.get(0)).contains("/0").contains("every address");
    assertThat(out.get(1)).contains("prefix length must be 0-32");
    assertThat(out.get(2)).contains("ends before it starts");
    assertThat(out.get(3)).contains("not a valid host name");
    assertThat(out.get(4)).isEqualTo("10.0.0.1:3389");
    assertThat(out.get(5)).contains("cannot read target file").contains("no such file");
  }

  @Test
  void duplicatesAreScannedOnceAndNamedWhenListedTwice() {
    List<String> out = hosts(source(List.of("10.0.0.0/31", "10.0.0.1", "10.0.0.0/30"), List.of()));
    assertThat(out)
        .containsExactly(
            "10.0.0.0:3389",
            "10.0.0.1:3389",
            "! '10.0.0.1': 10.0.0.1:3389 is already in the scan; scanned once",
            "10.0.0.2:3389",
            "10.0.0.3:3389");
  }

  @Test
  void excludesTakeRangesHostsAndPorts() throws IOException {
    Path ex = Files.writeString(dir.resolve("ex.txt"), "# keep out\n10.0.0.4/31\n");
    List<String> out =
        hosts(
            source(
                List.of("10.0.0.0/29", "a.example", "b.example:3390", "b.example:3391"),
                List.of("10.0.0.1", "@" + ex, "a.example", "b.example:3390")));
    assertThat(out)
        .containsExactly(
            "10.0.0.0:3389",
            "10.0.0.2:3389",
            "10.0.0.3:3389",
            "10.0.0.6:3389",
            "10.0.0.7:3389",
            "b.example:3391");
  }

  @Test
  void fileWithCommentsNamesItsLines() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("t.txt"), "# fleet\n10.0.0.1   # dc\n\n  10.1.0.0/31\nbad_one\n10.0.0.1\n");
    assertThat(hosts(source(List.of("@" + f), List.of())))
        .containsExactly(
            "10.0.0.1:3389",
            "10.1.0.0:3389",
            "10.1.0.1:3389",
            "! " + f + ":5: 'bad_one' is not a valid host name",
            "! " + f + ":6: 10.0.0.1:3389 is already in the scan; scanned once");
  }

  @Test
  void readsNmapXml() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("n.xml"),
            """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE nmaprun>
        <nmaprun scanner="nmap" args="nmap -p 3389,3390 -oX n.xml 10.0.0.0/30">
        <host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>
        <address addr="00:11:22:33:44:55" addrtype="mac"/>
        <ports><port protocol="tcp" portid="3389"><state state="open"/></port>
        <port protocol="tcp" portid="3390"><state state="open"/></port></ports></host>
        <host><status state="up"/><address addr="10.0.0.2" addrtype="ipv4"/>
        <ports><port protocol="tcp" portid="3389"><state state="filtered"/></port></ports></host>
        <host><status state="up"/><address addr="2001:db8::5" addrtype="ipv6"/>
        <ports><port protocol="udp" portid="3389"><state state="open"/></port></ports></host>
        </nmaprun>
        """);
    assertThat(hosts(source(List.of("@" + f), List.of())))
        .containsExactly("10.0.0.1:3389", "10.0.0.1:3390", "10.0.0.2:3389", "[2001:db8::5]:3389");
  }

  @Test
  void brokenNmapXmlKeepsWhatCameBefore() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("n.xml"),
            "<?xml version=\"1.0\"?><nmaprun>"
                + "<host><address addr=\"10.0.0.1\" addrtype=\"ipv4\"/></host><host><address");
    List<String> out = hosts(source(List.of("@" + f), List.of()));
    assertThat(out.get(0)).isEqualTo("10.0.0.1:3389");
    assertThat(out.get(1)).startsWith("! " + f + ": not valid nmap XML after 1 hosts");
  }

  @Test
  void readsMasscanList() throws IOException {
    Path f =
        Files.writeString(
            dir.resolve("m.txt"),
            """
        #masscan
        open tcp 3389 10.0.0.7 1733400000
        open tcp 3390 10.0.0.8 1733400001
        # end
        """);
    assertThat(hosts(source(List.of("@" + f), List.of())))
        .containsExactly("10.0.0.7:3389", "10.0.0.8:3390");
  }

  @Test
  void aLargeBlockIsWalkedNotHeld() {
    TargetSource s = source(List.of("10.0.0.0/16"), List.of());
    assertThat(s.count()).isEqualTo(65_536);
    Iterator<TargetSource.Entry> it = s.iterator();
    assertThat(((TargetSource.Host) it.next()).target().host()).isEqualTo("10.0.0.0");
    assertThat(hosts(source(List.of("10.0.0.0/7"), List.of())).get(0))
        .contains("holds 33554432 addresses")
        .contains("split it");
  }
}
