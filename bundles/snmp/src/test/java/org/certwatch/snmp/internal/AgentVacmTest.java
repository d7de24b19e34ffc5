package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

/** {@link AgentVacm} must answer exactly as SNMP4J's {@link VacmMIB} it is filled alongside. */
class AgentVacmTest {
    private final DefaultMOServer server = new DefaultMOServer();
    private final VacmMIB mib = new VacmMIB(new MOServer[] {server});
    private final AgentVacm vacm = new AgentVacm(mib);

    @Test
    void viewChecksAgreeWithTheMibForMasksExclusionsAndNesting() {
        Random random = new Random(42);
        List<OctetString> views = List.of(new OctetString("a"), new OctetString("b"), new OctetString("c"));
        List<OID> subtrees = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            OID subtree = randomOid(random, 1 + random.nextInt(6));
            subtrees.add(subtree);
            byte[] mask = new byte[random.nextInt(2)];
            random.nextBytes(mask);
            vacm.addViewTreeFamily(views.get(random.nextInt(views.size())), subtree, new OctetString(mask),
                    random.nextInt(3) == 0 ? VacmMIB.vacmViewExcluded : VacmMIB.vacmViewIncluded, StorageType.volatile_);
        }
        // one family replaced and one removed: both must be seen
        vacm.addViewTreeFamily(views.get(0), subtrees.get(0), new OctetString(), VacmMIB.vacmViewExcluded,
                StorageType.volatile_);
        vacm.removeViewTreeFamily(views.get(1), subtrees.get(1));
        vacm.removeViewTreeFamily(views.get(2), subtrees.get(1));
        int[] outcomes = new int[3];
        for (int i = 0; i < 20_000; i++) {
            OID oid = random.nextBoolean() ? randomOid(random, 1 + random.nextInt(9))
                    : extend(subtrees.get(random.nextInt(subtrees.size())), random);
            for (OctetString view : views) {
                int expected = mib.isAccessAllowed(view, oid);
                assertEquals(expected, vacm.isAccessAllowed(view, oid), view + " " + oid);
                outcomes[expected]++;
            }
        }
        assertTrue(outcomes[VACM.VACM_OK] > 1000 && outcomes[VACM.VACM_NOT_IN_VIEW] > 1000, "both outcomes exercised");
        assertEquals(VACM.VACM_NO_SUCH_VIEW, vacm.isAccessAllowed(new OctetString("none"), new OID("1.3.6")));
    }

    @Test
    void viewNamesAgreeWithTheMibAndFollowChanges() {
        OctetString read = new OctetString("read");
        vacm.addViewTreeFamily(read, new OID("1.3.6.1.2.1.1"), new OctetString(), VacmMIB.vacmViewIncluded,
                StorageType.volatile_);
        vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString("admin"), new OctetString("admins"),
                StorageType.volatile_);
        vacm.addAccess(new OctetString("admins"), new OctetString(), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, VacmMIB.vacmPrefixMatch, read, new OctetString(), read, StorageType.volatile_);
        OctetString admin = new OctetString("admin");
        OctetString berlin = new OctetString("berlin");
        for (int pass = 0; pass < 2; pass++) { // the second pass is answered from the cache
            assertEquals(read, vacm.getViewName(berlin, admin, SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV,
                    VACM.VIEW_READ));
            assertEquals(mib.getViewName(berlin, admin, SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_NOPRIV,
                    VACM.VIEW_READ), vacm.getViewName(berlin, admin, SecurityModel.SECURITY_MODEL_USM,
                    SecurityLevel.AUTH_NOPRIV, VACM.VIEW_READ));
            assertNull(vacm.getViewName(berlin, new OctetString("nobody"), SecurityModel.SECURITY_MODEL_USM,
                    SecurityLevel.AUTH_PRIV, VACM.VIEW_READ));
        }
        // a caller changing the octet strings it passed cannot change what is cached
        OctetString mutable = new OctetString("admin");
        vacm.getViewName(berlin, mutable, SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV, VACM.VIEW_READ);
        mutable.setValue("nobody");
        assertNull(vacm.getViewName(berlin, new OctetString("nobody"), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, VACM.VIEW_READ));
        // a later group and access entry are seen, a removed one is gone
        vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString("nobody"), new OctetString("admins"),
                StorageType.volatile_);
        assertEquals(read, vacm.getViewName(berlin, new OctetString("nobody"), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, VACM.VIEW_READ));
        vacm.removeAccess(new OctetString("admins"), new OctetString(), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV);
        assertNull(vacm.getViewName(berlin, admin, SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV,
                VACM.VIEW_READ));
    }

    @Test
    void manyContextsStayCorrectBeyondTheCacheBound() {
        OctetString read = new OctetString("read");
        vacm.addGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString("admin"), new OctetString("admins"),
                StorageType.volatile_);
        vacm.addAccess(new OctetString("admins"), new OctetString("ctx-1"), SecurityModel.SECURITY_MODEL_USM,
                SecurityLevel.AUTH_PRIV, VacmMIB.vacmPrefixMatch, read, new OctetString(), read, StorageType.volatile_);
        for (int i = 0; i < 5_000; i++) {
            OctetString context = new OctetString("ctx-" + i);
            assertEquals(mib.getViewName(context, new OctetString("admin"), SecurityModel.SECURITY_MODEL_USM,
                    SecurityLevel.AUTH_PRIV, VACM.VIEW_READ), vacm.getViewName(context, new OctetString("admin"),
                    SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV, VACM.VIEW_READ), context.toString());
        }
    }

    private static OID randomOid(Random random, int length) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = random.nextInt(3);
        }
        return new OID(ids);
    }

    private static OID extend(OID subtree, Random random) {
        OID oid = new OID(subtree);
        for (int i = random.nextInt(3); i > 0; i--) {
            oid.append(random.nextInt(3));
        }
        return oid;
    }
}
