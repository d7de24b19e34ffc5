package org.certwatch.store.internal.persist;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.store.SubjectAltName;

/**
 * Binary form of a journal transaction: {@code byte version, short count}, then each entry as a
 * type byte and its fields. Version 2 added the typed subjectAltNames to CertAdded; version 1 records
 * still decode (with null there). Decoding also reports where certificate and key bytes sit in the file,
 * so the in-memory index keeps positions instead of the bytes themselves.
 */
public final class EntryCodec {
    private static final byte VERSION = 2;
    private static final byte VERSION_WITHOUT_SANS = 1;
    private static final byte HEADER = 1;
    private static final byte CA_ADDED = 2;
    private static final byte CERT_ADDED = 3;
    private static final byte REVOKED = 4;
    private static final byte CA_DELETED = 5;
    private static final byte CRL_ISSUED = 6;
    private static final byte SERVER_CERTIFICATE = 7;
    private static final byte LINKED = 8;
    private static final byte RETIRED = 9;
    private static final byte CERT_DELETED = 10;
    private static final byte SEALING_KEY = 11;
    private static final byte GROUP_RENAMED = 12;

    /**
     * A decoded entry; for CertAdded, file positions and lengths of the certificate and key bytes
     * (else -1 and 0). When decoded for replay, the CertAdded carries empty arrays instead of them.
     */
    public record Decoded(Entry entry, long certificatePosition, int certificateLength, long keyPosition,
            int keyLength) {
        public Decoded(Entry entry) {
            this(entry, -1, 0, -1, 0);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    /**
     * Repeated values (issuer, group, key algorithm, description) decoded once and shared, so that a
     * store of 100,000 certificates does not hold 100,000 copies of its CA's name. Used on replay
     * only, which is single-threaded; live decoding runs on several workers and does not share.
     */
    private final java.util.Map<String, String> shared = new java.util.HashMap<>();

    private String sharedString(ByteBuffer in) {
        String s = string(in);
        if (shared.size() > 10_000) {
            shared.clear();
        }
        return shared.computeIfAbsent(s, k -> k);
    }

    public byte[] encode(List<? extends Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * entries.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeShort(entries.size());
            for (Entry e : entries) {
                write(out, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Entry entry) throws IOException {
        if (entry instanceof Entry.Header h) {
            out.writeByte(HEADER);
            bytes(out, h.salt());
            out.writeInt(h.iterations());
            bytes(out, h.passwordCheck());
        } else if (entry instanceof Entry.CaAdded c) {
            out.writeByte(CA_ADDED);
            out.writeLong(c.id());
            out.writeBoolean(c.imported());
            string(out, c.group());
            string(out, c.description());
            instant(out, c.createdAt());
            bytes(out, c.certificate());
        } else if (entry instanceof Entry.CertAdded c) {
            out.writeByte(CERT_ADDED);
            out.writeLong(c.id());
            out.writeByte(c.role().ordinal());
            string(out, c.host());
            out.writeShort(c.alternativeNames().size());
            for (String name : c.alternativeNames()) {
                string(out, name);
            }
            out.writeShort(c.subjectAltNames().size());
            for (SubjectAltName name : c.subjectAltNames()) {
                out.writeByte(name.type().ordinal());
                string(out, name.value());
            }
            out.writeLong(c.caId());
            string(out, c.group());
            string(out, c.description());
            instant(out, c.createdAt());
            out.writeLong(c.predecessorId());
            string(out, c.subject());
            string(out, c.issuer());
            bytes(out, c.serial().toByteArray());
            instant(out, c.notBefore());
            instant(out, c.notAfter());
            string(out, c.fingerprint());
            string(out, c.keyAlgorithm());
            out.writeInt(c.keySize());
            // certificate and key last: their offsets are then easy to compute on decode
            bytes(out, c.certificate());
            bytes(out, c.encryptedKey());
        } else if (entry instanceof Entry.Revoked r) {
            out.writeByte(REVOKED);
            out.writeLong(r.certificateId());
            instant(out, r.at());
            out.writeByte(r.reasonCode());
        } else if (entry instanceof Entry.CaDeleted d) {
            out.writeByte(CA_DELETED);
            out.writeLong(d.caId());
            instant(out, d.at());
            string(out, d.reason());
        } else if (entry instanceof Entry.CrlIssued c) {
            out.writeByte(CRL_ISSUED);
            out.writeLong(c.caId());
            out.writeLong(c.number());
            instant(out, c.thisUpdate());
            instant(out, c.nextUpdate());
        } else if (entry instanceof Entry.ServerCertificate s) {
            out.writeByte(SERVER_CERTIFICATE);
            out.writeLong(s.certificateId());
        } else if (entry instanceof Entry.Linked l) {
            out.writeByte(LINKED);
            out.writeLong(l.certificateId());
            out.writeLong(l.predecessorId());
            out.writeLong(l.successorId());
        } else if (entry instanceof Entry.Retired r) {
            out.writeByte(RETIRED);
            out.writeLong(r.certificateId());
            instant(out, r.at());
        } else if (entry instanceof Entry.CertDeleted d) {
            out.writeByte(CERT_DELETED);
            out.writeLong(d.certificateId());
            instant(out, d.at());
        } else if (entry instanceof Entry.SealingKey k) {
            out.writeByte(SEALING_KEY);
            bytes(out, k.wrappedKey());
        } else if (entry instanceof Entry.GroupRenamed r) {
            out.writeByte(GROUP_RENAMED);
            out.writeLong(r.number());
            string(out, r.from());
            string(out, r.to());
        } else {
            throw new IllegalArgumentException("unknown entry " + entry);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        bytes(out, s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void instant(DataOutputStream out, Instant i) throws IOException {
        out.writeLong(i == null ? Long.MIN_VALUE : i.toEpochMilli());
    }

    /**
     * Decodes a durable transaction. Throws {@link IOException} for a checksum-valid record that still
     * does not decode: that is not a torn write but a bug or foreign file, and must not be skipped.
     */
    public List<Decoded> decode(long payloadPosition, byte[] payload) throws IOException {
        return decode(payloadPosition, payload, false);
    }

    /**
     * @param skipBytes true on replay: certificate and key bytes stay in the file (the index keeps
     *     their positions), which saves copying 100 MB when opening a large store
     */
    public List<Decoded> decode(long payloadPosition, byte[] payload, boolean skipBytes) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            byte version = in.get();
            if (version != VERSION && version != VERSION_WITHOUT_SANS) {
                throw new IOException("unknown journal record version " + version + " at " + payloadPosition);
            }
            int count = in.getShort() & 0xffff;
            List<Decoded> result = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                result.add(read(in, payloadPosition, skipBytes, version >= VERSION));
            }
            return result;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new IOException("undecodable journal record at " + payloadPosition + ": " + e, e);
        }
    }

    private Decoded read(ByteBuffer in, long base, boolean skipBytes, boolean withSans) throws IOException {
        byte type = in.get();
        switch (type) {
            case HEADER:
                return new Decoded(new Entry.Header(bytes(in), in.getInt(), bytes(in)));
            case CA_ADDED:
                return new Decoded(new Entry.CaAdded(in.getLong(), in.get() != 0, string(in), string(in), instant(in),
                        bytes(in)));
            case CERT_ADDED: {
                long id = in.getLong();
                Role role = Role.values()[in.get()];
                String host = string(in);
                int names = in.getShort() & 0xffff;
                List<String> alternativeNames = new ArrayList<>(names);
                for (int i = 0; i < names; i++) {
                    alternativeNames.add(string(in));
                }
                List<SubjectAltName> subjectAltNames = withSans ? subjectAltNames(in, host, alternativeNames) : null;
                long caId = in.getLong();
                String group = skipBytes ? sharedString(in) : string(in);
                String description = skipBytes ? sharedString(in) : string(in);
                Instant createdAt = instant(in);
                long predecessor = in.getLong();
                String subject = string(in);
                String issuer = skipBytes ? sharedString(in) : string(in);
                BigInteger serial = new BigInteger(bytes(in));
                Instant notBefore = instant(in);
                Instant notAfter = instant(in);
                String fingerprint = string(in);
                String keyAlgorithm = skipBytes ? sharedString(in) : string(in);
                int keySize = in.getInt();
                long certificatePosition = base + in.position() + 4;
                int certificateLength = in.getInt(in.position());
                byte[] certificate = skipBytes ? skip(in) : bytes(in);
                long keyPosition = base + in.position() + 4;
                int keyLength = in.getInt(in.position());
                byte[] key = skipBytes ? skip(in) : bytes(in);
                return new Decoded(new Entry.CertAdded(id, role, host, alternativeNames, subjectAltNames, caId, group, description,
                        createdAt, predecessor, subject, issuer, serial, notBefore, notAfter, fingerprint,
                        keyAlgorithm, keySize, certificate, key), certificatePosition, certificateLength, keyPosition,
                        keyLength);
            }
            case REVOKED:
                return new Decoded(new Entry.Revoked(in.getLong(), instant(in), in.get()));
            case CA_DELETED:
                return new Decoded(new Entry.CaDeleted(in.getLong(), instant(in), string(in)));
            case CRL_ISSUED:
                return new Decoded(new Entry.CrlIssued(in.getLong(), in.getLong(), instant(in), instant(in)));
            case SERVER_CERTIFICATE:
                return new Decoded(new Entry.ServerCertificate(in.getLong()));
            case LINKED:
                return new Decoded(new Entry.Linked(in.getLong(), in.getLong(), in.getLong()));
            case RETIRED:
                return new Decoded(new Entry.Retired(in.getLong(), instant(in)));
            case CERT_DELETED:
                return new Decoded(new Entry.CertDeleted(in.getLong(), instant(in)));
            case SEALING_KEY:
                return new Decoded(new Entry.SealingKey(bytes(in)));
            case GROUP_RENAMED:
                return new Decoded(new Entry.GroupRenamed(in.getLong(), string(in), string(in)));
            default:
                throw new IOException("unknown journal entry type " + type);
        }
    }

    /** The names repeat host and alternativeNames: those strings are shared, not held twice. */
    private static List<SubjectAltName> subjectAltNames(ByteBuffer in, String host, List<String> alternativeNames) {
        int count = in.getShort() & 0xffff;
        SubjectAltName.Type[] types = SubjectAltName.Type.values();
        List<SubjectAltName> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int type = in.get();
            if (type < 0 || type >= types.length) {
                throw new IllegalArgumentException("subjectAltName type " + type);
            }
            String value = string(in);
            if (value.equals(host)) {
                value = host;
            } else {
                int at = alternativeNames.indexOf(value);
                value = at >= 0 ? alternativeNames.get(at) : value;
            }
            names.add(new SubjectAltName(types[type], value));
        }
        return List.copyOf(names);
    }

    private static byte[] skip(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("field length " + length);
        }
        in.position(in.position() + length);
        return EMPTY;
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("field length " + length);
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static Instant instant(ByteBuffer in) {
        long millis = in.getLong();
        return millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
    }
}
