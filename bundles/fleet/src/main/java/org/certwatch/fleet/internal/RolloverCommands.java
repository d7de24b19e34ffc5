package org.certwatch.fleet.internal;

import static org.certwatch.fleet.internal.FleetCommands.add;
import static org.certwatch.fleet.internal.FleetCommands.arg;
import static org.certwatch.fleet.internal.FleetCommands.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.StepState;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Gogo commands (scope {@code certwatch}) for rollovers: {@code rollover-start CA_ID [SUBJECT] [CA_DAYS]
 * [CERT_DAYS]}, {@code rollovers}, {@code rollover ID} (status), {@code rollover-advance ID},
 * {@code rollover-early ID}, {@code rollover-force ID REASON…}.
 */
final class RolloverCommands {
    private static final String ACTOR = "console";
    private final Rollovers rollovers;

    RolloverCommands(Rollovers rollovers) {
        this.rollovers = rollovers;
    }

    List<ServiceRegistration<?>> register(BundleContext context) {
        List<ServiceRegistration<?>> r = new ArrayList<>();
        add(context, r, "rollover-start", a -> run(() -> {
            Duration ca = a.size() > 2 && !a.get(2).equals("-") ? Duration.ofDays(Long.parseLong(a.get(2))) : null;
            Duration certs = a.size() > 3 ? Duration.ofDays(Long.parseLong(a.get(3))) : null;
            String subject = a.size() > 1 && !a.get(1).equals("-") ? a.get(1) : null;
            return describe(rollovers.start(Long.parseLong(arg(a, 0, "CA_ID")), new RolloverOptions(subject, ca, certs),
                    ACTOR));
        }));
        add(context, r, "rollovers", a -> run(() -> {
            List<Rollover> all = rollovers.rollovers();
            return all.isEmpty() ? "no rollovers" : all.stream().map(RolloverCommands::summary).collect(Collectors.joining("\n"));
        }));
        add(context, r, "rollover", a -> run(() -> describe(rollovers.rollover(Long.parseLong(arg(a, 0, "ID")))
                .orElseThrow(() -> new IllegalArgumentException("there is no rollover " + a.get(0))))));
        add(context, r, "rollover-advance", a -> run(() -> describe(rollovers.advance(Long.parseLong(arg(a, 0, "ID")),
                ACTOR))));
        add(context, r, "rollover-early", a -> run(() -> "asked " + rollovers.requestEarlyReplication(
                Long.parseLong(arg(a, 0, "ID")), ACTOR) + " computers to replicate early"));
        add(context, r, "rollover-force", a -> run(() -> describe(rollovers.force(Long.parseLong(arg(a, 0, "ID")),
                String.join(" ", a.subList(Math.min(1, a.size()), a.size())), ACTOR))));
        return r;
    }

    static String summary(Rollover r) {
        return "rollover " + r.id() + " CA " + r.oldCaId() + " -> " + (r.newCaId() == 0 ? "?" : r.newCaId()) + " "
                + r.state() + " completed=" + r.completed() + (r.next() == null ? "" : " next=" + r.next().number()
                        + " (" + r.next().title() + ")")
                + " computers ready=" + r.count(RolloverComputer.Readiness.READY) + " waiting="
                + r.count(RolloverComputer.Readiness.WAITING) + " never-seen="
                + r.count(RolloverComputer.Readiness.NEVER_SEEN);
    }

    static String describe(Rollover r) {
        StringBuilder b = new StringBuilder(summary(r));
        for (StepState s : r.steps()) {
            b.append("\n  step ").append(s.step().number()).append(' ').append(s.status()).append(' ')
                    .append(s.step().title());
            if (s.at() != null) {
                b.append(" at ").append(s.at()).append(" by ").append(s.actor()).append(": ").append(s.detail());
            }
        }
        if (!r.forceReason().isEmpty()) {
            b.append("\n  forced by ").append(r.forcedBy()).append(": ").append(r.forceReason());
        }
        if (!r.blockers().isEmpty()) {
            b.append("\n  blocked by: ").append(String.join("; ", r.blockers()));
        }
        return b.toString();
    }
}
