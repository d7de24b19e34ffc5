package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedPathTest {
    @Test
    void doubleStarFolderMatchesNoFolderToo(@TempDir Path dir) throws IOException {
        WatchedPath w = new WatchedPath(dir + "/**/*.pem", false);
        assertTrue(w.matches(dir.resolve("a.pem")), "a file right in the base folder");
        assertTrue(w.matches(dir.resolve("x/a.pem")));
        assertTrue(w.matches(dir.resolve("x/y/a.pem")));
        assertFalse(w.matches(dir.resolve("a.pem.bak")));
        assertFalse(w.matches(dir.resolveSibling(dir.getFileName() + "a.pem")));

        Files.createDirectories(dir.resolve("x/y"));
        for (String f : List.of("a.pem", "x/b.pem", "x/y/c.pem", "x/y/d.txt")) {
            Files.writeString(dir.resolve(f), "");
        }
        List<Path> found = new ArrayList<>();
        w.walk(found::add, p -> { }, p -> { }, 100, 1000);
        assertEquals(3, found.size(), found.toString());
    }

    @Test
    void patternsWithTheirOwnBracesKeepTheJdkMeaning() {
        assertEquals("/etc/{a,b}/**/*.pem", WatchedPath.globstar("/etc/{a,b}/**/*.pem"));
        assertEquals("/etc/{**/,}x/{**/,}*.pem", WatchedPath.globstar("/etc/**/x/**/*.pem"));
        assertTrue(new WatchedPath("/etc/**/x/**/*.pem", false).matches(Path.of("/etc/x/a.pem")));
    }
}
