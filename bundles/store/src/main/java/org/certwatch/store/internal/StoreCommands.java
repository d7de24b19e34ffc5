package org.certwatch.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.commons.certs.ContainerKind;
import org.certwatch.commons.console.ConsolePasswords;
import org.certwatch.commons.console.ConsolePasswords.Arguments;
import org.certwatch.store.internal.core.PkiStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code certwatch}; there while {@link StoreComponent} has the store open.
 * Gogo maps a function name to a method of that name, and a Java method cannot be called
 * {@code ca-create}; those two are components of their own ({@link CaCreateCommand},
 * {@link CaListCommand}) that call this one. Every command answers with text and turns refusals into
 * their message.
 */
@Component(service = StoreCommands.class, property = {"osgi.command.scope=certwatch",
        "osgi.command.function=issue", "osgi.command.function=list", "osgi.command.function=renew",
        "osgi.command.function=revoke", "osgi.command.function=export", "osgi.command.function=import",
        "osgi.command.function=rekey"})
public final class StoreCommands {
    private static final String ACTOR = "console";
    private final PkiStore store;
    private final String passwordOrigin;
    private final Clock clock;

    @Activate
    public StoreCommands(@Reference StoreHandle handle) {
        this(handle.store(), handle.passwordOrigin(), handle.clock());
    }

    StoreCommands(PkiStore store, String passwordOrigin, Clock clock) {
        this.store = store;
        this.passwordOrigin = passwordOrigin;
        this.clock = clock;
    }

    /** DAYS from now on the registry's clock (a moved test clock moves this too); 0 = default. */
    private Instant daysFromNow(int days) {
        return days > 0 ? clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(days)) : null;
    }

    /** ca-create SUBJECT [DAYS] [KEYTYPE] */
    String caCreate(List<String> args) {
        if (args.isEmpty()) {
            return "usage: certwatch:ca-create SUBJECT [DAYS] [KEYTYPE]   e.g. ca-create \"CN=Example CA\" 3650 ec-p256";
        }
        return run(() -> {
            Duration validity = args.size() > 1 ? Duration.ofDays(Integer.parseInt(args.get(1))) : null;
            KeyType type = args.size() > 2 ? KeyType.parse(args.get(2)) : null;
            CaInfo ca = store.createCa(new CaRequest(args.get(0), type, validity, null, null), ACTOR);
            return "created " + describe(ca);
        });
    }

    String caList() {
        StringBuilder out = new StringBuilder();
        for (CaInfo ca : store.cas()) {
            out.append(describe(ca)).append('\n');
        }
        return out.length() == 0 ? "no CAs" : out.toString().stripTrailing();
    }

    private static String describe(CaInfo ca) {
        return "CA " + ca.id() + " " + ca.status() + " '" + ca.subject() + "' " + ca.keyAlgorithm() + "-"
                + ca.keySize() + " valid " + ca.notBefore() + " .. " + ca.notAfter() + " sha256 " + ca.fingerprint();
    }

    private static String describe(CertificateInfo c) {
        return "certificate " + c.id() + " " + c.role() + " host " + c.host() + " CA " + c.caId() + " '"
                + c.subject() + "' until " + c.notAfter() + (c.revoked() ? " REVOKED (" + c.revocationReason() + ")" : "")
                + (c.successorId() != 0 ? " renewed by " + c.successorId() : "") + " sha256 " + c.fingerprint();
    }

    @Descriptor("issue a peer certificate: issue CA_ID ROLE HOST [DAYS] [KEYTYPE]")
    public String issue(String ca, String role, String host) {
        return issue(ca, role, host, 0, null);
    }

    public String issue(String ca, String role, String host, int days) {
        return issue(ca, role, host, days, null);
    }

    public String issue(String ca, String role, String host, int days, String keyType) {
        return run(() -> {
            Role r = Role.valueOf(role.toUpperCase(Locale.ROOT));
            Instant notAfter = daysFromNow(days);
            IssueRequest request = IssueRequest.of(Long.parseLong(ca), r, host).withNotAfter(notAfter)
                    .withKeyType(keyType == null ? null : KeyType.parse(keyType));
            return "issued " + describe(store.issue(request, ACTOR));
        });
    }

    @Descriptor("list certificates: list [CA_ID]")
    public String list() {
        return list(CertificateQuery.all());
    }

    public String list(String ca) {
        return run(() -> list(CertificateQuery.all().withCa(Long.parseLong(ca))));
    }

    private String list(CertificateQuery query) {
        StringBuilder out = new StringBuilder();
        List<CertificateInfo> all = store.certificates(query);
        for (CertificateInfo c : all) {
            out.append(describe(c)).append('\n');
        }
        return out.append(all.size()).append(" certificate(s)").toString();
    }

    @Descriptor("renew a certificate (new key): renew ID [DAYS]")
    public String renew(String id) {
        return renew(id, 0);
    }

    public String renew(String id, int days) {
        return run(() -> "renewed as " + describe(store.renew(Long.parseLong(id),
                new RenewRequest(null, daysFromNow(days), true), ACTOR)));
    }

    @Descriptor("revoke a certificate: revoke ID [REASON (code or name, e.g. keyCompromise)]")
    public String revoke(String id) {
        return revoke(id, "unspecified");
    }

    public String revoke(String id, String reason) {
        return run(() -> "revoked " + describe(store.revoke(Long.parseLong(id), RevocationReason.parse(reason),
                ACTOR)));
    }

    @Descriptor("export: export ID|ca:ID pem|der|chain|p12|crl|crl-pem FILE [--password-file F]"
            + " (p12: asks for the file's password twice, or reads it from F)")
    public String export(CommandSession session, String... args) {
        return run(() -> {
            Arguments a = Arguments.of(args).atMost(3, "the password");
            String id = a.get(0, "ID|ca:ID");
            String format = a.get(1, "pem|der|chain|p12|crl|crl-pem");
            String file = a.get(2, "FILE");
            boolean p12 = format.equalsIgnoreCase("p12") || format.equalsIgnoreCase("pkcs12");
            char[] pw = p12 ? ConsolePasswords.chosen(session, a.passwordFile(), "the password for " + file) : null;
            boolean ca = id.startsWith("ca:");
            long n = Long.parseLong(ca ? id.substring(3) : id);
            byte[] bytes;
            switch (format.toLowerCase(Locale.ROOT)) {
                case "crl" -> bytes = store.crl(n, false);
                case "crl-pem" -> bytes = store.crl(n, true);
                default -> {
                    ExportFormat f = switch (format.toLowerCase(Locale.ROOT)) {
                        case "pem" -> ExportFormat.PEM;
                        case "der" -> ExportFormat.DER;
                        case "chain" -> ExportFormat.PEM_CHAIN;
                        case "p12", "pkcs12" -> ExportFormat.PKCS12;
                        default -> throw new CertificateStoreException("unknown format '" + format
                                + "'; use pem, der, chain, p12, crl or crl-pem");
                    };
                    bytes = ca ? store.exportCa(n, f, pw, ACTOR) : store.export(n, f, pw, ACTOR);
                }
            }
            Files.write(Path.of(file), bytes);
            return "wrote " + bytes.length + " bytes to " + file;
        });
    }

    @Descriptor("import: import FILE [--password-file F] (certificates to monitor) | import ca CERTFILE [KEYFILE]"
            + " [--password-file F]; asks for the password of a PKCS#12 file or an encrypted key, or reads it from F")
    public String _import(CommandSession session, String... args) {
        try {
            Arguments a = Arguments.of(args);
            if (a.positional().isEmpty()) {
                return "usage: import FILE [--password-file F]  |  import ca CERTFILE [KEYFILE] [--password-file F]";
            }
            return importFiles(session, a);
        } catch (java.nio.file.InvalidPathException e) {
            return "refused: '" + e.getInput() + "' is not a file path (" + e.getReason() + ")";
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    private String importFiles(CommandSession session, Arguments a) {
        List<String> args = a.positional();
        if (args.get(0).equals("ca") && args.size() >= 2) {
            Path certificateFile = Path.of(args.get(1));
            Path keyFile = args.size() >= 3 ? Path.of(args.get(2)) : null;
            if (keyFile != null && (args.size() > 3 || !Files.exists(keyFile))) {
                // the old form took a password here
                throw new IllegalArgumentException((args.size() > 3 ? "" : keyFile + ": no such key file; ")
                        + ConsolePasswords.notAnArgument("a password"));
            }
            return importing(Map.of("the CA certificate", certificateFile, "the CA key",
                    keyFile == null ? certificateFile : keyFile), certificateFile, () -> {
                        byte[] certificate = read(certificateFile);
                        byte[] key = keyFile == null ? null : read(keyFile);
                        char[] password = password(session, a.passwordFile(), keyFile == null ? certificateFile : keyFile,
                                needsPassword(key == null ? certificate : key, true));
                        return "imported " + describe(store.importCa(certificate, key, password, null, null, ACTOR));
                    });
        }
        a.atMost(1, "the password");
        Path file = Path.of(args.get(0));
        return importing(Map.of("the import", file), file, () -> {
            byte[] bytes = read(file);
            char[] password = password(session, a.passwordFile(), file, needsPassword(bytes, false));
            ImportResult result = store.importCertificates(bytes, password, ImportOptions.defaults(), ACTOR);
            StringBuilder out = new StringBuilder();
            result.imported().forEach(c -> out.append("imported ").append(describe(c)).append('\n'));
            result.alreadyPresent().forEach(p -> out.append("already present as ").append(p.where()).append(": '")
                    .append(p.subject()).append("' sha256 ").append(p.fingerprint()).append('\n'));
            return out.toString().stripTrailing();
        });
    }

    /** The password of what is imported: from the file when one is named, else asked for when it needs one. */
    private static char[] password(CommandSession session, Path passwordFile, Path of, boolean needed) {
        if (passwordFile != null || needed) {
            return ConsolePasswords.existing(session, passwordFile, "the password of " + of);
        }
        return null;
    }

    /**
     * Whether these bytes cannot be read without a password: a PKCS#12 file, an encrypted PEM key, a Java
     * keystore's keys (its certificates alone read without one).
     */
    static boolean needsPassword(byte[] bytes, boolean keys) {
        return switch (ContainerKind.of(bytes)) {
            case PKCS12 -> true;
            case JKS, JCEKS -> keys;
            case PEM -> new String(bytes, StandardCharsets.ISO_8859_1).contains("ENCRYPTED");
            default -> false;
        };
    }

    /** A file the console names, or a refusal that says what is wrong with it. */
    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CertificateStoreException(file + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CertificateStoreException(file + ": not readable by the server (permission denied)");
        } catch (IOException e) {
            throw new CertificateStoreException(file + (Files.isDirectory(file) ? ": a folder, not a file"
                    : ": cannot be read (" + e.getMessage() + ")"));
        }
    }

    /**
     * Runs an import and names the file in a refusal: the store calls its inputs "the import", "the CA key"…;
     * the console knows them as paths. A refusal that names no input gets the (main) file in front.
     */
    private static String importing(Map<String, Path> labels, Path main, Command command) {
        try {
            return command.run();
        } catch (CertificateStoreException e) {
            String message = e.getMessage();
            for (Map.Entry<String, Path> label : labels.entrySet()) {
                if (message.startsWith(label.getKey() + ":") || message.startsWith(label.getKey() + " ")) {
                    return "refused: " + label.getValue() + message.substring(label.getKey().length());
                }
            }
            boolean named = labels.values().stream().anyMatch(p -> message.startsWith(p.toString()));
            return "refused: " + (named ? message : main + ": " + message);
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    @Descriptor("re-encrypt every private key under a new password: rekey [--password-file F]"
            + " (asks for the new key password twice, or reads it from F)")
    public String rekey(CommandSession session, String... args) {
        return run(() -> {
            Arguments a = Arguments.of(args).atMost(0, "the new key password");
            store.rekey(ConsolePasswords.chosen(session, a.passwordFile(), "the new key password"), ACTOR);
            return "every key is now encrypted under the new password. The old one came from " + passwordOrigin
                    + ": put the new password there before the next start, or the store will refuse to open";
        });
    }

    @FunctionalInterface
    private interface Command {
        String run() throws IOException;
    }

    private static String run(Command command) {
        try {
            return command.run();
        } catch (CertificateStoreException | IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        } catch (java.nio.file.NoSuchFileException e) {
            return "failed: " + e.getFile() + ": no such file or folder";
        } catch (java.nio.file.AccessDeniedException e) {
            return "failed: " + e.getFile() + ": permission denied";
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }
}
