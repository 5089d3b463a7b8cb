package web

import (
	"net/http"
	"net/url"
	"strconv"

	"gongkai"
	"gongkai/internal/taxonomy"
)

// ColumnsPage manages a site's column tree.
type ColumnsPage struct {
	AdminBase
	Site     *gongkai.Site
	Sites    []*gongkai.Site
	Rows     []ColumnRow
	Parents  []ColumnRow
	New      gongkai.Column
	Freqs    []FreqOption
	Problems gongkai.Problems
}

// ColumnRow is a column with its depth and update frequency in words.
type ColumnRow struct {
	Column *gongkai.Column
	Depth  int
	Freq   string
}

// FreqOption is a choice of update frequency (国办秘函〔2019〕19号).
type FreqOption struct {
	Value, Label string
}

var freqOptions = []FreqOption{{"", "不设固定周期"}, {"2w", "2周（动态、要闻类）"}, {"6m", "6个月（通知公告、政策文件类）"}, {"12m", "12个月（年报等）"}}

func parseFreq(v string) (weeks, months int) {
	switch v {
	case "2w":
		return 2, 0
	case "6m":
		return 0, 6
	case "12m":
		return 0, 12
	}
	return 0, 0
}

// adminSites returns the sites the actor administers and the one chosen.
func (s *Server) adminSite(r *http.Request, code string) (*gongkai.Site, []*gongkai.Site, error) {
	if err := requireAdmin(r); err != nil {
		return nil, nil, err
	}
	a := gongkai.ActorFrom(r.Context())
	all, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return nil, nil, err
	}
	var mine []*gongkai.Site
	var chosen *gongkai.Site
	for _, site := range all {
		org, err := s.Orgs.FindOrgByID(r.Context(), site.OrgID)
		if err != nil {
			return nil, nil, err
		}
		if a.CanAdminister(org) {
			mine = append(mine, site)
			if site.Code == code || (code == "" && chosen == nil) {
				chosen = site
			}
		}
	}
	if chosen == nil {
		return nil, nil, gongkai.Errorf(gongkai.ENOTFOUND, "没有您可以管理的站点。")
	}
	return chosen, mine, nil
}

func (s *Server) columnsPage(w http.ResponseWriter, r *http.Request, code string) (ColumnsPage, error) {
	site, sites, err := s.adminSite(r, code)
	if err != nil {
		return ColumnsPage{}, err
	}
	page := ColumnsPage{AdminBase: s.adminBase(w, r, "栏目管理"), Site: site, Sites: sites, Freqs: freqOptions}
	cols, err := s.Portal.FindColumns(r.Context(), site.ID)
	if err != nil {
		return page, err
	}
	tree := newColumnTree(cols)
	for _, c := range cols {
		row := ColumnRow{Column: c, Depth: tree.depth(c), Freq: taxonomy.Freq{Weeks: c.FreqWeeks, Months: c.FreqMonths}.String()}
		page.Rows = append(page.Rows, row)
		if k := taxonomy.Kind(c.Kind); k == taxonomy.KindGroup || k == taxonomy.KindList {
			page.Parents = append(page.Parents, row)
		}
	}
	return page, nil
}

func (s *Server) adminColumns(w http.ResponseWriter, r *http.Request) error {
	page, err := s.columnsPage(w, r, r.URL.Query().Get("site"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/columns", page)
}

func columnsURL(site string) string { return "/admin/columns?site=" + url.QueryEscape(site) }

func (s *Server) adminColumnCreate(w http.ResponseWriter, r *http.Request) error {
	page, err := s.columnsPage(w, r, r.PostFormValue("site"))
	if err != nil {
		return err
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent"), 10, 64)
	weeks, months := parseFreq(r.PostFormValue("freq"))
	c := gongkai.Column{SiteID: page.Site.ID, ParentID: parent, Slug: r.PostFormValue("slug"), Name: r.PostFormValue("name"), Kind: r.PostFormValue("kind"),
		FreqWeeks: weeks, FreqMonths: months}
	saved := c
	if err := s.Portal.CreateColumn(r.Context(), &saved); err != nil {
		if page.Problems, err = formProblems(err); err != nil {
			return err
		}
		page.New = c
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/columns", page)
	}
	return s.redirectFlash(w, r, columnsURL(page.Site.Code), "column-saved")
}

func (s *Server) adminColumnUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := docPathID(r, "id")
	if err != nil {
		return err
	}
	weeks, months := parseFreq(r.PostFormValue("freq"))
	if _, err := s.Portal.UpdateColumn(r.Context(), id, r.PostFormValue("name"), weeks, months); err != nil {
		page, perr := s.columnsPage(w, r, r.PostFormValue("site"))
		if perr != nil {
			return perr
		}
		if page.Problems, err = formProblems(err); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/columns", page)
	}
	return s.redirectFlash(w, r, columnsURL(r.PostFormValue("site")), "column-saved")
}

func (s *Server) adminColumnMove(w http.ResponseWriter, r *http.Request) error {
	id, err := docPathID(r, "id")
	if err != nil {
		return err
	}
	delta := 1
	if r.PostFormValue("dir") == "up" {
		delta = -1
	}
	if err := s.Portal.MoveColumn(r.Context(), id, delta); err != nil {
		return err
	}
	return s.redirectFlash(w, r, columnsURL(r.PostFormValue("site")), "column-saved")
}

func (s *Server) adminColumnDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := docPathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Portal.DeleteColumn(r.Context(), id); err != nil {
		return err
	}
	return s.redirectFlash(w, r, columnsURL(r.PostFormValue("site")), "column-saved")
}

// GuideFormPage edits a site's 政府信息公开指南.
type GuideFormPage struct {
	AdminBase
	Site     *gongkai.Site
	Sites    []*gongkai.Site
	Guide    *gongkai.Guide
	Problems gongkai.Problems
}

func (s *Server) adminGuide(w http.ResponseWriter, r *http.Request) error {
	site, sites, err := s.adminSite(r, r.URL.Query().Get("site"))
	if err != nil {
		return err
	}
	g, err := s.Portal.FindGuide(r.Context(), site.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/guide", GuideFormPage{AdminBase: s.adminBase(w, r, "政府信息公开指南"), Site: site, Sites: sites, Guide: g})
}

func (s *Server) adminGuideSave(w http.ResponseWriter, r *http.Request) error {
	site, sites, err := s.adminSite(r, r.PostFormValue("site"))
	if err != nil {
		return err
	}
	v := r.PostFormValue
	g := &gongkai.Guide{SiteID: site.ID, Classification: v("classification"), Arrangement: v("arrangement"), Access: v("access"), OfficeName: v("officeName"),
		Address: v("address"), Hours: v("hours"), Phone: v("phone"), Fax: v("fax"), Email: v("email")}
	if err := s.Portal.UpdateGuide(r.Context(), g); err != nil {
		problems, err := formProblems(err)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/guide", GuideFormPage{AdminBase: s.adminBase(w, r, "政府信息公开指南"), Site: site, Sites: sites, Guide: g, Problems: problems})
	}
	return s.redirectFlash(w, r, "/admin/guide?site="+url.QueryEscape(site.Code), "guide-saved")
}
