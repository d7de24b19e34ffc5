package org.certwatch.discovery.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An address range as a discovery range names it: a CIDR block ({@code 192.0.2.0/28}, {@code 2001:db8::/124}) or
 * first-last ({@code 192.0.2.1-192.0.2.20}), IPv4 or IPv6, literals only (no names are resolved). Addresses are
 * produced one at a time, so a range costs no memory for its size.
 */
record AddressRange(BigInteger first, BigInteger last, int bytes) implements Iterable<InetAddress> {
    /** Parses {@code text}; the message of the {@link IllegalArgumentException} says what is wrong. */
    static AddressRange parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        int dash = t.indexOf('-');
        if (slash >= 0) {
            byte[] base = literal(t.substring(0, slash), text);
            int prefix;
            try {
                prefix = Integer.parseInt(t.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': the prefix length after / is not a number");
            }
            int bits = base.length * 8;
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': the prefix length must be 0-" + bits);
            }
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            BigInteger first = new BigInteger(1, base).andNot(hostMask);
            return new AddressRange(first, first.or(hostMask), base.length);
        }
        if (dash >= 0) {
            byte[] a = literal(t.substring(0, dash), text);
            byte[] b = literal(t.substring(dash + 1), text);
            if (a.length != b.length) {
                throw new IllegalArgumentException("'" + text + "': both ends must be IPv4 or both IPv6");
            }
            BigInteger first = new BigInteger(1, a);
            BigInteger last = new BigInteger(1, b);
            if (first.compareTo(last) > 0) {
                throw new IllegalArgumentException("'" + text + "': the first address is after the last");
            }
            return new AddressRange(first, last, a.length);
        }
        byte[] one = literal(t, text);
        BigInteger only = new BigInteger(1, one);
        return new AddressRange(only, only, one.length);
    }

    /** How many addresses the range holds. */
    BigInteger size() {
        return last.subtract(first).add(BigInteger.ONE);
    }

    @Override
    public Iterator<InetAddress> iterator() {
        return new Iterator<>() {
            private BigInteger next = first;

            @Override
            public boolean hasNext() {
                return next.compareTo(last) <= 0;
            }

            @Override
            public InetAddress next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                InetAddress a = address(next);
                next = next.add(BigInteger.ONE);
                return a;
            }
        };
    }

    private InetAddress address(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bytes];
        int copy = Math.min(raw.length, bytes);
        System.arraycopy(raw, raw.length - copy, out, bytes - copy, copy);
        try {
            return InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which cannot happen here
        }
    }

    /** An IPv4 or IPv6 literal's bytes; a host name is refused (scans never resolve names). */
    private static byte[] literal(String part, String text) {
        String p = part.trim();
        if (p.startsWith("[") && p.endsWith("]")) {
            p = p.substring(1, p.length() - 1);
        }
        boolean v4 = p.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = p.indexOf(':') >= 0 && p.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "': '" + p + "' is not an IPv4 or IPv6 address");
        }
        try {
            return InetAddress.getByName(p).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': '" + p + "' is not an IPv4 or IPv6 address");
        }
    }
}
