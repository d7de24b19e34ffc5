package org.certwatch.fleet.internal.storage;

import java.util.List;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.Policy;

/**
 * The directory as stored: every group, user, policy, enrolment and API token, the id counters, and the
 * renames of groups (kept for good, so every bundle storing group paths can catch up; written with the
 * directory they changed, so a rename and its rewrite are one write).
 */
public record DirectoryRecord(long nextPolicyId, long computerIdCeiling, List<Group> groups, List<UserRecord> users,
        List<Policy> policies, List<TokenRecord> tokens, List<ApiTokenRecord> apiTokens, List<GroupRename> renames) {
    public DirectoryRecord(long nextPolicyId, long computerIdCeiling, List<Group> groups, List<UserRecord> users,
            List<Policy> policies, List<TokenRecord> tokens, List<ApiTokenRecord> apiTokens) {
        this(nextPolicyId, computerIdCeiling, groups, users, policies, tokens, apiTokens, List.of());
    }
}
