package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/indexno"
	"gongkai/internal/taxonomy"
)

// Everything that changes what the public sees goes through this file:
//
//   - publish: a working copy becomes the public version (first publication,
//     a revision, a scheduled publication);
//   - withdrawPublic: a document leaves lists and feeds (withdrawn) or the
//     portal altogether (published in error);
//   - setValidity: a later document repeals or amends an earlier one, or
//     its 有效期 runs out (ExpireDocuments, expire.go);
//   - importDocuments (import.go) writes public versions in batches.
//
// Each calls publicChanged with the documents it touched, in the same
// transaction, and records the document whose public version it changed
// with searchChanged (search.go), so the search outbox row lands in the
// same commit as the change.

// publish makes d's working copy its public version. d must have been
// loaded by loadDocument in this transaction.
func (tx *Tx) publish(ctx context.Context, d *gongkai.Document, org *gongkai.Org) error {
	if !taxonomy.Disclosure(d.Disclosure).Public() {
		return gongkai.FieldError("disclosure", "公开属性不是“主动公开”的文件不能在网站上发布。")
	}
	first := d.IndexNo == ""
	if first {
		no, err := tx.nextIndexNo(ctx, org, tx.now)
		if err != nil {
			return err
		}
		d.IndexNo, d.PublishedAt = no, tx.now
	}
	// A term that ran out while the document was in review or waiting for
	// its schedule: it goes out 失效, as the expiry job would mark it.
	if d.ApplyTerm(gongkai.DateOf(tx.now)) {
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET validity = $1, validity_on = $2 WHERE id = $3`, d.Validity, d.ValidityOn, d.ID); err != nil {
			return err
		}
	}
	d.Version++
	note := d.RevisionNote
	if first {
		note = "首次发布"
	}
	attachments, err := json.Marshal(d.Attachments)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_public (id, site_id, org_id, state, index_no, title, body, summary, keywords, issuers, doc_no, genre, topic,
		signed_on, validity, validity_on, replaced_by, published_at, updated_at, year, version, attachments, effective_on, valid_until)
		VALUES ($1, $2, $3, 'published', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		ON CONFLICT (id) DO UPDATE SET state = 'published', title = excluded.title, body = excluded.body, summary = excluded.summary, keywords = excluded.keywords,
		issuers = excluded.issuers, doc_no = excluded.doc_no, genre = excluded.genre, topic = excluded.topic, signed_on = excluded.signed_on,
		validity = excluded.validity, validity_on = excluded.validity_on, replaced_by = excluded.replaced_by, updated_at = excluded.updated_at,
		version = excluded.version, attachments = excluded.attachments, effective_on = excluded.effective_on, valid_until = excluded.valid_until,
		withdrawn_at = NULL, withdraw_reason = ''`,
		d.ID, d.SiteID, d.OrgID, d.IndexNo, d.Title, d.Body, d.Summary, joinLines(d.Keywords), joinLines(d.Issuers), d.DocNo, d.Genre, d.Topic,
		d.SignedOn, d.Validity, d.ValidityOn, nullInt(d.ReplacedBy), ts(d.PublishedAt), ts(tx.now), gongkai.DateOf(d.PublishedAt).Year, d.Version, string(attachments),
		d.EffectiveOn, d.ValidUntil); err != nil {
		if uniqueOn(err, "index_no") {
			return gongkai.Errorf(gongkai.ECONFLICT, "索引号“%s”已被其他文件使用。", d.IndexNo)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_public_columns WHERE document_id = $1`, d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_public_columns (column_id, published_at, document_id) SELECT column_id, $1, document_id FROM document_columns WHERE document_id = $2`,
		ts(d.PublishedAt), d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_public_relations WHERE from_id = $1`, d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_public_relations (from_id, kind, to_id) SELECT from_id, kind, to_id FROM document_relations WHERE from_id = $1`, d.ID); err != nil {
		return err
	}
	changed := []int64{d.ID}
	today := gongkai.DateOf(tx.now)
	for _, rel := range []struct {
		ids []int64
		v   taxonomy.Validity
	}{{d.Repeals, taxonomy.ValidityRepealed}, {d.Amends, taxonomy.ValidityAmended}} {
		for _, target := range rel.ids {
			ok, err := tx.setValidity(ctx, target, rel.v, today, d.ID)
			if err != nil {
				return err
			}
			if ok {
				changed = append(changed, target)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO document_versions (document_id, version, published_at, note) VALUES ($1, $2, $3, $4)`,
		d.ID, d.Version, ts(tx.now), note); err != nil {
		return err
	}
	d.Status, d.ReviewLevel, d.PublishAt, d.RevisionNote, d.UpdatedAt, d.Live = gongkai.DocumentPublished, 0, time.Time{}, "", tx.now, true
	d.URL = gongkai.DocumentPath(d.ID)
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'published', review_level = 0, index_no = $1, published_at = $2, version = $3, publish_at = NULL,
		revision_note = '', body = NULL, updated_at = $4 WHERE id = $5`, d.IndexNo, ts(d.PublishedAt), d.Version, ts(tx.now), d.ID); err != nil {
		if uniqueOn(err, "index_no") {
			return gongkai.Errorf(gongkai.ECONFLICT, "索引号“%s”已被其他文件使用。", d.IndexNo)
		}
		return err
	}
	if err := tx.event(ctx, d, 0, "publish", note); err != nil {
		return err
	}
	tx.searchChanged(SearchKindDocument, d.ID)
	if err := tx.audit(ctx, auditEntry{Action: "document.publish", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org,
		After: map[string]any{"indexNo": d.IndexNo, "version": d.Version, "note": note}}); err != nil {
		return err
	}
	if err := tx.freezeReport(ctx, d, org); err != nil {
		return err
	}
	return tx.publicChanged(ctx, changed...)
}

// setValidity marks a published document repealed or amended by another
// (or back to valid when by is 0), on its working copy and its public
// version. It reports whether the target was public.
func (tx *Tx) setValidity(ctx context.Context, id int64, v taxonomy.Validity, on gongkai.Date, by int64) (bool, error) {
	var onArg any = on
	if v.InForce() {
		onArg = nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET validity = $1, validity_on = $2, replaced_by = $3 WHERE id = $4`, string(v), onArg, nullInt(by), id); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE document_public SET validity = $1, validity_on = $2, replaced_by = $3 WHERE id = $4 AND state <> 'erroneous'`, string(v), onArg, nullInt(by), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	tx.searchChanged(SearchKindDocument, id)
	var orgID int64
	if err := tx.QueryRowContext(ctx, `SELECT org_id FROM documents WHERE id = $1`, id).Scan(&orgID); err != nil {
		return false, err
	}
	org, err := tx.findOrgByID(ctx, orgID)
	if err != nil {
		return false, err
	}
	return true, tx.audit(ctx, auditEntry{Action: "document.validity", ObjectType: "document", ObjectID: itoa64(id), Org: org,
		After: map[string]any{"validity": v, "validityOn": on, "replacedBy": by}})
}

// withdrawPublic takes d off lists and feeds; a document published in
// error also loses its page and its effect on the documents it repealed or
// amended.
func (tx *Tx) withdrawPublic(ctx context.Context, d *gongkai.Document, mode gongkai.WithdrawMode, reason string) error {
	state := gongkai.PublicWithdrawn
	if mode == gongkai.WithdrawErroneous {
		state = gongkai.PublicErroneous
	}
	if _, err := tx.ExecContext(ctx, `UPDATE document_public SET state = $1, withdrawn_at = $2, withdraw_reason = $3 WHERE id = $4`,
		string(state), ts(tx.now), reason, d.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_public_columns WHERE document_id = $1`, d.ID); err != nil {
		return err
	}
	tx.searchChanged(SearchKindDocument, d.ID)
	changed := []int64{d.ID}
	if mode == gongkai.WithdrawErroneous {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM documents WHERE replaced_by = $1`, d.ID)
		if err != nil {
			return err
		}
		var targets []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			targets = append(targets, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range targets {
			if _, err := tx.setValidity(ctx, id, taxonomy.ValidityValid, gongkai.Date{}, 0); err != nil {
				return err
			}
			changed = append(changed, id)
		}
	}
	return tx.publicChanged(ctx, changed...)
}

// publicChanged records that what the portal shows has changed: it bumps
// the generation every node's page cache checks, and tells this process's
// listeners once the transaction commits. ids are the documents whose
// public version changed (none for a column or guide change); the search
// outbox is written by the transitions themselves (searchChanged).
func (tx *Tx) publicChanged(ctx context.Context, ids ...int64) error {
	_ = ids
	if _, err := tx.ExecContext(ctx, `UPDATE public_changes SET gen = gen + 1, at = $1 WHERE id = 1`, ts(tx.now)); err != nil {
		return err
	}
	tx.afterCommit = append(tx.afterCommit, tx.db.notifyPublic)
	return nil
}

// publicWatch holds the listeners told about public changes, and the
// counts of portal lists, which change only with them.
type publicWatch struct {
	mu        sync.Mutex
	listeners []func()
	seen      int64
	// gen counts the changes this process has been told of; a count is
	// kept only if no change happened while it was taken.
	gen    uint64
	counts map[string]int
}

// memoCount returns the count query's result, from memory while nothing
// public has changed. Counting a column of tens of thousands of documents
// is the most expensive part of a list page, and the number only changes
// when something is published or withdrawn.
func (tx *Tx) memoCount(ctx context.Context, query string, args ...any) (int, error) {
	p := &tx.db.public
	key := query + fmt.Sprint(args...)
	p.mu.Lock()
	n, ok := p.counts[key]
	gen := p.gen
	p.mu.Unlock()
	if ok {
		return n, nil
	}
	if err := tx.hotQueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	p.mu.Lock()
	if p.gen == gen {
		if p.counts == nil || len(p.counts) > 10000 {
			p.counts = map[string]int{}
		}
		p.counts[key] = n
	}
	p.mu.Unlock()
	return n, nil
}

// OnPublicChange registers fn to run after every committed change the
// portal shows: at once for changes made by this process, within the
// WatchPublic interval for changes made by other nodes or commands.
func (db *DB) OnPublicChange(fn func()) {
	db.public.mu.Lock()
	db.public.listeners = append(db.public.listeners, fn)
	db.public.mu.Unlock()
}

func (db *DB) notifyPublic() {
	db.public.mu.Lock()
	db.public.gen++
	db.public.counts = nil
	ls := append([]func(){}, db.public.listeners...)
	db.public.mu.Unlock()
	for _, f := range ls {
		f()
	}
}

// PublicChangedAt returns the generation and instant of the last change the
// portal shows.
func (db *DB) PublicChangedAt(ctx context.Context) (int64, time.Time, error) {
	var gen int64
	var at time.Time
	err := db.read.QueryRowContext(ctx, `SELECT gen, at FROM public_changes WHERE id = 1`).Scan(&gen, &at)
	return gen, at.UTC(), err
}

// WatchPublic polls for changes made by other processes until ctx ends and
// tells the listeners when the generation moves.
func (db *DB) WatchPublic(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		gen, _, err := db.PublicChangedAt(ctx)
		if err != nil {
			continue
		}
		db.public.mu.Lock()
		moved := db.public.seen != 0 && gen != db.public.seen
		db.public.seen = gen
		db.public.mu.Unlock()
		if moved {
			db.notifyPublic()
		}
	}
}

// indexTemplate is the org's 索引号 template: its own, or the default for
// its identifiers (an org with only a 组织机构代码 numbers with that).
func (tx *Tx) indexTemplate(ctx context.Context, org *gongkai.Org) (indexno.Template, error) {
	var s string
	err := tx.QueryRowContext(ctx, `SELECT index_no_template FROM document_settings WHERE org_id = $1`, org.ID).Scan(&s)
	if err != nil && !isNoRows(err) {
		return indexno.Template{}, err
	}
	if s == "" {
		s = indexno.Default
		if org.CreditCode == "" {
			s = "{org_code}/{yyyy}-{seq:05}"
		}
	}
	return indexno.Parse(s)
}

func indexValues(org *gongkai.Org, at time.Time, seq int64) indexno.Values {
	local := at.In(gongkai.Shanghai)
	return indexno.Values{CreditCode: org.CreditCode, OrgCode: org.OrgCode, RegionCode: org.RegionCode, Code: org.Code,
		Year: local.Year(), Month: int(local.Month()), Seq: seq}
}

// nextIndexNo takes the next number of the org's counter for the scope of
// at. The counter row is updated in the publishing transaction, which
// serialises concurrent publications of one org on both databases, and a
// number is never handed out twice: a rolled-back publication rolls its
// increment back with it. A number already taken (an imported archive
// that used the same form) is skipped.
func (tx *Tx) nextIndexNo(ctx context.Context, org *gongkai.Org, at time.Time) (string, error) {
	t, err := tx.indexTemplate(ctx, org)
	if err != nil {
		return "", err
	}
	v := indexValues(org, at, 0)
	scope := t.SeqScope(v)
	for range 1000 {
		if err := tx.QueryRowContext(ctx, `INSERT INTO index_counters (org_id, scope, seq) VALUES ($1, $2, 1)
			ON CONFLICT (org_id, scope) DO UPDATE SET seq = index_counters.seq + 1 RETURNING seq`, org.ID, scope).Scan(&v.Seq); err != nil {
			return "", err
		}
		no, err := t.Format(v)
		if err != nil {
			return "", err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents WHERE index_no = $1`, no).Scan(&taken); err != nil {
			return "", err
		}
		if taken == 0 {
			return no, nil
		}
	}
	return "", fmt.Errorf("index numbers of %s in %s: 1000 taken in a row", org.Code, scope)
}

// idList formats ids for an IN list of trusted integers.
func idList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}
