package org.certwatch.fleet.internal.storage;

import java.util.List;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Policy;

/** The directory as stored: every group, user, policy, enrolment and API token, and the id counters. */
public record DirectoryRecord(long nextPolicyId, long computerIdCeiling, List<Group> groups, List<UserRecord> users,
        List<Policy> policies, List<TokenRecord> tokens, List<ApiTokenRecord> apiTokens) {
}
