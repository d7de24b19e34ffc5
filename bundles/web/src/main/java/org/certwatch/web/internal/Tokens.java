package org.certwatch.web.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.fleet.ApiToken;
import org.certwatch.api.fleet.ApiTokens;
import org.certwatch.api.fleet.NewApiToken;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;

/**
 * API tokens for the pages and the API, on the fleet's {@link ApiTokens}: everyone makes tokens for
 * themselves; everyone sees and revokes their own, administrators also those of the users in their
 * scope. Tokens anyone else cannot see answer 404. The fleet audits each change.
 */
final class Tokens {
    record Body(String name, String expiresAt) {
    }

    /** A token as the API shows it; {@code token}, its text, only in the answer that creates it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenJson(String id, String user, String name, String createdAt, String expiresAt, String lastUsedAt,
            String token) {
        static TokenJson of(ApiToken t) {
            return new TokenJson(t.id(), t.user(), t.name(), ApiJson.iso(t.createdAt()), ApiJson.iso(t.expiresAt()),
                    ApiJson.iso(t.lastUsedAt()), null);
        }

        static TokenJson of(NewApiToken t) {
            TokenJson j = of(t.token());
            return new TokenJson(j.id(), j.user(), j.name(), j.createdAt(), j.expiresAt(), j.lastUsedAt(), t.text());
        }
    }

    private final Services services;

    Tokens(Services services) {
        this.services = services;
    }

    private ApiTokens service() {
        return services.apiTokens().orElseThrow(() -> Problem.unavailable(
                "API tokens are not available: the fleet bundle is not running"));
    }

    List<ApiToken> list(UserScope scope) {
        return service().tokens().stream().filter(t -> visible(scope, t)).toList();
    }

    ApiToken get(UserScope scope, String id) {
        return service().token(id).filter(t -> visible(scope, t))
                .orElseThrow(() -> Problem.notFound("API token '" + id + "'"));
    }

    NewApiToken create(UserScope scope, Body body) {
        Instant expires = null;
        if (body.expiresAt() != null && !body.expiresAt().isBlank()) {
            try {
                expires = Instant.parse(body.expiresAt().trim());
            } catch (DateTimeParseException e) {
                throw Problem.badRequest("field 'expiresAt' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
        if (body.name() == null || body.name().isBlank()) {
            throw Problem.badRequest("field 'name' is required: what the token is for, e.g. 'prometheus'");
        }
        Instant expiresAt = expires;
        return FleetChanges.refusedAs400(() -> service().create(scope.user(), body.name(), expiresAt, scope.user()));
    }

    void revoke(UserScope scope, String id) {
        get(scope, id);
        FleetChanges.refusedAs400(() -> {
            service().revoke(id, scope.user());
            return id;
        });
    }

    /** The caller's own, or an administrator's for a user in their scope. */
    private boolean visible(UserScope scope, ApiToken t) {
        if (t.user().equals(scope.user())) {
            return true;
        }
        if (!scope.has(Permission.ADMINISTRATION)) {
            return false;
        }
        Optional<User> owner = services.users().flatMap(d -> d.user(t.user()));
        return owner.isPresent() && scope.covers(owner.get().homeGroup());
    }
}
