package org.certwatch.monitor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;

/** Notice ↔ JSON-ready map (jackson has no java.time support without an extra module). */
final class NoticeCodec {
    private NoticeCodec() {
    }

    static Map<String, Object> toMap(Notice n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", n.id());
        m.put("kind", n.kind().name());
        m.put("createdAt", str(n.createdAt()));
        m.put("notification", n.notification());
        m.put("objectId", n.objectId());
        m.put("serial", n.serial());
        m.put("subject", n.subject());
        m.put("issuer", n.issuer());
        m.put("role", n.role() == null ? null : n.role().name());
        m.put("host", n.host());
        m.put("fingerprint", n.fingerprint());
        m.put("notAfter", str(n.notAfter()));
        m.put("daysLeft", n.daysLeft());
        m.put("thresholdDays", n.thresholdDays());
        m.put("group", n.group());
        m.put("text", n.text());
        m.put("link", n.link());
        m.put("emailRecipients", n.emailRecipients());
        m.put("snmp", n.snmp());
        m.put("rolloverId", n.rolloverId());
        m.put("rolloverStep", n.rolloverStep());
        m.put("rolloverStepName", n.rolloverStepName());
        m.put("reason", n.reason());
        return m;
    }

    @SuppressWarnings("unchecked")
    static Notice fromMap(Map<String, Object> m) {
        List<String> recipients = new ArrayList<>();
        Object r = m.get("emailRecipients");
        if (r instanceof List<?> list) {
            for (Object o : list) {
                recipients.add(String.valueOf(o));
            }
        }
        String role = (String) m.get("role");
        return new Notice((String) m.get("id"), NoticeKind.valueOf((String) m.get("kind")),
                instant(m.get("createdAt")), s(m.get("notification")), num(m.get("objectId")), s(m.get("serial")),
                s(m.get("subject")), s(m.get("issuer")), role == null ? null : Role.valueOf(role), s(m.get("host")),
                s(m.get("fingerprint")), instant(m.get("notAfter")), num(m.get("daysLeft")),
                (int) num(m.get("thresholdDays")), s(m.get("group")), s(m.get("text")), s(m.get("link")), recipients,
                Boolean.TRUE.equals(m.get("snmp")), num(m.get("rolloverId")), (int) num(m.get("rolloverStep")),
                s(m.get("rolloverStepName")), s(m.get("reason")));
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(Object o) {
        return o == null ? null : Instant.parse(o.toString());
    }

    private static String s(Object o) {
        return o == null ? "" : o.toString();
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
