package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"

	"gongkai"
)

// The portal's reads: public versions only, no actor needed.

const publicSelect = `SELECT p.id, p.site_id, p.org_id, o.code, o.name, p.state, p.index_no, p.title, %s, p.summary, p.keywords, p.issuers, p.doc_no,
	p.genre, p.topic, p.signed_on, p.validity, p.validity_on, COALESCE(p.replaced_by, 0), p.published_at, p.updated_at, p.version, %s,
	p.withdrawn_at, p.withdraw_reason, p.effective_on, p.valid_until
	FROM document_public p JOIN orgs o ON o.id = p.org_id`

var (
	publicSelectFull = strings.NewReplacer("%s, p.summary", "p.body, p.summary", "%s,\n", "p.attachments,\n").Replace(publicSelect)
	publicSelectList = strings.NewReplacer("%s, p.summary", "'', p.summary", "%s,\n", "'[]',\n").Replace(publicSelect)
)

func scanPublic(sc interface{ Scan(...any) error }) (*gongkai.PublicDocument, error) {
	var d gongkai.PublicDocument
	var keywords, issuers, attachments, reason string
	var withdrawnAt sql.NullTime
	if err := sc.Scan(&d.ID, &d.SiteID, &d.OrgID, &d.OrgCode, &d.OrgName, &d.State, &d.IndexNo, &d.Title, &d.Body, &d.Summary, &keywords, &issuers, &d.DocNo,
		&d.Genre, &d.Topic, &d.SignedOn, &d.Validity, &d.ValidityOn, &d.ReplacedBy, &d.PublishedAt, &d.UpdatedAt, &d.Version, &attachments,
		&withdrawnAt, &reason, &d.EffectiveOn, &d.ValidUntil); err != nil {
		return nil, err
	}
	d.Keywords, d.Issuers = splitLines(keywords), splitLines(issuers)
	d.PublishedAt, d.UpdatedAt = d.PublishedAt.UTC(), d.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(attachments), &d.Attachments); err != nil {
		return nil, err
	}
	if d.Attachments == nil {
		d.Attachments = []gongkai.Attachment{}
	}
	if withdrawnAt.Valid {
		mode := gongkai.WithdrawNormal
		if d.State == gongkai.PublicErroneous {
			mode = gongkai.WithdrawErroneous
		}
		d.Withdrawal = &gongkai.Withdrawal{Mode: mode, Reason: reason, At: withdrawnAt.Time.UTC()}
	}
	d.URL = gongkai.DocumentPath(d.ID)
	return &d, nil
}

// FindPublicDocument returns a document's public version for its site's
// page, with related documents and the change history.
func (db *DB) FindPublicDocument(ctx context.Context, siteID, id int64) (*gongkai.PublicDocument, error) {
	var d *gongkai.PublicDocument
	err := db.inReadTx(ctx, func(tx *Tx) (err error) {
		d, err = tx.findPublic(ctx, `p.id = $1`, id)
		if err == nil && d.SiteID != siteID {
			err = gongkai.Errorf(gongkai.ENOTFOUND, "您访问的信息不存在。")
		}
		return err
	})
	return d, err
}

// FindPublicDocumentByIndexNo finds a public version by its 索引号, on any
// site.
func (db *DB) FindPublicDocumentByIndexNo(ctx context.Context, indexNo string) (*gongkai.PublicDocument, error) {
	var d *gongkai.PublicDocument
	err := db.inReadTx(ctx, func(tx *Tx) (err error) {
		d, err = tx.findPublic(ctx, `p.index_no = $1`, strings.TrimSpace(indexNo))
		return
	})
	return d, err
}

func (tx *Tx) findPublic(ctx context.Context, where string, arg any) (*gongkai.PublicDocument, error) {
	d, err := scanPublic(tx.hotQueryRow(ctx, publicSelectFull+` WHERE `+where, arg))
	if isNoRows(err) {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "您访问的信息不存在。")
	}
	if err != nil {
		return nil, err
	}
	if d.State == gongkai.PublicErroneous {
		return nil, gongkai.Errorf(gongkai.EGONE, "该信息因发布有误已撤销，不再提供。")
	}
	// Related documents in both directions, as long as they are public.
	rows, err := tx.hotQuery(ctx, `SELECT r.kind, 1, p.id, p.title, p.index_no FROM document_public_relations r JOIN document_public p ON p.id = r.to_id
		WHERE r.from_id = $1 AND p.state <> 'erroneous'
		UNION ALL
		SELECT r.kind, 0, p.id, p.title, p.index_no FROM document_public_relations r JOIN document_public p ON p.id = r.from_id
		WHERE r.to_id = $1 AND p.state <> 'erroneous'
		ORDER BY 1, 2, 3`, d.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inverse := map[string]string{"interprets": "interpreted_by", "repeals": "repealed_by", "amends": "amended_by"}
	for rows.Next() {
		var l gongkai.DocumentLink
		var out int
		if err := rows.Scan(&l.Relation, &out, &l.ID, &l.Title, &l.IndexNo); err != nil {
			return nil, err
		}
		if out == 0 {
			l.Relation = inverse[l.Relation]
		}
		l.URL = gongkai.DocumentPath(l.ID)
		d.Related = append(d.Related, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if d.Versions, err = tx.versions(ctx, d.ID); err != nil {
		return nil, err
	}
	if d.Columns, err = tx.publicColumns(ctx, d.ID); err != nil {
		return nil, err
	}
	return d, nil
}

// publicColumns lists the columns a public version is listed in. A
// withdrawn document is in none, so they are read from the working copy.
func (tx *Tx) publicColumns(ctx context.Context, id int64) ([]int64, error) {
	rows, err := tx.hotQuery(ctx, `SELECT column_id FROM document_columns WHERE document_id = $1 ORDER BY column_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindPublicDocuments lists published documents newest first. Withdrawn
// documents are not listed.
func (db *DB) FindPublicDocuments(ctx context.Context, f gongkai.PublicFilter) ([]*gongkai.PublicDocument, int, error) {
	var out []*gongkai.PublicDocument
	var total int
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		limit := f.Limit
		switch {
		case limit <= 0:
			limit = 20
		case limit > 50000: // a sitemap file's worth
			limit = 50000
		}
		where := metadataFilter("p", arg, f.Topic, f.Genre, f.Issuer, f.Validity)
		if f.OrgID != nil {
			where = append(where, `p.org_id = `+arg(*f.OrgID))
		}
		if f.Year != nil {
			where = append(where, `p.year = `+arg(*f.Year))
		}
		var q, count string
		switch {
		case len(f.ColumnIDs) == 1 && len(where) == 0:
			// The common case, a column's own list: one range of the
			// membership index in publication order.
			c := arg(f.ColumnIDs[0])
			q = publicSelectList + ` JOIN document_public_columns c ON c.document_id = p.id WHERE c.column_id = ` + c +
				` ORDER BY c.published_at DESC, c.document_id DESC`
			count = `SELECT COUNT(*) FROM document_public_columns WHERE column_id = ` + c
		default:
			where = append(where, `p.site_id = `+arg(f.SiteID), `p.state = 'published'`)
			if len(f.ColumnIDs) > 0 {
				where = append(where, `p.id IN (SELECT document_id FROM document_public_columns WHERE column_id IN (`+idList(f.ColumnIDs)+`))`)
			}
			cond := ` WHERE ` + strings.Join(where, " AND ")
			q = publicSelectList + cond + ` ORDER BY p.published_at DESC, p.id DESC`
			count = `SELECT COUNT(*) FROM document_public p` + cond
		}
		var err error
		if total, err = tx.memoCount(ctx, count, args...); err != nil {
			return err
		}
		if total == 0 {
			return nil
		}
		rows, err := tx.hotQuery(ctx, q+` LIMIT `+arg(limit)+` OFFSET `+arg(max(f.Offset, 0)), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanPublic(rows)
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, total, err
}
