package org.certwatch.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test data too large (or licensed otherwise) for the repository: read from the folder named by
 * {@code CERTWATCH_TESTDATA}, by default {@code ../shared/testdata} relative to the repository root.
 */
public final class TestData {
    public static final String VARIABLE = "CERTWATCH_TESTDATA";

    private TestData() {
    }

    /**
     * The sub-folder {@code name} of the test data folder; when it is missing, fails with one line
     * naming the folder and {@code contents}, what belongs there.
     */
    public static Path folder(String name, String contents) {
        Path root = Path.of(System.getProperty("certwatch.root", "."));
        return folder(System.getenv(), root, name, contents);
    }

    static Path folder(Map<String, String> env, Path repositoryRoot, String name, String contents) {
        String configured = env.get(VARIABLE);
        Path base = configured == null || configured.isBlank()
                ? repositoryRoot.resolve("../shared/testdata")
                : Path.of(configured);
        Path folder = base.resolve(name).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new AssertionError("test data folder " + folder + " is missing: put " + contents
                    + " there, or point " + VARIABLE + " at the folder that holds " + name + "/");
        }
        return folder;
    }
}
