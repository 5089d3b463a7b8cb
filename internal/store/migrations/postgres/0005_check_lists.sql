-- Per-site lists that tune the content checks (issue #7): the site's own
-- dictionary entries, allow-listed terms and domains, sensitive words and
-- third-party site names, each kept as text in its import/export format.
CREATE TABLE check_lists (
	site_id    BIGINT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('dictionary', 'allow_terms', 'allow_domains', 'sensitive_words', 'third_party_names')),
	content    TEXT NOT NULL,
	updated_at TIMESTAMPTZ NOT NULL,
	updated_by TEXT NOT NULL,
	PRIMARY KEY (site_id, kind)
);
