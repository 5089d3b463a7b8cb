package store

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/taxonomy"
)

var _ gongkai.PortalService = (*DB)(nil)

const columnColumns = `id, site_id, COALESCE(parent_id, 0), slug, path, name, kind, basis, freq_weeks, freq_months, sort, statutory, created_at, updated_at`

func scanColumn(sc interface{ Scan(...any) error }) (*gongkai.Column, error) {
	var c gongkai.Column
	err := sc.Scan(&c.ID, &c.SiteID, &c.ParentID, &c.Slug, &c.Path, &c.Name, &c.Kind, &c.Basis, &c.FreqWeeks, &c.FreqMonths, &c.Sort, &c.Statutory, &c.CreatedAt, &c.UpdatedAt)
	return &c, err
}

// columnLevel is the taxonomy level whose statutory columns a site of org
// gets: departments have their own set whatever their government's level.
func columnLevel(org *gongkai.Org) taxonomy.OrgLevel {
	if org.Kind == gongkai.OrgDepartment {
		return taxonomy.Department
	}
	return taxonomy.OrgLevel(org.Level)
}

// seedColumns gives a site the statutory 政府信息公开 column tree. It is
// called when a site is created and, for sites created before documents
// existed, by EnsureColumns at start-up.
func (tx *Tx) seedColumns(ctx context.Context, siteID int64, org *gongkai.Org) error {
	var insert func(parent any, specs []taxonomy.ColumnSpec) error
	insert = func(parent any, specs []taxonomy.ColumnSpec) error {
		for i, s := range specs {
			var basis []string
			for _, p := range s.Basis {
				basis = append(basis, p.String())
			}
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO site_columns (site_id, parent_id, slug, path, name, kind, basis, freq_weeks, freq_months, sort, statutory, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11, $11) RETURNING id`,
				siteID, parent, s.Slug, s.Path, s.Name, string(s.Kind), strings.Join(basis, "、"), s.Freq.Weeks, s.Freq.Months, i, ts(tx.now)).Scan(&id); err != nil {
				return err
			}
			if err := insert(id, s.Children); err != nil {
				return err
			}
		}
		return nil
	}
	// the site now has a guide page
	tx.searchChanged(SearchKindGuide, siteID)
	return insert(nil, taxonomy.StatutoryColumns(columnLevel(org)))
}

// EnsureColumns seeds the statutory columns of every site that has none
// (sites created before this version). It runs at start-up and is cheap
// when there is nothing to do.
func (db *DB) EnsureColumns(ctx context.Context) error {
	return db.inTx(gongkai.WithActor(ctx, gongkai.SystemActor("migrate")), func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT s.id, s.org_id FROM sites s WHERE NOT EXISTS (SELECT 1 FROM site_columns c WHERE c.site_id = s.id)`)
		if err != nil {
			return err
		}
		type pair struct{ site, org int64 }
		var todo []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.site, &p.org); err != nil {
				rows.Close()
				return err
			}
			todo = append(todo, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range todo {
			org, err := tx.findOrgByID(ctx, p.org)
			if err != nil {
				return err
			}
			if err := tx.seedColumns(ctx, p.site, org); err != nil {
				return err
			}
			if err := tx.audit(ctx, auditEntry{Action: "column.seed", ObjectType: "site", ObjectID: itoa(int(p.site)), Org: org}); err != nil {
				return err
			}
		}
		if len(todo) > 0 {
			return tx.publicChanged(ctx)
		}
		return nil
	})
}

// FindColumns returns a site's columns, parents before children and
// siblings in their order. Columns are public.
func (db *DB) FindColumns(ctx context.Context, siteID int64) ([]*gongkai.Column, error) {
	var out []*gongkai.Column
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { out, err = tx.findColumns(ctx, siteID); return })
	return out, err
}

func (tx *Tx) findColumns(ctx context.Context, siteID int64) ([]*gongkai.Column, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+columnColumns+` FROM site_columns WHERE site_id = $1 ORDER BY sort, id`, siteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []*gongkai.Column
	for rows.Next() {
		c, err := scanColumn(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Depth-first: a parent, then its children in order.
	children := map[int64][]*gongkai.Column{}
	for _, c := range all {
		children[c.ParentID] = append(children[c.ParentID], c)
	}
	out := make([]*gongkai.Column, 0, len(all))
	var walk func(int64)
	walk = func(parent int64) {
		for _, c := range children[parent] {
			out = append(out, c)
			walk(c.ID)
		}
	}
	walk(0)
	return out, nil
}

func (tx *Tx) findColumn(ctx context.Context, id int64) (*gongkai.Column, error) {
	c, err := scanColumn(tx.QueryRowContext(ctx, `SELECT `+columnColumns+` FROM site_columns WHERE id = $1`, id))
	if isNoRows(err) {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "栏目不存在。")
	}
	return c, err
}

// siteAdmin returns the site's org after checking the actor administers it.
func (tx *Tx) siteAdmin(ctx context.Context, siteID int64) (*gongkai.Site, *gongkai.Org, error) {
	site, err := tx.findSite(ctx, ` WHERE s.id = $1`, siteID)
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.findOrgByID(ctx, site.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if !tx.actor.CanAdminister(org) {
		return nil, nil, gongkai.Errorf(gongkai.EFORBIDDEN, "您无权管理站点“%s”的栏目。", site.Name)
	}
	return site, org, nil
}

var columnSlugPattern = regexp.MustCompile(`^[a-z][a-z0-9]{1,19}$`)

// reservedSlugs are path segments the portal uses itself under /xxgk/.
var reservedSlugs = map[string]bool{"wj": true, "zcwjk": true, "atom": true, "feed": true, "fj": true}

// CreateColumn adds a column under an existing one. Its path is the
// parent's path plus the slug, so URLs read like the tree.
func (db *DB) CreateColumn(ctx context.Context, c *gongkai.Column) error {
	return db.inTx(ctx, func(tx *Tx) error {
		var p gongkai.Problems
		c.Slug = strings.TrimSpace(c.Slug)
		c.Name = strings.TrimSpace(c.Name)
		if c.ParentID == 0 {
			p.Add("parent", "请选择上级栏目。")
		}
		if !columnSlugPattern.MatchString(c.Slug) || reservedSlugs[c.Slug] {
			p.Add("slug", "栏目代码须为2至20位小写英文字母或数字，以字母开头（通常用栏目名称的拼音首字母，如 tzgg），且不能是 wj、zcwjk 等保留词。")
		}
		if c.Name == "" {
			p.Add("name", "请填写栏目名称。")
		} else if utf8.RuneCountInString(c.Name) > 30 {
			p.Add("name", "栏目名称不能超过30个字。")
		}
		switch taxonomy.Kind(c.Kind) {
		case "":
			c.Kind = string(taxonomy.KindList)
		case taxonomy.KindList, taxonomy.KindGroup:
		default:
			p.Add("kind", "新栏目的类型须为 list（文件列表）或 group（栏目分组）。")
		}
		if c.FreqWeeks < 0 || c.FreqMonths < 0 || c.FreqWeeks > 52 || c.FreqMonths > 24 {
			p.Add("freq", "更新频率不正确。")
		}
		if err := p.Err(); err != nil {
			return err
		}
		parent, err := tx.findColumn(ctx, c.ParentID)
		if err != nil {
			e := gongkai.FieldError("parent", "上级栏目不存在。")
			return e
		}
		if parent.SiteID != c.SiteID && c.SiteID != 0 {
			return gongkai.FieldError("parent", "上级栏目不属于该站点。")
		}
		c.SiteID = parent.SiteID
		if _, org, err := tx.siteAdmin(ctx, c.SiteID); err != nil {
			return err
		} else if k := taxonomy.Kind(parent.Kind); k != taxonomy.KindGroup && k != taxonomy.KindList {
			return gongkai.FieldError("parent", "“"+parent.Name+"”下不能再设栏目。")
		} else {
			c.Path = childPath(parent, c.Slug)
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(sort), -1) + 1 FROM site_columns WHERE parent_id = $1`, parent.ID).Scan(&c.Sort); err != nil {
				return err
			}
			c.CreatedAt, c.UpdatedAt = tx.now, tx.now
			err := tx.QueryRowContext(ctx, `INSERT INTO site_columns (site_id, parent_id, slug, path, name, kind, basis, freq_weeks, freq_months, sort, statutory, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9, FALSE, $10, $10) RETURNING id`,
				c.SiteID, parent.ID, c.Slug, c.Path, c.Name, c.Kind, c.FreqWeeks, c.FreqMonths, c.Sort, ts(tx.now)).Scan(&c.ID)
			if _, dup := isUniqueViolation(err); dup {
				return gongkai.FieldError("slug", "栏目代码“"+c.Slug+"”在本站已被使用。")
			}
			if err != nil {
				return err
			}
			if err := tx.audit(ctx, auditEntry{Action: "column.create", ObjectType: "column", ObjectID: itoa(int(c.ID)), Org: org, After: c}); err != nil {
				return err
			}
		}
		return tx.publicChanged(ctx)
	})
}

// childPath is the path of a new column under parent. The items of
// 法定主动公开内容 sit directly under /xxgk/ (taxonomy's statutory paths), and
// columns added beside them follow suit.
func childPath(parent *gongkai.Column, slug string) string {
	if parent.Slug == "fdzdgknr" {
		return "/xxgk/" + slug + "/"
	}
	return parent.Path + slug + "/"
}

// UpdateColumn renames a column or changes its update frequency. Slugs and
// paths never change: they are URLs.
func (db *DB) UpdateColumn(ctx context.Context, id int64, name string, freqWeeks, freqMonths int) (*gongkai.Column, error) {
	var out *gongkai.Column
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := tx.findColumn(ctx, id)
		if err != nil {
			return err
		}
		_, org, err := tx.siteAdmin(ctx, before.SiteID)
		if err != nil {
			return err
		}
		name = strings.TrimSpace(name)
		var p gongkai.Problems
		if name == "" {
			p.Add("name", "请填写栏目名称。")
		} else if utf8.RuneCountInString(name) > 30 {
			p.Add("name", "栏目名称不能超过30个字。")
		}
		if freqWeeks < 0 || freqMonths < 0 || freqWeeks > 52 || freqMonths > 24 {
			p.Add("freq", "更新频率不正确。")
		}
		if err := p.Err(); err != nil {
			return err
		}
		c := *before
		c.Name, c.FreqWeeks, c.FreqMonths, c.UpdatedAt = name, freqWeeks, freqMonths, tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE site_columns SET name = $1, freq_weeks = $2, freq_months = $3, updated_at = $4 WHERE id = $5`,
			c.Name, c.FreqWeeks, c.FreqMonths, ts(tx.now), c.ID); err != nil {
			return err
		}
		out = &c
		if err := tx.audit(ctx, auditEntry{Action: "column.update", ObjectType: "column", ObjectID: itoa(int(c.ID)), Org: org, Before: before, After: &c}); err != nil {
			return err
		}
		return tx.publicChanged(ctx)
	})
	return out, err
}

// MoveColumn moves a column one place up (delta < 0) or down among its
// siblings; at either end it stays where it is.
func (db *DB) MoveColumn(ctx context.Context, id int64, delta int) error {
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := tx.findColumn(ctx, id)
		if err != nil {
			return err
		}
		_, org, err := tx.siteAdmin(ctx, c.SiteID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM site_columns WHERE site_id = $1 AND COALESCE(parent_id, 0) = $2 ORDER BY sort, id`, c.SiteID, c.ParentID)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var x int64
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		i := 0
		for i < len(ids) && ids[i] != id {
			i++
		}
		j := i + 1
		if delta < 0 {
			j = i - 1
		}
		if i == len(ids) || j < 0 || j >= len(ids) {
			return nil
		}
		ids[i], ids[j] = ids[j], ids[i]
		for k, x := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE site_columns SET sort = $1 WHERE id = $2`, k, x); err != nil {
				return err
			}
		}
		if err := tx.audit(ctx, auditEntry{Action: "column.move", ObjectType: "column", ObjectID: itoa(int(id)), Org: org, After: map[string]any{"order": ids}}); err != nil {
			return err
		}
		return tx.publicChanged(ctx)
	})
}

// DeleteColumn removes a column an admin added, when it has no
// sub-columns and no documents. Statutory columns stay.
func (db *DB) DeleteColumn(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		c, err := tx.findColumn(ctx, id)
		if err != nil {
			return err
		}
		_, org, err := tx.siteAdmin(ctx, c.SiteID)
		if err != nil {
			return err
		}
		if c.Statutory {
			return gongkai.Errorf(gongkai.ECONFLICT, "“%s”是法定栏目，不能删除。", c.Name)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM site_columns WHERE parent_id = $1) + (SELECT COUNT(*) FROM document_columns WHERE column_id = $1)
			+ (SELECT COUNT(*) FROM document_public_columns WHERE column_id = $1)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return gongkai.Errorf(gongkai.ECONFLICT, "栏目“%s”下还有子栏目或文件，不能删除。", c.Name)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM site_columns WHERE id = $1`, id); err != nil {
			return err
		}
		if err := tx.audit(ctx, auditEntry{Action: "column.delete", ObjectType: "column", ObjectID: itoa(int(id)), Org: org, Before: c}); err != nil {
			return err
		}
		return tx.publicChanged(ctx)
	})
}

// FindGuide returns a site's 政府信息公开指南, with defaults written from
// the site's org until an admin edits it.
func (db *DB) FindGuide(ctx context.Context, siteID int64) (*gongkai.Guide, error) {
	var g *gongkai.Guide
	err := db.inReadTx(ctx, func(tx *Tx) error {
		site, err := tx.findSite(ctx, ` WHERE s.id = $1`, siteID)
		if err != nil {
			return err
		}
		org, err := tx.findOrgByID(ctx, site.OrgID)
		if err != nil {
			return err
		}
		g = defaultGuide(site, org)
		err = tx.QueryRowContext(ctx, `SELECT classification, arrangement, access, office_name, address, hours, phone, fax, email, updated_at, updated_by FROM site_guides WHERE site_id = $1`, siteID).
			Scan(&g.Classification, &g.Arrangement, &g.Access, &g.OfficeName, &g.Address, &g.Hours, &g.Phone, &g.Fax, &g.Email, &g.UpdatedAt, &g.UpdatedBy)
		if isNoRows(err) {
			return nil
		}
		return err
	})
	return g, err
}

// defaultGuide words the Art. 12 items for an org that has not written its
// own guide yet; an admin is expected to correct the office details.
func defaultGuide(site *gongkai.Site, org *gongkai.Org) *gongkai.Guide {
	return &gongkai.Guide{
		SiteID: site.ID,
		Classification: "本机关主动公开的政府信息按照《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的内容分类，" +
			"并按国务院公文主题分类标注主题分类，按公文种类标注文种。",
		Arrangement: "政府信息公开目录按栏目编排，每条信息载明索引号、主题分类、发布机构、成文日期、标题、发文字号、发布日期和有效性。" +
			"索引号由机构代码、年份和顺序号组成，一经生成不再改变。",
		Access: "主动公开的政府信息通过本网站“政府信息公开”专栏公开，公众可在线检索、查阅、下载；" +
			"也可到政府信息公开查阅场所查阅。需要获取未主动公开的政府信息的，可以向本机关提出政府信息公开申请。",
		OfficeName: org.Name + "政府信息公开工作机构",
		Address:    site.Footer.Address,
		Hours:      "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
		Phone:      site.Footer.Phone,
	}
}

// UpdateGuide stores a site's guide.
func (db *DB) UpdateGuide(ctx context.Context, g *gongkai.Guide) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, org, err := tx.siteAdmin(ctx, g.SiteID)
		if err != nil {
			return err
		}
		var p gongkai.Problems
		for _, f := range []struct {
			name, label string
			v           *string
			max         int
			required    bool
		}{
			{"classification", "政府信息的分类", &g.Classification, 2000, true},
			{"arrangement", "编排体系", &g.Arrangement, 2000, true},
			{"access", "获取方式", &g.Access, 2000, true},
			{"officeName", "工作机构名称", &g.OfficeName, 100, true},
			{"address", "办公地址", &g.Address, 200, true},
			{"hours", "办公时间", &g.Hours, 200, true},
			{"phone", "联系电话", &g.Phone, 60, true},
			{"fax", "传真号码", &g.Fax, 60, false},
			{"email", "互联网联系方式", &g.Email, 200, false},
		} {
			*f.v = strings.TrimSpace(*f.v)
			switch {
			case f.required && *f.v == "":
				p.Add(f.name, "请填写"+f.label+"（《政府信息公开条例》第十二条要求列明）。")
			case utf8.RuneCountInString(*f.v) > f.max:
				p.Add(f.name, f.label+"过长。")
			}
		}
		if err := p.Err(); err != nil {
			return err
		}
		g.UpdatedAt, g.UpdatedBy = tx.now, tx.actor.Username
		if _, err := tx.ExecContext(ctx, `INSERT INTO site_guides (site_id, classification, arrangement, access, office_name, address, hours, phone, fax, email, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (site_id) DO UPDATE SET classification = excluded.classification, arrangement = excluded.arrangement, access = excluded.access,
			office_name = excluded.office_name, address = excluded.address, hours = excluded.hours, phone = excluded.phone, fax = excluded.fax,
			email = excluded.email, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			g.SiteID, g.Classification, g.Arrangement, g.Access, g.OfficeName, g.Address, g.Hours, g.Phone, g.Fax, g.Email, ts(tx.now), g.UpdatedBy); err != nil {
			return err
		}
		if err := tx.audit(ctx, auditEntry{Action: "guide.update", ObjectType: "site", ObjectID: itoa(int(g.SiteID)), Org: org, After: g}); err != nil {
			return err
		}
		tx.searchChanged(SearchKindGuide, g.SiteID)
		return tx.publicChanged(ctx)
	})
}

// homeSite is the site where an org's documents appear: its own, or the
// nearest ancestor's (a department without a site publishes on its
// government's portal).
func (tx *Tx) homeSite(ctx context.Context, org *gongkai.Org) (int64, error) {
	for i := len(org.Path) - 1; i >= 0; i-- {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sites WHERE org_id = $1 ORDER BY is_default DESC, id LIMIT 1`, org.Path[i]).Scan(&id)
		if err == nil {
			return id, nil
		}
		if !isNoRows(err) {
			return 0, err
		}
	}
	return 0, gongkai.Errorf(gongkai.ECONFLICT, "“%s”及其上级机构都还没有网站，文件无处发布。请管理员先在“站点管理”中添加网站。", org.Name)
}
