-- Annual reports (issue 5): what staff enter for an org's report of a year
-- (the table 二 figures kept in other systems, the prose of sections 一、五、
-- 六), the report's document in the 政府信息公开年报 column, and the report
-- frozen as JSON (docs/annual-report.md) when it was submitted, when it was
-- published, and when an earlier year's report was imported as history.
--
-- The tables themselves are never stored: they are compiled from the
-- applications, appeals and documents whenever they are shown, so that a
-- late correction appears as a difference from the published snapshot
-- instead of silently changing it.
CREATE TABLE annual_reports (
	org_id       INTEGER NOT NULL REFERENCES orgs (id),
	year         INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 2200),
	licensing    INTEGER CHECK (licensing >= 0),
	penalty      INTEGER CHECK (penalty >= 0),
	enforcement  INTEGER CHECK (enforcement >= 0),
	-- 行政事业性收费 本年收费金额 in hundredths of 万元 (12.34 万元 = 1234).
	fees         INTEGER CHECK (fees >= 0),
	overview     TEXT NOT NULL DEFAULT '',
	shortcomings TEXT NOT NULL DEFAULT '',
	other        TEXT NOT NULL DEFAULT '',
	document_id  INTEGER UNIQUE REFERENCES documents (id),
	submitted    TEXT,
	submitted_at TIMESTAMP,
	published    TEXT,
	published_at TIMESTAMP,
	imported     TEXT,
	imported_at  TIMESTAMP,
	updated_at   TIMESTAMP NOT NULL,
	updated_by   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (org_id, year)
);

-- One reminder per org, year and kind (due_soon, overdue, or a 政务公开办's
-- request of a given day), however often the job runs and on however many
-- nodes.
CREATE TABLE annual_report_reminders (
	org_id  INTEGER NOT NULL REFERENCES orgs (id),
	year    INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	sent_at TIMESTAMP NOT NULL,
	PRIMARY KEY (org_id, year, kind)
);

-- Table 三 for one org reads its applications by receipt date; the index
-- holds every column the report reads, so 100,000 applications are counted
-- from the index alone.
CREATE INDEX applications_report ON applications (org_id, received_on, closed_on, applicant_kind, outcome, due_on);

-- In-app notices (0003) now also carry annual-report reminders, which
-- belong to no application: application_id becomes optional. SQLite cannot
-- drop NOT NULL in place, so the table is rebuilt; nothing references it.
CREATE TABLE notices_new (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	application_id INTEGER REFERENCES applications (id),
	kind           TEXT NOT NULL,
	message        TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	read_at        TIMESTAMP
);
INSERT INTO notices_new (id, user_id, application_id, kind, message, created_at, read_at)
	SELECT id, user_id, application_id, kind, message, created_at, read_at FROM notices;
DROP TABLE notices;
ALTER TABLE notices_new RENAME TO notices;
CREATE INDEX notices_user ON notices (user_id, read_at, created_at);
