package web

import (
	"net/http"
	"strings"

	"gongkai"
)

// SitesPage lists the portals this installation serves.
type SitesPage struct {
	AdminBase
	Sites []*gongkai.Site
}

func (s *Server) adminSites(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	sites, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/sites", SitesPage{AdminBase: s.adminBase(w, r, "站点管理"), Sites: sites})
}

// SiteFormPage creates or edits a site.
type SiteFormPage struct {
	AdminBase
	IsNew    bool
	Site     gongkai.Site
	Hosts    string // one per line, as typed
	Orgs     []OrgRow
	Problems gongkai.Problems
}

func (s *Server) siteForm(w http.ResponseWriter, r *http.Request, title string, site gongkai.Site, isNew bool) (SiteFormPage, error) {
	rows, err := s.orgRows(r)
	if err != nil {
		return SiteFormPage{}, err
	}
	var orgs []OrgRow
	for _, row := range rows {
		if row.CanAdmin {
			orgs = append(orgs, row)
		}
	}
	return SiteFormPage{AdminBase: s.adminBase(w, r, title), IsNew: isNew, Site: site, Hosts: strings.Join(site.Hosts, "\n"), Orgs: orgs}, nil
}

func siteFromForm(r *http.Request) gongkai.Site {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	hosts := strings.FieldsFunc(r.PostFormValue("hosts"), func(c rune) bool { return c == '\n' || c == '\r' || c == ',' || c == ' ' })
	return gongkai.Site{OrgCode: f("org"), Code: f("code"), Name: f("name"), Hosts: hosts, IsDefault: r.PostFormValue("isDefault") == "on",
		Footer: gongkai.SiteFooter{SiteIDCode: f("siteIdCode"), Sponsor: f("sponsor"), Operator: f("operator"), ICP: f("icp"),
			PoliceRecord: f("policeRecord"), Address: f("address"), Phone: f("phone")}}
}

func (s *Server) adminSiteNew(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	page, err := s.siteForm(w, r, "新增站点", gongkai.Site{}, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/site_form", page)
}

func (s *Server) adminSiteCreate(w http.ResponseWriter, r *http.Request) error {
	site := siteFromForm(r)
	saved := site
	saved.Hosts = append([]string(nil), site.Hosts...)
	err := s.Sites.CreateSite(r.Context(), &saved)
	if err == nil {
		s.forgetSites()
		return s.redirectFlash(w, r, "/admin/sites", "site-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.siteForm(w, r, "新增站点", site, true)
	if err != nil {
		return err
	}
	page.Hosts = r.PostFormValue("hosts")
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/site_form", page)
}

func (s *Server) adminSiteEdit(w http.ResponseWriter, r *http.Request) error {
	site, err := s.Sites.FindSiteByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	page, err := s.siteForm(w, r, "编辑站点："+site.Name, *site, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/site_form", page)
}

func (s *Server) adminSiteUpdate(w http.ResponseWriter, r *http.Request) error {
	site, err := s.Sites.FindSiteByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	in := siteFromForm(r)
	upd := gongkai.SiteUpdate{Name: &in.Name, Hosts: &in.Hosts, Footer: &in.Footer}
	if in.IsDefault {
		upd.IsDefault = &in.IsDefault
	}
	_, err = s.Sites.UpdateSite(r.Context(), site.ID, upd)
	if err == nil {
		s.forgetSites()
		return s.redirectFlash(w, r, "/admin/sites", "site-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	shown := *site
	shown.Name, shown.Footer = in.Name, in.Footer
	page, err := s.siteForm(w, r, "编辑站点："+site.Name, shown, false)
	if err != nil {
		return err
	}
	page.Hosts = r.PostFormValue("hosts")
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/site_form", page)
}
