package org.certwatch.api.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of a certificate's subjectAltName extension.
 *
 * @param type which kind of name it is
 * @param value the name: a DNS name, an IP address (IPv4 dotted, IPv6 in its RFC 5952 short form, lower
 *     case), an e-mail address, a URI, a directory name in RFC 4514 form, a registered id's dotted OID, or
 *     an otherName's type OID (then {@code ::} and its text when it is a string); X400 and EDIPARTY entries
 *     are kept by type only (empty value); an IP entry that is neither 4 nor 16 octets is {@code #} and its octets in hex
 */
public record SubjectAltName(Type type, String value) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * The kinds of GeneralName (RFC 5280) a certificate can carry in its subjectAltName. The store journals the
     * ordinal: new kinds go at the end.
     */
    public enum Type {
        DNS, IP, EMAIL, URI, DIRNAME, RID, OTHERNAME, X400, EDIPARTY
    }

    public SubjectAltName {
        Objects.requireNonNull(type, "type");
        value = value == null ? "" : value;
    }

    public static SubjectAltName dns(String name) {
        return new SubjectAltName(Type.DNS, name);
    }

    public static SubjectAltName ip(String address) {
        return new SubjectAltName(Type.IP, address);
    }

    /**
     * The entries a certificate made for {@code host} and {@code alternativeNames} carries: each a DNS name or
     * an IP address, {@code *} (any host) none. For records made without the certificate at hand.
     */
    public static List<SubjectAltName> of(String host, List<String> alternativeNames) {
        List<SubjectAltName> out = new ArrayList<>();
        List<String> all = new ArrayList<>();
        all.add(host);
        all.addAll(alternativeNames);
        for (String name : all) {
            if (name == null || name.isBlank() || name.equals("*")) {
                continue;
            }
            String n = name.strip();
            out.add(IPV4.matcher(n).matches() || n.contains(":") ? ip(n) : dns(n));
        }
        return List.copyOf(out);
    }

    /** The entry as {@code openssl x509 -text} prints it, e.g. {@code IP Address:2001:DB8:0:0:0:0:0:7}. */
    public String openssl() {
        return switch (type) {
            case DNS -> "DNS:" + value;
            case IP -> "IP Address:" + opensslAddress(value);
            case EMAIL -> "email:" + value;
            case URI -> "URI:" + value;
            case DIRNAME -> "DirName:" + slashed(value);
            case RID -> "Registered ID:" + value;
            case OTHERNAME -> "othername: " + value;
            case X400 -> "X400Name:<unsupported>";
            case EDIPARTY -> "EdiPartyName:<unsupported>";
        };
    }

    /** The entries as openssl lists them, with ", " between them. */
    public static String openssl(List<SubjectAltName> names) {
        return String.join(", ", names.stream().map(SubjectAltName::openssl).toList());
    }

    /** RFC 4514 {@code CN=a\,b,O=c} as openssl's {@code /CN=a,b/O=c}. */
    private static String slashed(String rfc4514) {
        StringBuilder b = new StringBuilder("/");
        boolean escaped = false;
        for (char c : rfc4514.toCharArray()) {
            if (escaped) {
                b.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else {
                b.append(c == ',' ? '/' : c);
            }
        }
        return b.toString();
    }

    /** openssl prints IPv6 as eight upper-case groups without leading zeros and without "::". */
    private static String opensslAddress(String address) {
        if (address.startsWith("#")) {
            return "<invalid>";
        }
        if (!address.contains(":")) {
            return address;
        }
        String[] halves = address.split("::", -1);
        if (halves.length > 2) {
            return address;
        }
        List<String> head = groups(halves[0]);
        List<String> tail = halves.length == 2 ? groups(halves[1]) : List.of();
        if (head == null || tail == null || (halves.length == 1 && head.size() != 8) || head.size() + tail.size() > 8) {
            return address;
        }
        List<String> all = new ArrayList<>(head);
        for (int i = head.size() + tail.size(); i < 8; i++) {
            all.add("0");
        }
        all.addAll(tail);
        return String.join(":", all);
    }

    private static List<String> groups(String text) {
        List<String> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String g : text.split(":", -1)) {
            if (!g.matches("[0-9A-Fa-f]{1,4}")) {
                return null;
            }
            out.add(Integer.toHexString(Integer.parseInt(g, 16)).toUpperCase(Locale.ROOT));
        }
        return out;
    }
}
