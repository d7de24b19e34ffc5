package org.certwatch.store.internal.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.pki.Gcm;

/**
 * Seals small secrets with a random data key (AES-256-GCM). The journal keeps that key wrapped under the key
 * password, so a rekey re-wraps one key and every sealed secret stays readable. The key is made at the first seal.
 */
final class Sealing {
    private static final String PREFIX = "cw-sealed-v1:";

    private final StoreContext store;
    /** The unwrapped data key, once used (a rekey changes its wrapped form, not the key). */
    private volatile SecretKey dataKey;

    Sealing(StoreContext store) {
        this.store = store;
    }

    String seal(char[] secret) {
        byte[] plain = utf8(secret);
        try {
            return PREFIX + Base64.getEncoder().encodeToString(Gcm.seal(key(true), store.random, plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    char[] open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new CertificateStoreException("not a secret sealed by certwatch (it starts with '" + PREFIX + "')");
        }
        byte[] plain = null;
        try {
            SecretKey key = key(false);
            if (key == null) {
                throw new CertificateStoreException("this store has sealed no secret; the value is from another store");
            }
            plain = Gcm.open(key, Base64.getDecoder().decode(sealed.substring(PREFIX.length())));
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plain));
            return Arrays.copyOf(chars.array(), chars.limit());
        } catch (GeneralSecurityException | IllegalArgumentException | CharacterCodingException e) {
            throw new CertificateStoreException("the sealed secret was not sealed by this store's key, or was changed");
        } finally {
            if (plain != null) {
                Arrays.fill(plain, (byte) 0);
            }
        }
    }

    /** The data key unwrapped, for a rekey to wrap under the new password; null when there is none. */
    byte[] rawKey() {
        SecretKey key = key(false);
        return key == null ? null : key.getEncoded();
    }

    private SecretKey key(boolean create) {
        SecretKey key = dataKey;
        if (key != null) {
            return key;
        }
        return store.lifecycle.whileOpen(() -> {
            try {
                return unwrapOrCreate(create);
            } catch (java.io.IOException e) {
                throw new CertificateStoreException("cannot store the sealing key: " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new CertificateStoreException("cannot read the sealing key under the key password: "
                        + e.getMessage(), e);
            }
        });
    }

    private SecretKey unwrapOrCreate(boolean create) throws java.io.IOException, GeneralSecurityException {
        synchronized (this) {
                if (dataKey == null) {
                    byte[] wrapped = store.index.sealingKey();
                    if (wrapped != null) {
                        dataKey = new SecretKeySpec(store.vault().unwrap(wrapped), "AES");
                    } else if (create) {
                        byte[] raw = new byte[32];
                        store.random.nextBytes(raw);
                        Entry.SealingKey entry = new Entry.SealingKey(store.vault().wrap(raw));
                        store.commit(List.of(entry));
                        store.index.apply(new org.certwatch.store.internal.persist.EntryCodec.Decoded(entry));
                        dataKey = new SecretKeySpec(raw, "AES");
                    }
                }
            return dataKey;
        }
    }

    private static byte[] utf8(char[] secret) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
        byte[] out = Arrays.copyOf(b.array(), b.limit());
        Arrays.fill(b.array(), (byte) 0);
        return out;
    }
}
