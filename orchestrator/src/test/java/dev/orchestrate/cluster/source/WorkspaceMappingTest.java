package dev.orchestrate.cluster.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceMappingTest {
  @TempDir Path tmp;

  @Test
  void aCoordinatorWorkspaceUnderTheAgentsIsUsedInPlace() throws Exception {
    Path shared = Files.createDirectories(tmp.resolve("shared"));
    Path member = Files.createDirectories(shared.resolve("mono/packages/alpha"));
    var result = WorkspaceMapping.map(shared, shared.resolve("mono").toString(), "packages/alpha");
    var mapped = assertInstanceOf(WorkspaceMapping.Result.Mapped.class, result);
    assertEquals(member.toRealPath(), mapped.dir());
    assertTrue(mapped.sharedPath());
  }

  @Test
  void elsewhereTheMemberIsFoundAtTheSameRelativePathInTheAgentsCheckout() throws Exception {
    Path clone = Files.createDirectories(tmp.resolve("clone"));
    Path member = Files.createDirectories(clone.resolve("packages/alpha"));
    var result = WorkspaceMapping.map(clone, "/home/someone/mono", "packages/alpha");
    var mapped = assertInstanceOf(WorkspaceMapping.Result.Mapped.class, result);
    assertEquals(member.toRealPath(), mapped.dir());
    assertEquals("packages/alpha", WorkspaceMapping.memberPath(Path.of("/home/someone/mono"),
        Path.of("/home/someone/mono/packages/alpha")));
    assertEquals("", WorkspaceMapping.memberPath(Path.of("/r"), Path.of("/r")));
  }

  @Test
  void nothingOutsideTheAgentsWorkspaceIsBuilt() throws Exception {
    Path clone = Files.createDirectories(tmp.resolve("clone"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createSymbolicLink(clone.resolve("escape"), outside);
    var escape = assertInstanceOf(WorkspaceMapping.Result.Refused.class,
        WorkspaceMapping.map(clone, "/elsewhere", "../outside"));
    assertTrue(escape.reason().contains("leaves the workspace"), escape.reason());
    var link = assertInstanceOf(WorkspaceMapping.Result.Refused.class,
        WorkspaceMapping.map(clone, "/elsewhere", "escape"));
    assertTrue(link.reason().contains("is outside its --workspace"), link.reason());
    var missing = assertInstanceOf(WorkspaceMapping.Result.Refused.class,
        WorkspaceMapping.map(clone, "/elsewhere/mono", "packages/nope"));
    assertTrue(missing.reason().contains("no directory"), missing.reason());
  }
}
