package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// The content checks in the 三审 review (零差错, issue 7):
//
//   - on submission and at every approval the checks run on the working
//     copy (title, body, metadata, attachments) with the checker of the
//     document's site, and the result is stored with the step, in its
//     transaction;
//   - at the last level a block finding refuses the approval unless the
//     reviewer overrides it with a written reason, which is audited and
//     shown in the review history;
//   - published versions are rechecked when the checker changes (a site's
//     lists saved, a release with a new dictionary), and findings the
//     version was not published with are sent to the org's staff as
//     notices until a revision, a withdrawal or a written acceptance
//     settles them.
//
// Documents that reach the portal without review (gongkai import of
// archives already published elsewhere) are neither checked nor rechecked.

var _ gongkai.DocumentCheckService = (*DB)(nil)

// ContentChecker runs the content checks on a document: internal/checking
// implements it with the checker of the document's site, reading the
// attachments from the blob store.
type ContentChecker interface {
	// CheckDocument checks d's title, body, metadata and attachments.
	// publishedOn is the 发布日期 the document has or will have. The
	// result carries the findings, the checker's fingerprint and
	// dictionary version and the hash of the body text; the store fills
	// in the rest.
	CheckDocument(ctx context.Context, d *gongkai.Document, publishedOn gongkai.Date) (*gongkai.DocumentCheck, error)
	// Refresh rebuilds a site's checker from its lists as they are now
	// and returns its fingerprint.
	Refresh(ctx context.Context, siteID int64) (string, error)
}

// RecheckArgs is the River job that rechecks a site's published documents
// with the site's current checker. Saving one of the site's check lists
// enqueues it in the same transaction; the fingerprint sweep enqueues it
// when a release changed the shipped dictionary.
type RecheckArgs struct {
	SiteID int64 `json:"siteId"`
}

// Kind names the job in River's table.
func (RecheckArgs) Kind() string { return "document_recheck" }

// maxOverride caps a written override or acceptance reason.
const maxOverride = 500

// publishedOn is the 发布日期 the checks compare the 成文日期 with: the
// first publication for a revision, else the scheduled day or today.
func publishedOn(d *gongkai.Document, tx *Tx) gongkai.Date {
	switch {
	case !d.PublishedAt.IsZero():
		return gongkai.DateOf(d.PublishedAt)
	case !d.PublishAt.IsZero():
		return gongkai.DateOf(d.PublishAt)
	}
	return gongkai.DateOf(tx.now)
}

// checkKey identifies what a check of d reads, so a check made before the
// step's transaction is used only if the document did not change since.
func checkKey(d *gongkai.Document, day gongkai.Date) string {
	h := sha256.New()
	for _, s := range []string{strconv.FormatInt(d.ID, 10), strconv.FormatInt(d.SiteID, 10), d.Title, d.Body, d.Summary, d.DocNo,
		joinLines(d.Keywords), joinLines(d.Issuers), d.SignedOn.String(), day.String(),
		strconv.FormatBool(d.RequiredDisclosure), d.RequiredDisclosureReason} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	for _, a := range d.Attachments {
		h.Write([]byte(a.Name + "\x00" + a.SHA256 + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// precheck is a check run before the step's write transaction: extracting
// the text of attachments can take seconds, and on SQLite the write
// transaction holds the database's only writer.
type precheck struct {
	key   string
	check *gongkai.DocumentCheck
}

// precheck runs the checks on the document as the actor sees it now, for
// the step's transaction to reuse. Any failure returns nil: the step then
// checks inside its transaction and reports the error itself.
func (db *DB) precheck(ctx context.Context, id int64, wanted func(*gongkai.Document) bool) *precheck {
	if db.Checks == nil {
		return nil
	}
	var d *gongkai.Document
	var day gongkai.Date
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		if _, err := tx.docOrg(ctx, d); err != nil {
			return err
		}
		day = publishedOn(d, tx)
		return nil
	})
	if err != nil || !wanted(d) {
		return nil
	}
	c, err := db.Checks.CheckDocument(ctx, d, day)
	if err != nil {
		return nil
	}
	return &precheck{key: checkKey(d, day), check: c}
}

// runCheck checks d for a step: with the precheck when it read the same
// document, else now.
func (tx *Tx) runCheck(ctx context.Context, d *gongkai.Document, pre *precheck) (*gongkai.DocumentCheck, error) {
	day := publishedOn(d, tx)
	if pre != nil && pre.key == checkKey(d, day) {
		c := *pre.check
		c.Findings = append([]gongkai.CheckFinding(nil), pre.check.Findings...)
		return &c, nil
	}
	return tx.db.Checks.CheckDocument(ctx, d, day)
}

// checkStep runs the checks for a workflow step on d and stores the result
// in the step's transaction. At the last level of review it is the gate:
// block findings refuse the approval unless rv carries a written override,
// which is recorded on the check, in the review history and in the audit
// log. It does nothing when no checker is configured.
func (tx *Tx) checkStep(ctx context.Context, d *gongkai.Document, org *gongkai.Org, stage gongkai.CheckStage, level int, pre *precheck, rv gongkai.Review) (*gongkai.DocumentCheck, error) {
	if tx.db.Checks == nil {
		return nil, nil
	}
	c, err := tx.runCheck(ctx, d, pre)
	if err != nil {
		return nil, err
	}
	c.DocumentID, c.Version, c.Round, c.Stage, c.Level = d.ID, d.Version+1, d.Round, stage, level
	c.CheckedAt, c.CheckedBy = tx.now, actorName(tx.actor)
	c.RequiredDisclosure, c.RequiredDisclosureReason = d.RequiredDisclosure, d.RequiredDisclosureReason
	final := stage == gongkai.CheckAtReview && level == d.ReviewLevels
	block := c.Blocking()
	if final && len(block) > 0 {
		reason := strings.TrimSpace(rv.Override)
		switch {
		case reason == "":
			return nil, blockRefusal(block)
		case utf8.RuneCountInString(reason) > maxOverride:
			return nil, gongkai.FieldError("override", "放行理由不能超过500个字。")
		}
		if digest := gongkai.FindingsDigest(block); rv.Seen != "" && rv.Seen != digest {
			return nil, &gongkai.Error{Code: gongkai.ECONFLICT, Field: "override",
				Message:    fmt.Sprintf("您查看检查结果后，词典或检查清单有更新，须修改的问题已变为 %d 处。请查看最新的检查结果后再决定是否放行。", len(block)),
				Problems:   []gongkai.Problem{{Field: "override", Message: "检查结果已更新，请重新查看后再填写放行理由。"}},
				Extensions: map[string]any{"findings": block, "blockingDigest": digest}}
		}
		c.Override = &gongkai.CheckOverride{Reason: reason, ActorID: tx.actor.UserID, ActorName: actorName(tx.actor), At: tx.now}
	}
	c.Accepted = final
	if err := tx.saveCheck(ctx, c, d.SiteID); err != nil {
		return nil, err
	}
	if c.Override != nil {
		if err := tx.event(ctx, d, level, "override", overrideComment(c.Override.Reason, block)); err != nil {
			return nil, err
		}
		if err := tx.audit(ctx, auditEntry{Action: "document.override", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org,
			After: map[string]any{"check": c.ID, "level": level, "reason": c.Override.Reason, "fingerprint": c.Fingerprint, "findings": auditFindings(block)}}); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// blockRefusal is the answer to an approval at the last level without an
// override: the findings travel with the error so the reviewer (or the
// API client) sees what to fix or to override.
func blockRefusal(block []gongkai.CheckFinding) error {
	places := make([]string, 0, 3)
	for i, f := range block {
		if i == 3 {
			places = append(places, "……")
			break
		}
		places = append(places, f.Place()+"“"+f.SafeExcerpt()+"”")
	}
	msg := fmt.Sprintf("内容检查发现 %d 处须修改的问题（%s），终审不能直接通过。请退回修改；确需按原样发布的，请填写放行理由。", len(block), strings.Join(places, "、"))
	return &gongkai.Error{Code: gongkai.EINVALID, Field: "override", Message: msg,
		Problems:   []gongkai.Problem{{Field: "override", Message: "有须修改的问题时，终审通过须填写放行理由。"}},
		Extensions: map[string]any{"findings": block, "blockingDigest": gongkai.FindingsDigest(block)}}
}

// overrideComment is the review history's line for an override: the
// reason and the findings let stand (personal data masked).
func overrideComment(reason string, fs []gongkai.CheckFinding) string {
	var b strings.Builder
	b.WriteString(reason)
	b.WriteString("（放行的问题：")
	for i, f := range fs {
		if i > 0 {
			b.WriteString("；")
		}
		if i == 10 {
			b.WriteString("等 " + strconv.Itoa(len(fs)) + " 处")
			break
		}
		b.WriteString(f.Place() + "“" + f.SafeExcerpt() + "”")
	}
	b.WriteString("）")
	return b.String()
}

// auditFinding is a finding as the audit log keeps it: which rule where,
// with personal data masked.
type auditFinding struct {
	Rule    string `json:"rule"`
	Source  string `json:"source"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Excerpt string `json:"excerpt"`
}

func auditFindings(fs []gongkai.CheckFinding) []auditFinding {
	out := make([]auditFinding, 0, len(fs))
	for _, f := range fs {
		out = append(out, auditFinding{Rule: f.Rule, Source: f.Source, Start: f.Start, End: f.End, Line: f.Line, Col: f.Col, Excerpt: f.SafeExcerpt()})
	}
	return out
}

// saveCheck inserts a check and its findings and sets c.ID.
func (tx *Tx) saveCheck(ctx context.Context, c *gongkai.DocumentCheck, siteID int64) error {
	var by any
	var byName, reason string
	var at any
	if o := c.Override; o != nil {
		by, byName, reason, at = nullInt(o.ActorID), o.ActorName, o.Reason, ts(o.At)
	}
	newCount := len(c.NewFindings())
	err := tx.QueryRowContext(ctx, `INSERT INTO document_checks (document_id, version, round, stage, level, site_id, fingerprint, dictionary_version,
		required_disclosure, required_disclosure_reason, body_hash, blocking, new_findings, accepted, override_reason, override_by, override_by_name, override_at,
		checked_at, checked_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id`,
		c.DocumentID, c.Version, c.Round, string(c.Stage), c.Level, siteID, c.Fingerprint, c.DictionaryVersion,
		c.RequiredDisclosure, c.RequiredDisclosureReason, c.BodyHash, c.Count(gongkai.CheckBlock), newCount, c.Accepted, reason, by, byName, at,
		ts(c.CheckedAt), c.CheckedBy).Scan(&c.ID)
	if err != nil {
		return err
	}
	for i, f := range c.Findings {
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_check_findings (check_id, position, rule, severity, source, span_start, span_end, line, col,
			excerpt, context, message, suggestion, reason, is_new) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			c.ID, i, f.Rule, string(f.Severity), f.Source, f.Start, f.End, f.Line, f.Col, f.Excerpt, f.Context, f.Message, f.Suggestion, f.Reason, f.New); err != nil {
			return err
		}
	}
	return nil
}

// loadChecks reads checks (newest first) with their findings; where is a
// condition on document_checks c.
func (tx *Tx) loadChecks(ctx context.Context, where string, args ...any) ([]*gongkai.DocumentCheck, error) {
	return tx.loadChecksLimit(ctx, where, 0, args...)
}

// loadChecksLimit is loadChecks with a limit (0: none).
func (tx *Tx) loadChecksLimit(ctx context.Context, where string, limit int, args ...any) ([]*gongkai.DocumentCheck, error) {
	tail := ""
	if limit > 0 {
		tail = " LIMIT " + strconv.Itoa(limit)
	}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.document_id, c.version, c.round, c.stage, c.level, c.fingerprint, c.dictionary_version,
		c.required_disclosure, c.required_disclosure_reason, c.body_hash, c.accepted, c.override_reason, COALESCE(c.override_by, 0), c.override_by_name,
		c.override_at, c.checked_at, c.checked_by FROM document_checks c `+where+` ORDER BY c.id DESC`+tail, args...)
	if err != nil {
		return nil, err
	}
	var out []*gongkai.DocumentCheck
	for rows.Next() {
		c := &gongkai.DocumentCheck{Findings: []gongkai.CheckFinding{}}
		var o gongkai.CheckOverride
		var at sql.NullTime
		if err := rows.Scan(&c.ID, &c.DocumentID, &c.Version, &c.Round, &c.Stage, &c.Level, &c.Fingerprint, &c.DictionaryVersion,
			&c.RequiredDisclosure, &c.RequiredDisclosureReason, &c.BodyHash, &c.Accepted, &o.Reason, &o.ActorID, &o.ActorName,
			&at, &c.CheckedAt, &c.CheckedBy); err != nil {
			rows.Close()
			return nil, err
		}
		c.CheckedAt = c.CheckedAt.UTC()
		if at.Valid {
			o.At = at.Time.UTC()
			c.Override = &o
		}
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, c := range out {
		if err := tx.loadFindings(ctx, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (tx *Tx) loadFindings(ctx context.Context, c *gongkai.DocumentCheck) error {
	rows, err := tx.QueryContext(ctx, `SELECT rule, severity, source, span_start, span_end, line, col, excerpt, context, message, suggestion, reason, is_new
		FROM document_check_findings WHERE check_id = $1 ORDER BY position`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f gongkai.CheckFinding
		if err := rows.Scan(&f.Rule, &f.Severity, &f.Source, &f.Start, &f.End, &f.Line, &f.Col, &f.Excerpt, &f.Context, &f.Message,
			&f.Suggestion, &f.Reason, &f.New); err != nil {
			return err
		}
		c.Findings = append(c.Findings, f)
	}
	return rows.Err()
}

// RunDocumentCheck checks the working copy as it stands, for the editor's
// screen; nothing is stored.
func (db *DB) RunDocumentCheck(ctx context.Context, id int64) (*gongkai.DocumentCheck, error) {
	if db.Checks == nil {
		return nil, gongkai.Errorf(gongkai.EUNAVAILABLE, "内容检查未启用。")
	}
	var d *gongkai.Document
	var day gongkai.Date
	var by string
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		if _, err := tx.docOrg(ctx, d); err != nil {
			return err
		}
		day, by = publishedOn(d, tx), actorName(tx.actor)
		return nil
	})
	if err != nil {
		return nil, err
	}
	c, err := db.Checks.CheckDocument(ctx, d, day)
	if err != nil {
		return nil, err
	}
	c.DocumentID, c.Version, c.Round, c.Stage = d.ID, d.Version+1, d.Round, gongkai.CheckAtDraft
	c.CheckedAt, c.CheckedBy = db.Now().UTC(), by
	c.RequiredDisclosure, c.RequiredDisclosureReason = d.RequiredDisclosure, d.RequiredDisclosureReason
	return c, nil
}

// FindDocumentChecks returns a document's stored checks, newest first (at
// most 50).
func (db *DB) FindDocumentChecks(ctx context.Context, id int64) ([]*gongkai.DocumentCheck, error) {
	var out []*gongkai.DocumentCheck
	err := db.inReadTx(ctx, func(tx *Tx) error {
		d, err := tx.loadDocument(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.docOrg(ctx, d); err != nil {
			return err
		}
		out, err = tx.loadChecksLimit(ctx, `WHERE c.document_id = $1`, 50, id)
		return err
	})
	if out == nil {
		out = []*gongkai.DocumentCheck{}
	}
	return out, err
}

// AcceptFindings records that the open findings of a published document's
// latest recheck need no change, with the reason. The org's final
// reviewers and its admins may: it is the same decision as an override at
// the last level of review.
func (db *DB) AcceptFindings(ctx context.Context, id, checkID int64, reason string) (*gongkai.DocumentCheck, error) {
	var c *gongkai.DocumentCheck
	err := db.inTx(ctx, func(tx *Tx) error {
		d, err := tx.loadDocument(ctx, id)
		if err != nil {
			return err
		}
		org, err := tx.docOrg(ctx, d)
		if err != nil {
			return err
		}
		a := tx.actor
		if !a.HasRole(gongkai.ReviewerRole(d.ReviewLevels), org.ID) && !a.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "确认复查问题须由“%s”的%s人员或管理员操作。", org.Name, gongkai.ReviewLevelLabel(d.ReviewLevels, d.ReviewLevels))
		}
		if c, err = tx.openCheck(ctx, id); err != nil {
			return err
		}
		if c == nil {
			return gongkai.Errorf(gongkai.ECONFLICT, "该文件没有待处理的复查问题。")
		}
		if checkID != 0 && checkID != c.ID {
			return gongkai.Errorf(gongkai.ECONFLICT, "该文件在您查看后又经过一次复查，请查看最新的复查结果后再确认。")
		}
		reason = strings.TrimSpace(reason)
		switch {
		case reason == "":
			return gongkai.FieldError("reason", "请写明无需修改的理由（如“经核实为依法公开的内容”）。")
		case utf8.RuneCountInString(reason) > maxOverride:
			return gongkai.FieldError("reason", "理由不能超过500个字。")
		}
		c.Accepted = true
		c.Override = &gongkai.CheckOverride{Reason: reason, ActorID: a.UserID, ActorName: actorName(a), At: tx.now}
		if _, err := tx.ExecContext(ctx, `UPDATE document_checks SET accepted = TRUE, override_reason = $1, override_by = $2, override_by_name = $3, override_at = $4 WHERE id = $5`,
			reason, nullInt(a.UserID), c.Override.ActorName, ts(tx.now), c.ID); err != nil {
			return err
		}
		news := c.NewFindings()
		if err := tx.event(ctx, d, 0, "accept_findings", overrideComment(reason, news)); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "document.accept_findings", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org,
			After: map[string]any{"check": c.ID, "version": c.Version, "reason": reason, "fingerprint": c.Fingerprint, "findings": auditFindings(news)}})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// openCheck returns the latest check of the document's public version when
// it has open findings, else nil.
func (tx *Tx) openCheck(ctx context.Context, id int64) (*gongkai.DocumentCheck, error) {
	cs, err := tx.loadChecks(ctx, `WHERE c.id = (SELECT MAX(x.id) FROM document_checks x JOIN document_public p ON p.id = x.document_id AND p.version = x.version
		WHERE x.document_id = $1 AND p.state = 'published')`, id)
	if err != nil || len(cs) == 0 || !cs[0].Open() {
		return nil, err
	}
	return cs[0], nil
}

// openFindingsFrom joins each listed document to the latest check of its
// public version, keeping those with open findings.
const openFindingsFrom = ` JOIN document_checks c ON c.id = (SELECT MAX(x.id) FROM document_checks x WHERE x.document_id = d.id AND x.version = p.version)`

const openFindingsWhere = `p.state = 'published' AND c.stage = 'recheck' AND c.new_findings > 0 AND NOT c.accepted`

// FindOpenFindings lists published documents whose latest recheck found
// something new that nobody has settled, newest first: the org's staff see
// their orgs, supervisors and admins their subtrees.
func (db *DB) FindOpenFindings(ctx context.Context, f gongkai.OpenFindingsFilter) ([]*gongkai.OpenFindings, int, error) {
	var out []*gongkai.OpenFindings
	var total int
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		where, ok, err := tx.visibleDocOrgs(ctx, arg)
		if err != nil || !ok {
			return err
		}
		where = append(where, openFindingsWhere)
		if f.OrgID != nil {
			where = append(where, `d.org_id = `+arg(*f.OrgID))
		}
		cond := " WHERE " + strings.Join(where, " AND ")
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents d JOIN orgs o ON o.id = d.org_id JOIN document_public p ON p.id = d.id`+
			openFindingsFrom+cond, args...).Scan(&total); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 200 {
			limit = 50
		}
		rows, err := tx.QueryContext(ctx, docSelectList+openFindingsFrom+cond+` ORDER BY c.id DESC LIMIT `+arg(limit)+` OFFSET `+arg(max(f.Offset, 0)), args...)
		if err != nil {
			return err
		}
		var docs []*gongkai.Document
		for rows.Next() {
			d, err := scanDocument(rows)
			if err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range docs {
			c, err := tx.openCheck(ctx, d.ID)
			if err != nil {
				return err
			}
			if c != nil {
				out = append(out, &gongkai.OpenFindings{Document: d, Check: c})
			}
		}
		return nil
	})
	if out == nil {
		out = []*gongkai.OpenFindings{}
	}
	return out, total, err
}

// visibleDocOrgs is the condition on documents d / orgs o that limits a list
// to what the actor may see: the orgs they work in, and the subtrees of
// those they supervise or administer. ok is false when they see nothing.
func (tx *Tx) visibleDocOrgs(ctx context.Context, arg func(any) string) (where []string, ok bool, err error) {
	a := tx.actor
	if a == nil {
		return nil, false, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	if a.System {
		return nil, true, nil
	}
	var ors []string
	for _, g := range a.Grants {
		if g.Role == gongkai.RoleSupervisor || g.Role == gongkai.RoleAdmin {
			org, err := tx.findOrgByID(ctx, g.OrgID)
			if err != nil {
				return nil, false, err
			}
			ors = append(ors, `o.path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
		} else {
			ors = append(ors, `d.org_id = `+arg(g.OrgID))
		}
	}
	if len(ors) == 0 {
		return nil, false, nil
	}
	return []string{"(" + strings.Join(ors, " OR ") + ")"}, true, nil
}

// enqueueRecheck asks for a recheck of a site's published documents, when
// the job runner is set up (it is not in tests that do not need it).
func (tx *Tx) enqueueRecheck(ctx context.Context, siteID int64) error {
	if tx.db.Jobs == nil {
		return nil
	}
	return tx.Enqueue(ctx, Job{Args: RecheckArgs{SiteID: siteID}})
}

// EnqueueRechecks enqueues a recheck of each site, in one transaction.
func (db *DB) EnqueueRechecks(ctx context.Context, siteIDs []int64) error {
	if len(siteIDs) == 0 {
		return nil
	}
	return db.inTx(ctx, func(tx *Tx) error {
		for _, id := range siteIDs {
			if err := tx.Enqueue(ctx, Job{Args: RecheckArgs{SiteID: id}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// StaleCheckSites returns the sites whose checker differs from the one
// that last rechecked their published documents: after a release with a
// new shipped dictionary, or list changes made while no job runner was
// there to enqueue a recheck.
func (db *DB) StaleCheckSites(ctx context.Context) ([]int64, error) {
	if db.Checks == nil {
		return nil, nil
	}
	sites, err := db.FindSites(ctx)
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, s := range sites {
		fp, err := db.Checks.Refresh(ctx, s.ID)
		if err != nil {
			return nil, err
		}
		var last string
		err = db.read.QueryRowContext(ctx, `SELECT fingerprint FROM check_site_state WHERE site_id = $1`, s.ID).Scan(&last)
		if err != nil && !isNoRows(err) {
			return nil, err
		}
		if last != fp {
			out = append(out, s.ID)
		}
	}
	return out, nil
}

// RecheckResult says what a recheck did.
type RecheckResult struct {
	SiteID      int64
	Fingerprint string
	// Checked documents were checked again; Unchanged were already checked
	// with this checker; WithNew had findings their version was not
	// published with; Notified counts notices given.
	Checked, Unchanged, WithNew, Notified int
	// Emails are the notices to mail to staff who gave an address.
	Emails []Reminder
}

// RecheckSite checks the public version of every document published on
// the site through review with the site's current checker, one document
// per transaction. Findings the version was not published (or later
// accepted) with are marked new; when a recheck finds new findings that
// the previous check of the version did not have, the org's document
// staff get a notice. Documents already checked with this checker are
// skipped, so running it twice, or on two nodes, does the work once.
func (db *DB) RecheckSite(ctx context.Context, siteID int64) (RecheckResult, error) {
	res := RecheckResult{SiteID: siteID}
	if db.Checks == nil {
		return res, gongkai.Errorf(gongkai.EUNAVAILABLE, "内容检查未启用。")
	}
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor("job:recheck"))
	fp, err := db.Checks.Refresh(ctx, siteID)
	if err != nil {
		return res, err
	}
	res.Fingerprint = fp
	var ids []int64
	err = db.inReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT p.id FROM document_public p WHERE p.site_id = $1 AND p.state = 'published'
			AND EXISTS (SELECT 1 FROM document_checks c WHERE c.document_id = p.id AND c.version = p.version AND c.accepted) ORDER BY p.id`, siteID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	if err != nil {
		return res, err
	}
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if err := db.recheckOne(ctx, id, fp, &res); err != nil {
			return res, fmt.Errorf("recheck document %d: %w", id, err)
		}
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO check_site_state (site_id, fingerprint, checked_at) VALUES ($1, $2, $3)
			ON CONFLICT (site_id) DO UPDATE SET fingerprint = excluded.fingerprint, checked_at = excluded.checked_at`, siteID, fp, ts(tx.now))
		return err
	})
	return res, err
}

// recheckPublished rechecks a document just published by the schedule
// job: it was checked when it was approved, and a site's lists may have
// changed while it waited (the rechecks of that change did not see it, as
// it was not yet published). A failure is logged: the next recheck of the
// site will see the document.
func (db *DB) recheckPublished(ctx context.Context, id int64) {
	if db.Checks == nil {
		return
	}
	var siteID int64
	err := db.read.QueryRowContext(ctx, `SELECT site_id FROM document_public WHERE id = $1`, id).Scan(&siteID)
	if err == nil {
		var fp string
		if fp, err = db.Checks.Refresh(ctx, siteID); err == nil {
			err = db.recheckOne(ctx, id, fp, &RecheckResult{SiteID: siteID})
		}
	}
	if err != nil {
		db.Logger.Warn("recheck after scheduled publication failed", slog.Int64("document", id), slog.Any("error", err))
	}
}

// recheckOne rechecks one document's public version.
func (db *DB) recheckOne(ctx context.Context, id int64, fp string, res *RecheckResult) error {
	var d *gongkai.Document
	var latest *gongkai.DocumentCheck
	err := db.inReadTx(ctx, func(tx *Tx) (err error) {
		d, latest, err = tx.publicForCheck(ctx, id)
		return err
	})
	if err != nil || d == nil {
		return err
	}
	if latest.Fingerprint == fp {
		res.Unchanged++
		return nil
	}
	c, err := db.Checks.CheckDocument(ctx, d, gongkai.DateOf(d.PublishedAt))
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		if err := tx.lockDocument(ctx, id); err != nil {
			return err
		}
		now, last, err := tx.publicForCheck(ctx, id)
		if err != nil || now == nil || now.Version != d.Version {
			return err // republished or withdrawn meanwhile: the next recheck sees it
		}
		if last.Fingerprint == c.Fingerprint {
			res.Unchanged++
			return nil
		}
		accepted, err := tx.loadChecks(ctx, `WHERE c.document_id = $1 AND c.version = $2 AND c.accepted`, id, d.Version)
		if err != nil {
			return err
		}
		known := map[string]bool{}
		for _, a := range accepted {
			for _, f := range a.Findings {
				known[f.Key()] = true
			}
		}
		before := map[string]bool{}
		for _, f := range last.Findings {
			before[f.Key()] = true
		}
		var fresh []gongkai.CheckFinding // new, and not reported by the previous check
		for i := range c.Findings {
			f := &c.Findings[i]
			f.New = !known[f.Key()]
			if f.New && !before[f.Key()] {
				fresh = append(fresh, *f)
			}
		}
		c.DocumentID, c.Version, c.Round, c.Stage = id, d.Version, d.Round, gongkai.CheckAtRecheck
		c.CheckedAt, c.CheckedBy = tx.now, actorName(tx.actor)
		c.RequiredDisclosure, c.RequiredDisclosureReason = d.RequiredDisclosure, d.RequiredDisclosureReason
		if err := tx.saveCheck(ctx, c, d.SiteID); err != nil {
			return err
		}
		res.Checked++
		if len(c.NewFindings()) > 0 {
			res.WithNew++
		}
		if len(fresh) == 0 {
			return nil
		}
		return tx.notifyFindings(ctx, d, c, fresh, res)
	})
}

// publicForCheck reads a document's public version as a Document to check
// (with the required-disclosure flag it was published with) and the
// latest check of that version. d is nil when the document is no longer
// published or was published without review.
func (tx *Tx) publicForCheck(ctx context.Context, id int64) (*gongkai.Document, *gongkai.DocumentCheck, error) {
	d := &gongkai.Document{ID: id}
	var keywords, issuers, attachments string
	err := tx.QueryRowContext(ctx, `SELECT p.site_id, p.org_id, o.name, p.title, p.body, p.summary, p.keywords, p.issuers, p.doc_no, p.signed_on, p.published_at,
		p.version, p.attachments, d.review_round, COALESCE(s.review_levels, 3)
		FROM document_public p JOIN documents d ON d.id = p.id JOIN orgs o ON o.id = p.org_id LEFT JOIN document_settings s ON s.org_id = p.org_id
		WHERE p.id = $1 AND p.state = 'published'`, id).Scan(&d.SiteID, &d.OrgID, &d.OrgName, &d.Title, &d.Body, &d.Summary, &keywords, &issuers, &d.DocNo,
		&d.SignedOn, &d.PublishedAt, &d.Version, &attachments, &d.Round, &d.ReviewLevels)
	if isNoRows(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	d.PublishedAt = d.PublishedAt.UTC()
	d.Keywords, d.Issuers = splitLines(keywords), splitLines(issuers)
	if err := json.Unmarshal([]byte(attachments), &d.Attachments); err != nil {
		return nil, nil, fmt.Errorf("attachments of document %d: %w", id, err)
	}
	checks, err := tx.loadChecks(ctx, `WHERE c.id = (SELECT MAX(x.id) FROM document_checks x WHERE x.document_id = $1 AND x.version = $2)`, id, d.Version)
	if err != nil {
		return nil, nil, err
	}
	if len(checks) == 0 {
		return nil, nil, nil
	}
	// The flag of the check the version was published with.
	base, err := tx.loadChecks(ctx, `WHERE c.id = (SELECT MAX(x.id) FROM document_checks x WHERE x.document_id = $1 AND x.version = $2 AND x.stage = 'review' AND x.accepted)`, id, d.Version)
	if err != nil {
		return nil, nil, err
	}
	if len(base) > 0 {
		d.RequiredDisclosure, d.RequiredDisclosureReason = base[0].RequiredDisclosure, base[0].RequiredDisclosureReason
	}
	return d, checks[0], nil
}

// noticeRoles are the staff of an org told about new findings on its
// published documents: those who can revise, withdraw or accept.
var noticeRoles = []gongkai.Role{gongkai.RoleEditor, gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3, gongkai.RoleAdmin}

// notifyFindings gives the org's document staff an in-app notice (the
// applications module's notices) and queues e-mails for those who gave an
// address.
func (tx *Tx) notifyFindings(ctx context.Context, d *gongkai.Document, c *gongkai.DocumentCheck, fresh []gongkai.CheckFinding, res *RecheckResult) error {
	block := 0
	for _, f := range fresh {
		if f.Severity == gongkai.CheckBlock {
			block++
		}
	}
	msg := fmt.Sprintf("已发布的文件《%s》在检查词典或清单更新后复查，发现 %d 处新问题", d.Title, len(fresh))
	if block > 0 {
		msg += fmt.Sprintf("（其中 %d 处须修改）", block)
	}
	msg += "，请核实后修订、撤回或确认无需修改。"
	users, emails, err := tx.noticeRecipients(ctx, d.OrgID, noticeRoles...)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notices (user_id, document_id, kind, message, created_at) VALUES ($1, $2, 'check_findings', $3, $4)`,
			u, d.ID, msg, ts(tx.now)); err != nil {
			return err
		}
		res.Notified++
	}
	if len(emails) > 0 {
		res.Emails = append(res.Emails, Reminder{To: emails, Subject: "【发布后复查】" + msg,
			Body: msg + "\n\n发布机构：" + d.OrgName + "\n请登录政务公开工作平台，在“文件管理”中查看编号为 " + itoa64(d.ID) + " 的文件的检查结果。\n\n（本邮件由系统自动发送。）"})
	}
	return nil
}
