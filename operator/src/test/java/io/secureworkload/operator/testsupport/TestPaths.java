package io.secureworkload.operator.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** Where the tests find the repository's tools and put their own files. */
public final class TestPaths {

  private TestPaths() {}

  /** The repository root: holds {@code .venv/} and the committed CRDs. */
  public static Path repoRoot() {
    return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * The Maven build directory of the running tests. Derived from where the test classes were loaded
   * from, so that a build run with {@code -Dbuild.dir=...} keeps its files apart too.
   */
  public static Path buildDir() {
    CodeSource source = TestPaths.class.getProtectionDomain().getCodeSource();
    if (source != null) {
      try {
        Path testClasses = Path.of(source.getLocation().toURI());
        if (Files.isDirectory(testClasses) && testClasses.getParent() != null) {
          return testClasses.getParent();
        }
      } catch (URISyntaxException e) {
        // Fall through to the conventional location.
      }
    }
    return Path.of("target").toAbsolutePath();
  }
}
