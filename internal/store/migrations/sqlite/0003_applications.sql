-- Applications for government information (依申请公开, issue 4): the
-- applications with their encrypted personal data, the ledger of events
-- that drives the statutory clock, appeals, attachments, letter templates
-- per org, and in-app reminders.
--
-- received_on, due_on, closed_on, outcome and applicant_kind are plain
-- columns so that the annual report (tables 三 and 四) counts with SQL.
-- Personal data is only in `personal` (AES-256-GCM, internal/seal) and as
-- keyed hashes (*_index) for exact-match search.

CREATE TABLE applications (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	tracking_no    TEXT NOT NULL UNIQUE,
	access_hash    TEXT NOT NULL,
	org_id         INTEGER NOT NULL REFERENCES orgs (id),
	channel        TEXT NOT NULL CHECK (channel IN ('online', 'in_person', 'post_registered', 'post_ordinary', 'fax', 'email')),
	applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('natural', 'commercial', 'research', 'nonprofit', 'legal_service', 'other_org')),
	subject        TEXT NOT NULL DEFAULT '',
	doc_no         TEXT NOT NULL DEFAULT '',
	description    TEXT NOT NULL DEFAULT '',
	form           TEXT NOT NULL,
	form_other     TEXT NOT NULL DEFAULT '',
	delivery       TEXT NOT NULL,
	personal       TEXT NOT NULL,
	name_index     TEXT NOT NULL,
	id_index       TEXT NOT NULL DEFAULT '',
	phone_index    TEXT NOT NULL DEFAULT '',
	applicant_key  TEXT NOT NULL,
	client_hash    TEXT NOT NULL DEFAULT '',
	submitted_at   TIMESTAMP NOT NULL,
	received_on    DATE,
	state          TEXT NOT NULL CHECK (state IN ('unconfirmed', 'open', 'closed')),
	due_on         DATE,
	closed_on      DATE,
	outcome        TEXT,
	late           BOOLEAN NOT NULL DEFAULT FALSE,
	reply_json     TEXT,
	note           TEXT NOT NULL DEFAULT '',
	created_by     TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX applications_org_state ON applications (org_id, state, due_on);
CREATE INDEX applications_received ON applications (received_on);
CREATE INDEX applications_closed ON applications (closed_on);
CREATE INDEX applications_name ON applications (name_index);
CREATE INDEX applications_id ON applications (id_index);
CREATE INDEX applications_phone ON applications (phone_index);
CREATE INDEX applications_applicant ON applications (applicant_key, org_id, received_on);
CREATE INDEX applications_client ON applications (client_hash, submitted_at);

CREATE TABLE application_events (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	application_id  INTEGER NOT NULL REFERENCES applications (id),
	seq             INTEGER NOT NULL,
	kind            TEXT NOT NULL,
	on_date         DATE NOT NULL,
	items           TEXT NOT NULL DEFAULT '',
	deadline        DATE,
	party           TEXT NOT NULL DEFAULT '',
	days            INTEGER NOT NULL DEFAULT 0,
	approved_by     TEXT NOT NULL DEFAULT '',
	notified_on     DATE,
	outcome         TEXT,
	override_by     TEXT NOT NULL DEFAULT '',
	override_reason TEXT NOT NULL DEFAULT '',
	fee_method      TEXT,
	fee_quantity    INTEGER,
	fee_amount      INTEGER,
	fee_json        TEXT,
	note            TEXT NOT NULL DEFAULT '',
	recorded_at     TIMESTAMP NOT NULL,
	recorded_by     TEXT NOT NULL,
	UNIQUE (application_id, seq)
);
CREATE INDEX application_events_fee ON application_events (kind, on_date);

CREATE TABLE application_appeals (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL CHECK (kind IN ('reconsideration', 'direct', 'after_reconsideration')),
	filed_on       DATE NOT NULL,
	body           TEXT NOT NULL,
	result         TEXT NOT NULL CHECK (result IN ('pending', 'upheld', 'corrected', 'other')),
	closed_on      DATE,
	note           TEXT NOT NULL DEFAULT '',
	created_at     TIMESTAMP NOT NULL,
	updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX application_appeals_app ON application_appeals (application_id);

-- Attachments are kept in the database, encrypted (an applicant's files
-- may be copies of identity documents), so every node of a platform sees
-- them and a database backup holds them.
CREATE TABLE application_files (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	role           TEXT NOT NULL CHECK (role IN ('applicant', 'reply')),
	name           TEXT NOT NULL,
	mime           TEXT NOT NULL,
	label          TEXT NOT NULL,
	size           INTEGER NOT NULL,
	content        BLOB NOT NULL,
	created_at     TIMESTAMP NOT NULL
);
CREATE INDEX application_files_app ON application_files (application_id);

CREATE TABLE letter_templates (
	org_id     INTEGER NOT NULL REFERENCES orgs (id),
	key        TEXT NOT NULL,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (org_id, key)
);

CREATE TABLE notices (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	application_id INTEGER NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL,
	message        TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	read_at        TIMESTAMP
);
CREATE INDEX notices_user ON notices (user_id, read_at, created_at);

-- One reminder per application, kind and due date, however often the job
-- runs and on however many nodes.
CREATE TABLE application_reminders (
	application_id INTEGER NOT NULL REFERENCES applications (id),
	kind           TEXT NOT NULL,
	due_on         DATE NOT NULL,
	sent_at        TIMESTAMP NOT NULL,
	PRIMARY KEY (application_id, kind, due_on)
);

CREATE TABLE notice_emails (
	user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	email      TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
