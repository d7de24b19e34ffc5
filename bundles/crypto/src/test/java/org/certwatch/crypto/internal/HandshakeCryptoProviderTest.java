package org.certwatch.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeCryptoProviderTest {
    private static final byte[] MESSAGE = "the transcript of a TLS handshake".getBytes(StandardCharsets.US_ASCII);

    @AfterEach
    void remove() {
        Security.removeProvider(HandshakeCryptoProvider.NAME);
    }

    private static KeyPair jdkKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    @Test
    void signsAndVerifiesWithTheJdksKeysInterchangeablyWithSunEc() throws Exception {
        assertTrue(HandshakeCryptoComponent.install());
        for (String[] c : new String[][] {{"secp256r1", "SHA256withECDSA"}, {"secp384r1", "SHA384withECDSA"},
                {"secp521r1", "SHA512withECDSA"}, {"secp256r1", "SHA384withECDSA"}}) {
            KeyPair keys = jdkKeyPair(c[0]);
            Signature ours = Signature.getInstance(c[1]);
            ours.initSign(keys.getPrivate());
            ours.update(MESSAGE);
            byte[] signed = ours.sign();
            assertEquals(HandshakeCryptoProvider.NAME, ours.getProvider().getName(), "the JDK's EC key is signed by ours");

            Signature sunEc = Signature.getInstance(c[1], "SunEC");
            sunEc.initVerify(keys.getPublic());
            sunEc.update(MESSAGE);
            assertTrue(sunEc.verify(signed), c[1] + " by Bouncy Castle verifies with SunEC");

            sunEc.initSign(keys.getPrivate());
            sunEc.update(MESSAGE);
            byte[] bySunEc = sunEc.sign();
            Signature verifier = Signature.getInstance(c[1]);
            verifier.initVerify(keys.getPublic());
            verifier.update(MESSAGE);
            assertTrue(verifier.verify(bySunEc), c[1] + " by SunEC verifies with Bouncy Castle");
            assertEquals(HandshakeCryptoProvider.NAME, verifier.getProvider().getName());

            verifier.initVerify(keys.getPublic());
            verifier.update("another transcript".getBytes(StandardCharsets.US_ASCII));
            assertFalse(verifier.verify(bySunEc), "a signature over other data is refused");
        }
    }

    @Test
    void aMalformedSignatureIsAnErrorAndAKeyOnAnotherCurveIsRefused() throws Exception {
        HandshakeCryptoProvider provider = new HandshakeCryptoProvider();
        KeyPair keys = jdkKeyPair("secp256r1");
        Signature verifier = Signature.getInstance("SHA256withECDSA", provider);
        verifier.initVerify(keys.getPublic());
        verifier.update(MESSAGE);
        assertThrows(java.security.SignatureException.class, () -> verifier.verify(new byte[] {0x30, 0x03, 0x02, 0x01}));

        org.bouncycastle.jcajce.provider.asymmetric.ec.KeyPairGeneratorSpi.EC spi =
                new org.bouncycastle.jcajce.provider.asymmetric.ec.KeyPairGeneratorSpi.EC();
        spi.initialize(new ECGenParameterSpec("brainpoolP256r1"), new java.security.SecureRandom());
        KeyPair other = spi.generateKeyPair();
        Signature signer = Signature.getInstance("SHA256withECDSA", provider);
        assertThrows(java.security.InvalidKeyException.class, () -> signer.initSign(other.getPrivate()),
                "a curve this provider does not speed up is left to the others");
    }

    @Test
    void ecKeySharesAreTheJdksKeysAndAgreeWithSunEc() throws Exception {
        assertTrue(HandshakeCryptoComponent.install());
        // a name, an alias, an OID: each with the JDK's name of the curve
        for (String[] c : new String[][] {{"secp256r1", "secp256r1"}, {"NIST P-384", "secp384r1"},
                {"1.3.132.0.35", "secp521r1"}}) {
            String curve = c[0];
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            KeyPair ours = g.generateKeyPair();
            assertEquals(HandshakeCryptoProvider.NAME, g.getProvider().getName(), curve);
            KeyPair theirs = jdkKeyPair(c[1]);
            assertEquals(theirs.getPublic().getClass(), ours.getPublic().getClass(), "the JDK's key types");
            assertEquals(theirs.getPrivate().getClass(), ours.getPrivate().getClass());
            javax.crypto.KeyAgreement a = javax.crypto.KeyAgreement.getInstance("ECDH", "SunEC");
            a.init(ours.getPrivate());
            a.doPhase(theirs.getPublic(), true);
            javax.crypto.KeyAgreement b = javax.crypto.KeyAgreement.getInstance("ECDH", "SunEC");
            b.init(theirs.getPrivate());
            b.doPhase(ours.getPublic(), true);
            org.junit.jupiter.api.Assertions.assertArrayEquals(b.generateSecret(), a.generateSecret(), curve);
        }
        KeyPairGenerator bySize = KeyPairGenerator.getInstance("EC");
        bySize.initialize(384);
        assertEquals(384, ((java.security.interfaces.ECPublicKey) bySize.generateKeyPair().getPublic()).getParams()
                .getCurve().getField().getFieldSize());
        EcKeyPairGenerator spi = new EcKeyPairGenerator(new NamedCurves(), new java.security.SecureRandom());
        assertThrows(java.security.InvalidAlgorithmParameterException.class,
                () -> spi.initialize(new ECGenParameterSpec("secp256k1"), null), "another curve is left to the others");
        assertThrows(java.security.InvalidParameterException.class, () -> spi.initialize(255, null));
    }

    @Test
    void ecKeySharesDrawOnlyOnTheRandomTheyAreGiven() throws Exception {
        // Bouncy Castle's default random (a new NativePRNG per call, one lock for all threads) must not be asked
        java.security.SecureRandom forbidden = new java.security.SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                throw new AssertionError("Bouncy Castle's default random was used");
            }
        };
        org.bouncycastle.crypto.CryptoServicesRegistrar.setSecureRandom(forbidden);
        try {
            java.util.concurrent.atomic.AtomicInteger draws = new java.util.concurrent.atomic.AtomicInteger();
            java.security.SecureRandom given = new java.security.SecureRandom() {
                private static final long serialVersionUID = 1L;

                @Override
                public void nextBytes(byte[] bytes) {
                    draws.incrementAndGet();
                    super.nextBytes(bytes);
                }
            };
            EcKeyPairGenerator spi = new EcKeyPairGenerator(new NamedCurves(), new java.security.SecureRandom());
            spi.initialize(new ECGenParameterSpec("secp256r1"), given);
            KeyPair keys = spi.generateKeyPair();
            assertTrue(draws.get() >= 2, "the scalar and the blinding factor come from the given random");
            Signature check = Signature.getInstance("SHA256withECDSA", "SunEC");
            check.initSign(keys.getPrivate());
            check.update(MESSAGE);
            byte[] signed = check.sign();
            check.initVerify(keys.getPublic());
            check.update(MESSAGE);
            assertTrue(check.verify(signed), "the public key is the private key's");
        } finally {
            org.bouncycastle.crypto.CryptoServicesRegistrar.setSecureRandom(null);
        }
    }

    @Test
    void otherKeysAndAlgorithmsStayWithTheJdk() throws Exception {
        assertTrue(HandshakeCryptoComponent.install());
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.generateKeyPair().getPrivate());
        assertEquals("SunRsaSign", s.getProvider().getName());
        assertEquals("SUN", java.security.MessageDigest.getInstance("SHA-256").getProvider().getName());
        assertEquals("SunJCE", javax.crypto.Cipher.getInstance("AES/GCM/NoPadding").getProvider().getName());
    }

    private static CryptoConfiguration config(boolean enabled) {
        return (CryptoConfiguration) java.lang.reflect.Proxy.newProxyInstance(CryptoConfiguration.class.getClassLoader(),
                new Class<?>[] {CryptoConfiguration.class}, (proxy, method, args) -> enabled);
    }

    @Test
    void theComponentInstallsOnActivateAndRemovesOnDeactivateUnlessSwitchedOff() {
        HandshakeCryptoComponent on = new HandshakeCryptoComponent(config(true));
        assertEquals(HandshakeCryptoProvider.NAME, Security.getProviders()[0].getName());
        on.stop();
        assertEquals(null, Security.getProvider(HandshakeCryptoProvider.NAME), "a stopped bundle leaves no provider behind");
        HandshakeCryptoComponent off = new HandshakeCryptoComponent(config(false));
        assertEquals(null, Security.getProvider(HandshakeCryptoProvider.NAME), "bouncycastle = false");
        off.stop();
    }

    @Test
    void installIsFirstAndRemovalRestoresTheJdk() throws Exception {
        assertTrue(HandshakeCryptoComponent.install());
        assertTrue(HandshakeCryptoComponent.install(), "installing twice keeps one, first");
        assertEquals(HandshakeCryptoProvider.NAME, Security.getProviders()[0].getName());
        assertEquals(1, java.util.Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals(HandshakeCryptoProvider.NAME)).count());
        Security.removeProvider(HandshakeCryptoProvider.NAME);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(jdkKeyPair("secp256r1").getPrivate());
        assertEquals("SunEC", s.getProvider().getName());
    }
}
