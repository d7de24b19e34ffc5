package org.certwatch.deployer.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The rule of the ready line: which capabilities it names as not serving, and whether it may be written yet. */
final class Readiness {
    private Readiness() {
    }

    /**
     * @param expected the capabilities the deployed bundles announce
     * @param states capability to "" (serving) or why its start failed; absent while it has said nothing
     * @param late whether the patience for silent capabilities has run out
     * @param silence what a silent capability is said to be once late
     * @return "name (why)" for each capability that does not serve, in the order expected; null while a
     *         capability has said nothing and it is not late yet
     */
    static List<String> except(Collection<String> expected, Map<String, String> states, boolean late, String silence) {
        List<String> except = new ArrayList<>();
        for (String capability : expected) {
            String state = states.get(capability);
            if (state == null && !late) {
                return null;
            }
            if (state == null || !state.isEmpty()) {
                except.add(capability + " (" + (state == null ? silence : state) + ")");
            }
        }
        return except;
    }
}
