package org.certwatch.api.store;

import java.time.Instant;
import java.util.List;
import org.certwatch.api.Role;

/**
 * Asks for a new peer certificate.
 *
 * @param caId the issuing CA
 * @param role SERVER, AGENT, PROXY or MDM
 * @param host a DNS name, an IP address, or {@code *} for "any host" (then no subjectAltName entry)
 * @param alternativeNames further DNS names / IP addresses for the subjectAltName; may be empty
 * @param subject null to derive {@code CN=<host>,OU=<role>}
 * @param keyType null for EC P-256
 * @param notAfter null for the configured default validity (capped at the CA's end); an explicit
 *     value must lie inside the CA's validity
 */
public record IssueRequest(long caId, Role role, String host, List<String> alternativeNames, String subject,
        String description, String homeGroup, KeyType keyType, Instant notAfter) {

    public IssueRequest {
        alternativeNames = alternativeNames == null ? List.of() : List.copyOf(alternativeNames);
    }

    public static IssueRequest of(long caId, Role role, String host) {
        return new IssueRequest(caId, role, host, List.of(), null, null, null, null, null);
    }

    public IssueRequest withNotAfter(Instant value) {
        return new IssueRequest(caId, role, host, alternativeNames, subject, description, homeGroup, keyType, value);
    }

    public IssueRequest withKeyType(KeyType value) {
        return new IssueRequest(caId, role, host, alternativeNames, subject, description, homeGroup, value, notAfter);
    }

    public IssueRequest withSubject(String value) {
        return new IssueRequest(caId, role, host, alternativeNames, value, description, homeGroup, keyType, notAfter);
    }
}
