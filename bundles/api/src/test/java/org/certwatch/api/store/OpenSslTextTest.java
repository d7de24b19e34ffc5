package org.certwatch.api.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spellings openssl uses (checked against the openssl binary in the store's ImportedNamesAndSerialsTest). */
class OpenSslTextTest {
    @Test
    void serialsAsOpensslX509SerialPrintsThem() {
        assertEquals("03E9", OpenSslText.serial(BigInteger.valueOf(1001)));
        assertEquals("80", OpenSslText.serial(BigInteger.valueOf(128)));
        assertEquals("00", OpenSslText.serial(BigInteger.ZERO));
        assertEquals("7F", OpenSslText.serial(BigInteger.valueOf(127)));
        assertEquals("0100", OpenSslText.serial(BigInteger.valueOf(256)));
        assertEquals("-01", OpenSslText.serial(BigInteger.valueOf(-1)));
        assertEquals("-0100", OpenSslText.serial(BigInteger.valueOf(-256)));
        assertEquals("0A1B2C3D4E5F60718293A4B5C6D7E8F901234567",
                OpenSslText.serial(new BigInteger("0A1B2C3D4E5F60718293A4B5C6D7E8F901234567", 16)));
        // text that travels as hex, in older spellings too
        assertEquals("03E9", OpenSslText.serial("3E9"));
        assertEquals("80", OpenSslText.serial("00:80"));
        assertEquals("", OpenSslText.serial((String) null));
        assertEquals("not hex", OpenSslText.serial("not hex"));
    }

    @Test
    void fingerprintsKeepTheirLeadingZeros() {
        assertEquals("00:C1:83:0B:72:E0:BB:C5:E4:60:38:45:ED:0C:48:C2:D6:A1:8D:4E:15:8C:77:3B:80:00:5F:AF:60:12:67:77",
                OpenSslText.fingerprint("00c1830b72e0bbc5e4603845ed0c48c2d6a18d4e158c773b80005faf60126777"));
        assertEquals("", OpenSslText.fingerprint(null));
    }

    @Test
    void subjectAltNamesAsOpensslTextListsThem() {
        assertEquals("DNS:*.edge.example, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7, IP Address:0:0:0:0:0:0:0:1,"
                + " IP Address:FE80:0:0:0:0:0:0:0, email:a@b.example, URI:https://x.example/p, DirName:/CN=Inner/O=Org,"
                + " Registered ID:1.2.3.4",
                SubjectAltName.openssl(List.of(SubjectAltName.dns("*.edge.example"), SubjectAltName.ip("192.0.2.7"),
                        SubjectAltName.ip("2001:db8::7"), SubjectAltName.ip("::1"), SubjectAltName.ip("fe80::"),
                        new SubjectAltName(SubjectAltName.Type.EMAIL, "a@b.example"),
                        new SubjectAltName(SubjectAltName.Type.URI, "https://x.example/p"),
                        new SubjectAltName(SubjectAltName.Type.DIRNAME, "CN=Inner,O=Org"),
                        new SubjectAltName(SubjectAltName.Type.RID, "1.2.3.4"))));
        assertEquals(List.of(SubjectAltName.dns("a.example"), SubjectAltName.ip("10.0.0.1"), SubjectAltName.ip("::1")),
                SubjectAltName.of("*", List.of("a.example", "10.0.0.1", "::1")));
    }
}
