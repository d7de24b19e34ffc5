package org.certwatch.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RevocationReason;

/**
 * The state changes the pages and the API offer, checked against the user's scope and permissions
 * before the store sees them. The store audits what it does; this class adds where the request came
 * from ({@code web.*} entries) and audits the refusals made here.
 */
final class Actions {
    record IssueBody(Long caId, String role, String host, List<String> alternativeNames, String subject,
            String description, String homeGroup, String keyType, String notAfter) {
    }

    record CaBody(String subject, String keyType, Integer validityDays, String description, String homeGroup) {
    }

    record RevokeBody(String reason) {
    }

    record Pkcs12Body(String password) {
    }

    private final Services services;
    private final Views views;
    final RequestedGroups groups;

    Actions(Services services, Views views) {
        this.services = services;
        this.views = views;
        this.groups = new RequestedGroups(services);
    }

    CertificateInfo issue(UserScope scope, IssueBody body, String from) {
        requireWrite(scope, from, "certificate.issue");
        if (body.caId() == null) {
            throw Problem.badRequest("field 'caId' is required: the id of the issuing CA");
        }
        CaInfo ca = views.ca(scope, body.caId()).ca();
        if (ca.status() != CaStatus.ACTIVE) {
            throw new Problem(409, "certificate not issued: CA " + ca.id() + " is deleted and has no key any more");
        }
        Role role = parse(Role.class, body.role(), "role");
        if (role == Role.MONITORED) {
            throw Problem.badRequest("role MONITORED is for imported certificates; use SERVER, AGENT, PROXY or MDM");
        }
        if (body.host() == null || body.host().isBlank()) {
            throw Problem.badRequest("field 'host' is required: a DNS name, an IP address or * for any host");
        }
        // not contains(null): the pages' empty List.of() throws on that question
        if (body.alternativeNames() != null && body.alternativeNames().stream().anyMatch(java.util.Objects::isNull)) {
            throw Problem.badRequest("field 'alternativeNames' must list host names; null is not one");
        }
        String group = groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        KeyType keyType = body.keyType() == null || body.keyType().isBlank() ? null : keyType(body.keyType());
        Instant notAfter = null;
        if (body.notAfter() != null && !body.notAfter().isBlank()) {
            try {
                notAfter = Instant.parse(body.notAfter().trim());
            } catch (DateTimeParseException e) {
                throw Problem.badRequest("field 'notAfter' must be an ISO-8601 instant such as 2027-01-31T00:00:00Z");
            }
        }
        IssueRequest request = new IssueRequest(ca.id(), role, body.host().trim(), body.alternativeNames(),
                blankToNull(body.subject()), blankToNull(body.description()), group, keyType, notAfter);
        try {
            CertificateInfo issued = services.store().issue(request, scope.user());
            views.invalidate();
            return issued;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            // a CA deleted meanwhile (here or by an admin on another server) conflicts with the CA's state: 409
            boolean deleted = services.store().ca(ca.id()).map(c -> c.status() != CaStatus.ACTIVE).orElse(false);
            throw new Problem(deleted ? 409 : 400, "certificate not issued: " + e.getMessage());
        }
    }

    CaInfo createCa(UserScope scope, CaBody body, String from) {
        requireWrite(scope, from, "ca.create");
        if (body.subject() == null || body.subject().isBlank()) {
            throw Problem.badRequest("field 'subject' is required: a common name or an X.500 name such as CN=Example CA,O=Example");
        }
        String group = groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        KeyType keyType = body.keyType() == null || body.keyType().isBlank() ? null : keyType(body.keyType());
        Duration validity = null;
        if (body.validityDays() != null) {
            if (body.validityDays() < 1 || body.validityDays() > 36_500) {
                throw Problem.badRequest("field 'validityDays' must lie between 1 and 36500");
            }
            validity = Duration.ofDays(body.validityDays());
        }
        try {
            CaInfo ca = services.store().createCa(new CaRequest(body.subject().trim(), keyType, validity,
                    blankToNull(body.description()), group), scope.user());
            views.invalidate();
            return ca;
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw Problem.badRequest("CA not created: " + e.getMessage());
        }
    }

    CertificateInfo revoke(UserScope scope, long id, RevokeBody body, String from) {
        views.certificate(scope, id);
        requireWrite(scope, from, "certificate.revoke");
        RevocationReason reason;
        try {
            reason = RevocationReason.parse(body.reason());
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
        try {
            CertificateInfo revoked = services.store().revoke(id, reason, scope.user());
            views.invalidate();
            return revoked;
        } catch (CertificateStoreException e) {
            throw new Problem(409, "certificate " + id + " not revoked: " + e.getMessage());
        }
    }

    byte[] pem(UserScope scope, long id) {
        views.certificate(scope, id);
        return services.store().export(id, ExportFormat.PEM, null, scope.user());
    }

    byte[] caPem(UserScope scope, long id) {
        views.ca(scope, id);
        return services.store().exportCa(id, ExportFormat.PEM, null, scope.user());
    }

    byte[] pkcs12(UserScope scope, long id, Pkcs12Body body, String from) {
        CertificateInfo certificate = views.certificate(scope, id).certificate();
        // the key leaves the server: that needs write permission, as exporting keys does in the store
        requireWrite(scope, from, "certificate.export");
        if (!certificate.hasKey()) {
            // the store wrote a PKCS#12 with the certificate alone, which looks like a key export that worked
            throw new Problem(409, "certificate " + id + " has no private key certwatch holds (it did not issue it):"
                    + " a PKCS#12 carries the key; download its PEM instead");
        }
        if (body.password() == null || body.password().length() < 8) {
            throw Problem.badRequest("field 'password' must have at least 8 characters: it protects the exported key");
        }
        try {
            byte[] p12 = services.store().export(id, ExportFormat.PKCS12, body.password().toCharArray(), scope.user());
            return p12;
        } catch (CertificateStoreException e) {
            throw Problem.badRequest("not exported: " + e.getMessage());
        }
    }

    void requireWrite(UserScope scope, String from, String action) {
        if (!scope.has(Permission.CERTIFICATES_WRITE)) {
            audit(scope, "web." + action, "", "refused: no certificate write permission", from);
            throw Problem.forbidden("you need the certificate write permission for this").audited();
        }
    }

    void audit(UserScope scope, String action, String target, String outcome, String from) {
        services.audit().append(new AuditEntry(services.clock().instant(), scope == null ? "" : scope.user(), action,
                target, outcome, from));
    }

    static KeyType keyType(String text) {
        try {
            return KeyType.parse(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text, String field) {
        if (text == null || text.isBlank()) {
            throw Problem.badRequest("field '" + field + "' is required; use one of " + names(type));
        }
        try {
            return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("unknown " + field + " '" + text + "'; use one of " + names(type));
        }
    }

    static <E extends Enum<E>> E parseOptional(Class<E> type, String text, String field) {
        return text == null || text.isBlank() ? null : parse(type, text, field);
    }

    static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    }

    static ExpiryStatus status(String text) {
        return parseOptional(ExpiryStatus.class, text, "status");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
