package store

import (
	"context"
	"net"
	"sort"

	"gongkai"
)

var _ gongkai.SiteService = (*DB)(nil)

const siteColumns = `s.id, s.org_id, o.code, s.code, s.name, s.is_default, s.site_id_code, s.sponsor, s.operator, s.icp, s.police_record,
	s.address, s.phone, s.created_at, s.updated_at`

func (tx *Tx) findSites(ctx context.Context, where string, args ...any) ([]*gongkai.Site, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+siteColumns+` FROM sites s JOIN orgs o ON o.id = s.org_id`+where+` ORDER BY s.is_default DESC, s.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var sites []*gongkai.Site
	byID := map[int64]*gongkai.Site{}
	for rows.Next() {
		var s gongkai.Site
		f := &s.Footer
		if err := rows.Scan(&s.ID, &s.OrgID, &s.OrgCode, &s.Code, &s.Name, &s.IsDefault, &f.SiteIDCode, &f.Sponsor, &f.Operator, &f.ICP, &f.PoliceRecord,
			&f.Address, &f.Phone, &s.CreatedAt, &s.UpdatedAt); err != nil {
			return nil, err
		}
		s.Hosts = []string{}
		sites = append(sites, &s)
		byID[s.ID] = &s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(sites) == 0 {
		return nil, nil
	}
	hrows, err := tx.QueryContext(ctx, `SELECT host, site_id FROM site_hosts ORDER BY host`)
	if err != nil {
		return nil, err
	}
	defer hrows.Close()
	for hrows.Next() {
		var host string
		var id int64
		if err := hrows.Scan(&host, &id); err != nil {
			return nil, err
		}
		if s := byID[id]; s != nil {
			s.Hosts = append(s.Hosts, host)
		}
	}
	return sites, hrows.Err()
}

func (tx *Tx) findSite(ctx context.Context, where string, args ...any) (*gongkai.Site, error) {
	sites, err := tx.findSites(ctx, where, args...)
	if err != nil {
		return nil, err
	}
	if len(sites) == 0 {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "站点不存在。")
	}
	return sites[0], nil
}

// FindSiteByID returns a site.
func (db *DB) FindSiteByID(ctx context.Context, id int64) (*gongkai.Site, error) {
	var s *gongkai.Site
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { s, err = tx.findSite(ctx, ` WHERE s.id = $1`, id); return })
	return s, err
}

// FindSiteByCode returns a site by its code.
func (db *DB) FindSiteByCode(ctx context.Context, code string) (*gongkai.Site, error) {
	var s *gongkai.Site
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { s, err = tx.findSite(ctx, ` WHERE s.code = $1`, code); return })
	return s, err
}

// FindSiteByHost returns the site for a Host header, or the default site.
func (db *DB) FindSiteByHost(ctx context.Context, host string) (*gongkai.Site, error) {
	host = gongkai.NormalizeHost(host)
	var s *gongkai.Site
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		s, err = tx.findSite(ctx, ` WHERE s.id = (SELECT site_id FROM site_hosts WHERE host = $1)`, host)
		if name, _, splitErr := net.SplitHostPort(host); gongkai.ErrorCode(err) == gongkai.ENOTFOUND && splitErr == nil {
			// A host registered without a port answers on any port.
			s, err = tx.findSite(ctx, ` WHERE s.id = (SELECT site_id FROM site_hosts WHERE host = $1)`, name)
		}
		if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
			s, err = tx.findSite(ctx, ` WHERE s.is_default`)
		}
		return err
	})
	return s, err
}

// FindSites returns every site, the default first.
func (db *DB) FindSites(ctx context.Context) ([]*gongkai.Site, error) {
	var sites []*gongkai.Site
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { sites, err = tx.findSites(ctx, ""); return })
	return sites, err
}

// CreateSite adds a site for an org the actor administers. The first site
// becomes the default.
func (db *DB) CreateSite(ctx context.Context, s *gongkai.Site) error {
	return db.inTx(ctx, func(tx *Tx) error {
		org, err := tx.findOrgByCode(ctx, s.OrgCode)
		if s.OrgCode == "" {
			org, err = tx.findOrgByID(ctx, s.OrgID)
		}
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权为“%s”创建站点。", org.Name)
		}
		if err := s.Validate(); err != nil {
			return err
		}
		s.OrgID, s.OrgCode = org.ID, org.Code
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM sites`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			s.IsDefault = true
		}
		if s.IsDefault && n > 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE sites SET is_default = FALSE WHERE is_default`); err != nil {
				return err
			}
		}
		f := s.Footer
		s.CreatedAt, s.UpdatedAt = tx.now, tx.now
		err = tx.QueryRowContext(ctx, `INSERT INTO sites (org_id, code, name, is_default, site_id_code, sponsor, operator, icp, police_record, address, phone, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
			s.OrgID, s.Code, s.Name, s.IsDefault, f.SiteIDCode, f.Sponsor, f.Operator, f.ICP, f.PoliceRecord, f.Address, f.Phone, ts(tx.now)).Scan(&s.ID)
		if uniqueOn(err, "code") {
			return gongkai.FieldError("code", "站点代码“"+s.Code+"”已被使用。")
		}
		if err != nil {
			return err
		}
		if err := tx.setHosts(ctx, s.ID, s.Hosts); err != nil {
			return err
		}
		if err := tx.seedColumns(ctx, s.ID, org); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "site.create", ObjectType: "site", ObjectID: s.Code, Org: org, After: s})
	})
}

func (tx *Tx) setHosts(ctx context.Context, siteID int64, hosts []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM site_hosts WHERE site_id = $1`, siteID); err != nil {
		return err
	}
	for _, h := range hosts {
		_, err := tx.ExecContext(ctx, `INSERT INTO site_hosts (host, site_id) VALUES ($1, $2)`, h, siteID)
		if _, dup := isUniqueViolation(err); dup {
			return gongkai.FieldError("hosts", "域名“"+h+"”已被其他站点使用。")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// UpdateSite changes a site's name, hosts, default flag or footer.
func (db *DB) UpdateSite(ctx context.Context, id int64, upd gongkai.SiteUpdate) (*gongkai.Site, error) {
	var out *gongkai.Site
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := tx.findSite(ctx, ` WHERE s.id = $1`, id)
		if err != nil {
			return err
		}
		org, err := tx.findOrgByID(ctx, before.OrgID)
		if err != nil {
			return err
		}
		if !tx.actor.CanAdminister(org) {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权修改站点“%s”。", before.Name)
		}
		s := *before
		s.Hosts = append([]string(nil), before.Hosts...)
		if upd.Name != nil {
			s.Name = *upd.Name
		}
		if upd.Hosts != nil {
			s.Hosts = append([]string(nil), (*upd.Hosts)...)
		}
		if upd.Footer != nil {
			s.Footer = *upd.Footer
		}
		if upd.IsDefault != nil && *upd.IsDefault && !s.IsDefault {
			if _, err := tx.ExecContext(ctx, `UPDATE sites SET is_default = FALSE WHERE is_default`); err != nil {
				return err
			}
			s.IsDefault = true
		}
		if err := s.Validate(); err != nil {
			return err
		}
		f := s.Footer
		s.UpdatedAt = tx.now
		if _, err := tx.ExecContext(ctx, `UPDATE sites SET name = $1, is_default = $2, site_id_code = $3, sponsor = $4, operator = $5, icp = $6, police_record = $7,
			address = $8, phone = $9, updated_at = $10 WHERE id = $11`,
			s.Name, s.IsDefault, f.SiteIDCode, f.Sponsor, f.Operator, f.ICP, f.PoliceRecord, f.Address, f.Phone, ts(tx.now), s.ID); err != nil {
			return err
		}
		if upd.Hosts != nil {
			sort.Strings(s.Hosts)
			if err := tx.setHosts(ctx, s.ID, s.Hosts); err != nil {
				return err
			}
		}
		out = &s
		if err := tx.publicChanged(ctx); err != nil { // the footer is on every page
			return err
		}
		tx.searchChanged(SearchKindGuide, s.ID) // the default guide quotes the footer
		return tx.audit(ctx, auditEntry{Action: "site.update", ObjectType: "site", ObjectID: s.Code, Org: org, Before: before, After: &s})
	})
	return out, err
}
