package org.certwatch.commons.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.GroupRenames;
import org.junit.jupiter.api.Test;

/** What a bundle is handed: the renames after its last applied one, in order; nothing without the fleet's service. */
class RenameFollowerTest {
    private static final Instant AT = Instant.parse("2026-12-05T04:00:00Z");
    private static final List<GroupRename> ALL = List.of(new GroupRename(1, "All/A", "All/B", AT),
            new GroupRename(2, "All/B", "All/C", AT));

    private record Fleet(List<GroupRename> all) implements GroupRenames {
        @Override
        public List<GroupRename> since(long number) {
            return all.stream().filter(r -> r.number() > number).toList();
        }

        @Override
        public long last() {
            return all.size();
        }
    }

    @Test
    void aBundleGetsWhatItHasNotAppliedAndNothingWithoutTheFleet() {
        List<List<GroupRename>> handed = new ArrayList<>();
        long[] last = {1};
        RenameFollower.Applier numbered = new RenameFollower.Applier() {
            @Override
            public long lastApplied() {
                return last[0];
            }

            @Override
            public void apply(List<GroupRename> renames) {
                handed.add(renames);
                last[0] = renames.get(renames.size() - 1).number();
            }
        };
        try (RenameFollower follower = new RenameFollower(Logger.getLogger("test"), "test", numbered)) {
            assertEquals(0, follower.catchUp(), "no fleet: nothing");
            Fleet fleet = new Fleet(ALL);
            follower.source(fleet); // not started: no catch-up of its own
            follower.sourceGone(new Fleet(List.of())); // another service leaving changes nothing
            assertEquals(1, follower.catchUp());
            assertEquals(List.of(List.of(ALL.get(1))), handed);
            assertEquals(0, follower.catchUp(), "caught up");
            follower.sourceGone(fleet);
            assertEquals(0, follower.catchUp());
        }
    }

    @Test
    void aBundleWithoutANumberGetsEveryRenameAndAFailureIsNotThrown() {
        List<List<GroupRename>> handed = new ArrayList<>();
        try (RenameFollower follower = new RenameFollower(Logger.getLogger("test"), "test", handed::add)) {
            follower.source(new Fleet(ALL));
            assertEquals(2, follower.catchUp());
            assertEquals(2, follower.catchUp(), "every rename each time");
            assertEquals(List.of(ALL, ALL), handed);
        }
        try (RenameFollower failing = new RenameFollower(Logger.getLogger("test"), "test", r -> {
            throw new IllegalStateException("storage away");
        })) {
            failing.source(new Fleet(ALL));
            assertEquals(0, failing.catchUp(), "logged, tried again later");
        }
    }
}
