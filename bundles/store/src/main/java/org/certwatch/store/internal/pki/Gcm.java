package org.certwatch.store.internal.pki;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-GCM as one byte array: a random 12-byte IV, then the ciphertext with its 16-byte tag. */
public final class Gcm {
    private static final int IV = 12;
    private static final int TAG_BITS = 128;

    private Gcm() {
    }

    public static byte[] seal(SecretKey key, SecureRandom random, byte[] plain) {
        try {
            byte[] iv = new byte[IV];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] body = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(iv, IV + body.length);
            System.arraycopy(body, 0, out, IV, body.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
        }
    }

    /** Throws when the bytes were not sealed with this key (or were changed). */
    public static byte[] open(SecretKey key, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < IV + TAG_BITS / 8) {
            throw new GeneralSecurityException("sealed value too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV));
        return cipher.doFinal(sealed, IV, sealed.length - IV);
    }
}
