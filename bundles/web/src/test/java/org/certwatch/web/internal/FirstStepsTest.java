package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard names what a new server lacks to server administrators, each linked, until it is done. */
class FirstStepsTest {
    private TestWeb web;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.users.put("root", new User("root", "All", EnumSet.allOf(Permission.class), true, TestWeb.START));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void theDashboardListsTheMissingStepsUntilTheyAreDone() throws Exception {
        String[] root = web.login("root");
        String dashboard = web.get("/", "Cookie", root[0]).body();
        assertTrue(dashboard.contains("id=\"first-steps\""), dashboard);
        assertTrue(dashboard.contains("<a href=\"/settings\">Set the SMTP server"), dashboard);
        assertTrue(dashboard.contains("<a href=\"/notifications\">Give a notification an e-mail address"), dashboard);
        assertFalse(web.get("/", "Cookie", web.login("alice")[0]).body().contains("first-steps"), "not an administrator");

        web.notifications = new MemoryNotifications();
        web.notifications.create(UserScope.system(), new NotificationDefinition(null, "server", NotificationScope.SERVER_CERTIFICATE,
                null, List.of(30), List.of("ops@example.org"), false, "All", true, true));
        String later = web.get("/", "Cookie", root[0]).body();
        assertTrue(later.contains("Set the SMTP server") && !later.contains("Give a notification"), later);
    }
}
