package org.certwatch.fleet.internal.computers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.EnrolmentTokenState;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.TokenRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Enrolment tokens: made for a group, kept as the SHA-256 of their secret, used up by an agent's
 * enrolment ({@link TokenText} is their text form).
 */
@Component(service = EnrolmentTokens.class)
public final class EnrolmentTokens {
    private final FleetState state;
    private final CertificateStore store;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public EnrolmentTokens(@Reference(name = "state") FleetState state, @Reference(name = "store") CertificateStore store) {
        this.state = state;
        this.store = store;
    }

    /** A token usable {@code uses} times (simulated fleets enrol many agents with one token). */
    public EnrolmentToken create(String group, Duration validity, int uses, String actor) {
        return state.change(actor, "enrolment-token.create", "group:" + group, () -> {
            state.requireGroup(group);
            if (uses < 1) {
                throw new IllegalArgumentException("a token is usable at least once");
            }
            Duration valid = validity == null ? Duration.ofHours(24) : validity;
            if (valid.isNegative() || valid.isZero()) {
                throw new IllegalArgumentException("a token's validity must be positive");
            }
            CertificateInfo server = store.serverCertificate()
                    .orElseThrow(() -> new IllegalArgumentException("the server has no certificate yet"));
            CaInfo ca = store.ca(server.caId())
                    .orElseThrow(() -> new IllegalArgumentException("the server certificate's CA is not in the store"));
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            byte[] idBytes = new byte[6];
            random.nextBytes(idBytes);
            String id = HexFormat.of().formatHex(idBytes);
            Instant now = state.clock().instant();
            Instant expires = now.plus(valid);
            state.tokens.values().removeIf(t -> !state.clock().instant().isBefore(t.expiresAt()));
            state.tokens.put(id, new TokenRecord(id, sha256(secretText), group, expires, uses));
            state.save();
            return new EnrolmentToken(id, group, expires, TokenText.format(id, secretText, ca.fingerprint()));
        });
    }

    /** The tokens not yet expired, soonest expiry first. */
    public List<EnrolmentTokenState> list() {
        try (FleetState.Held held = state.exclusive()) {
            Instant now = state.clock().instant();
            return state.tokens.values().stream().filter(t -> now.isBefore(t.expiresAt()))
                    .sorted(Comparator.comparing(TokenRecord::expiresAt).thenComparing(TokenRecord::id))
                    .map(t -> new EnrolmentTokenState(t.id(), t.group(), t.expiresAt(), t.usesLeft())).toList();
        }
    }

    public void revoke(String id, String actor) {
        state.change(actor, "enrolment-token.revoke", "enrolment-token:" + id, () -> {
            if (state.tokens.remove(id) == null) {
                throw new IllegalArgumentException("there is no enrolment token " + id);
            }
            state.save();
            return id;
        });
    }

    /**
     * Uses a token once; the group it names, or the reason it is refused. Durable when it returns; the
     * file is written outside the fleet lock (group commit), so enrolments do not stall replications.
     */
    public String redeem(String tokenText) {
        TokenText.Parsed t = TokenText.parse(tokenText);
        // across servers too: a token's last use is not redeemed on two servers at once
        return state.acrossServers(() -> {
            FleetState.DirectorySnapshot snapshot;
            String group;
            try (FleetState.Held held = state.exclusive()) {
                state.catchUp();
                TokenRecord record = state.tokens.get(t.id());
                if (record == null || !MessageDigest.isEqual(record.secretHash().getBytes(StandardCharsets.US_ASCII),
                        sha256(t.secret()).getBytes(StandardCharsets.US_ASCII))) {
                    throw new IllegalArgumentException("unknown enrolment token");
                }
                if (!state.clock().instant().isBefore(record.expiresAt())) {
                    throw new IllegalArgumentException("the enrolment token expired at " + record.expiresAt());
                }
                if (record.usesLeft() < 1) {
                    throw new IllegalArgumentException("the enrolment token was used already");
                }
                // a used-up token stays until it expires, so a second use is told why it fails
                state.tokens.put(record.id(), record.used());
                group = record.group();
                snapshot = state.snapshotDirectory();
            }
            try {
                state.persistDirectory(snapshot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the fleet directory: " + e.getMessage(), e);
            }
            return group;
        });
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
