package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/indexno"
)

var _ gongkai.DocumentService = (*DB)(nil)

// docSelect reads a working copy. A NULL body means the working copy's
// body is the public one (see the migration).
const docSelect = `SELECT d.id, d.org_id, o.code, o.name, d.site_id, d.status, d.review_level, d.review_round, d.title, %s, d.summary, d.keywords, d.issuers,
	d.doc_no, d.genre, d.topic, d.signed_on, d.formed_on, d.disclosure, d.disclosure_reason, d.validity, d.validity_on, COALESCE(d.replaced_by, 0),
	d.publish_at, d.revision_note, COALESCE(d.created_by, 0), d.created_by_name, COALESCE(d.submitted_by, 0), d.created_at, d.updated_at,
	COALESCE(d.index_no, ''), d.published_at, d.version, d.withdrawn_at, d.withdraw_mode, d.withdraw_reason, COALESCE(p.state, ''), COALESCE(s.review_levels, 3),
	d.required_disclosure, d.required_disclosure_reason, d.effective_on, d.valid_until
	FROM documents d JOIN orgs o ON o.id = d.org_id LEFT JOIN document_public p ON p.id = d.id LEFT JOIN document_settings s ON s.org_id = d.org_id`

var (
	docSelectFull = strings.Replace(docSelect, "%s", "COALESCE(d.body, p.body, '')", 1)
	docSelectList = strings.Replace(docSelect, "%s", "''", 1)
)

func scanDocument(sc interface{ Scan(...any) error }) (*gongkai.Document, error) {
	var d gongkai.Document
	var keywords, issuers, mode, reason, state string
	var publishAt, publishedAt, withdrawnAt sql.NullTime
	if err := sc.Scan(&d.ID, &d.OrgID, &d.OrgCode, &d.OrgName, &d.SiteID, &d.Status, &d.ReviewLevel, &d.Round, &d.Title, &d.Body, &d.Summary, &keywords, &issuers,
		&d.DocNo, &d.Genre, &d.Topic, &d.SignedOn, &d.FormedOn, &d.Disclosure, &d.DisclosureReason, &d.Validity, &d.ValidityOn, &d.ReplacedBy,
		&publishAt, &d.RevisionNote, &d.CreatedBy, &d.CreatedByName, &d.SubmittedBy, &d.CreatedAt, &d.UpdatedAt,
		&d.IndexNo, &publishedAt, &d.Version, &withdrawnAt, &mode, &reason, &state, &d.ReviewLevels,
		&d.RequiredDisclosure, &d.RequiredDisclosureReason, &d.EffectiveOn, &d.ValidUntil); err != nil {
		return nil, err
	}
	d.Keywords, d.Issuers = splitLines(keywords), splitLines(issuers)
	if publishAt.Valid {
		d.PublishAt = publishAt.Time.UTC()
	}
	if publishedAt.Valid {
		d.PublishedAt = publishedAt.Time.UTC()
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	if withdrawnAt.Valid {
		d.Withdrawal = &gongkai.Withdrawal{Mode: gongkai.WithdrawMode(mode), Reason: reason, At: withdrawnAt.Time.UTC()}
	}
	d.Live = state == string(gongkai.PublicPublished) || state == string(gongkai.PublicWithdrawn)
	if d.Live {
		d.URL = gongkai.DocumentPath(d.ID)
	}
	return &d, nil
}

func splitLines(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

func joinLines(v []string) string { return strings.Join(v, "\n") }

// loadDocument reads a working copy with its columns, attachments and
// relations. It does not check permissions.
func (tx *Tx) loadDocument(ctx context.Context, id int64) (*gongkai.Document, error) {
	d, err := scanDocument(tx.QueryRowContext(ctx, docSelectFull+` WHERE d.id = $1`, id))
	if isNoRows(err) {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "文件不存在（编号 %d）。", id)
	}
	if err != nil {
		return nil, err
	}
	d.Columns, d.Attachments = []string{}, []gongkai.Attachment{}
	d.Interprets, d.Repeals, d.Amends = []int64{}, []int64{}, []int64{}
	rows, err := tx.QueryContext(ctx, `SELECT c.slug FROM document_columns dc JOIN site_columns c ON c.id = dc.column_id WHERE dc.document_id = $1 ORDER BY c.sort, c.id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return nil, err
		}
		d.Columns = append(d.Columns, s)
	}
	rows.Close()
	if d.Attachments, err = tx.loadAttachments(ctx, id); err != nil {
		return nil, err
	}
	rows, err = tx.QueryContext(ctx, `SELECT kind, to_id FROM document_relations WHERE from_id = $1 ORDER BY kind, to_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var to int64
		if err := rows.Scan(&kind, &to); err != nil {
			return nil, err
		}
		switch kind {
		case "interprets":
			d.Interprets = append(d.Interprets, to)
		case "repeals":
			d.Repeals = append(d.Repeals, to)
		case "amends":
			d.Amends = append(d.Amends, to)
		}
	}
	return d, rows.Err()
}

func (tx *Tx) loadAttachments(ctx context.Context, id int64) ([]gongkai.Attachment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sha256, size, mime, type_label FROM document_attachments WHERE document_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gongkai.Attachment{}
	for rows.Next() {
		var a gongkai.Attachment
		if err := rows.Scan(&a.Name, &a.SHA256, &a.Size, &a.MIME, &a.Type); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// docOrg returns the document's org after checking the actor may see the
// document: staff of the org, and supervisors and admins above it.
func (tx *Tx) docOrg(ctx context.Context, d *gongkai.Document) (*gongkai.Org, error) {
	org, err := tx.findOrgByID(ctx, d.OrgID)
	if err != nil {
		return nil, err
	}
	a := tx.actor
	if a == nil {
		return nil, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	if a.System || a.CanSupervise(org) {
		return org, nil
	}
	for _, g := range a.Grants {
		if g.OrgID == org.ID {
			return org, nil
		}
	}
	return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "该文件属于“%s”，您无权查看或处理其他机构的文件。", org.Name)
}

// editable loads a document the actor may edit: an editor of its org.
func (tx *Tx) editable(ctx context.Context, id int64) (*gongkai.Document, *gongkai.Org, error) {
	d, err := tx.loadDocument(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.docOrg(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	if !tx.actor.HasRole(gongkai.RoleEditor, org.ID) {
		return nil, nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您不是“%s”的编辑，不能修改或提交该机构的文件。", org.Name)
	}
	return d, org, nil
}

// FindDocumentByID returns a document's working copy.
func (db *DB) FindDocumentByID(ctx context.Context, id int64) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		if d, err = tx.loadDocument(ctx, id); err != nil {
			return err
		}
		_, err = tx.docOrg(ctx, d)
		return err
	})
	return d, err
}

// applyUpdate copies the set fields of u onto d; the body is sanitised and
// what was removed is reported in d.Warnings.
func applyUpdate(d *gongkai.Document, u gongkai.DocumentUpdate) (bodyChanged bool) {
	for _, f := range []struct {
		dst *string
		src *string
	}{
		{&d.Title, u.Title}, {&d.Summary, u.Summary}, {&d.DocNo, u.DocNo}, {&d.Genre, u.Genre}, {&d.Topic, u.Topic},
		{&d.Disclosure, u.Disclosure}, {&d.DisclosureReason, u.DisclosureReason}, {&d.Validity, u.Validity}, {&d.RevisionNote, u.RevisionNote},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if u.Body != nil {
		body, notice := cleanBody(*u.Body)
		if body != d.Body {
			d.Body, bodyChanged = body, true
		}
		if notice != "" {
			d.Warnings = append(d.Warnings, notice)
		}
	}
	for _, f := range []struct {
		dst *[]string
		src *[]string
	}{{&d.Keywords, u.Keywords}, {&d.Issuers, u.Issuers}, {&d.Columns, u.Columns}} {
		if f.src != nil {
			*f.dst = append([]string(nil), (*f.src)...)
		}
	}
	for _, f := range []struct {
		dst *gongkai.Date
		src *gongkai.Date
	}{{&d.SignedOn, u.SignedOn}, {&d.FormedOn, u.FormedOn}, {&d.ValidityOn, u.ValidityOn}, {&d.EffectiveOn, u.EffectiveOn}, {&d.ValidUntil, u.ValidUntil}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	for _, f := range []struct {
		dst *[]int64
		src *[]int64
	}{{&d.Interprets, u.Interprets}, {&d.Repeals, u.Repeals}, {&d.Amends, u.Amends}} {
		if f.src != nil {
			*f.dst = append([]int64(nil), (*f.src)...)
		}
	}
	if u.RequiredDisclosure != nil {
		d.RequiredDisclosure = *u.RequiredDisclosure
	}
	if u.RequiredDisclosureReason != nil {
		d.RequiredDisclosureReason = *u.RequiredDisclosureReason
	}
	if u.PublishAt != nil {
		d.PublishAt = u.PublishAt.UTC().Truncate(time.Second)
		if u.PublishAt.IsZero() {
			d.PublishAt = time.Time{}
		}
	}
	return bodyChanged
}

// validate runs the rules with the site's columns and checks relation
// targets and the schedule against the database.
func (tx *Tx) validate(ctx context.Context, d *gongkai.Document, complete bool) error {
	cols, err := tx.findColumns(ctx, d.SiteID)
	if err != nil {
		return err
	}
	p := checkDocument(d, newColumnIndex(cols), gongkai.DateOf(tx.now), complete)
	if err := tx.checkReportColumns(ctx, d, cols, &p); err != nil {
		return err
	}
	if !d.PublishAt.IsZero() && !d.PublishAt.After(tx.now) && !complete {
		p.Add("publishAt", "定时发布时间须晚于当前时间；立即发布请留空。")
	}
	for _, rel := range []struct {
		name string
		ids  []int64
	}{{"interprets", d.Interprets}, {"repeals", d.Repeals}, {"amends", d.Amends}} {
		for _, id := range rel.ids {
			var orgID int64
			var state string
			err := tx.QueryRowContext(ctx, `SELECT d.org_id, COALESCE(p.state, '') FROM documents d LEFT JOIN document_public p ON p.id = d.id WHERE d.id = $1`, id).Scan(&orgID, &state)
			if isNoRows(err) || (err == nil && orgID != d.OrgID && state != string(gongkai.PublicPublished)) {
				p.Add(rel.name, "关联的文件（编号 "+strconv.FormatInt(id, 10)+"）不存在或尚未公开。")
				continue
			}
			if err != nil {
				return err
			}
			if rel.name != "interprets" && state != string(gongkai.PublicPublished) && complete {
				p.Add(rel.name, "要废止或修订的文件（编号 "+strconv.FormatInt(id, 10)+"）尚未在网站上发布。")
			}
		}
	}
	return p.Err()
}

// writeChildren replaces the document's columns and relations.
func (tx *Tx) writeChildren(ctx context.Context, d *gongkai.Document) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_columns WHERE document_id = $1`, d.ID); err != nil {
		return err
	}
	for _, slug := range d.Columns {
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_columns (document_id, column_id) SELECT $1, id FROM site_columns WHERE site_id = $2 AND slug = $3`,
			d.ID, d.SiteID, slug); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_relations WHERE from_id = $1`, d.ID); err != nil {
		return err
	}
	for _, rel := range []struct {
		kind string
		ids  []int64
	}{{"interprets", d.Interprets}, {"repeals", d.Repeals}, {"amends", d.Amends}} {
		for _, to := range rel.ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_relations (from_id, kind, to_id) VALUES ($1, $2, $3)`, d.ID, rel.kind, to); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateDocument creates a draft.
func (db *DB) CreateDocument(ctx context.Context, orgCode string, u gongkai.DocumentUpdate) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.editorOrg(ctx, orgCode)
		if err != nil {
			return err
		}
		siteID, err := tx.homeSite(ctx, org)
		if err != nil {
			return err
		}
		levels, err := tx.reviewLevels(ctx, org.ID)
		if err != nil {
			return err
		}
		d = &gongkai.Document{OrgID: org.ID, OrgCode: org.Code, OrgName: org.Name, SiteID: siteID, Status: gongkai.DocumentDraft, ReviewLevels: levels,
			Keywords: []string{}, Issuers: []string{}, Columns: []string{}, Attachments: []gongkai.Attachment{},
			Interprets: []int64{}, Repeals: []int64{}, Amends: []int64{}}
		applyUpdate(d, u)
		if err := tx.validate(ctx, d, false); err != nil {
			return err
		}
		return tx.insertDocument(ctx, org, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// insertDocument writes a new draft with its columns and relations, as
// the actor, and audits it. d must have been validated.
func (tx *Tx) insertDocument(ctx context.Context, org *gongkai.Org, d *gongkai.Document) error {
	a := tx.actor
	d.CreatedBy, d.CreatedByName, d.CreatedAt, d.UpdatedAt = a.UserID, a.Name, tx.now, tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO documents (org_id, site_id, status, title, body, summary, keywords, issuers, doc_no, genre, topic, signed_on, formed_on,
		disclosure, disclosure_reason, validity, validity_on, publish_at, revision_note, created_by, created_by_name, created_at, updated_at,
		required_disclosure, required_disclosure_reason, effective_on, valid_until)
		VALUES ($1, $2, 'draft', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21, $22, $23, $24, $25) RETURNING id`,
		d.OrgID, d.SiteID, d.Title, d.Body, d.Summary, joinLines(d.Keywords), joinLines(d.Issuers), d.DocNo, d.Genre, d.Topic, d.SignedOn, d.FormedOn,
		d.Disclosure, d.DisclosureReason, d.Validity, d.ValidityOn, nullTime(d.PublishAt), d.RevisionNote, nullInt(d.CreatedBy), d.CreatedByName, ts(tx.now),
		d.RequiredDisclosure, d.RequiredDisclosureReason, d.EffectiveOn, d.ValidUntil).Scan(&d.ID)
	if err != nil {
		return err
	}
	if err := tx.writeChildren(ctx, d); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "document.create", ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, After: d})
}

// editorOrg is the org a new document belongs to: the one named, or the
// actor's only org with the editor role.
func (tx *Tx) editorOrg(ctx context.Context, code string) (*gongkai.Org, error) {
	a := tx.actor
	if a == nil {
		return nil, gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	if code == "" {
		var ids []int64
		for _, g := range a.Grants {
			if g.Role == gongkai.RoleEditor {
				ids = append(ids, g.OrgID)
			}
		}
		switch len(ids) {
		case 0:
			return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您没有编辑角色，不能起草文件。")
		case 1:
			return tx.findOrgByID(ctx, ids[0])
		}
		return nil, gongkai.FieldError("org", "您在多个机构担任编辑，请指明文件所属机构。")
	}
	org, err := tx.findOrgByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if !a.HasRole(gongkai.RoleEditor, org.ID) {
		return nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您不是“%s”的编辑，不能为该机构起草文件。", org.Name)
	}
	return org, nil
}

// UpdateDocument changes a draft, or starts a revision of a published
// document: the working copy changes and goes through review again while
// the public version stays as it is.
func (db *DB) UpdateDocument(ctx context.Context, id int64, u gongkai.DocumentUpdate) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inTx(ctx, func(tx *Tx) error {
		var org *gongkai.Org
		var err error
		d, org, err = tx.editable(ctx, id)
		if err != nil {
			return err
		}
		switch d.Status {
		case gongkai.DocumentDraft, gongkai.DocumentPublished:
		case gongkai.DocumentInReview:
			return gongkai.Errorf(gongkai.ECONFLICT, "文件正在审核中，不能修改；如需修改，请审核人退回。")
		case gongkai.DocumentScheduled:
			return gongkai.Errorf(gongkai.ECONFLICT, "文件已通过审核、等待定时发布，不能修改；如需修改，请先取消定时发布。")
		case gongkai.DocumentWithdrawn:
			return gongkai.Errorf(gongkai.ECONFLICT, "文件已撤回，不能再修改。")
		}
		before := *d
		bodyChanged := applyUpdate(d, u)
		if err := tx.validate(ctx, d, false); err != nil {
			return err
		}
		revising := d.Status == gongkai.DocumentPublished
		d.Status, d.UpdatedAt = gongkai.DocumentDraft, tx.now
		// The body column is written only when the body changed: NULL keeps
		// meaning "the published body" for an untouched revision.
		bodySQL := `body`
		args := []any{d.Title, d.Summary, joinLines(d.Keywords), joinLines(d.Issuers), d.DocNo, d.Genre, d.Topic, d.SignedOn, d.FormedOn,
			d.Disclosure, d.DisclosureReason, d.Validity, d.ValidityOn, nullInt(d.ReplacedBy), nullTime(d.PublishAt), d.RevisionNote, ts(tx.now), d.ID,
			d.RequiredDisclosure, d.RequiredDisclosureReason, d.EffectiveOn, d.ValidUntil}
		if bodyChanged {
			bodySQL = `$23`
			args = append(args, d.Body)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'draft', title = $1, summary = $2, keywords = $3, issuers = $4, doc_no = $5, genre = $6, topic = $7,
			signed_on = $8, formed_on = $9, disclosure = $10, disclosure_reason = $11, validity = $12, validity_on = $13, replaced_by = $14, publish_at = $15,
			revision_note = $16, updated_at = $17, required_disclosure = $19, required_disclosure_reason = $20,
			effective_on = $21, valid_until = $22, body = `+bodySQL+` WHERE id = $18`, args...); err != nil {
			return err
		}
		if err := tx.writeChildren(ctx, d); err != nil {
			return err
		}
		action := "document.update"
		if revising {
			action = "document.revise"
		}
		return tx.audit(ctx, auditEntry{Action: action, ObjectType: "document", ObjectID: itoa64(d.ID), Org: org, Before: &before, After: d})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// AddAttachment attaches a file already in the blob store.
func (db *DB) AddAttachment(ctx context.Context, id int64, a gongkai.Attachment) (*gongkai.Document, error) {
	return db.changeAttachments(ctx, id, "document.attach", func(list []gongkai.Attachment) ([]gongkai.Attachment, error) {
		for _, x := range list {
			if x.SHA256 == a.SHA256 {
				return nil, gongkai.FieldError("file", "该文件已作为附件“"+x.Name+"”上传过。")
			}
		}
		if len(list) >= 50 {
			return nil, gongkai.FieldError("file", "每个文件最多50个附件。")
		}
		return append(list, a), nil
	})
}

// RemoveAttachment detaches a file; the blob stays, since other documents
// or the public version may use it.
func (db *DB) RemoveAttachment(ctx context.Context, id int64, sum string) (*gongkai.Document, error) {
	return db.changeAttachments(ctx, id, "document.detach", func(list []gongkai.Attachment) ([]gongkai.Attachment, error) {
		var out []gongkai.Attachment
		for _, x := range list {
			if x.SHA256 != sum {
				out = append(out, x)
			}
		}
		if len(out) == len(list) {
			return nil, gongkai.Errorf(gongkai.ENOTFOUND, "附件不存在。")
		}
		return out, nil
	})
}

func (db *DB) changeAttachments(ctx context.Context, id int64, action string, change func([]gongkai.Attachment) ([]gongkai.Attachment, error)) (*gongkai.Document, error) {
	var d *gongkai.Document
	err := db.inTx(ctx, func(tx *Tx) error {
		var org *gongkai.Org
		var err error
		if d, org, err = tx.editable(ctx, id); err != nil {
			return err
		}
		if d.Status != gongkai.DocumentDraft && d.Status != gongkai.DocumentPublished {
			return gongkai.Errorf(gongkai.ECONFLICT, "只有草稿或已发布的文件可以修改附件（当前状态：%s）。", d.Status.Label())
		}
		before := d.Attachments
		list, err := change(append([]gongkai.Attachment(nil), before...))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM document_attachments WHERE document_id = $1`, id); err != nil {
			return err
		}
		for i, a := range list {
			if _, err := tx.ExecContext(ctx, `INSERT INTO document_attachments (document_id, position, name, sha256, size, mime, type_label) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, i, a.Name, a.SHA256, a.Size, a.MIME, a.Type); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = 'draft', updated_at = $1 WHERE id = $2`, ts(tx.now), id); err != nil {
			return err
		}
		d.Attachments, d.Status, d.UpdatedAt = list, gongkai.DocumentDraft, tx.now
		if d.Attachments == nil {
			d.Attachments = []gongkai.Attachment{}
		}
		return tx.audit(ctx, auditEntry{Action: action, ObjectType: "document", ObjectID: itoa64(id), Org: org, Before: before, After: list})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// FindDocuments lists working copies the actor may see.
func (db *DB) FindDocuments(ctx context.Context, f gongkai.DocumentFilter) ([]*gongkai.Document, int, error) {
	var out []*gongkai.Document
	var total int
	err := db.inReadTx(ctx, func(tx *Tx) error {
		a := tx.actor
		if a == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		var where []string
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		if !a.System {
			var ors []string
			for _, g := range a.Grants {
				if g.Role == gongkai.RoleSupervisor || g.Role == gongkai.RoleAdmin {
					org, err := tx.findOrgByID(ctx, g.OrgID)
					if err != nil {
						return err
					}
					ors = append(ors, `o.path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
				} else {
					ors = append(ors, `d.org_id = `+arg(g.OrgID))
				}
			}
			if len(ors) == 0 {
				return nil
			}
			where = append(where, "("+strings.Join(ors, " OR ")+")")
		}
		if f.ReviewQueue {
			var ors []string
			for _, g := range a.Grants {
				for level := 1; level <= gongkai.MaxReviewLevels; level++ {
					if g.Role == gongkai.ReviewerRole(level) {
						ors = append(ors, `(d.org_id = `+arg(g.OrgID)+` AND d.review_level = `+arg(level)+`)`)
					}
				}
			}
			if len(ors) == 0 {
				return nil
			}
			me := arg(a.UserID)
			where = append(where, `d.status = 'in_review'`, "("+strings.Join(ors, " OR ")+")",
				`COALESCE(d.created_by, 0) <> `+me, `COALESCE(d.submitted_by, 0) <> `+me,
				`NOT EXISTS (SELECT 1 FROM document_reviews r WHERE r.document_id = d.id AND r.round = d.review_round AND r.action = 'approve' AND r.actor_id = `+me+`)`)
		}
		if f.OrgID != nil {
			where = append(where, `d.org_id = `+arg(*f.OrgID))
		}
		if f.Within != nil {
			where = append(where, `o.path LIKE (SELECT w.path FROM orgs w WHERE w.id = `+arg(*f.Within)+`) || '%'`)
		}
		if f.Status != nil {
			where = append(where, `d.status = `+arg(string(*f.Status)))
		}
		if f.CreatedBy != nil {
			where = append(where, `d.created_by = `+arg(*f.CreatedBy))
		}
		if f.Column != nil && *f.Column != "" {
			where = append(where, `d.id IN (SELECT dc.document_id FROM document_columns dc JOIN site_columns c ON c.id = dc.column_id WHERE c.slug = `+arg(*f.Column)+`)`)
		}
		where = append(where, metadataFilter("d", arg, f.Topic, f.Genre, f.Issuer, f.Validity)...)
		if f.Year != nil {
			from, to := yearBounds(*f.Year)
			where = append(where, `d.published_at >= `+arg(from), `d.published_at < `+arg(to))
		}
		if f.Query != nil && strings.TrimSpace(*f.Query) != "" {
			q := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(*f.Query)) + "%"
			x := arg(q)
			where = append(where, `(d.title LIKE `+x+` ESCAPE '\' OR d.doc_no LIKE `+x+` ESCAPE '\' OR d.index_no LIKE `+x+` ESCAPE '\')`)
		}
		cond := ""
		if len(where) > 0 {
			cond = " WHERE " + strings.Join(where, " AND ")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM documents d JOIN orgs o ON o.id = d.org_id`+cond, args...).Scan(&total); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 200 {
			limit = 20
		}
		rows, err := tx.QueryContext(ctx, docSelectList+cond+` ORDER BY d.updated_at DESC, d.id DESC LIMIT `+arg(limit)+` OFFSET `+arg(max(f.Offset, 0)), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDocument(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, total, err
}

// metadataFilter builds the conditions the staff lists and the portal
// share: 主题分类 (a top-level code matches its sub-levels), 公文种类,
// 发文机关 and 有效性.
func metadataFilter(alias string, arg func(any) string, topic, genre, issuer, validity *string) []string {
	var where []string
	if topic != nil && *topic != "" {
		if n, err := strconv.Atoi(*topic); err == nil && len(*topic) == 2 {
			// A top-level code and its sub-levels: the range [03, 04).
			where = append(where, alias+`.topic >= `+arg(*topic), alias+`.topic < `+arg(fmt.Sprintf("%02d", n+1)))
		} else {
			where = append(where, alias+`.topic = `+arg(*topic))
		}
	}
	if genre != nil && *genre != "" {
		where = append(where, alias+`.genre = `+arg(*genre))
	}
	if issuer != nil && *issuer != "" {
		where = append(where, alias+`.issuers LIKE `+arg("%"+strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(*issuer)+"%")+` ESCAPE '\'`)
	}
	if validity != nil && *validity != "" {
		where = append(where, alias+`.validity = `+arg(*validity))
	}
	return where
}

// yearBounds returns the instants (stored form) where a Shanghai year
// begins and ends.
func yearBounds(y int) (string, string) {
	return ts(time.Date(y, 1, 1, 0, 0, 0, 0, gongkai.Shanghai)), ts(time.Date(y+1, 1, 1, 0, 0, 0, 0, gongkai.Shanghai))
}

// FindDocumentHistory returns the review events and the published versions.
func (db *DB) FindDocumentHistory(ctx context.Context, id int64) (*gongkai.DocumentHistory, error) {
	h := &gongkai.DocumentHistory{Events: []gongkai.ReviewEvent{}, Versions: []gongkai.DocumentVersion{}}
	err := db.inReadTx(ctx, func(tx *Tx) error {
		d, err := tx.loadDocument(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.docOrg(ctx, d); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT round, level, action, comment, COALESCE(actor_id, 0), actor_name, at FROM document_reviews WHERE document_id = $1 ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var e gongkai.ReviewEvent
			if err := rows.Scan(&e.Round, &e.Level, &e.Action, &e.Comment, &e.ActorID, &e.ActorName, &e.At); err != nil {
				rows.Close()
				return err
			}
			e.At = e.At.UTC()
			h.Events = append(h.Events, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		h.Versions, err = tx.versions(ctx, id)
		return err
	})
	return h, err
}

func (tx *Tx) versions(ctx context.Context, id int64) ([]gongkai.DocumentVersion, error) {
	rows, err := tx.hotQuery(ctx, `SELECT version, published_at, note FROM document_versions WHERE document_id = $1 ORDER BY version DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []gongkai.DocumentVersion{}
	for rows.Next() {
		var v gongkai.DocumentVersion
		if err := rows.Scan(&v.Version, &v.PublishedAt, &v.Note); err != nil {
			return nil, err
		}
		v.PublishedAt = v.PublishedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// reviewLevels is the org's number of review levels.
func (tx *Tx) reviewLevels(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT review_levels FROM document_settings WHERE org_id = $1`, orgID).Scan(&n)
	if isNoRows(err) {
		return gongkai.DefaultReviewLevels, nil
	}
	return n, err
}

// FindDocumentSettings returns an org's settings (defaults until changed).
func (db *DB) FindDocumentSettings(ctx context.Context, orgID int64) (*gongkai.DocumentSettings, error) {
	s := &gongkai.DocumentSettings{OrgID: orgID, ReviewLevels: gongkai.DefaultReviewLevels}
	err := db.inReadTx(ctx, func(tx *Tx) error {
		if _, err := tx.findOrgByID(ctx, orgID); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT review_levels, index_no_template FROM document_settings WHERE org_id = $1`, orgID).Scan(&s.ReviewLevels, &s.IndexNoTemplate)
		if isNoRows(err) {
			return nil
		}
		return err
	})
	return s, err
}

// UpdateDocumentSettings changes an org's review levels and 索引号
// template. Numbers already given keep their form; the counter carries on.
func (db *DB) UpdateDocumentSettings(ctx context.Context, s gongkai.DocumentSettings) (*gongkai.DocumentSettings, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByID(ctx, s.OrgID)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权修改“%s”的文件设置。", org.Name)
		}
		var p gongkai.Problems
		if s.ReviewLevels < 1 || s.ReviewLevels > gongkai.MaxReviewLevels {
			p.Add("reviewLevels", "审核级数须为1至3级。")
		}
		s.IndexNoTemplate = strings.TrimSpace(s.IndexNoTemplate)
		if s.IndexNoTemplate != "" {
			t, err := indexno.Parse(s.IndexNoTemplate)
			if err != nil {
				p.Add(indexno.Field, gongkai.ErrorMessage(err))
			} else if _, err := t.Format(indexValues(org, tx.now, 1)); err != nil {
				p.Add(indexno.Field, gongkai.ErrorMessage(err))
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO document_settings (org_id, review_levels, index_no_template, updated_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (org_id) DO UPDATE SET review_levels = excluded.review_levels, index_no_template = excluded.index_no_template, updated_at = excluded.updated_at`,
			s.OrgID, s.ReviewLevels, s.IndexNoTemplate, ts(tx.now)); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "document.settings", ObjectType: "org", ObjectID: org.Code, Org: org, After: s})
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func itoa64(v int64) string { return strconv.FormatInt(v, 10) }
