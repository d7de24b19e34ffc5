package org.certwatch.fleet.internal.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;

/**
 * The directory (groups, users, policies, enrolment and API tokens, id counters) as JSON: the bytes of
 * {@code fleet/directory.json}, and the same bytes in a shared backend's document.
 */
final class DirectoryJson {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DirectoryJson() {
    }

    /** The directory as {@code directory.json} holds it (pretty-printed). */
    static byte[] encode(DirectoryRecord directory) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree(directory));
    }

    /** {@code where} names the file or document in messages. */
    static DirectoryRecord decode(byte[] bytes, String where) throws IOException {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        int format = node.path("format").asInt(0);
        if (format != FORMAT) {
            throw new IOException(where + ": unknown format " + format + " (this version reads " + FORMAT + ")");
        }
        return read(node);
    }

    private static ObjectNode tree(DirectoryRecord d) {
        ObjectNode root = JSON.createObjectNode();
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
        ArrayNode r = root.putArray("renames");
        for (GroupRename rename : d.renames()) {
            r.addObject().put("number", rename.number()).put("from", rename.from()).put("to", rename.to())
                    .put("at", rename.at().toString());
        }
        return root;
    }

    private static DirectoryRecord read(JsonNode root) {
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
        // absent in a directory written before groups could be renamed
        List<GroupRename> renames = new ArrayList<>();
        for (JsonNode n : root.path("renames")) {
            renames.add(new GroupRename(n.path("number").asLong(), n.path("from").asText(), n.path("to").asText(),
                    Instant.parse(n.path("at").asText())));
        }
        return new DirectoryRecord(root.path("nextPolicyId").asLong(1), root.path("computerIdCeiling").asLong(1),
                groups, users, policies, tokens, apiTokens, renames);
    }
}
