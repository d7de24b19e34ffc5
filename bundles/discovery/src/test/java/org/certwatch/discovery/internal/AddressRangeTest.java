package org.certwatch.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
    private static List<String> all(String text) {
        List<String> out = new ArrayList<>();
        for (InetAddress a : AddressRange.parse(text)) {
            out.add(a.getHostAddress());
        }
        return out;
    }

    @Test
    void cidrBlocksAndRangesOfBothFamiliesListTheirAddresses() {
        assertEquals(List.of("127.0.0.0", "127.0.0.1", "127.0.0.2", "127.0.0.3"), all("127.0.0.1/30"));
        assertEquals(List.of("192.0.2.254", "192.0.2.255", "192.0.3.0"), all("192.0.2.254-192.0.3.0"));
        assertEquals(List.of("2001:db8:0:0:0:0:0:fe", "2001:db8:0:0:0:0:0:ff"), all("2001:db8::fe/127"));
        assertEquals(List.of("0:0:0:0:0:0:0:1"), all("[::1]"));
        assertEquals(BigInteger.ONE.shiftLeft(96), AddressRange.parse("2001:db8::/32").size());
    }

    @Test
    void badRangesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33")).getMessage()
                .contains("prefix length must be 0-32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.9-10.0.0.1"))
                .getMessage().contains("first address is after the last"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.1-::1"))
                .getMessage().contains("both ends must be IPv4 or both IPv6"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("example.org/30"))
                .getMessage().contains("is not an IPv4 or IPv6 address"));
    }
}
