package org.certwatch.store.internal.pki;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.store.SubjectAltName;

/** The subjectAltName entries of a certificate, typed, and the host names certwatch derives from them. */
public final class SubjectAltNames {
    private SubjectAltNames() {
    }

    /** Every entry of the certificate's subjectAltName, in certificate order; empty without the extension. */
    public static List<SubjectAltName> of(X509CertificateHolder certificate) {
        Extension san = certificate.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            return List.of();
        }
        List<SubjectAltName> out = new ArrayList<>();
        for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
            out.add(of(n));
        }
        return List.copyOf(out);
    }

    static SubjectAltName of(GeneralName n) {
        ASN1Encodable name = n.getName();
        return switch (n.getTagNo()) {
            case GeneralName.dNSName -> new SubjectAltName(SubjectAltName.Type.DNS, text(name));
            case GeneralName.iPAddress -> new SubjectAltName(SubjectAltName.Type.IP,
                    address(ASN1OctetString.getInstance(name).getOctets()));
            case GeneralName.rfc822Name -> new SubjectAltName(SubjectAltName.Type.EMAIL, text(name));
            case GeneralName.uniformResourceIdentifier -> new SubjectAltName(SubjectAltName.Type.URI, text(name));
            case GeneralName.directoryName -> new SubjectAltName(SubjectAltName.Type.DIRNAME,
                    X500Name.getInstance(name).toString());
            case GeneralName.registeredID -> new SubjectAltName(SubjectAltName.Type.RID,
                    ASN1ObjectIdentifier.getInstance(name).getId());
            case GeneralName.otherName -> new SubjectAltName(SubjectAltName.Type.OTHERNAME, otherName(name));
            case GeneralName.x400Address -> new SubjectAltName(SubjectAltName.Type.X400, "");
            default -> new SubjectAltName(SubjectAltName.Type.EDIPARTY, "");
        };
    }

    private static String text(ASN1Encodable name) {
        return name instanceof ASN1String s ? s.getString() : name.toString();
    }

    /** The type OID, then "::" and the value when it is a string (a UPN, for instance). */
    private static String otherName(ASN1Encodable name) {
        ASN1Sequence seq = ASN1Sequence.getInstance(name);
        String oid = ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0)).getId();
        if (seq.size() > 1 && seq.getObjectAt(1) instanceof ASN1TaggedObject tagged
                && tagged.getBaseObject() instanceof ASN1String s) {
            return oid + "::" + s.getString();
        }
        return oid;
    }

    /**
     * IPv4 dotted; IPv6 in RFC 5952's form (lower case, no leading zeros, the longest run of two or more zero
     * groups as "::"); any other length (a name constraint's address and mask) as {@code #} and hex.
     */
    public static String address(byte[] octets) {
        if (octets.length == 4) {
            return (octets[0] & 0xff) + "." + (octets[1] & 0xff) + "." + (octets[2] & 0xff) + "." + (octets[3] & 0xff);
        }
        if (octets.length != 16) {
            return "#" + HexFormat.of().formatHex(octets);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (octets[2 * i] & 0xff) << 8 | (octets[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLength - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(groups[i]).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }

    /**
     * The entries of a certificate issued for {@code host} and {@code alternativeNames} (as issuance checked
     * them): for journal records that predate recorded subjectAltNames.
     */
    public static List<SubjectAltName> ofRequest(String host, List<String> alternativeNames) {
        List<SubjectAltName> out = new ArrayList<>();
        for (SubjectAltName n : SubjectAltName.of(host, alternativeNames)) {
            try {
                // an address as typed ("2001:DB8::5") in the form read from a certificate ("2001:db8::5")
                out.add(n.type() == SubjectAltName.Type.IP ? of(new GeneralName(GeneralName.iPAddress, n.value())) : n);
            } catch (RuntimeException e) {
                out.add(n); // issuance refused such addresses; a record that holds one keeps it as it is
            }
        }
        return List.copyOf(out);
    }

    /**
     * The host certwatch lists an imported certificate under: its first DNS name, else its subject's common
     * name, else "".
     */
    public static String host(X509CertificateHolder certificate, List<SubjectAltName> names) {
        for (SubjectAltName n : names) {
            if (n.type() == SubjectAltName.Type.DNS) {
                return n.value();
            }
        }
        var cn = certificate.getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return cn.length > 0 && cn[0].getFirst() != null ? text(cn[0].getFirst().getValue()) : "";
    }

    /** The DNS names and IP addresses besides {@code host}: what issuance would take as alternativeNames. */
    public static List<String> alternativeNames(String host, List<SubjectAltName> names) {
        List<String> out = new ArrayList<>();
        boolean hostSkipped = false;
        for (SubjectAltName n : names) {
            if (n.type() != SubjectAltName.Type.DNS && n.type() != SubjectAltName.Type.IP) {
                continue;
            }
            if (!hostSkipped && n.value().equals(host)) {
                hostSkipped = true;
                continue;
            }
            out.add(n.value());
        }
        return List.copyOf(out);
    }
}
