-- 一网通查 (issue 6): the outbox that keeps every node's search index in
-- step with the database, and extracted attachment text shared by the nodes.
--
-- Every transaction that changes what is searchable (publication, revision,
-- withdrawal, a change of 有效性, import, the 指南, the synonym list) writes
-- one row per changed item here, in the same transaction. Each serve process
-- keeps its own index and remembers, inside it, the last seq it applied; it
-- reads the rows after that. Rows carry no payload: the consumer reads the
-- item's current state, so replaying a row is always safe.
--
-- seq is handed out from search_outbox_head under its row lock, taken just
-- before commit: transactions that write the outbox commit in seq order, so
-- a reader that sees seq N has also seen every seq below it (an identity
-- column would let a later seq commit before an earlier one on PostgreSQL).
CREATE TABLE search_outbox (
	seq        INTEGER PRIMARY KEY,
	kind       TEXT NOT NULL,
	item_id    INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX search_outbox_created ON search_outbox (created_at);

-- seq: the last seq handed out; pruned: rows up to it were deleted after the
-- retention period, so an index that applied less must be rebuilt.
CREATE TABLE search_outbox_head (
	id     INTEGER PRIMARY KEY CHECK (id = 1),
	seq    INTEGER NOT NULL,
	pruned INTEGER NOT NULL
);
INSERT INTO search_outbox_head (id, seq, pruned) VALUES (1, 0, 0);

-- The text of DOCX, XLSX and PDF attachments, extracted once per file (by
-- its SHA-256) for every node and every rebuild.
CREATE TABLE search_attachment_text (
	sha256       TEXT PRIMARY KEY,
	text         TEXT NOT NULL,
	extracted_at TIMESTAMP NOT NULL
);
