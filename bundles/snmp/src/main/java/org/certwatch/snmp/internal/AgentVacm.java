package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.MutableVACM;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/**
 * The agent's access control: {@link VacmMIB} stays the table SNMP-VIEW-BASED-ACM-MIB describes and
 * every change goes into it, but requests are checked against what this class derives from it. The
 * MIB answers each check by scanning its synchronized tables and decoding every row's index again
 * (a third of the agent's CPU per GET, and the workers queued on the table locks); here a request
 * costs one hash lookup for its view name and a walk over the view's few subtrees.
 *
 * <p>Only changes made through this class are seen. That holds because nothing else writes the
 * tables: they are filled once per agent start, and no group has a write view, so no SET reaches them.
 */
final class AgentVacm implements MutableVACM {
    /** View names by request identity; the identities are few (users × contexts × levels), the bound is for hostile input. */
    private static final int MAX_CACHED_VIEW_NAMES = 1024;

    private final VacmMIB mib;
    private final Map<OctetString, List<Family>> families = new HashMap<>();
    private volatile Map<OctetString, List<Family>> views = Map.of();
    private volatile Map<Identity, Optional<OctetString>> viewNames = new ConcurrentHashMap<>();

    /** One view tree family (RFC 3415): a subtree, its mask (missing bits count as 1), included or excluded. */
    private record Family(OID subtree, OctetString mask, boolean included) {
        boolean matches(OID oid) {
            if (oid.size() < subtree.size()) {
                return false;
            }
            for (int i = 0; i < subtree.size(); i++) {
                if (subtree.get(i) != oid.get(i) && VacmMIB.isBitSet(i, mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Who asks for which kind of view; compared by the octets of context and security name. */
    private record Identity(OctetString context, OctetString securityName, int securityModel, int securityLevel,
            int viewType) {
        Identity copy() {
            return new Identity(context == null ? null : new OctetString(context),
                    securityName == null ? null : new OctetString(securityName), securityModel, securityLevel, viewType);
        }
    }

    AgentVacm(VacmMIB mib) {
        this.mib = mib;
    }

    @Override
    public OctetString getViewName(OctetString context, OctetString securityName, int securityModel, int securityLevel,
            int viewType) {
        Map<Identity, Optional<OctetString>> cache = viewNames;
        Identity key = new Identity(context, securityName, securityModel, securityLevel, viewType);
        Optional<OctetString> name = cache.get(key);
        if (name == null) {
            name = Optional.ofNullable(mib.getViewName(context, securityName, securityModel, securityLevel, viewType));
            if (cache.size() >= MAX_CACHED_VIEW_NAMES) {
                cache = new ConcurrentHashMap<>();
                viewNames = cache;
            }
            // the request's octet strings are not ours to keep
            cache.put(key.copy(), name);
        }
        // a copy: callers own what they get, as with the MIB
        return name.map(OctetString::new).orElse(null);
    }

    /**
     * The most specific family that matches decides (longest subtree, then the lexicographically
     * greatest), as in RFC 3415 and {@link VacmMIB#isAccessAllowed(OctetString, OID)}.
     */
    @Override
    public int isAccessAllowed(OctetString viewName, OID oid) {
        List<Family> view = views.get(viewName);
        if (view == null) {
            return VACM_NO_SUCH_VIEW;
        }
        for (Family f : view) {
            if (f.matches(oid)) {
                return f.included() ? VACM_OK : VACM_NOT_IN_VIEW;
            }
        }
        return VACM_NOT_IN_VIEW;
    }

    @Override
    public int isAccessAllowed(OctetString context, OctetString securityName, int securityModel, int securityLevel,
            int viewType, OID oid) {
        if (!mib.hasContext(context)) {
            return VACM_NO_SUCH_CONTEXT;
        }
        // the MIB's answer for everything but the view check itself, which is ours
        OctetString viewName = mib.getViewName(context, securityName, securityModel, securityLevel, viewType);
        if (viewName == null) {
            return mib.isAccessAllowed(context, securityName, securityModel, securityLevel, viewType, oid);
        }
        return viewName.length() == 0 ? VACM_NO_SUCH_VIEW : isAccessAllowed(viewName, oid);
    }

    @Override
    public boolean hasContext(OctetString context) {
        return mib.hasContext(context);
    }

    @Override
    public synchronized void addGroup(int securityModel, OctetString securityName, OctetString groupName, int storageType) {
        mib.addGroup(securityModel, securityName, groupName, storageType);
        viewNames = new ConcurrentHashMap<>();
    }

    @Override
    public synchronized boolean removeGroup(int securityModel, OctetString securityName) {
        boolean removed = mib.removeGroup(securityModel, securityName);
        viewNames = new ConcurrentHashMap<>();
        return removed;
    }

    @Override
    public boolean hasSecurityToGroupMapping(int securityModel, OctetString securityName) {
        return mib.hasSecurityToGroupMapping(securityModel, securityName);
    }

    @Override
    public synchronized void addAccess(OctetString groupName, OctetString contextPrefix, int securityModel,
            int securityLevel, int match, OctetString readView, OctetString writeView, OctetString notifyView,
            int storageType) {
        mib.addAccess(groupName, contextPrefix, securityModel, securityLevel, match, readView, writeView, notifyView,
                storageType);
        viewNames = new ConcurrentHashMap<>();
    }

    @Override
    public synchronized boolean removeAccess(OctetString groupName, OctetString contextPrefix, int securityModel,
            int securityLevel) {
        boolean removed = mib.removeAccess(groupName, contextPrefix, securityModel, securityLevel);
        viewNames = new ConcurrentHashMap<>();
        return removed;
    }

    @Override
    public int accessEntryCount(OctetString groupName) {
        return mib.accessEntryCount(groupName);
    }

    @Override
    public synchronized void addViewTreeFamily(OctetString viewName, OID subtree, OctetString mask, int type,
            int storageType) {
        mib.addViewTreeFamily(viewName, subtree, mask, type, storageType);
        List<Family> view = families.computeIfAbsent(new OctetString(viewName), v -> new ArrayList<>());
        view.removeIf(f -> f.subtree().equals(subtree));
        view.add(new Family(new OID(subtree), mask == null ? new OctetString() : new OctetString(mask),
                type == VACM_VIEW_INCLUDED));
        publishViews();
    }

    @Override
    public synchronized boolean removeViewTreeFamily(OctetString viewName, OID subtree) {
        boolean removed = mib.removeViewTreeFamily(viewName, subtree);
        List<Family> view = families.get(viewName);
        if (view != null) {
            view.removeIf(f -> f.subtree().equals(subtree));
            if (view.isEmpty()) {
                families.remove(viewName);
            }
        }
        publishViews();
        return removed;
    }

    @Override
    public int viewTreeFamilyEntryCount(OctetString viewName) {
        return mib.viewTreeFamilyEntryCount(viewName);
    }

    /** Each view's families, most specific first, as one immutable snapshot for the request threads. */
    private void publishViews() {
        Comparator<Family> specific = Comparator.comparingInt((Family f) -> f.subtree().size())
                .thenComparing(Family::subtree).reversed();
        Map<OctetString, List<Family>> next = new HashMap<>();
        families.forEach((name, list) -> next.put(name, list.stream().sorted(specific).toList()));
        views = Map.copyOf(next);
    }
}
