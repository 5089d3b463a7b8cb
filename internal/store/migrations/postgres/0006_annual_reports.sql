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
	org_id       BIGINT NOT NULL REFERENCES orgs (id),
	year         INTEGER NOT NULL CHECK (year BETWEEN 2008 AND 2200),
	licensing    BIGINT CHECK (licensing >= 0),
	penalty      BIGINT CHECK (penalty >= 0),
	enforcement  BIGINT CHECK (enforcement >= 0),
	-- 行政事业性收费 本年收费金额 in hundredths of 万元 (12.34 万元 = 1234).
	fees         BIGINT CHECK (fees >= 0),
	overview     TEXT NOT NULL DEFAULT '',
	shortcomings TEXT NOT NULL DEFAULT '',
	other        TEXT NOT NULL DEFAULT '',
	document_id  BIGINT UNIQUE REFERENCES documents (id),
	submitted    TEXT,
	submitted_at TIMESTAMPTZ,
	published    TEXT,
	published_at TIMESTAMPTZ,
	imported     TEXT,
	imported_at  TIMESTAMPTZ,
	updated_at   TIMESTAMPTZ NOT NULL,
	updated_by   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (org_id, year)
);

-- One reminder per org, year and kind (due_soon, overdue, or a 政务公开办's
-- request of a given day), however often the job runs and on however many
-- nodes.
CREATE TABLE annual_report_reminders (
	org_id  BIGINT NOT NULL REFERENCES orgs (id),
	year    INTEGER NOT NULL,
	kind    TEXT NOT NULL,
	sent_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (org_id, year, kind)
);

-- Table 三 for one org reads its applications by receipt date; the index
-- holds every column the report reads, so 100,000 applications are counted
-- from the index alone.
CREATE INDEX applications_report ON applications (org_id, received_on, closed_on, applicant_kind, outcome, due_on);

-- In-app notices (0003) now also carry annual-report reminders, which
-- belong to no application.
ALTER TABLE notices ALTER COLUMN application_id DROP NOT NULL;
