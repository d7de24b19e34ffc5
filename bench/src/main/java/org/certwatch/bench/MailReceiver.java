package org.certwatch.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SMTP server the notices go to (GreenMail, loopback, ephemeral port). GreenMail keeps no receive
 * time, so {@link #poll} stamps messages when first seen (called every half second).
 */
final class MailReceiver implements AutoCloseable {
    /** One message: its Message-ID without the angle brackets and {@code @certwatch}, when seen. */
    record Receipt(String noticeId, Instant at) {
    }

    private final GreenMail greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final List<Receipt> receipts = new ArrayList<>();

    MailReceiver() {
        greenMail.start();
    }

    int port() {
        return greenMail.getSmtp().getPort();
    }

    synchronized void poll() {
        MimeMessage[] all = greenMail.getReceivedMessages();
        Instant now = Instant.now();
        for (int i = receipts.size(); i < all.length; i++) {
            String id;
            try {
                id = String.valueOf(all[i].getMessageID()).replaceAll("^<|@certwatch>$", "");
            } catch (MessagingException e) {
                id = "unreadable: " + e.getMessage();
            }
            receipts.add(new Receipt(id, now));
        }
    }

    synchronized List<Receipt> receipts() {
        return new ArrayList<>(receipts);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
