package org.certwatch.api.notify;

import java.util.List;
import org.certwatch.api.Role;

/**
 * A notification: what it watches, when it speaks and to whom.
 *
 * @param id assigned by the service on create (ignored then), stable afterwards
 * @param role for {@link NotificationScope#PEER_CERTIFICATES}: only certificates of this role; null: every role
 * @param thresholds days before notAfter at which a notice goes out, e.g. 90, 30, 7, 1 (each 1..3650);
 *     an expired certificate always gives one last notice. Ignored for {@link NotificationScope#COMPUTERS}.
 * @param emailRecipients addresses the mail channel sends to; validated when saved
 * @param snmp whether the SNMP channel sends a trap/inform too
 * @param ownerGroup the owner's home group: only certificates and computers in it and below are covered
 * @param predefined one of the two shipped notifications (may be edited and disabled, not deleted)
 */
public record NotificationDefinition(String id, String name, NotificationScope scope, Role role,
        List<Integer> thresholds, List<String> emailRecipients, boolean snmp, String ownerGroup, boolean enabled,
        boolean predefined) {
    public NotificationDefinition {
        thresholds = thresholds == null ? List.of() : List.copyOf(thresholds);
        emailRecipients = emailRecipients == null ? List.of() : List.copyOf(emailRecipients);
    }

    public NotificationDefinition withId(String value) {
        return new NotificationDefinition(value, name, scope, role, thresholds, emailRecipients, snmp, ownerGroup,
                enabled, predefined);
    }

    public NotificationDefinition withEnabled(boolean value) {
        return new NotificationDefinition(id, name, scope, role, thresholds, emailRecipients, snmp, ownerGroup,
                value, predefined);
    }

    public NotificationDefinition withRecipients(List<String> value, boolean snmpValue) {
        return new NotificationDefinition(id, name, scope, role, thresholds, value, snmpValue, ownerGroup, enabled,
                predefined);
    }
}
