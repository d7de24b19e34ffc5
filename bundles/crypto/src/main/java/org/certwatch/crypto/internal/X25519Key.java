package org.certwatch.crypto.internal;

import java.math.BigInteger;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** X25519 keys as the JDK's {@link XECPublicKey}/{@link XECPrivateKey}, encoded as SunEC encodes them. */
final class X25519Key {
    static final int SIZE = 32;
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

    private X25519Key() {
    }

    static boolean isX25519(AlgorithmParameterSpec params) {
        return params instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase("X25519");
    }

    /** The 32 little-endian bytes of a u-coordinate (RFC 7748); a value wider than 255 bits is refused. */
    static byte[] littleEndian(BigInteger u) {
        byte[] big = u.toByteArray();
        int start = big.length > SIZE && big[0] == 0 ? 1 : 0;
        if (u.signum() < 0 || big.length - start > SIZE) {
            throw new IllegalArgumentException("not an X25519 u-coordinate");
        }
        byte[] out = new byte[SIZE];
        for (int i = big.length - 1, j = 0; i >= start; i--, j++) {
            out[j] = big[i];
        }
        return out;
    }

    static BigInteger fromLittleEndian(byte[] le) {
        byte[] big = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            big[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, big);
    }

    private static byte[] concat(byte[] prefix, byte[] value) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + value.length);
        System.arraycopy(value, 0, out, prefix.length, value.length);
        return out;
    }

    record Public(byte[] u) implements XECPublicKey {
        private static final long serialVersionUID = 1L;

        @Override
        public BigInteger getU() {
            return fromLittleEndian(u);
        }

        @Override
        public AlgorithmParameterSpec getParams() {
            return NamedParameterSpec.X25519;
        }

        @Override
        public String getAlgorithm() {
            return "XDH";
        }

        @Override
        public String getFormat() {
            return "X.509";
        }

        @Override
        public byte[] getEncoded() {
            return concat(SPKI_PREFIX, u);
        }
    }

    record Private(byte[] scalar) implements XECPrivateKey {
        private static final long serialVersionUID = 1L;

        @Override
        public Optional<byte[]> getScalar() {
            return Optional.of(scalar.clone());
        }

        @Override
        public AlgorithmParameterSpec getParams() {
            return NamedParameterSpec.X25519;
        }

        @Override
        public String getAlgorithm() {
            return "XDH";
        }

        @Override
        public String getFormat() {
            return "PKCS#8";
        }

        @Override
        public byte[] getEncoded() {
            return concat(PKCS8_PREFIX, scalar);
        }

        @Override
        public String toString() {
            return "X25519 private key";
        }
    }
}
