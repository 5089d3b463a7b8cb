-- Documents (issue 3): catalogue metadata, the 三审 review, publication,
-- the public projection the portal reads, site columns and the guide.
--
-- documents holds the working copy that staff edit; document_public holds
-- the version the public sees, written only by the publish, withdraw and
-- validity paths in internal/store/publish.go. A revision edits the working
-- copy while the public version stays. documents.body is NULL when it
-- equals the public body, so a published document does not store its body
-- twice.

CREATE TABLE document_settings (
	org_id            INTEGER PRIMARY KEY REFERENCES orgs (id),
	review_levels     INTEGER NOT NULL DEFAULT 3 CHECK (review_levels BETWEEN 1 AND 3),
	index_no_template TEXT NOT NULL DEFAULT '',
	updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE site_columns (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	site_id     INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	parent_id   INTEGER REFERENCES site_columns (id),
	slug        TEXT NOT NULL,
	path        TEXT NOT NULL,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	basis       TEXT NOT NULL DEFAULT '',
	freq_weeks  INTEGER NOT NULL DEFAULT 0,
	freq_months INTEGER NOT NULL DEFAULT 0,
	sort        INTEGER NOT NULL DEFAULT 0,
	statutory   BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL,
	UNIQUE (site_id, slug),
	UNIQUE (site_id, path)
);

CREATE TABLE site_guides (
	site_id        INTEGER PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
	classification TEXT NOT NULL DEFAULT '',
	arrangement    TEXT NOT NULL DEFAULT '',
	access         TEXT NOT NULL DEFAULT '',
	office_name    TEXT NOT NULL DEFAULT '',
	address        TEXT NOT NULL DEFAULT '',
	hours          TEXT NOT NULL DEFAULT '',
	phone          TEXT NOT NULL DEFAULT '',
	fax            TEXT NOT NULL DEFAULT '',
	email          TEXT NOT NULL DEFAULT '',
	updated_at     TIMESTAMP NOT NULL,
	updated_by     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE documents (
	id                INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id            INTEGER NOT NULL REFERENCES orgs (id),
	site_id           INTEGER NOT NULL REFERENCES sites (id),
	status            TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'withdrawn')),
	review_level      INTEGER NOT NULL DEFAULT 0,
	review_round      INTEGER NOT NULL DEFAULT 0,
	title             TEXT NOT NULL,
	body              TEXT,
	summary           TEXT NOT NULL DEFAULT '',
	keywords          TEXT NOT NULL DEFAULT '',
	issuers           TEXT NOT NULL DEFAULT '',
	doc_no            TEXT NOT NULL DEFAULT '',
	genre             TEXT NOT NULL DEFAULT '',
	topic             TEXT NOT NULL DEFAULT '',
	signed_on         DATE,
	formed_on         DATE,
	disclosure        TEXT NOT NULL DEFAULT 'proactive',
	disclosure_reason TEXT NOT NULL DEFAULT '',
	validity          TEXT NOT NULL DEFAULT 'valid',
	validity_on       DATE,
	replaced_by       INTEGER,
	publish_at        TIMESTAMP,
	revision_note     TEXT NOT NULL DEFAULT '',
	created_by        INTEGER,
	created_by_name   TEXT NOT NULL DEFAULT '',
	submitted_by      INTEGER,
	created_at        TIMESTAMP NOT NULL,
	updated_at        TIMESTAMP NOT NULL,
	index_no          TEXT UNIQUE,
	published_at      TIMESTAMP,
	version           INTEGER NOT NULL DEFAULT 0,
	withdrawn_at      TIMESTAMP,
	withdraw_mode     TEXT NOT NULL DEFAULT '',
	withdraw_reason   TEXT NOT NULL DEFAULT '',
	import_key        TEXT
);
CREATE INDEX documents_org_status ON documents (org_id, status);
CREATE INDEX documents_created_by ON documents (created_by, status);
CREATE UNIQUE INDEX documents_import_key ON documents (org_id, import_key);

CREATE TABLE document_columns (
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	column_id   INTEGER NOT NULL REFERENCES site_columns (id),
	PRIMARY KEY (document_id, column_id)
);

CREATE TABLE document_attachments (
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	size        INTEGER NOT NULL,
	mime        TEXT NOT NULL,
	type_label  TEXT NOT NULL,
	PRIMARY KEY (document_id, position)
);

-- kind: interprets (from is a 解读 of to), repeals, amends.
CREATE TABLE document_relations (
	from_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	kind    TEXT NOT NULL CHECK (kind IN ('interprets', 'repeals', 'amends')),
	to_id   INTEGER NOT NULL REFERENCES documents (id),
	PRIMARY KEY (from_id, kind, to_id)
);
CREATE INDEX document_relations_to ON document_relations (to_id);

CREATE TABLE document_reviews (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	round       INTEGER NOT NULL,
	level       INTEGER NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	comment     TEXT NOT NULL DEFAULT '',
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL,
	at          TIMESTAMP NOT NULL
);
CREATE INDEX document_reviews_document ON document_reviews (document_id, id);

CREATE TABLE document_versions (
	document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	version      INTEGER NOT NULL,
	published_at TIMESTAMP NOT NULL,
	note         TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (document_id, version)
);

-- 索引号 counters per org and scope (a year, or a year and month).
CREATE TABLE index_counters (
	org_id INTEGER NOT NULL REFERENCES orgs (id),
	scope  TEXT NOT NULL,
	seq    INTEGER NOT NULL,
	PRIMARY KEY (org_id, scope)
);

-- The public projection.
CREATE TABLE document_public (
	id              INTEGER PRIMARY KEY REFERENCES documents (id),
	site_id         INTEGER NOT NULL,
	org_id          INTEGER NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('published', 'withdrawn', 'erroneous')),
	index_no        TEXT NOT NULL UNIQUE,
	title           TEXT NOT NULL,
	body            TEXT NOT NULL,
	summary         TEXT NOT NULL DEFAULT '',
	keywords        TEXT NOT NULL DEFAULT '',
	issuers         TEXT NOT NULL DEFAULT '',
	doc_no          TEXT NOT NULL DEFAULT '',
	genre           TEXT NOT NULL DEFAULT '',
	topic           TEXT NOT NULL DEFAULT '',
	signed_on       DATE,
	validity        TEXT NOT NULL DEFAULT 'valid',
	validity_on     DATE,
	replaced_by     INTEGER,
	published_at    TIMESTAMP NOT NULL,
	updated_at      TIMESTAMP NOT NULL,
	year            INTEGER NOT NULL,
	version         INTEGER NOT NULL,
	attachments     TEXT NOT NULL DEFAULT '[]',
	withdrawn_at    TIMESTAMP,
	withdraw_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX document_public_site ON document_public (site_id, state, published_at);
CREATE INDEX document_public_year ON document_public (site_id, state, year, published_at);

-- Column membership of listed (published, not withdrawn) documents, with
-- the publication instant copied in so a column list is one index range.
CREATE TABLE document_public_columns (
	column_id    INTEGER NOT NULL,
	published_at TIMESTAMP NOT NULL,
	document_id  INTEGER NOT NULL REFERENCES document_public (id),
	PRIMARY KEY (column_id, published_at, document_id)
);
CREATE INDEX document_public_columns_doc ON document_public_columns (document_id);

CREATE TABLE document_public_relations (
	from_id INTEGER NOT NULL REFERENCES document_public (id),
	kind    TEXT NOT NULL,
	to_id   INTEGER NOT NULL,
	PRIMARY KEY (from_id, kind, to_id)
);
CREATE INDEX document_public_relations_to ON document_public_relations (to_id);

-- Bumped by every change the portal shows, so nodes drop cached pages.
CREATE TABLE public_changes (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	gen INTEGER NOT NULL,
	at  TIMESTAMP NOT NULL
);
INSERT INTO public_changes (id, gen, at) VALUES (1, 0, '2000-01-01 00:00:00.000000+00:00');
