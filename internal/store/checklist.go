package store

import (
	"context"
	"strings"

	"gongkai"
	"gongkai/internal/check"
)

var _ gongkai.CheckListService = (*DB)(nil)

// FindCheckLists returns a site's check lists. They tune what may be
// published, so only staff read them.
func (db *DB) FindCheckLists(ctx context.Context, siteID int64) (map[gongkai.CheckListKind]*gongkai.CheckList, error) {
	out := map[gongkai.CheckListKind]*gongkai.CheckList{}
	err := db.inReadTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT kind, content, updated_at, updated_by FROM check_lists WHERE site_id = $1`, siteID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l := &gongkai.CheckList{SiteID: siteID}
			if err := rows.Scan(&l.Kind, &l.Content, &l.UpdatedAt, &l.UpdatedBy); err != nil {
				return err
			}
			out[l.Kind] = l
		}
		return rows.Err()
	})
	return out, err
}

// SetCheckList validates and stores one list of a site (an admin of the
// site's org). An empty content removes the list. A recheck of the site's
// published documents is enqueued with the change.
func (db *DB) SetCheckList(ctx context.Context, siteID int64, kind gongkai.CheckListKind, content string) error {
	if !kind.Valid() {
		return gongkai.FieldError("kind", "未知的检查清单类型“"+string(kind)+"”。")
	}
	content = strings.TrimSpace(strings.ReplaceAll(content, "\r\n", "\n"))
	if len(content) > 2<<20 {
		return gongkai.FieldError("content", "清单内容超过2 MB。")
	}
	if err := validateCheckList(kind, content); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *Tx) error {
		site, err := tx.findSite(ctx, ` WHERE s.id = $1`, siteID)
		if err != nil {
			return err
		}
		org, err := tx.findOrgByID(ctx, site.OrgID)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的管理员可以修改本站的检查清单。", org.Name)
		}
		var before string
		err = tx.QueryRowContext(ctx, `SELECT content FROM check_lists WHERE site_id = $1 AND kind = $2`, siteID, string(kind)).Scan(&before)
		if err != nil && !isNoRows(err) {
			return err
		}
		if content == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM check_lists WHERE site_id = $1 AND kind = $2`, siteID, string(kind))
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO check_lists (site_id, kind, content, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (site_id, kind) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
				siteID, string(kind), content, ts(tx.now), tx.actor.Username)
		}
		if err != nil {
			return err
		}
		if err := tx.audit(ctx, auditEntry{Action: "check_list.set", ObjectType: "check_list", ObjectID: site.Code + "/" + string(kind), Org: org,
			Before: map[string]string{"content": before}, After: map[string]string{"content": content}}); err != nil {
			return err
		}
		// The site's published documents are rechecked with the new list.
		return tx.enqueueRecheck(ctx, siteID)
	})
}

// validateCheckList parses a list in its import format, so a bad line is
// refused with its line number instead of breaking every later check.
func validateCheckList(kind gongkai.CheckListKind, content string) error {
	var err error
	switch kind {
	case gongkai.CheckDictionary:
		var d *check.Dictionary
		if d, err = check.ParseDictionary(strings.NewReader(content)); err == nil {
			_, err = check.New(check.Config{ExtraEntries: d.Entries})
		}
	default:
		_, err = check.ParseWordList(strings.NewReader(content))
	}
	if err == nil {
		return nil
	}
	e := gongkai.AsError(err)
	if e == nil {
		return gongkai.FieldError("content", err.Error())
	}
	out := *e
	out.Field = "content"
	out.Problems = []gongkai.Problem{{Field: "content", Message: e.Message}}
	return &out
}
