package org.certwatch.api.rollover;

/** The six steps of a CA rollover, in order ({@link #number()} 1..6). */
public enum RolloverStep {
    CREATE_CA("create the new CA"),
    ISSUE_CERTIFICATES("issue the new peer certificates"),
    CREATE_POLICIES("create the policies that deliver them"),
    WAIT_FOR_REPLICATION("wait until every computer replicated twice"),
    SWITCH_SERVER_CERTIFICATE("switch the server certificate"),
    RETIRE_OLD_CA("revoke the old certificates and delete the old CA");

    private final String title;

    RolloverStep(String title) {
        this.title = title;
    }

    public int number() {
        return ordinal() + 1;
    }

    public String title() {
        return title;
    }

    /** The step with this number (1..6); throws for anything else. */
    public static RolloverStep of(int number) {
        if (number < 1 || number > values().length) {
            throw new IllegalArgumentException("a rollover step is 1 to 6, not " + number);
        }
        return values()[number - 1];
    }
}
