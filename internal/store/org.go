package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"gongkai"
)

var _ gongkai.OrgService = (*DB)(nil)

const orgColumns = `o.id, o.code, o.name, o.short_name, o.kind, o.level, COALESCE(o.credit_code, ''), o.org_code, o.region_code,
	COALESCE(o.parent_id, 0), COALESCE(p.code, ''), o.path, o.sort, o.created_at, o.updated_at`

const orgFrom = ` FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id`

func scanOrg(sc interface{ Scan(...any) error }) (*gongkai.Org, error) {
	var o gongkai.Org
	var path string
	if err := sc.Scan(&o.ID, &o.Code, &o.Name, &o.ShortName, &o.Kind, &o.Level, &o.CreditCode, &o.OrgCode, &o.RegionCode,
		&o.ParentID, &o.ParentCode, &path, &o.Sort, &o.CreatedAt, &o.UpdatedAt); err != nil {
		return nil, err
	}
	o.Path = parsePath(path)
	return &o, nil
}

// FindOrgByID returns an org. Org names and codes are public (they appear
// on every portal), so no permission is needed to read them.
func (db *DB) FindOrgByID(ctx context.Context, id int64) (*gongkai.Org, error) {
	var o *gongkai.Org
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { o, err = tx.findOrgByID(ctx, id); return })
	return o, err
}

// FindOrgByCode returns the org with the given code.
func (db *DB) FindOrgByCode(ctx context.Context, code string) (*gongkai.Org, error) {
	var o *gongkai.Org
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { o, err = tx.findOrgByCode(ctx, code); return })
	return o, err
}

// FindOrgs returns orgs in tree order.
func (db *DB) FindOrgs(ctx context.Context, f gongkai.OrgFilter) ([]*gongkai.Org, error) {
	var orgs []*gongkai.Org
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { orgs, err = tx.findOrgs(ctx, f); return })
	return orgs, err
}

func (tx *Tx) findOrgByID(ctx context.Context, id int64) (*gongkai.Org, error) {
	orgs, err := tx.findOrgs(ctx, gongkai.OrgFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "机构不存在（编号 %d）。", id)
	}
	return orgs[0], nil
}

func (tx *Tx) findOrgByCode(ctx context.Context, code string) (*gongkai.Org, error) {
	orgs, err := tx.findOrgs(ctx, gongkai.OrgFilter{Code: &code})
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 {
		e := gongkai.Errorf(gongkai.ENOTFOUND, "机构代码“%s”不存在。", code)
		e.Field = "org"
		return nil, e
	}
	return orgs[0], nil
}

func (tx *Tx) findOrgs(ctx context.Context, f gongkai.OrgFilter) ([]*gongkai.Org, error) {
	q := `SELECT ` + orgColumns + orgFrom + ` WHERE 1 = 1`
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.ID != nil {
		q += ` AND o.id = ` + arg(*f.ID)
	}
	if f.Code != nil {
		q += ` AND o.code = ` + arg(*f.Code)
	}
	if f.Kind != nil {
		q += ` AND o.kind = ` + arg(string(*f.Kind))
	}
	if f.ParentID != nil {
		q += ` AND o.parent_id = ` + arg(*f.ParentID)
	}
	if f.Within != nil {
		q += ` AND o.path LIKE (SELECT w.path FROM orgs w WHERE w.id = ` + arg(*f.Within) + `) || '%'`
	}
	// Tree order: a path sorts after its parent's; within a parent, by sort
	// then name. Sorting by path alone would put /10/ before /2/, so siblings
	// are ordered in Go.
	q += ` ORDER BY o.path`
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var orgs []*gongkai.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return treeOrder(orgs), nil
}

// treeOrder sorts orgs depth-first, siblings by Sort then Code.
func treeOrder(orgs []*gongkai.Org) []*gongkai.Org {
	byParent := map[int64][]*gongkai.Org{}
	present := map[int64]bool{}
	for _, o := range orgs {
		present[o.ID] = true
	}
	var roots []*gongkai.Org
	for _, o := range orgs {
		if o.ParentID != 0 && present[o.ParentID] {
			byParent[o.ParentID] = append(byParent[o.ParentID], o)
		} else {
			roots = append(roots, o)
		}
	}
	less := func(a, b *gongkai.Org) bool {
		if a.Sort != b.Sort {
			return a.Sort < b.Sort
		}
		return a.Code < b.Code
	}
	sortOrgs := func(s []*gongkai.Org) {
		for i := 1; i < len(s); i++ {
			for j := i; j > 0 && less(s[j], s[j-1]); j-- {
				s[j], s[j-1] = s[j-1], s[j]
			}
		}
	}
	out := make([]*gongkai.Org, 0, len(orgs))
	var walk func([]*gongkai.Org)
	walk = func(level []*gongkai.Org) {
		sortOrgs(level)
		for _, o := range level {
			out = append(out, o)
			walk(byParent[o.ID])
		}
	}
	walk(roots)
	return out
}

// CreateOrg adds an org under its parent (named by ParentCode or ParentID).
// Only the system actor may create a root org; otherwise the actor must
// administer the parent.
func (db *DB) CreateOrg(ctx context.Context, o *gongkai.Org) error {
	return db.inTx(ctx, func(tx *Tx) error { return tx.createOrg(ctx, o) })
}

func (tx *Tx) createOrg(ctx context.Context, o *gongkai.Org) error {
	var parent *gongkai.Org
	var err error
	switch {
	case o.ParentCode != "":
		if parent, err = tx.findOrgByCode(ctx, o.ParentCode); err != nil {
			if e := gongkai.AsError(err); e != nil {
				e.Field = "parent"
			}
			return err
		}
	case o.ParentID != 0:
		if parent, err = tx.findOrgByID(ctx, o.ParentID); err != nil {
			return err
		}
	}
	if parent == nil && (tx.actor == nil || !tx.actor.System) {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "只有系统运维人员可以创建顶级机构。")
	}
	if parent != nil && !tx.actor.CanAdminister(parent) {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权在“%s”下创建机构。", parent.Name)
	}
	if err := o.Validate(parent, tx.db.Validators); err != nil {
		return err
	}
	var parentID any
	if parent != nil {
		o.ParentID, o.ParentCode = parent.ID, parent.Code
		parentID = parent.ID
	}
	o.CreatedAt, o.UpdatedAt = tx.now, tx.now
	err = tx.QueryRowContext(ctx, `INSERT INTO orgs (code, name, short_name, kind, level, credit_code, org_code, region_code, parent_id, path, sort, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11, $11) RETURNING id`,
		o.Code, o.Name, o.ShortName, string(o.Kind), string(o.Level), nullString(o.CreditCode), o.OrgCode, o.RegionCode, parentID, o.Sort, ts(tx.now)).Scan(&o.ID)
	if err != nil {
		switch {
		case uniqueOn(err, "code") && !uniqueOn(err, "credit_code"):
			return gongkai.FieldError("code", "机构代码“"+o.Code+"”已被使用。")
		case uniqueOn(err, "credit_code"):
			return gongkai.FieldError("creditCode", "统一社会信用代码“"+o.CreditCode+"”已登记给其他机构。")
		}
		return err
	}
	if parent != nil {
		o.Path = append(append([]int64(nil), parent.Path...), o.ID)
	} else {
		o.Path = []int64{o.ID}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orgs SET path = $1 WHERE id = $2`, pathString(o.Path), o.ID); err != nil {
		return err
	}
	return tx.audit(ctx, auditEntry{Action: "org.create", ObjectType: "org", ObjectID: o.Code, Org: o, After: o})
}

// UpdateOrg changes an org's names and identifiers.
func (db *DB) UpdateOrg(ctx context.Context, id int64, upd gongkai.OrgUpdate) (*gongkai.Org, error) {
	var out *gongkai.Org
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := tx.findOrgByID(ctx, id)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(before) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权修改“%s”。", before.Name)
		}
		o := *before
		if upd.Name != nil {
			o.Name = *upd.Name
		}
		if upd.ShortName != nil {
			o.ShortName = *upd.ShortName
		}
		if upd.CreditCode != nil {
			o.CreditCode = *upd.CreditCode
		}
		if upd.OrgCode != nil {
			o.OrgCode = *upd.OrgCode
		}
		if upd.RegionCode != nil {
			o.RegionCode = *upd.RegionCode
		}
		if upd.Sort != nil {
			o.Sort = *upd.Sort
		}
		var parent *gongkai.Org
		if o.ParentID != 0 {
			if parent, err = tx.findOrgByID(ctx, o.ParentID); err != nil {
				return err
			}
		}
		if err := o.Validate(parent, tx.db.Validators); err != nil {
			return err
		}
		o.UpdatedAt = tx.now
		_, err = tx.ExecContext(ctx, `UPDATE orgs SET name = $1, short_name = $2, credit_code = $3, org_code = $4, region_code = $5, sort = $6, updated_at = $7 WHERE id = $8`,
			o.Name, o.ShortName, nullString(o.CreditCode), o.OrgCode, o.RegionCode, o.Sort, ts(tx.now), o.ID)
		if uniqueOn(err, "credit_code") {
			return gongkai.FieldError("creditCode", "统一社会信用代码“"+o.CreditCode+"”已登记给其他机构。")
		}
		if err != nil {
			return err
		}
		out = &o
		return tx.audit(ctx, auditEntry{Action: "org.update", ObjectType: "org", ObjectID: o.Code, Org: &o, Before: before, After: &o})
	})
	return out, err
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
