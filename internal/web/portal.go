package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"gongkai"
)

// healthz answers 200 only when the database answers, so a load balancer
// takes a node out when it loses its database.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.Ping(ctx); err != nil {
		s.Logger.Warn("health check failed", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return
	}
	w.Write([]byte("ok\n"))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return gongkai.Errorf(gongkai.ENOTFOUND, "您访问的页面不存在，可能已被移除或地址有误。")
}

// apiNotFound answers API requests no route takes: 405 with Allow when the
// address exists for other methods (the /api/ catch-all hides the mux's
// own 405), else 404.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		return &gongkai.Error{Code: gongkai.EMETHOD, Message: "该接口不支持此请求方法。", Detail: r.Method + " not allowed; use " + strings.Join(allow, ", ")}
	}
	return &gongkai.Error{Code: gongkai.ENOTFOUND, Message: "接口不存在。", Detail: "no such endpoint: " + r.Method + " " + r.URL.Path}
}

// PortalHomePage is the portal's front page.
type PortalHomePage struct {
	PortalBase
	Org *gongkai.Org
	// Units are the departments and lower governments directly under the
	// site's org: the 机构 list every government portal carries.
	Units []*gongkai.Org
	// Latest are the newest documents published on the site.
	Latest []*gongkai.PublicDocument
}

func (s *Server) portalHome(w http.ResponseWriter, r *http.Request) error {
	base, err := s.portalBase(w, r, "")
	if err != nil {
		return err
	}
	org, err := s.Orgs.FindOrgByID(r.Context(), base.Site.OrgID)
	if err != nil {
		return err
	}
	units, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{ParentID: &org.ID})
	if err != nil {
		return err
	}
	page := PortalHomePage{PortalBase: base, Org: org, Units: units}
	if s.Portal != nil {
		if page.Latest, _, err = s.Portal.FindPublicDocuments(r.Context(), gongkai.PublicFilter{SiteID: base.Site.ID, Limit: 10}); err != nil {
			return err
		}
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return s.render(w, r, http.StatusOK, "portal/home", page)
}
