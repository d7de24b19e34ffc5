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
     * @param states capability to "" (serving) or why it does not serve (its start failed, or "waiting for …");
     *        absent while it has said nothing
     * @param blocked capabilities that have said nothing because their bundle's components wait for services that
     *        are not there, to those services
     * @param late whether the patience for silent capabilities has run out
     * @param silence what a silent capability is said to be once late
     * @return "name (why)" for each capability that does not serve, in the order expected; null while a
     *         capability has said nothing and it is not late yet. A blocked one counts as having said "waiting for
     *         …" once another capability said why it does not serve (it failed or waits): that is what it waits
     *         for, directly or not, so the line need not wait for the patience to run out (a database down at start
     *         is named at once)
     */
    static List<String> except(Collection<String> expected, Map<String, String> states, Map<String, String> blocked,
            boolean late, String silence) {
        boolean somethingAmiss = states.values().stream().anyMatch(s -> !s.isEmpty() && !waitsForAService(s));
        List<String> except = new ArrayList<>();
        for (String capability : expected) {
            String state = states.get(capability);
            if (state != null && waitsForAService(state) && !somethingAmiss && !late) {
                return null; // like a blocked one: about to bind what it waits for, unless something else is amiss
            }
            if (state == null && somethingAmiss && blocked.containsKey(capability)) {
                state = "waiting for " + blocked.get(capability);
            }
            if (state == null && !late) {
                return null;
            }
            if (state == null || !state.isEmpty()) {
                except.add(capability + " (" + (state == null ? silence : state) + ")");
            }
        }
        return except;
    }

    /**
     * "waiting for CertificateStore": a component that stays up without a service it needs (the web, the agent
     * endpoint) and names it by its class's simple name. At every start it says so for the moment between the
     * store announcing itself and SCR binding it there; it counts as waiting only as a blocked one does.
     */
    private static boolean waitsForAService(String state) {
        return state.matches("waiting for [A-Z][A-Za-z0-9]*");
    }
}
