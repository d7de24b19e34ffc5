package org.certwatch.fleet.internal.console;

import static org.certwatch.fleet.internal.console.Commands.arg;
import static org.certwatch.fleet.internal.console.Commands.run;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.StepState;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands (scope {@code certwatch}) for rollovers: {@code rollover-start CA_ID [SUBJECT] [CA_DAYS]
 * [CERT_DAYS]}, {@code rollovers}, {@code rollover ID} (status), {@code rollover-advance ID [FROM]},
 * {@code rollover-early ID}, {@code rollover-force ID REASON…} ({@link Commands} says why each is a
 * function service of its own).
 */
@Component(service = {})
public final class RolloverCommands {
    private static final String ACTOR = "console";
    private final RolloverService rollovers;
    private final Commands commands;

    @Activate
    public RolloverCommands(BundleContext context, @Reference(name = "rollovers") RolloverService rollovers) {
        this.rollovers = rollovers;
        this.commands = new Commands(context);
    }

    @Deactivate
    void unregister() {
        commands.removeAll();
    }

    @Activate
    void register() {
        Commands r = commands;
        r.add("rollover-start", "rollover-start CA_ID [SUBJECT|-] [CA_DAYS|-] [CERT_DAYS]: starts a CA rollover",
                a -> run(() -> {
            Duration ca = a.size() > 2 && !a.get(2).equals("-") ? Duration.ofDays(Long.parseLong(a.get(2))) : null;
            Duration certs = a.size() > 3 ? Duration.ofDays(Long.parseLong(a.get(3))) : null;
            String subject = a.size() > 1 && !a.get(1).equals("-") ? a.get(1) : null;
            return describe(rollovers.start(Long.parseLong(arg(a, 0, "CA_ID")), new RolloverOptions(subject, ca, certs),
                    ACTOR));
        }));
        r.add("rollovers", "rollovers: every rollover with its state", a -> run(() -> {
            List<Rollover> all = rollovers.rollovers();
            return all.isEmpty() ? "no rollovers" : all.stream().map(RolloverCommands::summary).collect(Collectors.joining("\n"));
        }));
        r.add("rollover", "rollover ID: one rollover, step by step",
                a -> run(() -> describe(rollovers.rollover(Long.parseLong(arg(a, 0, "ID")))
                .orElseThrow(() -> new IllegalArgumentException("there is no rollover " + a.get(0))))));
        r.add("rollover-advance", "rollover-advance ID [FROM]: the next step (refused while its gate holds); with FROM"
                + " (completed=FROM, as 'rollover ID' showed it) only if the rollover is still after that step",
                a -> run(() -> describe(advance(rollovers, a, ACTOR))));
        r.add("rollover-early", "rollover-early ID: the computers still missing come back at the early interval",
                a -> run(() -> "asked " + rollovers.requestEarlyReplication(
                Long.parseLong(arg(a, 0, "ID")), ACTOR) + " computers to replicate early"));
        r.add("rollover-force", "rollover-force ID REASON...: step 6 over its gate, with a recorded reason",
                a -> run(() -> describe(rollovers.force(Long.parseLong(arg(a, 0, "ID")),
                String.join(" ", a.subList(Math.min(1, a.size()), a.size())), ACTOR))));
    }

    /**
     * {@code rollover-advance ID [FROM]}: FROM means what the API's {@code {"from":N}} means, so an admin who
     * looked at the rollover and another who advanced it meanwhile do not advance it twice.
     */
    public static Rollover advance(RolloverService rollovers, List<String> a, String actor) {
        long id = Long.parseLong(arg(a, 0, "ID"));
        if (a.size() < 2) {
            return rollovers.advance(id, actor);
        }
        int from;
        try {
            from = Integer.parseInt(a.get(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FROM is the number of steps done (0 to 6, completed= in 'rollover "
                    + id + "'), not '" + a.get(1) + "'");
        }
        return rollovers.advance(id, from, actor);
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
