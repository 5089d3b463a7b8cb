package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gongkai"
)

// AuditPage lists audit records with filters.
type AuditPage struct {
	AdminBase
	Records []*gongkai.AuditRecord
	Total   int
	Orgs    []*gongkai.Org
	// Filter values as entered, echoed into the form.
	Org, ActorName, Action, ObjectType, ObjectID, From, To string
	Page, Pages                                            int
	PrevURL, NextURL                                       string
	Problems                                               gongkai.Problems
}

const auditPageSize = 50

// auditFilter reads the audit filters shared by the page and the API.
func (s *Server) auditFilter(r *http.Request) (gongkai.AuditFilter, gongkai.Problems, error) {
	q := r.URL.Query()
	var f gongkai.AuditFilter
	var p gongkai.Problems
	if code := q.Get("org"); code != "" {
		org, err := s.Orgs.FindOrgByCode(r.Context(), code)
		if err != nil {
			return f, p, err
		}
		f.Within = &org.ID
	}
	set := func(dst **string, key string) {
		if v := q.Get(key); v != "" {
			*dst = &v
		}
	}
	set(&f.ActorName, "actor")
	set(&f.Action, "action")
	set(&f.ObjectType, "objectType")
	set(&f.ObjectID, "objectId")
	for _, d := range []struct {
		key string
		dst **time.Time
		end bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := q.Get(d.key)
		if v == "" {
			continue
		}
		day, err := gongkai.ParseDate(v)
		if err != nil {
			p.Add(d.key, "日期格式应为 YYYY-MM-DD，例如 2026-01-31。")
			continue
		}
		t := day.Time()
		if d.end {
			t = day.AddDays(1).Time() // "to" includes the whole day
		}
		*d.dst = &t
	}
	if page, err := strconv.Atoi(q.Get("page")); err == nil && page > 1 {
		f.Offset = (page - 1) * auditPageSize
	}
	f.Limit = auditPageSize
	return f, p, nil
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	if !a.IsSupervisor() {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "只有监督人员和管理员可以查看审计日志。")
	}
	q := r.URL.Query()
	page := AuditPage{AdminBase: s.adminBase(w, r, "审计日志"), Org: q.Get("org"), ActorName: q.Get("actor"), Action: q.Get("action"),
		ObjectType: q.Get("objectType"), ObjectID: q.Get("objectId"), From: q.Get("from"), To: q.Get("to")}
	f, problems, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	page.Problems = problems
	orgs, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if a.CanSupervise(o) {
			page.Orgs = append(page.Orgs, o)
		}
	}
	if len(problems) == 0 {
		page.Records, page.Total, err = s.Audit.FindAuditRecords(r.Context(), f)
		if err != nil {
			return err
		}
	}
	page.Page = f.Offset/auditPageSize + 1
	page.Pages = max(1, (page.Total+auditPageSize-1)/auditPageSize)
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/admin/audit?" + v.Encode()
	}
	if page.Page > 1 {
		page.PrevURL = link(page.Page - 1)
	}
	if page.Page < page.Pages {
		page.NextURL = link(page.Page + 1)
	}
	return s.render(w, r, http.StatusOK, "admin/audit", page)
}

func itoa(n int) string { return strconv.Itoa(n) }
