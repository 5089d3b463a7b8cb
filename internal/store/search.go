package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/search/analysis"
)

// The search outbox (migration 0004). Every change to what 一网通查 finds
// records the changed item with searchChanged in its own transaction; the
// rows are written just before that transaction commits, so they exist if
// and only if the change does. Each serve process reads them after the
// position its index has applied (internal/search/replica).

// Kinds of outbox rows: what changed, and so which source the consumer
// reads. A module that makes something else searchable adds its kind and
// calls searchChanged in its own transactions. (Annual reports need none:
// they are published as documents, through tx.publish.)
const (
	// SearchKindDocument: the id is a document's; its public version was
	// published, revised, withdrawn or changed validity.
	SearchKindDocument = "document"
	// SearchKindGuide: the id is a site's; its 政府信息公开指南 changed.
	SearchKindGuide = "guide"
	// SearchKindSynonyms: the synonym list changed (id 0).
	SearchKindSynonyms = "synonyms"
)

// SearchRetention is how long outbox rows are kept. A node whose index is
// further behind than that rebuilds it from the database.
const SearchRetention = 7 * 24 * time.Hour

type searchKey struct {
	kind string
	id   int64
}

// searchChanged records that an item's searchable state changes in this
// transaction. The outbox rows are written by Commit, after everything
// else the transaction does, so the lock that orders them is held only
// for the commit itself.
func (tx *Tx) searchChanged(kind string, ids ...int64) {
	for _, id := range ids {
		k := searchKey{kind, id}
		if tx.searchSeen == nil {
			tx.searchSeen = map[searchKey]bool{}
		}
		if !tx.searchSeen[k] {
			tx.searchSeen[k] = true
			tx.search = append(tx.search, k)
		}
	}
}

// flushSearch writes the outbox rows recorded with searchChanged. The seq
// numbers come from search_outbox_head under its row lock, held until the
// commit that follows: writers of the outbox therefore commit in seq order,
// and the numbers have no gaps (a rolled-back transaction gives its numbers
// back). A reader that sees seq N has seen every seq below it.
func (tx *Tx) flushSearch() error {
	if len(tx.search) == 0 {
		return nil
	}
	// The caller's context may already be done at commit time in
	// principle; the statements are short, so a fresh one is used.
	ctx := context.Background()
	var last int64
	if err := tx.QueryRowContext(ctx, `UPDATE search_outbox_head SET seq = seq + $1 WHERE id = 1 RETURNING seq`, len(tx.search)).Scan(&last); err != nil {
		return err
	}
	first := last - int64(len(tx.search)) + 1
	at := ts(tx.now)
	for start := 0; start < len(tx.search); start += 500 {
		chunk := tx.search[start:min(start+500, len(tx.search))]
		var b strings.Builder
		b.WriteString(`INSERT INTO search_outbox (seq, kind, item_id, created_at) VALUES `)
		args := make([]any, 0, len(chunk)*3+1)
		args = append(args, at)
		for i, k := range chunk {
			if i > 0 {
				b.WriteByte(',')
			}
			args = append(args, first+int64(start+i), k.kind, k.id)
			n := len(args)
			b.WriteString("($" + strconv.Itoa(n-2) + ",$" + strconv.Itoa(n-1) + ",$" + strconv.Itoa(n) + ",$1)")
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	tx.search, tx.searchSeen = nil, nil
	tx.afterCommit = append(tx.afterCommit, tx.db.notifySearch)
	return nil
}

// searchWatch holds the listeners told when this process commits outbox
// rows, so its own index applies them at once instead of at the next poll.
type searchWatch struct {
	mu        sync.Mutex
	listeners []func()
}

// OnSearchChange registers fn to run after every commit of this process
// that wrote outbox rows. Changes by other processes are found by polling
// SearchChanges.
func (db *DB) OnSearchChange(fn func()) {
	db.searchWatch.mu.Lock()
	db.searchWatch.listeners = append(db.searchWatch.listeners, fn)
	db.searchWatch.mu.Unlock()
}

func (db *DB) notifySearch() {
	db.searchWatch.mu.Lock()
	ls := append([]func(){}, db.searchWatch.listeners...)
	db.searchWatch.mu.Unlock()
	for _, f := range ls {
		f()
	}
}

// SearchChange is one outbox row.
type SearchChange struct {
	Seq  int64
	Kind string
	ID   int64
	At   time.Time
}

// SearchChanges returns up to limit outbox rows after seq, in order.
func (db *DB) SearchChanges(ctx context.Context, after int64, limit int) ([]SearchChange, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT seq, kind, item_id, created_at FROM search_outbox WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SearchChange
	for rows.Next() {
		var c SearchChange
		if err := rows.Scan(&c.Seq, &c.Kind, &c.ID, &c.At); err != nil {
			return nil, err
		}
		c.At = c.At.UTC()
		out = append(out, c)
	}
	return out, rows.Err()
}

// SearchOutboxState returns the last seq handed out and the last seq
// pruned: an index that applied less than pruned must be rebuilt.
func (db *DB) SearchOutboxState(ctx context.Context) (head, pruned int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT seq, pruned FROM search_outbox_head WHERE id = 1`).Scan(&head, &pruned)
	return head, pruned, err
}

// PruneSearchOutbox deletes the rows older than SearchRetention and
// records the last seq deleted. It runs on one node (a River job).
func (db *DB) PruneSearchOutbox(ctx context.Context) (int, error) {
	var n int
	err := db.inTx(ctx, func(tx *Tx) error {
		cutoff := ts(tx.now.Add(-SearchRetention))
		var last *int64
		if err := tx.QueryRowContext(ctx, `SELECT MAX(seq) FROM search_outbox WHERE created_at < $1`, cutoff).Scan(&last); err != nil {
			return err
		}
		if last == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM search_outbox WHERE seq <= $1`, *last)
		if err != nil {
			return err
		}
		m, err := res.RowsAffected()
		if err != nil {
			return err
		}
		n = int(m)
		_, err = tx.ExecContext(ctx, `UPDATE search_outbox_head SET pruned = $1 WHERE id = 1 AND pruned < $1`, *last)
		return err
	})
	return n, err
}

// SearchDocument is a document as the search index needs it: its public
// version, or for a document no longer on the portal just enough to remove
// it from the index.
type SearchDocument struct {
	ID    int64
	State gongkai.PublicState
	// IndexNo is the 索引号, the document's key in the index.
	IndexNo string
	SiteID  int64
	OrgCode string
	OrgName string
	// OrgPath holds the codes of the org and all its ancestors, so a filter
	// on an org finds its whole subtree.
	OrgPath     []string
	Title       string
	Body        string // sanitised HTML
	Summary     string
	Keywords    []string
	DocNo       string
	Genre       string // codes of internal/taxonomy
	Topic       string
	Validity    string
	Year        int
	PublishedAt time.Time
	Columns     []int64
	// Interprets is set for a 解读 (it interprets another document),
	// AnnualReport for the document of an annual report.
	Interprets   bool
	AnnualReport bool
	Attachments  []gongkai.Attachment
}

const searchDocSelect = `SELECT p.id, p.state, p.index_no, p.site_id, p.org_id, p.title, p.body, p.summary, p.keywords, p.doc_no, p.genre, p.topic,
	p.validity, p.year, p.published_at, p.attachments FROM document_public p`

// FindSearchDocuments returns the documents with the given ids that have a
// public version (in any state).
func (db *DB) FindSearchDocuments(ctx context.Context, ids []int64) ([]*SearchDocument, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []*SearchDocument
	err := db.inReadTx(ctx, func(tx *Tx) error {
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			docs, err := tx.searchDocuments(ctx, searchDocSelect+` WHERE p.id IN (`+idList(chunk)+`)`)
			if err != nil {
				return err
			}
			out = append(out, docs...)
		}
		return nil
	})
	return out, err
}

// ScanSearchDocuments returns up to limit published documents with ids
// above after, in id order: a full rebuild pages through them.
func (db *DB) ScanSearchDocuments(ctx context.Context, after int64, limit int) ([]*SearchDocument, error) {
	var out []*SearchDocument
	err := db.inReadTx(ctx, func(tx *Tx) (err error) {
		out, err = tx.searchDocuments(ctx, searchDocSelect+` WHERE p.state = 'published' AND p.id > $1 ORDER BY p.id LIMIT $2`, after, limit)
		return err
	})
	return out, err
}

// CountSearchDocuments returns the number of published documents, for a
// rebuild's progress.
func (db *DB) CountSearchDocuments(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM document_public WHERE state = 'published'`).Scan(&n)
	return n, err
}

func (tx *Tx) searchDocuments(ctx context.Context, query string, args ...any) ([]*SearchDocument, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []*SearchDocument
	byID := map[int64]*SearchDocument{}
	orgIDs := map[*SearchDocument]int64{}
	for rows.Next() {
		var d SearchDocument
		var orgID int64
		var keywords, attachments string
		if err := rows.Scan(&d.ID, &d.State, &d.IndexNo, &d.SiteID, &orgID, &d.Title, &d.Body, &d.Summary, &keywords, &d.DocNo, &d.Genre, &d.Topic,
			&d.Validity, &d.Year, &d.PublishedAt, &attachments); err != nil {
			rows.Close()
			return nil, err
		}
		d.PublishedAt = d.PublishedAt.UTC()
		d.Keywords = splitLines(keywords)
		if err := json.Unmarshal([]byte(attachments), &d.Attachments); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, &d)
		byID[d.ID] = &d
		orgIDs[&d] = orgID
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, nil
	}
	orgs, err := tx.searchOrgs(ctx)
	if err != nil {
		return nil, err
	}
	for d, id := range orgIDs {
		o := orgs[id]
		if o == nil {
			continue
		}
		d.OrgCode, d.OrgName = o.code, o.name
		for _, a := range o.path {
			if x := orgs[a]; x != nil {
				d.OrgPath = append(d.OrgPath, x.code)
			}
		}
	}
	ids := make([]int64, len(out))
	for i, d := range out {
		ids[i] = d.ID
	}
	rows, err = tx.QueryContext(ctx, `SELECT document_id, column_id FROM document_public_columns WHERE document_id IN (`+idList(ids)+`) ORDER BY document_id, column_id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var doc, col int64
		if err := rows.Scan(&doc, &col); err != nil {
			rows.Close()
			return nil, err
		}
		byID[doc].Columns = append(byID[doc].Columns, col)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, flag := range []struct {
		query string
		set   func(*SearchDocument)
	}{
		{`SELECT DISTINCT from_id FROM document_public_relations WHERE kind = 'interprets' AND from_id IN (`, func(d *SearchDocument) { d.Interprets = true }},
		{`SELECT document_id FROM annual_reports WHERE document_id IN (`, func(d *SearchDocument) { d.AnnualReport = true }},
	} {
		rows, err = tx.QueryContext(ctx, flag.query+idList(ids)+`)`)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if d := byID[id]; d != nil {
				flag.set(d)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type searchOrg struct {
	code, name string
	path       []int64
}

// searchOrgs reads the org tree: a few hundred rows, once per batch.
func (tx *Tx) searchOrgs(ctx context.Context) (map[int64]*searchOrg, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, code, name, path FROM orgs`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*searchOrg{}
	for rows.Next() {
		var id int64
		var o searchOrg
		var path string
		if err := rows.Scan(&id, &o.code, &o.name, &path); err != nil {
			return nil, err
		}
		o.path = parsePath(path)
		out[id] = &o
	}
	return out, rows.Err()
}

// SearchGuide is a site's 政府信息公开指南 as the search index needs it.
type SearchGuide struct {
	Site  *gongkai.Site
	Guide *gongkai.Guide
	// OrgPath holds the codes of the site's org and its ancestors.
	OrgPath []string
	OrgName string
	// ColumnID and Path are the guide column's; a site without one has no
	// guide page and is not returned.
	ColumnID int64
	Path     string
}

// FindSearchGuides returns the guides of the given sites (every site when
// siteIDs is nil) that have a guide page.
func (db *DB) FindSearchGuides(ctx context.Context, siteIDs []int64) ([]*SearchGuide, error) {
	var out []*SearchGuide
	err := db.inReadTx(ctx, func(tx *Tx) error {
		where := ""
		if siteIDs != nil {
			if len(siteIDs) == 0 {
				return nil
			}
			where = ` WHERE s.id IN (` + idList(siteIDs) + `)`
		}
		sites, err := tx.findSites(ctx, where)
		if err != nil {
			return err
		}
		orgs, err := tx.searchOrgs(ctx)
		if err != nil {
			return err
		}
		for _, site := range sites {
			g := &SearchGuide{Site: site}
			err := tx.QueryRowContext(ctx, `SELECT id, path FROM site_columns WHERE site_id = $1 AND kind = 'guide' ORDER BY sort, id LIMIT 1`, site.ID).Scan(&g.ColumnID, &g.Path)
			if isNoRows(err) {
				continue
			}
			if err != nil {
				return err
			}
			o := orgs[site.OrgID]
			if o == nil {
				continue
			}
			g.OrgName = o.name
			for _, a := range o.path {
				if x := orgs[a]; x != nil {
					g.OrgPath = append(g.OrgPath, x.code)
				}
			}
			org, err := tx.findOrgByID(ctx, site.OrgID)
			if err != nil {
				return err
			}
			g.Guide = defaultGuide(site, org)
			err = tx.QueryRowContext(ctx, `SELECT classification, arrangement, access, office_name, address, hours, phone, fax, email, updated_at, updated_by FROM site_guides WHERE site_id = $1`, site.ID).
				Scan(&g.Guide.Classification, &g.Guide.Arrangement, &g.Guide.Access, &g.Guide.OfficeName, &g.Guide.Address, &g.Guide.Hours, &g.Guide.Phone, &g.Guide.Fax, &g.Guide.Email, &g.Guide.UpdatedAt, &g.Guide.UpdatedBy)
			if err != nil && !isNoRows(err) {
				return err
			}
			g.Guide.UpdatedAt = g.Guide.UpdatedAt.UTC()
			out = append(out, g)
		}
		return nil
	})
	return out, err
}

// AttachmentText returns the stored extracted text of attachments, by
// SHA-256; files not extracted yet are absent from the map.
func (db *DB) AttachmentText(ctx context.Context, sums []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(sums); start += 500 {
		chunk := sums[start:min(start+500, len(sums))]
		args := make([]any, len(chunk))
		ph := make([]string, len(chunk))
		for i, s := range chunk {
			args[i], ph[i] = s, "$"+strconv.Itoa(i+1)
		}
		rows, err := db.read.QueryContext(ctx, `SELECT sha256, text FROM search_attachment_text WHERE sha256 IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var sum, text string
			if err := rows.Scan(&sum, &text); err != nil {
				rows.Close()
				return nil, err
			}
			out[sum] = text
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SaveAttachmentText stores the extracted text of a file. The content
// behind a SHA-256 never changes, so the first text stored stays.
func (db *DB) SaveAttachmentText(ctx context.Context, sum, text string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO search_attachment_text (sha256, text, extracted_at) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`, sum, text, ts(tx.now))
		return err
	})
}

const synonymsKey = "search.synonyms"

type storedSynonyms struct {
	Text      string    `json:"text"`
	UpdatedBy string    `json:"updatedBy"`
	UpdatedAt time.Time `json:"updatedAt"`
}

var _ gongkai.SearchSettingsService = (*DB)(nil)

// FindSearchSynonyms returns the synonym list in force: the saved one, or
// the shipped default.
func (db *DB) FindSearchSynonyms(ctx context.Context) (*gongkai.SearchSynonyms, error) {
	v, ok, err := db.Setting(ctx, synonymsKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return &gongkai.SearchSynonyms{Text: analysis.DefaultSynonymsText(), Default: true}, nil
	}
	var s storedSynonyms
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return nil, err
	}
	return &gongkai.SearchSynonyms{Text: s.Text, UpdatedAt: s.UpdatedAt.UTC(), UpdatedBy: s.UpdatedBy}, nil
}

// UpdateSearchSynonyms validates and saves the synonym list (an empty text
// restores the shipped one) and tells every node through the outbox.
func (db *DB) UpdateSearchSynonyms(ctx context.Context, text string) (*gongkai.SearchSynonyms, error) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	if len(text) > 256<<10 {
		return nil, gongkai.FieldError("synonyms", "同义词表过长（不超过256 KB）。")
	}
	if strings.TrimSpace(text) != "" {
		if _, err := analysis.ParseSynonyms(text); err != nil {
			return nil, err
		}
	}
	var out *gongkai.SearchSynonyms
	err := db.inTx(ctx, func(tx *Tx) error {
		if !tx.canAdministerRoot(ctx) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有顶级机构的管理员可以修改检索同义词表。")
		}
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, synonymsKey).Scan(&before); err != nil && !isNoRows(err) {
			return err
		}
		var after any
		if strings.TrimSpace(text) == "" {
			if _, err := tx.ExecContext(ctx, `DELETE FROM settings WHERE key = $1`, synonymsKey); err != nil {
				return err
			}
			out = &gongkai.SearchSynonyms{Text: analysis.DefaultSynonymsText(), Default: true}
			after = map[string]any{"default": true}
		} else {
			s := storedSynonyms{Text: text, UpdatedBy: tx.actor.Name, UpdatedAt: tx.now}
			if s.UpdatedBy == "" {
				s.UpdatedBy = tx.actor.Username
			}
			b, err := json.Marshal(s)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, synonymsKey, string(b), ts(tx.now)); err != nil {
				return err
			}
			out = &gongkai.SearchSynonyms{Text: text, UpdatedAt: tx.now, UpdatedBy: s.UpdatedBy}
			after = jsonRaw(string(b))
		}
		var beforeJSON any
		if before != "" {
			beforeJSON = jsonRaw(before)
		}
		tx.searchChanged(SearchKindSynonyms, 0)
		return tx.audit(ctx, auditEntry{Action: "search.synonyms", ObjectType: "setting", ObjectID: synonymsKey, Before: beforeJSON, After: after})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
