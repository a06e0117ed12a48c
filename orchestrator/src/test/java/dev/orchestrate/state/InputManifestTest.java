package dev.orchestrate.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Input manifests: what changes a hash, and how a change is named. */
class InputManifestTest {
  private static InputManifest manifest(Map<String, String> settings, Map<String, String> files,
      Map<String, String> deps) {
    return new InputManifest(new TreeMap<>(settings), new TreeMap<>(files), new TreeMap<>(deps));
  }

  @Test
  void theHashFollowsEveryInputAndNothingElse() {
    InputManifest base = manifest(Map.of("backend", "b"), Map.of("a.py", "1", "b.py", "2"), Map.of("dep", "h1"));
    assertEquals(base.hash(), manifest(Map.of("backend", "b"), Map.of("b.py", "2", "a.py", "1"),
        Map.of("dep", "h1")).hash(), "order does not matter");
    assertNotEquals(base.hash(), manifest(Map.of("backend", "c"), base.files(), base.dependencies()).hash());
    assertNotEquals(base.hash(), manifest(base.settings(), Map.of("a.py", "1", "b.py", "3"), base.dependencies()).hash());
    assertNotEquals(base.hash(), manifest(base.settings(), Map.of("a.py", "1", "c.py", "2"), base.dependencies()).hash(),
        "a rename changes the hash");
    assertNotEquals(base.hash(), manifest(base.settings(), base.files(), Map.of("dep", "h2")).hash());
    assertEquals(base.ownDigest(), manifest(base.settings(), base.files(), Map.of("dep", "h2")).ownDigest());
    assertEquals(base.hash(), InputManifest.parse(base.text()).hash(), "the stored form round-trips");
  }

  @Test
  void changesNameTheFileTheSettingAndTheDependency() {
    InputManifest before = manifest(Map.of("config-settings", "{}"),
        Map.of("a.py", "1", "b.py", "2", "old.txt", "9"), Map.of("x", "h1", "gone", "h"));
    InputManifest after = manifest(Map.of("config-settings", "{\"k\": \"v\"}"),
        Map.of("a.py", "1b", "c.py", "3", "new.txt", "9"), Map.of("x", "h2", "y", "h3"));
    List<String> described = after.changesSince(before).stream().map(InputChange::describe).toList();
    assertEquals(List.of(
        "setting `config-settings` changed: {} -> {\"k\": \"v\"}",
        "file `a.py` modified",
        "file `old.txt` renamed to `new.txt`",
        "file `c.py` added",
        "file `b.py` removed",
        "dependency `x` changed",
        "new build dependency `y`",
        "no longer needs `gone` at build time"), described);
  }
}
