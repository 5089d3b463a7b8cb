package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"gongkai"
)

// Setting returns a stored setting and whether it exists.
func (db *DB) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if isNoRows(err) {
		return "", false, nil
	}
	return v, err == nil, err
}

// Secret returns the named random secret, creating it on first use. Secrets
// live in the database so that every node of a multi-node platform signs
// and checks CSRF tokens with the same key.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret." + name
	if v, ok, err := db.Setting(ctx, key); err != nil {
		return nil, err
	} else if ok {
		return hex.DecodeString(v)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		// Another node may have created it meanwhile: keep the first.
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`,
			key, hex.EncodeToString(b), ts(tx.now))
		return err
	})
	if err != nil {
		return nil, err
	}
	v, _, err := db.Setting(ctx, key)
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// CalendarOverride is a year of the working-day calendar entered by an
// admin, replacing or adding to the embedded data.
type CalendarOverride struct {
	Year      int
	Data      []byte
	UpdatedAt time.Time
	UpdatedBy string
}

// CalendarOverrides returns every admin-entered calendar year.
func (db *DB) CalendarOverrides(ctx context.Context) ([]CalendarOverride, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT year, data, updated_at, updated_by FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CalendarOverride
	for rows.Next() {
		var c CalendarOverride
		var data string
		if err := rows.Scan(&c.Year, &data, &c.UpdatedAt, &c.UpdatedBy); err != nil {
			return nil, err
		}
		c.Data = []byte(data)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetCalendarYear stores a year's holiday arrangement (already validated by
// the caller with workday.ParseYear). Only the system actor and admins of a
// top-level org may change the calendar: it governs every deadline.
func (db *DB) SetCalendarYear(ctx context.Context, year int, data []byte) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if !tx.canAdministerRoot(ctx) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "只有顶级机构的管理员可以修改工作日历。")
		}
		var before string
		err := tx.QueryRowContext(ctx, `SELECT data FROM calendar_years WHERE year = $1`, year).Scan(&before)
		if err != nil && !isNoRows(err) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_years (year, data, updated_at, updated_by) VALUES ($1, $2, $3, $4)
			ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			year, string(data), ts(tx.now), tx.actor.Username); err != nil {
			return err
		}
		var beforeJSON any
		if before != "" {
			beforeJSON = jsonRaw(before)
		}
		return tx.audit(ctx, auditEntry{Action: "calendar.set_year", ObjectType: "calendar_year", ObjectID: itoa(year), Before: beforeJSON, After: jsonRaw(string(data))})
	})
}

// canAdministerRoot: the system, or an admin of an org without a parent.
func (tx *Tx) canAdministerRoot(ctx context.Context) bool {
	a := tx.actor
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role != gongkai.RoleAdmin {
			continue
		}
		if org, err := tx.findOrgByID(ctx, g.OrgID); err == nil && org.ParentID == 0 {
			return true
		}
	}
	return false
}
