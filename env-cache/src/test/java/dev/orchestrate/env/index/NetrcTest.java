package dev.orchestrate.env.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .netrc as Python's netrc module reads it. */
class NetrcTest {
  @TempDir Path tmp;

  @Test
  void machinesDefaultsMacrosCommentsAndQuotes() {
    Netrc n = Netrc.parse("""
        # a comment
        machine Index.Example.org login alice password "pa ss#word" account ignored
        macdef init
          cd /pub
          binary

        machine other.example.org
          login bob
          password b\\"ob
        machine index.example.org login second password ignored
        default login anon password anon-pw
        """, "test");
    assertEquals(Optional.of(new Credentials("alice", "pa ss#word")), n.lookup("index.example.org"));
    assertEquals(Optional.of(new Credentials("bob", "b\"ob")), n.lookup("OTHER.example.org"));
    assertEquals(Optional.of(new Credentials("anon", "anon-pw")), n.lookup("elsewhere.org"));
    assertEquals(Optional.empty(), Netrc.parse("machine a login b password c", "t").lookup("z"));
    assertTrue(Netrc.empty().isEmpty());
  }

  @Test
  void malformedFilesNameTheLineButNoToken() {
    IndexException e = assertThrows(IndexException.class,
        () -> Netrc.parse("machine h login u password top-secret\nbogus top-secret\n", "/home/x/.netrc"));
    assertEquals("malformed netrc file /home/x/.netrc line 2: unknown keyword (expected login, password or account)",
        e.getMessage());
    assertFalse(e.getMessage().contains("top-secret"));
    assertThrows(IndexException.class, () -> Netrc.parse("machine h login", "t"));
  }

  @Test
  void theNetrcVariableOverridesTheHomeFileAndAMissingFileIsEmpty() throws Exception {
    Path home = tmp.resolve("home");
    assertEquals(home.resolve(".netrc"), Netrc.defaultPath(Map.of(), home));
    assertEquals(Path.of("/etc/custom-netrc"), Netrc.defaultPath(Map.of("NETRC", "/etc/custom-netrc"), home));
    assertTrue(Netrc.load(tmp.resolve("absent")).isEmpty());
    Path file = Files.writeString(tmp.resolve("netrc"), "machine h login u password p\n");
    assertEquals(Optional.of(new Credentials("u", "p")), Netrc.load(file).lookup("h"));
    assertEquals("Netrc[1 machines]", Netrc.load(file).toString());
    assertEquals("Credentials[***]", new Credentials("u", "p").toString());
  }
}
