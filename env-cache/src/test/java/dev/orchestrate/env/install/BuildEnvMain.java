package dev.orchestrate.env.install;

import dev.orchestrate.env.store.Environment;
import dev.orchestrate.env.store.EnvironmentCache;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A separate process that builds one environment natively, for tests of processes racing for a
 * key and of processes killed half-way: {@code CACHE FIND_LINKS SCRATCH REQUIREMENT...}. Prints
 * {@code created PATH} or {@code found PATH}.
 */
public final class BuildEnvMain {
  private BuildEnvMain() {}

  public static void main(String[] args) throws Exception {
    Path cache = Path.of(args[0]);
    Path findLinks = Path.of(args[1]);
    Path scratch = Path.of(args[2]);
    String[] requirements = Arrays.copyOfRange(args, 3, args.length);
    try (EnvTestSupport env = EnvTestSupport.start(scratch)) {
      System.out.println("started");
      System.out.flush();
      EnvironmentCache environments = env.cache(cache, findLinks);
      Environment e = EnvTestSupport.await(environments.ensure(env.python,
          EnvTestSupport.reqs(requirements), scratch.resolve("env-" + ProcessHandle.current().pid() + ".log")));
      System.out.println((e.createdNow() ? "created " : "found ") + e.root());
      environments.close();
    }
    System.exit(0);
  }
}
