package org.certwatch.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Security;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class X25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeEach
    void install() {
        HandshakeCryptoComponent.install();
    }

    @AfterEach
    void remove() {
        Security.removeProvider(HandshakeCryptoProvider.NAME);
    }

    private static PublicKey sunEcPublic(String littleEndianHex) throws Exception {
        return KeyFactory.getInstance("XDH", "SunEC").generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519,
                X25519Key.fromLittleEndian(HEX.parseHex(littleEndianHex))));
    }

    /** RFC 7748 section 6.1: Alice's and Bob's keys and their shared secret. */
    @Test
    void agreesOnTheRfc7748SharedSecretWithTheJdksPublicKeys() throws Exception {
        KeyAgreement alice = KeyAgreement.getInstance("XDH");
        alice.init(new X25519Key.Private(HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")));
        alice.doPhase(sunEcPublic("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), true);
        assertEquals(HandshakeCryptoProvider.NAME, alice.getProvider().getName());
        assertEquals("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
                HEX.formatHex(alice.generateSecret("TlsPremasterSecret").getEncoded()));
    }

    @Test
    void keyPairsInteroperateWithSunEc() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH");
        ours.initialize(NamedParameterSpec.X25519);
        assertEquals(HandshakeCryptoProvider.NAME, ours.getProvider().getName());
        KeyPair a = ours.generateKeyPair();
        KeyPairGenerator jdk = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdk.initialize(NamedParameterSpec.X25519);
        KeyPair b = jdk.generateKeyPair();

        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(a.getPrivate());
        ka.doPhase(b.getPublic(), true);
        KeyAgreement kb = KeyAgreement.getInstance("XDH", "SunEC");
        kb.init(b.getPrivate());
        // the peer's public key as JSSE makes it: SunEC's key factory from the u-coordinate on the wire
        kb.doPhase(KeyFactory.getInstance("XDH", "SunEC").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, ((XECPublicKey) a.getPublic()).getU())), true);
        assertArrayEquals(kb.generateSecret(), ka.generateSecret());
        // and the encoding is the standard SubjectPublicKeyInfo
        XECPublicKey decoded = (XECPublicKey) KeyFactory.getInstance("XDH", "SunEC")
                .generatePublic(new X509EncodedKeySpec(a.getPublic().getEncoded()));
        assertEquals(((XECPublicKey) a.getPublic()).getU(), decoded.getU());
    }

    @Test
    void aSmallOrderPeerPointIsRefused() throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
        g.initialize(NamedParameterSpec.X25519);
        ka.init(g.generateKeyPair().getPrivate());
        PublicKey zero = KeyFactory.getInstance("XDH", "SunEC").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.ZERO));
        assertThrows(InvalidKeyException.class, () -> ka.doPhase(zero, true));
    }

    @Test
    void x448GoesOnToTheJdk() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("XDH");
        g.initialize(NamedParameterSpec.X448);
        KeyPair pair = g.generateKeyPair();
        assertEquals("SunEC", g.getProvider().getName());
        KeyAgreement ka = KeyAgreement.getInstance("XDH");
        ka.init(pair.getPrivate());
        ka.doPhase(pair.getPublic(), true);
        assertEquals("SunEC", ka.getProvider().getName());
        assertEquals(56, ka.generateSecret().length);
    }
}
