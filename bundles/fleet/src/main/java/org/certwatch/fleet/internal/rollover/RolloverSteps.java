package org.certwatch.fleet.internal.rollover;

import static org.certwatch.fleet.internal.rollover.Rollovers.refused;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.policy.Policies;
import org.certwatch.fleet.internal.storage.RolloverRecord;

/**
 * The work of the six steps, each refusing with its reason when its gate does not hold. What a step
 * creates carries the rollover's tag, so a step run again after a crash finds its own work. The caller
 * ({@link Rollovers}) holds the rollover lock and records the outcome.
 */
final class RolloverSteps {
    private final CertificateStore store;
    private final Computers computers;
    private final Policies policies;
    private final RolloverProgress progress;
    private final Clock clock;

    RolloverSteps(CertificateStore store, Computers computers, Policies policies, RolloverProgress progress, Clock clock) {
        this.store = store;
        this.computers = computers;
        this.policies = policies;
        this.progress = progress;
        this.clock = clock;
    }

    /** Step 1: the new CA, valid from now (the store backdates by its clock-skew margin). */
    String createCa(RolloverRecord r, RolloverOptions o, String actor) {
        CaInfo old = store.ca(r.oldCaId).orElseThrow(() -> refused("there is no CA " + r.oldCaId));
        String description = r.tag() + ": new CA for CA " + r.oldCaId;
        Optional<CaInfo> existing = store.cas().stream()
                .filter(ca -> ca.description().equals(description) && ca.status() == CaStatus.ACTIVE).findFirst();
        CaInfo ca = existing.orElseGet(() -> {
            Duration validity = o.caValidity() != null ? o.caValidity() : Duration.between(old.notBefore(), old.notAfter());
            String subject = o.subject() != null && !o.subject().isBlank() ? o.subject() : derivedSubject(old, r.id);
            return store.createCa(new CaRequest(subject, null, validity, description, old.homeGroup()), actor);
        });
        r.newCaId = ca.id();
        return "new CA " + ca.id() + " (" + ca.subject() + ") valid " + ca.notBefore() + " to " + ca.notAfter();
    }

    static String derivedSubject(CaInfo old, long rolloverId) {
        String subject = old.subject();
        return subject.matches("(?s).*CN=[^,]+.*") ? subject.replaceFirst("CN=([^,]+)", "CN=$1 (rollover " + rolloverId + ")")
                : "CN=" + subject + " (rollover " + rolloverId + ")";
    }

    /** Step 2: one AGENT certificate per targeted computer and the server's, all inside the new CA. */
    String issue(RolloverRecord r, String actor) {
        CaInfo ca = activeNewCa(r);
        Instant now = clock.instant();
        Instant notAfter = r.certificateValiditySeconds == 0 ? null : now.plusSeconds(r.certificateValiditySeconds);
        record Target(long id, String name, String host, String group) {
        }
        List<Target> targets = computers.inspect(all -> all.stream()
                .filter(c -> progress.issuedByOld(r, c))
                .map(c -> new Target(c.id, c.name, c.certificateHost(), c.group)).toList());
        Optional<CertificateInfo> server = store.serverCertificate().filter(c -> c.caId() == r.oldCaId);
        if (notAfter != null && notAfter.isAfter(ca.notAfter())) {
            List<String> names = new ArrayList<>();
            server.ifPresent(c -> names.add("the server certificate (host " + c.host() + ")"));
            targets.stream().limit(RolloverProgress.NAMED).forEach(t -> names.add("the certificate of computer " + t.name));
            throw refused("new peer certificates would end at " + notAfter + ", after the new CA's end "
                    + ca.notAfter(), names);
        }
        Map<String, CertificateInfo> mine = new HashMap<>();
        for (CertificateInfo c : store.certificates(CertificateQuery.all().withCa(ca.id()).withRevoked(false))) {
            if (c.description().startsWith(r.tag() + ":")) {
                mine.put(c.description(), c);
            }
        }
        List<IssueRequest> requests = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        if (server.isPresent()) {
            CertificateInfo old = server.get();
            String d = r.tag() + ": server";
            if (!mine.containsKey(d)) {
                requests.add(new IssueRequest(ca.id(), Role.SERVER, old.host(), old.alternativeNames(), null, d,
                        old.homeGroup(), null, notAfter));
                descriptions.add(d);
            }
        }
        for (Target t : targets) {
            String d = r.tag() + ": computer " + t.id;
            if (!mine.containsKey(d)) {
                requests.add(new IssueRequest(ca.id(), Role.AGENT, t.host, List.of(), null, d, t.group, null, notAfter));
                descriptions.add(d);
            }
        }
        if (!requests.isEmpty()) {
            for (CertificateInfo c : store.issueAll(requests, actor)) {
                mine.put(c.description(), c);
            }
        }
        List<String> beyond = mine.values().stream().filter(c -> c.notAfter().isAfter(ca.notAfter()))
                .map(c -> "certificate " + c.id() + " (" + c.subject() + ") ends " + c.notAfter()).toList();
        if (!beyond.isEmpty()) {
            throw refused("new peer certificates end after the new CA's end " + ca.notAfter(), beyond);
        }
        r.oldServerCertificateId = server.map(CertificateInfo::id).orElse(0L);
        CertificateInfo newServer = mine.get(r.tag() + ": server");
        r.newServerCertificateId = newServer == null ? 0 : newServer.id();
        r.targets.clear();
        for (Target t : targets) {
            r.targets.put(t.id, mine.get(r.tag() + ": computer " + t.id).id());
        }
        return "issued " + targets.size() + " agent certificate(s)" + (newServer == null ? ""
                : " and server certificate " + newServer.id()) + " from CA " + ca.id() + " ("
                + (descriptions.size()) + " new)";
    }

    /** Step 3: a policy per group of targeted computers that delivers their new certificate and trusts both CAs. */
    String policies(RolloverRecord r, Duration wait, String actor) {
        CaInfo ca = activeNewCa(r);
        Map<Long, String> groups = computers.inspect(all -> {
            Map<Long, String> m = new LinkedHashMap<>();
            all.forEach(c -> {
                if (r.targets.containsKey(c.id)) {
                    m.put(c.id, c.group);
                }
            });
            return m;
        });
        Map<String, Long> policyByGroup = new TreeMap<>();
        for (Policy p : policies.policies()) {
            if (p.description().equals(r.tag()) && p.issuingCaId() == ca.id()) {
                policyByGroup.put(p.group(), p.id());
            }
        }
        for (String group : new java.util.TreeSet<>(groups.values())) {
            if (!policyByGroup.containsKey(group)) {
                Policy p = policies.create(group, Role.AGENT, 0, ca.id(), List.of(r.oldCaId, ca.id()), r.tag(), actor);
                policyByGroup.put(group, p.id());
            }
        }
        try {
            policies.assignCertificates(policyByGroup, r.targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.policyIds.clear();
        r.policyIds.addAll(policyByGroup.values());
        r.waitUntil = clock.instant().plus(wait);
        return "policies " + r.policyIds + " on " + policyByGroup.keySet() + " deliver the new certificates to "
                + r.targets.size() + " computer(s), trusting CAs " + r.oldCaId + " and " + ca.id()
                + "; step 4 waits until " + r.waitUntil + " at most";
    }

    /** Step 4's gate: every targeted computer applied its new certificate and replicated twice, or the wait is over. */
    String awaitReplication(RolloverRecord r) {
        List<String> missing = progress.notReady(r);
        if (missing.isEmpty()) {
            return "all " + r.targets.size() + " computer(s) applied their new certificate and replicated twice";
        }
        if (r.waitUntil != null && !clock.instant().isBefore(r.waitUntil)) {
            return "the wait ended at " + r.waitUntil + "; " + missing.size() + " computer(s) not ready: "
                    + String.join(", ", missing.subList(0, Math.min(RolloverProgress.NAMED, missing.size())));
        }
        throw refused(missing.size() + " computer(s) have not applied their new certificate and replicated twice (or wait until "
                + r.waitUntil + ")", RolloverProgress.named(missing));
    }

    /** Step 5: the server presents its new certificate, live. */
    String switchServer(RolloverRecord r, String actor) {
        if (r.newServerCertificateId == 0) {
            return "the server certificate " + store.serverCertificate().map(c -> c.id() + " ").orElse("")
                    + "is not from the old CA; unchanged";
        }
        if (store.serverCertificate().map(c -> c.id() != r.newServerCertificateId).orElse(true)) {
            store.setServerCertificate(r.newServerCertificateId, actor);
        }
        return "the server presents certificate " + r.newServerCertificateId + " (was " + r.oldServerCertificateId + ")";
    }

    /** Step 6: revoke what the old CA issued (CRL re-issued) and delete it; refused while computers use it, unless forced. */
    String retire(RolloverRecord r, String forceReason, String actor) {
        CaInfo old = store.ca(r.oldCaId).orElseThrow(() -> refused("there is no CA " + r.oldCaId));
        if (store.serverCertificate().map(c -> c.caId() == r.oldCaId).orElse(false)) {
            throw refused("the server still presents a certificate of the old CA " + r.oldCaId);
        }
        List<String> stragglers = progress.stragglers(r);
        if (!stragglers.isEmpty() && forceReason == null) {
            throw refused(stragglers.size() + " computer(s) last authenticated with a certificate of the old CA "
                    + r.oldCaId, RolloverProgress.named(stragglers));
        }
        int revoked = 0;
        if (old.status() == CaStatus.ACTIVE) {
            Instant now = clock.instant();
            List<Long> ids = store.certificates(CertificateQuery.all().withCa(r.oldCaId).withRevoked(false)).stream()
                    .filter(c -> c.notAfter().isAfter(now)).map(CertificateInfo::id).toList();
            revoked = store.revokeAll(ids, RevocationReason.SUPERSEDED, actor).size();
            String why = forceReason == null ? null
                    : "rollover " + r.id + " forced by " + actor + ": " + forceReason;
            store.deleteCa(r.oldCaId, why, actor);
        }
        if (forceReason != null) {
            r.forcedBy = actor;
            r.forceReason = forceReason;
        }
        return "revoked " + revoked + " certificate(s) of CA " + r.oldCaId + " (CRL re-issued) and deleted it"
                + (forceReason == null ? "" : "; FORCED by " + actor + " (" + forceReason + ") over "
                        + stragglers.size() + " computer(s) still on the old CA: "
                        + String.join(", ", stragglers.subList(0, Math.min(RolloverProgress.NAMED, stragglers.size()))));
    }

    private CaInfo activeNewCa(RolloverRecord r) {
        CaInfo ca = store.ca(r.newCaId).orElseThrow(() -> refused("the new CA " + r.newCaId + " does not exist"));
        if (ca.status() == CaStatus.DELETED) {
            throw refused("the new CA " + r.newCaId + " was deleted");
        }
        return ca;
    }
}
