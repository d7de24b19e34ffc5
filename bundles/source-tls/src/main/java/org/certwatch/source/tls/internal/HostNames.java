package org.certwatch.source.tls.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Host names and address literals, and whether a certificate names one (RFC 6125). */
final class HostNames {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostNames() {
    }

    static boolean isHost(String host) {
        return isDnsName(host) || literal(host).isPresent();
    }

    static boolean isDnsName(String name) {
        if (name.isEmpty() || literal(name).isPresent()) {
            return false;
        }
        for (String label : name.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The address an IPv4 or IPv6 literal names, parsed without any lookup; empty for a name. */
    static Optional<InetAddress> literal(String host) {
        boolean v4 = IPV4.matcher(host).matches();
        boolean v6 = host.indexOf(':') >= 0 && IPV6.matcher(host).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            // a literal: InetAddress parses it and asks no resolver
            return Optional.of(InetAddress.getByName(host));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code cert} names {@code host}: an address literal against the IP SANs; a name against the DNS SANs,
     * a wildcard only as the whole left-most label matching exactly one label, not right above a top-level
     * label; the subject's CN only when the certificate has no DNS SAN.
     */
    static boolean matches(X509Certificate cert, String host) {
        Optional<InetAddress> address = literal(host);
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS) {
                        dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == SAN_IP) {
                        literal((String) san.get(1)).ifPresent(ips::add);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        if (address.isPresent()) {
            return ips.contains(address.get());
        }
        String name = host.toLowerCase(Locale.ROOT);
        List<String> names = dns.isEmpty() ? commonNames(cert) : dns;
        return names.stream().anyMatch(pattern -> matchesName(pattern, name));
    }

    /** The names a certificate is for, for a finding's text. */
    static List<String> names(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // the text then names the subject only
        }
        return out.isEmpty() ? commonNames(cert) : out;
    }

    static boolean matchesName(String pattern, String name) {
        String p = pattern.endsWith(".") ? pattern.substring(0, pattern.length() - 1) : pattern;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!p.startsWith("*.")) {
            return p.equals(n);
        }
        String suffix = p.substring(1);
        if (suffix.indexOf('.', 1) < 0 || suffix.contains("*")) {
            return false;
        }
        int dot = n.indexOf('.');
        return dot > 0 && n.substring(dot).equals(suffix);
    }

    private static List<String> commonNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    out.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
                }
            }
        } catch (InvalidNameException e) {
            // no CN to offer
        }
        return out;
    }
}
