package dev.orchestrate.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .gitignore patterns git documents (gitignore(5)), as input hashing applies them. */
class GitIgnoreTest {
  @TempDir Path tmp;

  private static boolean matches(String pattern, String path, boolean dir) {
    GitIgnore.Rule rule = GitIgnore.parseLine(pattern);
    return rule.matches(path, dir);
  }

  @Test
  void patternsWithoutASlashMatchAtAnyDepth() {
    assertTrue(matches("*.log", "debug.log", false));
    assertTrue(matches("*.log", "a/b/debug.log", false));
    assertFalse(matches("*.log", "debug.logs", false));
    assertTrue(matches("build/", "pkg/build", true));
    assertFalse(matches("build/", "pkg/build", false), "a trailing slash matches directories only");
  }

  @Test
  void aSlashAnchorsThePatternToTheDirectoryOfTheFile() {
    assertTrue(matches("/dist", "dist", true));
    assertFalse(matches("/dist", "pkg/dist", true));
    assertTrue(matches("doc/*.txt", "doc/a.txt", false));
    assertFalse(matches("doc/*.txt", "doc/sub/a.txt", false), "* does not cross a slash");
    assertFalse(matches("doc/*.txt", "x/doc/a.txt", false));
  }

  @Test
  void doubleAsterisksSpanDirectories() {
    assertTrue(matches("**/foo", "foo", true));
    assertTrue(matches("**/foo", "a/b/foo", false));
    assertTrue(matches("abc/**", "abc/x/y", false));
    assertFalse(matches("abc/**", "abc", true));
    assertTrue(matches("a/**/b", "a/b", false));
    assertTrue(matches("a/**/b", "a/x/y/b", false));
  }

  @Test
  void classesEscapesCommentsAndBlanks() {
    assertTrue(matches("file[0-9].py", "file3.py", false));
    assertFalse(matches("file[!0-9].py", "file3.py", false));
    assertTrue(matches("\\#notes", "#notes", false));
    assertTrue(matches("what?", "whatx", false));
    assertNull(GitIgnore.parseLine("# a comment"));
    assertNull(GitIgnore.parseLine("   "));
  }

  @Test
  void theDeepestFileDecidesAndTheLastPatternWinsWithinAFile() throws Exception {
    Files.createDirectories(tmp.resolve(".git/info"));
    Files.writeString(tmp.resolve(".gitignore"), "*.gen\n!keep.gen\n");
    Files.createDirectories(tmp.resolve("pkg/sub"));
    Files.writeString(tmp.resolve("pkg/.gitignore"), "!*.gen\n");
    Files.writeString(tmp.resolve(".git/info/exclude"), "*.tmp\n");
    GitIgnore git = GitIgnore.find(tmp.resolve("pkg")).orElseThrow();
    assertEquals(tmp, git.top());
    assertTrue(git.ignored(tmp.resolve("a.gen"), false));
    assertFalse(git.ignored(tmp.resolve("keep.gen"), false));
    assertFalse(git.ignored(tmp.resolve("pkg/sub/a.gen"), false), "pkg/.gitignore re-includes it");
    assertTrue(git.ignored(tmp.resolve("pkg/x.tmp"), false), "info/exclude applies");
  }

  @Test
  void sourceRulesSkipOutputsCachesVirtualenvsAndVcsButNotSources() throws Exception {
    Files.createDirectories(tmp.resolve("pkg/build"));
    Files.writeString(tmp.resolve("pkg/pyproject.toml"), "[project]\nname='p'\n");
    Files.createDirectories(tmp.resolve("pkg/src/build")); // a package named build: a source
    Files.createDirectories(tmp.resolve("pkg/env"));
    Files.writeString(tmp.resolve("pkg/env/pyvenv.cfg"), "home = /usr\n");
    Path out = tmp.resolve("out");
    SourceRules rules = new SourceRules(tmp, Set.of(out), Optional.empty());
    assertTrue(rules.skipDirectory(tmp.resolve("pkg/build")));
    assertFalse(rules.skipDirectory(tmp.resolve("pkg/src/build")));
    assertTrue(rules.skipDirectory(tmp.resolve("pkg/env")));
    assertTrue(rules.skipDirectory(tmp.resolve("pkg/.git")));
    assertTrue(rules.skipDirectory(tmp.resolve("pkg/src/pkg.egg-info")));
    assertTrue(rules.skipDirectory(out));
    assertTrue(rules.skipFile(tmp.resolve("pkg/x.pyc")));
    assertTrue(rules.skipFile(tmp.resolve("pkg/.x.py.swp")));
    assertFalse(rules.skipFile(tmp.resolve("pkg/.gitignore")));
    assertTrue(rules.excludes(tmp.resolve("pkg/build/lib/x.py")));
    assertTrue(rules.excludes(out.resolve("x.whl")));
    assertFalse(rules.excludes(tmp.resolve("pkg/src/build/x.py")));
  }
}
