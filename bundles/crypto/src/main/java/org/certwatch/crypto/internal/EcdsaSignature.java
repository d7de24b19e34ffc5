package org.certwatch.crypto.internal;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * {@code SHAnnnwithECDSA} on Bouncy Castle's curve arithmetic for the JDK's EC keys: the digest is the
 * JDK's, the signature DER as every provider writes it. The curve comes from {@link NamedCurves}, so
 * the generator's precomputed multiples are made once per JVM, not once per signature.
 */
final class EcdsaSignature extends SignatureSpi {
    private final MessageDigest digest;
    private final NamedCurves curves;
    private final SecureRandom random;
    private ECDSASigner signer;
    private ECDomainParameters domain;

    EcdsaSignature(String digestAlgorithm, NamedCurves curves, SecureRandom random) {
        try {
            this.digest = MessageDigest.getInstance(digestAlgorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digestAlgorithm + " is part of every JDK", e);
        }
        this.curves = curves;
        this.random = random;
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
        if (!(key instanceof ECPublicKey ec)) {
            throw new InvalidKeyException("not an EC public key: " + key.getClass().getName());
        }
        domain = curves.of(ec.getParams());
        ECPublicKeyParameters parameters;
        try {
            parameters = new ECPublicKeyParameters(domain.getCurve().validatePoint(ec.getW().getAffineX(), ec.getW().getAffineY()), domain);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("the public key is not a point of its curve", e);
        }
        signer = new ECDSASigner();
        signer.init(false, parameters);
        digest.reset();
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
        engineInitSign(key, random);
    }

    @Override
    protected void engineInitSign(PrivateKey key, SecureRandom with) throws InvalidKeyException {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new InvalidKeyException("not an EC private key: " + key.getClass().getName());
        }
        domain = curves.of(ec.getParams());
        signer = new ECDSASigner();
        signer.init(true, new ParametersWithRandom(new ECPrivateKeyParameters(ec.getS(), domain), with == null ? random : with));
        digest.reset();
    }

    @Override
    protected void engineUpdate(byte b) {
        digest.update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {
        digest.update(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        requireInit();
        BigInteger[] rs = signer.generateSignature(digest.digest());
        try {
            return StandardDSAEncoding.INSTANCE.encode(domain.getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new SignatureException(e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] signature) throws SignatureException {
        requireInit();
        byte[] hash = digest.digest();
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(domain.getN(), signature);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new SignatureException("malformed ECDSA signature: " + e.getMessage(), e);
        }
        return signer.verifySignature(hash, rs[0], rs[1]);
    }

    private void requireInit() throws SignatureException {
        if (signer == null) {
            throw new SignatureException("not initialised");
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no parameters");
    }
}
