package org.certwatch.api.fleet;

/** A token just created, with its text: the only time anyone sees it. */
public record NewApiToken(ApiToken token, String text) {
    @Override
    public String toString() {
        return "NewApiToken[" + token + "]"; // the secret stays out of logs
    }
}
