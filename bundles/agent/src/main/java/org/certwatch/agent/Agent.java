package org.certwatch.agent;

import org.certwatch.commons.files.DurableFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;

/**
 * One agent: its folder ({@code state.json}, its key material as PKCS#12 and the CAs it trusts as PEM,
 * all 0600), its enrolment and its replications. A policy from the server is applied atomically: the
 * new files are written and checked first, then {@code state.json} is switched to them in one rename;
 * a policy that cannot be applied leaves everything as it was and is reported with the reason.
 */
public final class Agent {
    public static final String VERSION = "0.1.0";
    static final int TIMEOUT_MILLIS = 30_000;

    /** What one replication came to; {@code interval} is when to come back (seconds). */
    public record Outcome(boolean ok, int status, String message, long interval, long computerId, long appliedPolicy) {
    }

    /** How long a TLS session is resumed. */
    public static final int SESSION_SECONDS = 3600;

    private final Path dir;
    private final String server;
    private final int port;
    private final String hostName;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ServerTrust.Memory serverVerified = new ServerTrust.Memory();
    private volatile boolean resume = true;
    private volatile TlsVersion tls = TlsVersion.DEFAULT;

    // current state, replaced as a whole
    private volatile ObjectNode state;
    private volatile ClientIdentity identity;
    private volatile List<X509Certificate> trusted = List.of();
    /** The SHA-256 of the certificate and of the trusted CAs, sent with every replication: computed once. */
    private volatile String fingerprint;
    private volatile List<String> trustedFingerprints = List.of();
    private volatile HttpsExchange.Client client;

    public Agent(Path dir, String server, int port, String hostName, Clock clock) throws IOException {
        this.dir = DurableFiles.createOwnerOnlyDirectories(dir);
        this.server = server;
        this.port = port;
        this.hostName = hostName;
        this.clock = clock;
        Path stateFile = dir.resolve("state.json");
        if (Files.exists(stateFile)) {
            state = (ObjectNode) json.readTree(stateFile.toFile());
            try {
                load(state.path("identity").asText(), state.path("trust").asText());
            } catch (GeneralSecurityException e) {
                throw new IOException(stateFile + ": the key material it names cannot be read: " + e.getMessage(), e);
            }
        } else {
            state = json.createObjectNode();
        }
    }

    /** Whether session resumption is used (otherwise every replication makes a full handshake). */
    public Agent resume(boolean value) {
        this.resume = value;
        return this;
    }

    /** The TLS version spoken with the server. */
    public Agent tls(TlsVersion version) {
        this.tls = version;
        return this;
    }

    public boolean enrolled() {
        return identity != null;
    }

    public long computerId() {
        return state.path("computerId").asLong(0);
    }

    public X509Certificate certificate() {
        ClientIdentity i = identity;
        return i == null ? null : i.certificate();
    }

    public long appliedPolicy() {
        return state.path("policy").path("state").asText("").equals("APPLIED") ? state.path("policy").path("id").asLong() : 0;
    }

    public Path folder() {
        return dir;
    }

    // ------------------------------------------------------------------ enrolment

    /** First enrolment with a one-time token: the server issues this agent's first certificate. */
    public void enrol(String token) throws IOException {
        String[] parts = token.trim().split("\\.");
        // the last part is the CA's SHA-256 in hex: a token pasted with a quote or a character more would
        // otherwise be refused much later as "the server's chain does not contain the CA", a wrong lead
        if (parts.length != 4 || !parts[0].equals("cwt1") || !parts[3].matches("[0-9a-fA-F]{64}")) {
            throw new IOException("malformed enrolment token (expected cwt1.<id>.<secret>.<CA fingerprint>)");
        }
        SSLContext pinned;
        try {
            pinned = SSLContext.getInstance("TLS");
            pinned.init(null, new TrustManager[] {ServerTrust.pinned(parts[3].toLowerCase(Locale.ROOT))}, random);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
        ObjectNode body = json.createObjectNode();
        body.put("token", token.trim());
        body.put("hostName", hostName);
        body.put("agentVersion", VERSION);
        body.put("time", clock.instant().toString());
        HttpsExchange.Response response = exchange(new HttpsExchange.Client(pinned), "/agent/v1/enrol", body, false);
        JsonNode answer = answer(response);
        if (response.status() != 200) {
            throw new IOException("enrolment refused (" + response.status() + "): " + answer.path("error").asText());
        }
        try {
            install(0, received(answer), answer.path("trustedCas"), "enrolled");
        } catch (GeneralSecurityException e) {
            throw new IOException("the server's enrolment answer is unusable: " + e.getMessage(), e);
        }
    }

    /** The alternative first enrolment: a PKCS#12 an admin exported (key, certificate, its CA). */
    public void importPkcs12(Path file, char[] password) throws IOException {
        byte[] p12 = Files.readAllBytes(file);
        KeyStore ks;
        try {
            ks = keyStore(p12, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException(file + " is not a usable PKCS#12 (wrong password or damaged: " + e.getMessage() + ")", e);
        }
        try {
            List<X509Certificate> chain = chain(ks);
            ObjectNode trust = json.createObjectNode();
            var cas = trust.putArray("cas");
            if (chain.size() > 1) {
                cas.add(Pem.encode(chain.subList(1, chain.size())));
            }
            install(0, new ClientIdentity((PrivateKey) ks.getKey(keyAlias(ks), password), chain), cas, "imported");
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a usable PKCS#12 (" + e.getMessage() + ")", e);
        }
    }

    // ------------------------------------------------------------------ replication

    /** One replication; never throws: the outcome says what happened and when to come back. */
    public Outcome replicate() {
        if (!enrolled()) {
            return new Outcome(false, 0, "not enrolled", 60, 0, 0);
        }
        ObjectNode body = json.createObjectNode();
        body.put("hostName", hostName);
        body.put("agentVersion", VERSION);
        body.put("time", clock.instant().toString());
        body.put("certificateFingerprint", fingerprint);
        var cas = body.putArray("trustedCas");
        trustedFingerprints.forEach(cas::add);
        if (computerId() != 0) {
            body.put("computerId", computerId());
        }
        if (state.has("policy")) {
            body.set("policy", state.get("policy"));
        }
        long fallback = Math.max(1, state.path("interval").asLong(60));
        HttpsExchange.Response response;
        try {
            response = exchange(client, "/agent/v1/replicate", body, resume);
        } catch (SSLHandshakeException e) {
            return new Outcome(false, 0, "TLS handshake failed: " + HttpsExchange.deepestMessage(e), Math.min(fallback, 10), computerId(), 0);
        } catch (SSLException e) {
            return new Outcome(false, 0, "TLS failed: " + HttpsExchange.deepestMessage(e), Math.min(fallback, 10), computerId(), 0);
        } catch (IOException e) {
            return new Outcome(false, 0, "server unreachable: " + e.getMessage(), Math.min(fallback, 10), computerId(), 0);
        }
        JsonNode answer;
        try {
            answer = answer(response);
        } catch (IOException e) {
            return new Outcome(false, response.status(), e.getMessage(), Math.min(fallback, 10), computerId(), 0);
        }
        if (response.status() != 200) {
            return new Outcome(false, response.status(), "refused: " + answer.path("error").asText(),
                    Math.min(fallback, 10), computerId(), 0);
        }
        long interval = Math.max(1, answer.path("interval").asLong(60));
        ObjectNode next = state.deepCopy();
        next.put("computerId", answer.path("computerId").asLong());
        next.put("interval", interval);
        boolean changed = !next.equals(state);
        state = next;
        long applied = 0;
        String message = "replicated as computer " + answer.path("computerId").asLong() + " (" + answer.path("name").asText()
                + " in " + answer.path("group").asText() + ")";
        JsonNode policy = answer.get("policy");
        if (policy != null && policy.isObject()) {
            long id = policy.path("id").asLong();
            try {
                install(id, received(policy), policy.path("trustedCas"), "APPLIED");
                applied = id;
                message += "; applied policy " + id;
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                ObjectNode failed = state.deepCopy();
                failed.putObject("policy").put("id", id).put("state", "FAILED").put("reason", String.valueOf(e.getMessage()));
                state = failed;
                message += "; policy " + id + " FAILED: " + e.getMessage();
            }
        }
        // an applied policy's switch of state.json wrote this state already (computerId, interval included)
        if ((changed || policy != null) && applied == 0) {
            try {
                saveState();
            } catch (IOException e) {
                message += "; state not saved: " + e.getMessage();
            }
        }
        return new Outcome(true, 200, message, interval, computerId(), applied);
    }

    // ------------------------------------------------------------------ key material

    /**
     * Writes the new key material beside the old, checks it loads, then switches {@code state.json} to
     * it in one atomic rename; only then does the agent use it and drop the old files.
     */
    private void install(long policyId, ClientIdentity received, JsonNode trustedCas, String how)
            throws GeneralSecurityException, IOException {
        PrivateKey key = received.key();
        List<X509Certificate> chain = received.chain();
        StringBuilder pem = new StringBuilder();
        for (JsonNode ca : trustedCas) {
            pem.append(ca.asText());
        }
        List<X509Certificate> cas = pem.length() == 0 ? trusted : Pem.certificates(pem.toString());
        if (cas.isEmpty()) {
            throw new GeneralSecurityException("no CA to trust was given");
        }
        // the key as unencrypted PKCS#8 PEM in a 0600 file (like a TLS server's key file), then its chain
        String identityText = Pem.encodeKey(key) + Pem.encode(chain);
        String suffix = policyId + "-" + Long.toHexString(random.nextLong());
        String identityFile = "identity-" + suffix + ".pem";
        String trustFile = "trust-" + suffix + ".pem";
        String oldIdentity = state.path("identity").asText("");
        String oldTrust = state.path("trust").asText("");
        Loaded loaded;
        ObjectNode next = state.deepCopy();
        try {
            // new names: state.json's rename below (and its directory sync) is what makes them count
            DurableFiles.writeNew(dir.resolve(identityFile), identityText.getBytes(StandardCharsets.US_ASCII), true);
            DurableFiles.writeNew(dir.resolve(trustFile), Pem.encode(cas).getBytes(StandardCharsets.US_ASCII), true);
            // the context from what was just parsed and written: reading the files back would parse the same bytes
            // a second time (half of the simulated agent's CPU per delivery); a start reads them (load)
            ClientIdentity id = new ClientIdentity(key, chain);
            loaded = new Loaded(id, List.copyOf(cas), new HttpsExchange.Client(context(id, cas)));
            next.put("identity", identityFile).put("trust", trustFile);
            if (policyId != 0) {
                next.putObject("policy").put("id", policyId).put("state", how);
            }
            // the switch: one atomic rename of state.json; until it happened nothing changed
            writeState(next);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            Files.deleteIfExists(dir.resolve(identityFile));
            Files.deleteIfExists(dir.resolve(trustFile));
            throw e;
        }
        state = next;
        use(loaded);
        for (String old : new String[] {oldIdentity, oldTrust}) {
            if (!old.isEmpty()) {
                Files.deleteIfExists(dir.resolve(old));
            }
        }
    }

    private record Loaded(ClientIdentity identity, List<X509Certificate> trusted, HttpsExchange.Client client) {
    }

    private void load(String identityFile, String trustFile) throws GeneralSecurityException, IOException {
        use(read(identityFile, trustFile));
    }

    private void use(Loaded loaded) {
        this.fingerprint = Pem.fingerprint(loaded.identity().certificate());
        this.trustedFingerprints = loaded.trusted().stream().map(Pem::fingerprint).toList();
        this.identity = loaded.identity();
        this.trusted = loaded.trusted();
        this.client = loaded.client();
    }

    private Loaded read(String identityFile, String trustFile) throws GeneralSecurityException, IOException {
        String identityText = Files.readString(dir.resolve(identityFile), StandardCharsets.US_ASCII);
        List<X509Certificate> chain = Pem.certificates(identityText.substring(identityText.indexOf("-----BEGIN CERTIFICATE")));
        PrivateKey key = Pem.decodeKey(identityText, chain.get(0).getPublicKey().getAlgorithm());
        List<X509Certificate> cas = Pem.certificates(Files.readString(dir.resolve(trustFile), StandardCharsets.US_ASCII));
        ClientIdentity id = new ClientIdentity(key, chain);
        return new Loaded(id, List.copyOf(cas), new HttpsExchange.Client(context(id, cas)));
    }

    private SSLContext context(ClientIdentity id, List<X509Certificate> cas) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {id}, new TrustManager[] {ServerTrust.of(cas, serverVerified)}, random);
        // a resumed session is as old as its full handshake: at most an hour (the server's bound too)
        ctx.getClientSessionContext().setSessionTimeout(SESSION_SECONDS);
        return ctx;
    }

    /**
     * The key (PKCS#8, base64) and chain (PEM) the server sent. Taken as they are: the answer arrived
     * over mutual TLS, and a password-protected in-memory key store would only add a key derivation
     * (PBKDF2, 10,000 rounds to store and again to read) per delivery without protecting anything.
     */
    private static ClientIdentity received(JsonNode node) throws GeneralSecurityException {
        String key = node.path("key").asText("");
        String chainPem = node.path("chain").asText("");
        if (key.isEmpty() || chainPem.isEmpty()) {
            throw new GeneralSecurityException("the server sent no key or no certificate chain");
        }
        List<X509Certificate> chain = Pem.certificates(chainPem);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("the certificate chain is empty");
        }
        String algorithm = chain.get(0).getPublicKey().getAlgorithm();
        PrivateKey privateKey;
        try {
            privateKey = java.security.KeyFactory.getInstance(algorithm)
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("the key is not base64: " + e.getMessage(), e);
        }
        return new ClientIdentity(privateKey, chain);
    }

    private static KeyStore keyStore(byte[] p12, char[] password) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(p12), password);
        return ks;
    }

    private static String keyAlias(KeyStore ks) throws GeneralSecurityException {
        Enumeration<String> aliases = ks.aliases();
        while (aliases.hasMoreElements()) {
            String a = aliases.nextElement();
            if (ks.isKeyEntry(a)) {
                return a;
            }
        }
        throw new GeneralSecurityException("the PKCS#12 holds no private key");
    }

    private static List<X509Certificate> chain(KeyStore ks) throws GeneralSecurityException {
        Certificate[] chain = ks.getCertificateChain(keyAlias(ks));
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : chain) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private void saveState() throws IOException {
        writeState(state);
    }

    private void writeState(ObjectNode value) throws IOException {
        DurableFiles.write(dir.resolve("state.json"), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), true);
    }

    private HttpsExchange.Response exchange(HttpsExchange.Client c, String path, ObjectNode body, boolean keepSession)
            throws IOException {
        return HttpsExchange.post(c, server, port, path, json.writeValueAsBytes(body), TIMEOUT_MILLIS, keepSession, tls);
    }

    private JsonNode answer(HttpsExchange.Response response) throws IOException {
        try {
            JsonNode node = json.readTree(response.body());
            if (node == null || !node.isObject()) {
                throw new IOException("the server answered " + response.status() + " without a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("the server answered " + response.status() + " with malformed JSON");
        }
    }
}
