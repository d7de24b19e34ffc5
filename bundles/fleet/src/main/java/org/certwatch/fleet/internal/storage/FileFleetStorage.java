package org.certwatch.fleet.internal.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.commons.files.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The fleet's files in {@code $CERTWATCH_DATA/fleet/}: {@code directory.json} (groups, users, policies,
 * enrolment and API tokens; rewritten on every change, which is rare), the computers ({@link ComputerFiles}: a snapshot
 * and a log of changes, one line each) and {@code rollovers.json}. Every write is durable when it
 * returns (a whole file: synced temporary sibling, atomic rename, synced folder; a change: a synced append).
 */
@Component(service = FleetStorage.class)
public final class FileFleetStorage implements FleetStorage {
    static final int FORMAT = 1;

    private final Path directoryFile;
    private final ComputerFiles computers;
    private final RolloversJson rollovers;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public FileFleetStorage(BundleContext context) {
        this(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("fleet"));
    }

    public FileFleetStorage(Path folder) {
        this.directoryFile = folder.resolve("directory.json");
        this.computers = new ComputerFiles(folder, ComputerFiles.MIN_COMPACTION_BYTES);
        this.rollovers = new RolloversJson(folder);
    }

    @Override
    public Optional<DirectoryRecord> readDirectory() throws IOException {
        return Files.exists(directoryFile) ? Optional.of(readDirectory(readTree(directoryFile))) : Optional.empty();
    }

    @Override
    public Optional<ComputersRecord> readComputers() throws IOException {
        return computers.read();
    }

    @Override
    public void writeDirectory(DirectoryRecord directory) throws IOException {
        DurableFiles.write(directoryFile, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(encode(directory)), true);
    }

    @Override
    public void computersChanged(List<ComputerRow> rows) throws IOException {
        computers.append(rows);
    }

    /** Waits for a compaction under way. */
    @Deactivate
    public void close() {
        computers.close();
    }

    @Override
    public RolloversRecord readRollovers() throws IOException {
        return rollovers.load();
    }

    @Override
    public void writeRollovers(long nextId, Collection<RolloverRecord> all) throws IOException {
        rollovers.save(nextId, all);
    }

    @Override
    public String rolloversLocation() {
        return rollovers.path().toString();
    }

    private JsonNode readTree(Path file) throws IOException {
        try {
            JsonNode node = json.readTree(file.toFile());
            int format = node.path("format").asInt(0);
            if (format != FORMAT) {
                throw new IOException(file + ": unknown format " + format + " (this version reads " + FORMAT + ")");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private ObjectNode encode(DirectoryRecord d) {
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("nextPolicyId", d.nextPolicyId());
        root.put("computerIdCeiling", d.computerIdCeiling());
        ArrayNode g = root.putArray("groups");
        for (Group group : d.groups()) {
            g.addObject().put("path", group.path()).put("shortName", group.shortName())
                    .put("description", group.description());
        }
        ArrayNode u = root.putArray("users");
        for (UserRecord user : d.users()) {
            ObjectNode n = u.addObject().put("name", user.name()).put("homeGroup", user.homeGroup())
                    .put("enabled", user.enabled()).put("createdAt", user.createdAt().toString())
                    .put("passwordHash", user.passwordHash());
            ArrayNode p = n.putArray("permissions");
            user.permissions().stream().sorted().forEach(x -> p.add(x.name()));
        }
        ArrayNode p = root.putArray("policies");
        for (Policy policy : d.policies()) {
            ObjectNode n = p.addObject().put("id", policy.id()).put("group", policy.group())
                    .put("component", policy.component().name()).put("certificateId", policy.certificateId())
                    .put("issuingCaId", policy.issuingCaId()).put("description", policy.description())
                    .put("createdAt", policy.createdAt().toString());
            ArrayNode t = n.putArray("trustedCaIds");
            policy.trustedCaIds().forEach(t::add);
        }
        ArrayNode t = root.putArray("tokens");
        for (TokenRecord token : d.tokens()) {
            t.addObject().put("id", token.id()).put("secretHash", token.secretHash()).put("group", token.group())
                    .put("expiresAt", token.expiresAt().toString()).put("usesLeft", token.usesLeft());
        }
        ArrayNode a = root.putArray("apiTokens");
        for (ApiTokenRecord token : d.apiTokens()) {
            ObjectNode n = a.addObject().put("id", token.id()).put("user", token.user()).put("name", token.name())
                    .put("secretHash", token.secretHash()).put("createdAt", token.createdAt().toString())
                    .put("expiresAt", token.expiresAt().toString());
            if (token.lastUsedAt() != null) {
                n.put("lastUsedAt", token.lastUsedAt().toString());
            }
        }
        return root;
    }

    private static DirectoryRecord readDirectory(JsonNode root) {
        List<Group> groups = new ArrayList<>();
        List<UserRecord> users = new ArrayList<>();
        List<Policy> policies = new ArrayList<>();
        List<TokenRecord> tokens = new ArrayList<>();
        List<ApiTokenRecord> apiTokens = new ArrayList<>();
        for (JsonNode n : root.path("groups")) {
            Group group = new Group(n.path("path").asText(), n.path("shortName").asText(), n.path("description").asText(""));
            groups.add(group);
        }
        for (JsonNode n : root.path("users")) {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            n.path("permissions").forEach(x -> permissions.add(Permission.valueOf(x.asText())));
            UserRecord user = new UserRecord(n.path("name").asText(), n.path("homeGroup").asText(), permissions,
                    n.path("enabled").asBoolean(true), Instant.parse(n.path("createdAt").asText()),
                    n.path("passwordHash").asText());
            users.add(user);
        }
        for (JsonNode n : root.path("policies")) {
            List<Long> trusted = new ArrayList<>();
            n.path("trustedCaIds").forEach(x -> trusted.add(x.asLong()));
            Policy policy = new Policy(n.path("id").asLong(), n.path("group").asText(),
                    Role.valueOf(n.path("component").asText()), n.path("certificateId").asLong(),
                    n.path("issuingCaId").asLong(), trusted, n.path("description").asText(""),
                    Instant.parse(n.path("createdAt").asText()));
            policies.add(policy);
        }
        for (JsonNode n : root.path("tokens")) {
            TokenRecord token = new TokenRecord(n.path("id").asText(), n.path("secretHash").asText(),
                    n.path("group").asText(), Instant.parse(n.path("expiresAt").asText()), n.path("usesLeft").asInt());
            tokens.add(token);
        }
        // absent in a directory written before API tokens existed
        for (JsonNode n : root.path("apiTokens")) {
            apiTokens.add(new ApiTokenRecord(n.path("id").asText(), n.path("user").asText(), n.path("name").asText(),
                    n.path("secretHash").asText(), Instant.parse(n.path("createdAt").asText()),
                    Instant.parse(n.path("expiresAt").asText()),
                    n.hasNonNull("lastUsedAt") ? Instant.parse(n.path("lastUsedAt").asText()) : null));
        }
        return new DirectoryRecord(root.path("nextPolicyId").asLong(1), root.path("computerIdCeiling").asLong(1),
                groups, users, policies, tokens, apiTokens);
    }
}
