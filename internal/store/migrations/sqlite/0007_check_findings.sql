-- Content checks in the 三审 review (issue 7, item 3).
--
-- documents.required_disclosure marks information whose publication with
-- personal data the law requires (惩戒公示 …): the checks then report
-- personal data as warnings, with the reason recorded.
--
-- document_checks holds one run of the checks on one version of a
-- document, written in the transaction of the step it belongs to (a
-- submission, an approval, a recheck after the dictionaries or a site's
-- lists changed), with the checker's fingerprint and the time. Its
-- findings are rows of document_check_findings. A final reviewer's
-- override of block findings, or staff accepting a recheck's new
-- findings, is kept on the check it applies to.
--
-- check_site_state records which checker last rechecked a site's published
-- documents, so a new release whose shipped dictionary differs triggers a
-- recheck at start.
--
-- notices, the in-app reminders of the applications module, now also
-- carry notices about documents: application_id becomes optional and
-- document_id is added. SQLite cannot drop a NOT NULL constraint, so the
-- table is rebuilt.

ALTER TABLE documents ADD COLUMN required_disclosure BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE documents ADD COLUMN required_disclosure_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE document_checks (
	id                         INTEGER PRIMARY KEY AUTOINCREMENT,
	document_id                INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	version                    INTEGER NOT NULL,
	round                      INTEGER NOT NULL DEFAULT 0,
	stage                      TEXT NOT NULL CHECK (stage IN ('submit', 'review', 'recheck')),
	level                      INTEGER NOT NULL DEFAULT 0,
	site_id                    INTEGER NOT NULL,
	fingerprint                TEXT NOT NULL,
	dictionary_version         TEXT NOT NULL DEFAULT '',
	required_disclosure        BOOLEAN NOT NULL DEFAULT FALSE,
	required_disclosure_reason TEXT NOT NULL DEFAULT '',
	body_hash                  TEXT NOT NULL DEFAULT '',
	blocking                   INTEGER NOT NULL DEFAULT 0,
	new_findings               INTEGER NOT NULL DEFAULT 0,
	accepted                   BOOLEAN NOT NULL DEFAULT FALSE,
	override_reason            TEXT NOT NULL DEFAULT '',
	override_by                INTEGER,
	override_by_name           TEXT NOT NULL DEFAULT '',
	override_at                TIMESTAMP,
	checked_at                 TIMESTAMP NOT NULL,
	checked_by                 TEXT NOT NULL
);
CREATE INDEX document_checks_document ON document_checks (document_id, version, id);

CREATE TABLE document_check_findings (
	check_id   INTEGER NOT NULL REFERENCES document_checks (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	rule       TEXT NOT NULL,
	severity   TEXT NOT NULL,
	source     TEXT NOT NULL DEFAULT '',
	span_start INTEGER NOT NULL DEFAULT 0,
	span_end   INTEGER NOT NULL DEFAULT 0,
	line       INTEGER NOT NULL DEFAULT 0,
	col        INTEGER NOT NULL DEFAULT 0,
	excerpt    TEXT NOT NULL DEFAULT '',
	context    TEXT NOT NULL DEFAULT '',
	message    TEXT NOT NULL DEFAULT '',
	suggestion TEXT NOT NULL DEFAULT '',
	reason     TEXT NOT NULL DEFAULT '',
	is_new     BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (check_id, position)
);

CREATE TABLE check_site_state (
	site_id     INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	fingerprint TEXT NOT NULL,
	checked_at  TIMESTAMP NOT NULL
);

CREATE TABLE notices_new (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	application_id INTEGER REFERENCES applications (id),
	document_id    INTEGER REFERENCES documents (id) ON DELETE CASCADE,
	kind           TEXT NOT NULL,
	message        TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	read_at        TIMESTAMP,
	-- A notice is about an application, a document, or neither (an annual
	-- report reminder, which names its org and year in the message).
	CHECK (application_id IS NULL OR document_id IS NULL)
);
INSERT INTO notices_new (id, user_id, application_id, kind, message, created_at, read_at)
	SELECT id, user_id, application_id, kind, message, created_at, read_at FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_user ON notices (user_id, read_at, created_at);
