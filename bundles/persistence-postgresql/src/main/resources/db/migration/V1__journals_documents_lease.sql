-- certwatch schema 1: the three shapes of org.certwatch.api.persistence and the leader lease.

-- One row per journal: its last position, kept when records are truncated so positions are never reused.
-- An append locks this row, so the appends of one journal commit in position order.
CREATE TABLE certwatch_journal_head (
    name text COLLATE "C" PRIMARY KEY,
    head bigint NOT NULL
);

CREATE TABLE certwatch_journal (
    name text COLLATE "C" NOT NULL,
    position bigint NOT NULL,
    record bytea NOT NULL,
    PRIMARY KEY (name, position)
);

-- One row per documents name: its last revision. A write locks it and stamps the keys it changed with the
-- next revision, so watchers reading "revision > last seen" never miss a change committed later.
CREATE TABLE certwatch_documents_head (
    name text COLLATE "C" PRIMARY KEY,
    revision bigint NOT NULL
);

-- value NULL: the key was deleted (kept as a tombstone so watchers see the deletion).
CREATE TABLE certwatch_document (
    name text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    revision bigint NOT NULL,
    value bytea,
    PRIMARY KEY (name, key)
);
CREATE INDEX certwatch_document_revision ON certwatch_document (name, revision);

-- The leader lease: held by holder until expires_at, by the database's clock.
CREATE TABLE certwatch_lease (
    name text PRIMARY KEY,
    holder text NOT NULL,
    expires_at timestamptz NOT NULL
);
