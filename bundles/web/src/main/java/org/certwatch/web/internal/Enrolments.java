package org.certwatch.web.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.EnrolmentTokenState;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;

/**
 * Enrolment tokens for agents, on the fleet's {@link FleetAdministration}: made, listed and revoked
 * by users with {@code COMPUTERS_WRITE} for groups in their scope. The token's text is shown once,
 * with the agent command in its two forms that keep it off the command line (visible in {@code ps}):
 * an environment variable or a token file. The fleet audits each change.
 */
final class Enrolments {
    static final String ENVIRONMENT = "CERTWATCH_ENROLMENT_TOKEN";
    static final String TOKEN_FILE_OPTION = "--token-file";

    record Body(String group, Integer uses, Integer hours) {
    }

    /** A token as listed; {@code token} and the commands only in the answer that makes it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenJson(String id, String group, String expiresAt, Integer usesLeft, String token, Commands commands) {
        static TokenJson of(EnrolmentTokenState t) {
            return new TokenJson(t.id(), t.group(), ApiJson.iso(t.expiresAt()), t.usesLeft(), null, null);
        }
    }

    /** The agent's first start: with the token in the environment, or in a file only its owner reads. */
    record Commands(String environment, String tokenFile) {
        static Commands of(String token, String server) {
            // the release archive's form: what a computer that runs the agent has unpacked
            String agent = "bin/certwatch agent --server " + server + " --data agent-data";
            return new Commands(ENVIRONMENT + "='" + token + "' " + agent,
                    "umask 077; printf '%s' '" + token + "' > enrolment-token; " + agent + " " + TOKEN_FILE_OPTION + " enrolment-token");
        }
    }

    private final Services services;
    private final Actions actions;

    Enrolments(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    private FleetAdministration fleet() {
        return services.administration().orElseThrow(() -> Problem.unavailable(
                "enrolment tokens are not available: the fleet bundle is not running"));
    }

    void requireWrite(UserScope scope, String action, String from) {
        if (!scope.has(Permission.COMPUTERS_WRITE)) {
            actions.audit(scope, action, "", "refused: no COMPUTERS_WRITE permission", from);
            throw Problem.forbidden("enrolment tokens need the COMPUTERS_WRITE permission").audited();
        }
    }

    List<EnrolmentTokenState> list(UserScope scope, String from) {
        requireWrite(scope, "enrolment-token.read", from);
        return fleet().enrolmentTokens().stream().filter(t -> scope.covers(t.group())).toList();
    }

    /** Made for the body's group (default the caller's home group), {@code uses} agents (1), {@code hours} (24). */
    TokenJson create(UserScope scope, Body body, String server, String from) {
        requireWrite(scope, "enrolment-token.create", from);
        String group = actions.groups.orHome(scope, body.group(), "field 'group'");
        int uses = body.uses() == null ? 1 : body.uses();
        int hours = body.hours() == null ? 24 : body.hours();
        if (uses < 1 || uses > 100_000) {
            throw Problem.badRequest("field 'uses' must lie between 1 and 100000");
        }
        if (hours < 1 || hours > 24 * 90) {
            throw Problem.badRequest("field 'hours' must lie between 1 and 2160 (90 days)");
        }
        EnrolmentToken t = FleetChanges.refusedAs400(
                () -> fleet().createEnrolmentToken(group, Duration.ofHours(hours), uses, scope.user()));
        return new TokenJson(t.id(), t.group(), ApiJson.iso(t.expiresAt()), uses, t.text(), Commands.of(t.text(), server));
    }

    void revoke(UserScope scope, String id, String from) {
        if (list(scope, from).stream().noneMatch(t -> t.id().equals(id))) {
            throw Problem.notFound("enrolment token '" + id + "'");
        }
        FleetChanges.refusedAs400(() -> {
            fleet().revokeEnrolmentToken(id, scope.user());
            return id;
        });
    }

    /** Where agents reach the server: the host the request named, and the agent port. */
    String server(Exchange ex) {
        String host = ex.request.getHttpURI().getHost();
        if (host == null || host.isBlank()) {
            host = "SERVER";
        }
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + services.agentPort();
    }
}
