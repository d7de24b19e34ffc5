package org.certwatch.snmp.internal;

import java.util.Map;
import org.snmp4j.agent.request.Request;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.OctetString;

/**
 * Hands every object the same {@link View} for the whole of one request (a GETBULK of 50
 * repetitions sees one snapshot and one "now"), and a new one to the next request. The request's
 * SNMPv3 context picks the rows: the default context shows everything, a group's context (its
 * short name) only that group's subtree.
 *
 * <p>CERTWATCH-MIB is registered once for all contexts rather than once per context: SNMP4J-Agent's
 * server mixes up objects registered in the default context with per-context ones of the same OID.
 */
final class ViewSource {
    /** A group path no row has: the view of a context that has just been removed. */
    private static final String NOTHING = "\u0000";
    private final MibModel model;
    private volatile Map<String, String> contextGroups = Map.of();

    ViewSource(MibModel model) {
        this.model = model;
    }

    void contexts(Map<String, String> shortNameToPath) {
        contextGroups = Map.copyOf(shortNameToPath);
    }

    View view(SubRequest<?> subRequest) {
        Request<?, ?, ?> request = subRequest == null ? null : subRequest.getRequest();
        if (request == null) {
            return model.view(null);
        }
        Object cached = request.getProcessingUserObject(this);
        if (cached instanceof View v) {
            return v;
        }
        OctetString context = request.getContext();
        String group = null;
        if (context != null && context.length() > 0) {
            group = contextGroups.getOrDefault(context.toString(), NOTHING);
        }
        View v = model.view(group);
        request.setProcessingUserObject(this, v);
        return v;
    }
}
