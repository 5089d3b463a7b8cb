package store

import (
	"context"
	"database/sql"
	"time"

	"gongkai"
)

// FindTimeliness reports 条例 Art. 26 timeliness for a year: of the 主动公开
// documents first published that year, how many within 20 working days of
// their formation date; and how many unpublished ones are waiting, and
// overdue today. One row per org: the org alone, or with subtree set every
// org below it too (the 政务公开办's view).
func (db *DB) FindTimeliness(ctx context.Context, orgID int64, year int, subtree bool) ([]*gongkai.Timeliness, error) {
	cal, err := db.Calendar().Workdays(ctx)
	if err != nil {
		return nil, err
	}
	var out []*gongkai.Timeliness
	err = db.inReadTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByID(ctx, orgID)
		if err != nil {
			return err
		}
		a := tx.actor
		if a == nil {
			return gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
		}
		allowed := a.System || a.CanSupervise(org)
		if !allowed && !subtree {
			for _, g := range a.Grants {
				allowed = allowed || g.OrgID == org.ID
			}
		}
		if !allowed {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权查看“%s”的公开时效统计。", org.Name)
		}
		orgs := []*gongkai.Org{org}
		if subtree {
			if orgs, err = tx.findOrgs(ctx, gongkai.OrgFilter{Within: &org.ID}); err != nil {
				return err
			}
		}
		rows := map[int64]*gongkai.Timeliness{}
		for _, o := range orgs {
			t := &gongkai.Timeliness{Org: o, Year: year}
			rows[o.ID] = t
			out = append(out, t)
		}
		from, to := yearBounds(year)
		// A draft gets its formation date at submission; until then its
		// 成文日期, or the day it was drafted, stands in.
		q := `SELECT d.org_id, COALESCE(d.formed_on, d.signed_on), d.created_at, d.published_at FROM documents d WHERE d.disclosure = 'proactive' AND d.org_id IN (` + orgIDs(orgs) + `)
			AND ((d.published_at >= $1 AND d.published_at < $2) OR (d.published_at IS NULL AND d.status <> 'withdrawn'))`
		rs, err := tx.QueryContext(ctx, q, from, to)
		if err != nil {
			return err
		}
		defer rs.Close()
		today := gongkai.DateOf(tx.now)
		for rs.Next() {
			var id int64
			var formed gongkai.Date
			var created time.Time
			var published sql.NullTime
			if err := rs.Scan(&id, &formed, &created, &published); err != nil {
				return err
			}
			if formed.IsZero() {
				formed = gongkai.DateOf(created)
			}
			t := rows[id]
			if published.Valid {
				t.Published++
			} else {
				t.Pending++
			}
			due, err := gongkai.DisclosureDue(cal, formed)
			if err != nil {
				if published.Valid {
					t.Unknown++
				}
				continue
			}
			switch {
			case !published.Valid:
				if today.After(due) {
					t.Overdue++
				}
			case gongkai.DateOf(published.Time).After(due):
				t.Late++
			default:
				t.OnTime++
			}
		}
		return rs.Err()
	})
	return out, err
}

func orgIDs(orgs []*gongkai.Org) string {
	ids := make([]int64, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	return idList(ids)
}
