package org.certwatch.api.fleet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupPathsTest {
    @Test
    void aPathWithDotSegmentsLiesNowhereSoItCannotLeaveTheHomeGroup() {
        UserScope berlin = new UserScope("bob", "All/Berlin", Set.of(Permission.CERTIFICATES_READ));
        assertTrue(berlin.covers("All/Berlin") && berlin.covers("All/Berlin/Lab") && berlin.covers("All/Berlin/v1.2"));
        for (String escape : List.of("All/Berlin/../Zürich", "All/Berlin/..", "All/Berlin/./Lab", "All/Berlin/.",
                "All/Berlin/Lab/../../Hamburg")) {
            assertFalse(berlin.covers(escape), escape);
            assertFalse(GroupPaths.contains(Group.ROOT, escape), escape);
        }
        assertFalse(berlin.covers("All/Berliner") || berlin.covers("All") || berlin.covers(null));
    }

    @Test
    void wellFormedPathsNameEveryLevelUnderTheRoot() {
        for (String good : List.of("All", "All/Berlin", "All/Berlin/Lab", "All/Lost & found", "All/Zürich", "All/.hidden",
                "All/v1.2", "All/...")) {
            assertTrue(GroupPaths.isWellFormed(good), good);
        }
        for (String bad : List.of("", "Alle", "All/", "/All", "All//Berlin", "Berlin", "All/.", "All/..", "All/Berlin/..",
                "All/./Berlin", "All/Berlin/../Hamburg", "all/Berlin", "All/\u0007x", "All/x\ny", "All/x\ry", "All/\u0000",
                "All/x\u007fy", "All/x\u0085y", "All/x\u2028y", "All/Berlin\u202Egnp.exe", "All/x\u2066y")) {
            assertFalse(GroupPaths.isWellFormed(bad), bad);
        }
        assertFalse(GroupPaths.isWellFormed(null));
    }
}
