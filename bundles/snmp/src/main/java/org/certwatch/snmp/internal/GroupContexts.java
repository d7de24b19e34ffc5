package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Group;

/**
 * Keeps a running agent's SNMPv3 contexts equal to the fleet's groups: run on every
 * {@link Topics#GROUP_CHANGED} and whenever the group directory comes or goes, it adds the contexts of
 * new groups to the agent (its MOServer, which the VACM context table reads) and removes those of
 * deleted ones, and names the contexts in the log when they changed.
 */
final class GroupContexts {
    static final String TOPIC = Topics.GROUP_CHANGED;
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");

    private final Supplier<Collection<Group>> groups;

    GroupContexts(Supplier<Collection<Group>> groups) {
        this.groups = groups;
    }

    void sync(AgentRunner runner) {
        List<String> before = runner.contextNames();
        runner.syncContexts(groups.get());
        List<String> after = runner.contextNames();
        if (!after.equals(before)) {
            LOG.info("SNMP group contexts now " + after + " (added " + minus(after, before) + ", removed "
                    + minus(before, after) + ")");
        }
    }

    private static List<String> minus(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(a);
        rest.removeAll(b);
        return rest;
    }
}
