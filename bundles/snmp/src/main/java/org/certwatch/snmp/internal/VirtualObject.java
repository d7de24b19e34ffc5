package org.certwatch.snmp.internal;

import org.snmp4j.PDU;
import org.snmp4j.agent.DefaultMOScope;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.GenericManagedObject;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * A read-only subtree whose instances are computed from a {@link View} when asked, instead of being
 * copied into SNMP4J table rows: GET and GETNEXT are a binary search in the view's sorted rows.
 * Nothing here is persisted by the agent (there is nothing to save), and SETs are refused.
 */
abstract class VirtualObject implements GenericManagedObject {
    private final OID root;
    private final MOScope scope;
    protected final ViewSource views;

    VirtualObject(OID root, ViewSource views) {
        this.root = root;
        this.views = views;
        this.scope = new DefaultMOScope(root, true, root.nextPeer(), false);
    }

    /** The first instance OID after {@code from} (or at it, when inclusive) in this subtree, or null. */
    abstract OID next(View view, OID from, boolean inclusive);

    /** The value of the instance, or null when there is no such instance. */
    abstract Variable value(View view, OID instance);

    OID root() {
        return root;
    }

    @Override
    public MOScope getScope() {
        return scope;
    }

    @Override
    public OID find(MOScope range) {
        View view = views.view(null);
        OID from = range.getLowerBound();
        boolean inclusive = range.isLowerIncluded();
        if (from == null || from.compareTo(root) < 0) {
            from = root;
            inclusive = true;
        }
        OID found = next(view, from, inclusive);
        return found != null && inRange(found, range) ? found : null;
    }

    @Override
    public void get(SubRequest<?> request) {
        VariableBinding vb = request.getVariableBinding();
        Variable value = scope.covers(vb.getOid()) ? value(views.view(request), vb.getOid()) : null;
        vb.setVariable(value == null ? Null.noSuchInstance : value);
        request.completed();
    }

    @Override
    public boolean next(SubRequest<?> request) {
        MOScope range = request.getScope();
        View view = views.view(request);
        OID from = range.getLowerBound();
        boolean inclusive = range.isLowerIncluded();
        if (from == null || from.compareTo(root) < 0) {
            from = root;
            inclusive = true;
        }
        while (true) {
            OID found = next(view, from, inclusive);
            if (found == null || !inRange(found, range)) {
                return false;
            }
            Variable value = value(view, found);
            if (value != null) {
                VariableBinding vb = request.getVariableBinding();
                vb.setOid(found);
                vb.setVariable(value);
                request.completed();
                return true;
            }
            from = found;
            inclusive = false;
        }
    }

    private boolean inRange(OID oid, MOScope range) {
        if (!scope.covers(oid)) {
            return false;
        }
        OID upper = range.getUpperBound();
        if (upper == null) {
            return true;
        }
        int c = oid.compareTo(upper);
        return c < 0 || (c == 0 && range.isUpperIncluded());
    }

    @Override
    public void prepare(SubRequest<?> request) {
        request.getStatus().setErrorStatus(PDU.notWritable);
    }

    @Override
    public void commit(SubRequest<?> request) {
        request.getStatus().setErrorStatus(PDU.commitFailed);
    }

    @Override
    public void undo(SubRequest<?> request) {
        request.getStatus().setErrorStatus(PDU.undoFailed);
    }

    @Override
    public void cleanup(SubRequest<?> request) {
        request.completed();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + root + "]";
    }
}
