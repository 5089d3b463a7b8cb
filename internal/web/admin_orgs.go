package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai"
)

// OrgRow is an org in the tree listing, with its depth for indentation.
type OrgRow struct {
	Org      *gongkai.Org
	Depth    int
	CanAdmin bool
}

// OrgsPage lists the org tree the admin manages.
type OrgsPage struct {
	AdminBase
	Rows []OrgRow
}

// orgRows returns the orgs the actor may administer, in tree order.
func (s *Server) orgRows(r *http.Request) ([]OrgRow, error) {
	a := gongkai.ActorFrom(r.Context())
	orgs, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{})
	if err != nil {
		return nil, err
	}
	var rows []OrgRow
	for _, o := range orgs {
		if a.CanSupervise(o) || a.CanAdminister(o) {
			rows = append(rows, OrgRow{Org: o, Depth: len(o.Path) - 1, CanAdmin: a.CanAdminister(o)})
		}
	}
	if len(rows) > 0 {
		top := rows[0].Depth
		for i := range rows {
			rows[i].Depth -= top
		}
	}
	return rows, nil
}

func requireAdmin(r *http.Request) error {
	if !gongkai.ActorFrom(r.Context()).IsAdmin() {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "只有管理员可以使用此功能。")
	}
	return nil
}

func (s *Server) adminOrgs(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	rows, err := s.orgRows(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/orgs", OrgsPage{AdminBase: s.adminBase(w, r, "机构管理"), Rows: rows})
}

// OrgFormPage creates or edits an org.
type OrgFormPage struct {
	AdminBase
	IsNew    bool
	Org      gongkai.Org
	Parents  []OrgRow
	Levels   []gongkai.OrgLevel
	Problems gongkai.Problems
}

func (s *Server) orgForm(w http.ResponseWriter, r *http.Request, title string, org gongkai.Org, isNew bool) (OrgFormPage, error) {
	rows, err := s.orgRows(r)
	if err != nil {
		return OrgFormPage{}, err
	}
	var parents []OrgRow
	for _, row := range rows {
		if row.CanAdmin && row.Org.Kind == gongkai.OrgGovernment {
			parents = append(parents, row)
		}
	}
	return OrgFormPage{AdminBase: s.adminBase(w, r, title), IsNew: isNew, Org: org, Parents: parents, Levels: gongkai.OrgLevels}, nil
}

func (s *Server) adminOrgNew(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	org := gongkai.Org{Kind: gongkai.OrgDepartment, ParentCode: r.URL.Query().Get("parent")}
	page, err := s.orgForm(w, r, "新增机构", org, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/org_form", page)
}

func orgFromForm(r *http.Request) gongkai.Org {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	sort, _ := strconv.Atoi(f("sort"))
	return gongkai.Org{Code: f("code"), Name: f("name"), ShortName: f("shortName"), Kind: gongkai.OrgKind(f("kind")), Level: gongkai.OrgLevel(f("level")),
		CreditCode: f("creditCode"), OrgCode: f("orgCode"), RegionCode: f("regionCode"), ParentCode: f("parent"), Sort: sort}
}

// formProblems returns the field problems of a validation error, or nil
// with the error itself when it is of another kind.
func formProblems(err error) (gongkai.Problems, error) {
	e := gongkai.AsError(err)
	if e == nil || (e.Code != gongkai.EINVALID && !(e.Code == gongkai.ENOTFOUND && e.Field != "")) {
		return nil, err
	}
	if len(e.Problems) > 0 {
		return e.Problems, nil
	}
	return gongkai.Problems{{Field: e.Field, Message: e.Message}}, nil
}

func (s *Server) adminOrgCreate(w http.ResponseWriter, r *http.Request) error {
	org := orgFromForm(r)
	saved := org
	err := s.Orgs.CreateOrg(r.Context(), &saved)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/orgs", "org-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	page, err := s.orgForm(w, r, "新增机构", org, true)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/org_form", page)
}

func (s *Server) adminOrgEdit(w http.ResponseWriter, r *http.Request) error {
	org, err := s.Orgs.FindOrgByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if !gongkai.ActorFrom(r.Context()).CanAdminister(org) {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权修改“%s”。", org.Name)
	}
	page, err := s.orgForm(w, r, "编辑机构："+org.Name, *org, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/org_form", page)
}

func (s *Server) adminOrgUpdate(w http.ResponseWriter, r *http.Request) error {
	org, err := s.Orgs.FindOrgByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	in := orgFromForm(r)
	upd := gongkai.OrgUpdate{Name: &in.Name, ShortName: &in.ShortName, CreditCode: &in.CreditCode, OrgCode: &in.OrgCode, RegionCode: &in.RegionCode, Sort: &in.Sort}
	_, err = s.Orgs.UpdateOrg(r.Context(), org.ID, upd)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/orgs", "org-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	shown := *org
	shown.Name, shown.ShortName, shown.CreditCode, shown.OrgCode, shown.RegionCode, shown.Sort = in.Name, in.ShortName, in.CreditCode, in.OrgCode, in.RegionCode, in.Sort
	page, err := s.orgForm(w, r, "编辑机构："+org.Name, shown, false)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/org_form", page)
}
