package dev.orchestrate.cluster.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.orchestrate.env.store.EnvRequirement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEnvironmentBuilderTest {
  @Test
  void laterAgentsInstallTheClustersPinsAndKeepWorkspaceMembersByWheel() {
    List<EnvRequirement> requirements = List.of(
        new EnvRequirement("setuptools>=61", "setuptools>=61"),
        new EnvRequirement("house-backend @ sha256:ab12", "house-backend @ file:///w/house.whl"));
    List<EnvironmentRegistry.Pinned> pins = List.of(
        new EnvironmentRegistry.Pinned("house-backend", "1.2.0", "house.whl", "ab12"),
        new EnvironmentRegistry.Pinned("setuptools", "65.5.0", "setuptools-65.5.0-py3-none-any.whl", ""),
        new EnvironmentRegistry.Pinned("wheel", "0.38.4", "wheel-0.38.4-py3-none-any.whl", ""));
    List<String> install = ClusterEnvironmentBuilder.pinnedRequirements(requirements, pins).stream()
        .map(EnvRequirement::installArg).toList();
    assertEquals(List.of("house-backend @ file:///w/house.whl", "setuptools==65.5.0", "wheel==0.38.4"), install);
  }

  @Test
  void aKeyIsTheRequirementSetAndTheInterpreterWhateverTheOrder() {
    String key = EnvironmentRegistry.key("CPython|3.11.7|cpython-311|linux|64", List.of("b", "a"));
    assertEquals(key, EnvironmentRegistry.key("CPython|3.11.7|cpython-311|linux|64", List.of("a", "b")));
    assertNotEquals(key, EnvironmentRegistry.key("CPython|3.12.1|cpython-312|linux|64", List.of("a", "b")));
  }
}
