-- Foundation: settings, the org tree, sites, staff, sessions, login
-- throttling, the audit chain and calendar corrections.
-- Instants are TIMESTAMP text written by Go in one fixed-width UTC format
-- (see store.ts), so they sort correctly as text.

CREATE TABLE settings (
	key        TEXT PRIMARY KEY,
	value      TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE orgs (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	code        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	short_name  TEXT NOT NULL DEFAULT '',
	kind        TEXT NOT NULL CHECK (kind IN ('government', 'department')),
	level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
	credit_code TEXT UNIQUE,
	org_code    TEXT NOT NULL DEFAULT '',
	region_code TEXT NOT NULL,
	parent_id   INTEGER REFERENCES orgs (id),
	path        TEXT NOT NULL,
	sort        INTEGER NOT NULL DEFAULT 0,
	created_at  TIMESTAMP NOT NULL,
	updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE INDEX orgs_path ON orgs (path);

CREATE TABLE sites (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	org_id        INTEGER NOT NULL REFERENCES orgs (id),
	code          TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	is_default    BOOLEAN NOT NULL DEFAULT FALSE,
	site_id_code  TEXT NOT NULL DEFAULT '',
	sponsor       TEXT NOT NULL DEFAULT '',
	operator      TEXT NOT NULL DEFAULT '',
	icp           TEXT NOT NULL DEFAULT '',
	police_record TEXT NOT NULL DEFAULT '',
	address       TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX sites_one_default ON sites (is_default) WHERE is_default;

CREATE TABLE site_hosts (
	host    TEXT PRIMARY KEY,
	site_id INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX site_hosts_site ON site_hosts (site_id);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	role    TEXT NOT NULL CHECK (role IN ('editor', 'reviewer1', 'reviewer2', 'reviewer3', 'officer', 'supervisor', 'admin')),
	PRIMARY KEY (user_id, org_id, role)
);
CREATE INDEX user_roles_org ON user_roles (org_id, role);

CREATE TABLE sessions (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash   TEXT NOT NULL UNIQUE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('web', 'api')),
	client_ip    TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE login_failures (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	username  TEXT NOT NULL,
	client_ip TEXT NOT NULL,
	at        TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (client_ip, at);

CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY,
	at          TIMESTAMP NOT NULL,
	actor_id    INTEGER,
	actor_name  TEXT NOT NULL,
	org_id      INTEGER,
	org_path    TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	before_json TEXT,
	after_json  TEXT,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_org_path ON audit_log (org_path);
CREATE INDEX audit_log_at ON audit_log (at);

-- The head of the audit chain: one row, updated by every audited
-- transaction. Updating it first serialises appends, so the chain never forks.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE calendar_years (
	year       INTEGER PRIMARY KEY,
	data       TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by TEXT NOT NULL
);
