package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.certwatch.api.snmp.SnmpSettingsService;
import org.certwatch.api.snmp.SnmpTarget;

/**
 * {@link SnmpSettingsService} over {@link ManagedTargets}: entries are checked against the current
 * configuration (users, duplicates) before the file is replaced, so a bad request changes nothing.
 */
final class SnmpSettings implements SnmpSettingsService {
    /** Check, store and apply entries on the component's control thread; throws IllegalArgumentException. */
    interface Applier {
        void apply(List<String> entries, String actor) throws Exception;
    }

    private final ManagedTargets file;
    private final Supplier<AgentSettings> running;
    private final Function<List<String>, AgentSettings> check;
    private final Applier applier;

    SnmpSettings(ManagedTargets file, Supplier<AgentSettings> running, Function<List<String>, AgentSettings> check,
            Applier applier) {
        this.file = file;
        this.running = running;
        this.check = check;
        this.applier = applier;
    }

    @Override
    public List<SnmpTarget> targets() {
        List<String> managed = file.read();
        List<SnmpTarget> result = new ArrayList<>();
        try {
            // the configuration's targets come first, the managed ones are appended in file order
            List<AgentSettings.Target> all = check.apply(managed).targets();
            int fromFile = all.size() - managed.size();
            for (int i = 0; i < all.size(); i++) {
                result.add(visible(all.get(i), i >= fromFile));
            }
        } catch (IllegalArgumentException e) {
            // the configuration changed under the managed entries: show what runs
            AgentSettings current = running.get();
            if (current != null) {
                current.targets().forEach(t -> result.add(visible(t, false)));
            }
        }
        return result;
    }

    @Override
    public void setTargets(List<SnmpTarget> targets, String actor) {
        List<String> old = file.read();
        List<String> entries = new ArrayList<>();
        for (SnmpTarget t : targets) {
            entries.add(entry(t, old));
        }
        check.apply(entries); // throws IllegalArgumentException naming the bad entry
        try {
            applier.apply(entries, actor);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("SNMP targets not stored: " + e.getMessage(), e);
        }
    }

    private String entry(SnmpTarget t, List<String> old) {
        if (t.host() == null || t.host().isBlank() || t.host().contains(",") || t.host().contains(";")
                || t.host().chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("targets: host '" + t.host() + "' must be a host name or IP address");
        }
        String version = t.version() == null ? "" : t.version().trim().toLowerCase();
        String credential = t.credential();
        String host = t.host().contains(":") ? "[" + t.host() + "]" : t.host();
        if (credential == null && version.equals("v2c")) {
            // write-only community: keep the stored one of the same receiver
            for (String e : old) {
                String[] parts = e.split(",", -1);
                if (parts.length == 4 && parts[0].trim().equals(host + ":" + t.port())) {
                    credential = parts[3].trim();
                }
            }
        }
        if (credential == null || credential.isBlank() || credential.contains(",") || credential.contains(";")
                || credential.contains("\n")) {
            throw new IllegalArgumentException("targets: " + t.host() + ":" + t.port()
                    + " needs a community (v2c) or user (v3) without ',' or ';'");
        }
        return host + ":" + t.port() + "," + version + "," + (t.inform() ? "inform" : "trap") + "," + credential;
    }

    private static SnmpTarget visible(AgentSettings.Target t, boolean managed) {
        return new SnmpTarget(t.host(), t.port(), t.v3() ? "v3" : "v2c", t.inform(), t.v3() ? t.credential() : null,
                managed);
    }
}
