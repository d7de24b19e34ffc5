package org.certwatch.mail.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.certwatch.api.notify.MailSecurity;
import org.certwatch.api.notify.MailSettings;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two servers sharing the SMTP settings: one's change reaches the other's channel, password included. */
class SharedMailSettingsTest {
    final MemoryPersistence shared = new MemoryPersistence();

    @AfterEach
    void close() throws InterruptedException {
        shared.close();
    }

    private MailComponent server(String id) {
        MailComponent c = new MailComponent(new SharedDocument(shared.server(id), "mail", "settings"));
        c.activate();
        return c;
    }

    @Test
    void aChangeOnOneServerReconfiguresTheOther() throws Exception {
        MailComponent a = server("a");
        MailComponent b = server("b");
        try {
            a.set(new MailSettings("smtp.example.org", 2525, MailSecurity.NONE, "u", "secret", true,
                    "certwatch@example.org", "", "", 30), "admin");
            shared.settle();
            assertEquals("smtp.example.org", b.get().host());
            assertEquals(2525, b.get().port());
            // B keeps the password A saved when it changes only the port
            b.set(new MailSettings("smtp.example.org", 25, MailSecurity.NONE, "u", null, true,
                    "certwatch@example.org", "", "", 30), "admin");
            shared.settle();
            assertEquals(25, a.get().port());
            assertEquals(true, a.get().passwordSet());
        } finally {
            a.deactivate();
            b.deactivate();
        }
    }
}
