package org.certwatch.api.fleet;

import java.time.Instant;
import java.util.List;
import org.certwatch.api.Role;

/**
 * Assigns key material to a component type on a group (and its subgroups; the deepest group's
 * newest policy wins): either one peer certificate ({@code certificateId}) or a certificate issued
 * per computer from a CA ({@code issuingCaId}), plus the CAs the component trusts from then on.
 *
 * @param certificateId the peer certificate every computer receives, 0 when issued per computer
 * @param issuingCaId the CA that issues one certificate per computer, 0 when a certificate is given
 * @param trustedCaIds the CAs to trust; empty keeps what the agent trusts now
 */
public record Policy(long id, String group, Role component, long certificateId, long issuingCaId,
        List<Long> trustedCaIds, String description, Instant createdAt) {
    public Policy {
        trustedCaIds = List.copyOf(trustedCaIds);
    }
}
