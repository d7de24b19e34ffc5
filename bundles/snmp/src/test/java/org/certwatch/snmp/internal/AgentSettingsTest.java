package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.annotation.Annotation;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {
    static final AgentSettings.User MAIN = new AgentSettings.User("certwatch", "authpass123", "privpass123", null);

    static SnmpConfiguration config(String[] communities, String[] users, String[] targets) {
        return new SnmpConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SnmpConfiguration.class;
            }

            @Override
            public String sysContact() {
                return "ops";
            }

            @Override
            public String sysName() {
                return "";
            }

            @Override
            public String sysLocation() {
                return "";
            }

            @Override
            public String[] readCommunities() {
                return communities;
            }

            @Override
            public String[] users() {
                return users;
            }

            @Override
            public String[] targets() {
                return targets;
            }

            @Override
            public int informTimeoutMillis() {
                return 1000;
            }

            @Override
            public int informRetries() {
                return 2;
            }

            @Override
            public int workerThreads() {
                return 4;
            }
        };
    }

    @Test
    void parsesListsSplitBySemicolons() {
        AgentSettings s = AgentSettings.from(config(new String[] {"public; lab@berlin"},
                new String[] {"trap,trapauth123,trappriv123;lab,labauth123,labpriv123,berlin"},
                new String[] {"127.0.0.1:162,v2c,trap,public; [::1]:1162,v3,inform,trap"}), "127.0.0.1", 1161, MAIN);
        assertEquals(List.of(new AgentSettings.Community("public", ""), new AgentSettings.Community("lab", "berlin")),
                s.communities());
        assertEquals(3, s.users().size());
        assertEquals("berlin", s.users().get(2).context());
        assertEquals(new AgentSettings.Target("::1", 1162, true, true, "trap"), s.targets().get(1));
        assertFalse(s.targets().get(0).inform());
    }

    @Test
    void rejectsBadValuesWithAClearMessage() {
        assertMessage("port of '127.0.0.1:99999' is out of range", null, null, new String[] {"127.0.0.1:99999,v2c,trap,public"});
        assertMessage("must be v2c or v3", null, null, new String[] {"127.0.0.1:162,v1,trap,public"});
        assertMessage("must be trap or inform", null, null, new String[] {"127.0.0.1:162,v2c,notify,public"});
        assertMessage("unknown SNMPv3 user 'ghost'", null, null, new String[] {"127.0.0.1:162,v3,inform,ghost"});
        assertMessage("at least 8 characters", null, new String[] {"lab,short,labpriv123"}, null);
        assertMessage("NAME,AUTHPASSWORD,PRIVPASSWORD", null, new String[] {"lab"}, null);
        assertMessage("defined twice", null, new String[] {"certwatch,authpass123,privpass123"}, null);
        assertMessage("printable ASCII", new String[] {"public@bad context"}, null, null);
    }

    @Test
    void passwordsNeverAppearInMessagesOrToString() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentSettings.from(
                config(null, new String[] {"lab,secretvalue1"}, null), "0.0.0.0", 1161, MAIN));
        assertFalse(e.getMessage().contains("secretvalue1"), e.getMessage());
        AgentSettings s = AgentSettings.from(config(null, null, null), "0.0.0.0", 1161, MAIN);
        assertFalse(s.toString().contains("authpass123"), s.toString());
    }

    private static void assertMessage(String expected, String[] communities, String[] users, String[] targets) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.from(config(communities, users, targets), "0.0.0.0", 1161, MAIN));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
