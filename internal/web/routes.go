package web

import (
	"net/http"

	"gongkai"
)

// routes lists the routes of the three surfaces. Each module registers its
// own routes, navigation and menu entries in one function called here, in
// the order the menu shows them.
func (s *Server) routes() {
	s.addPortalNav("首页", "/")
	s.addAdminMenu("工作台", "/admin/", nil)
	s.documentRoutes()
	s.documentCheckRoutes()
	s.applicationRoutes()
	s.annualReportRoutes()
	s.searchRoutes()
	s.checkRoutes()
	s.foundationRoutes()
	s.handle("/", s.notFound)
	s.handle("GET /admin/", s.notFound, s.staff)
	s.handle("/api/", s.apiNotFound)
}

// foundationRoutes: health, static files, the portal home, staff login and
// the administration of orgs, users, sites, the calendar and the audit log.
func (s *Server) foundationRoutes() {
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.handle("GET /static/", s.serveStatic)

	// Public portal.
	s.handle("GET /{$}", s.cacheable(s.portalHome))

	// Staff workspace.
	s.handle("GET /admin/login", s.adminLoginForm)
	s.handle("POST /admin/login", s.adminLogin, s.checkCSRF)
	s.handle("POST /admin/logout", s.adminLogout, s.staff, s.checkCSRF)
	s.handle("GET /admin/{$}", s.adminHome, s.staff)
	s.handle("GET /admin", func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, "/admin/", http.StatusMovedPermanently)
		return nil
	})
	s.handle("GET /admin/password", s.adminPasswordForm, s.staff)
	s.handle("POST /admin/password", s.adminPassword, s.staff, s.checkCSRF)
	s.handle("GET /admin/audit", s.adminAudit, s.staff)
	s.handle("GET /admin/calendar", s.adminCalendar, s.staff)
	s.handle("POST /admin/calendar", s.adminCalendarSet, s.staff, s.checkCSRF)
	s.handle("GET /admin/orgs", s.adminOrgs, s.staff)
	s.handle("GET /admin/orgs/new", s.adminOrgNew, s.staff)
	s.handle("POST /admin/orgs", s.adminOrgCreate, s.staff, s.checkCSRF)
	s.handle("GET /admin/orgs/{code}", s.adminOrgEdit, s.staff)
	s.handle("POST /admin/orgs/{code}", s.adminOrgUpdate, s.staff, s.checkCSRF)
	s.handle("GET /admin/users", s.adminUsers, s.staff)
	s.handle("GET /admin/users/new", s.adminUserNew, s.staff)
	s.handle("POST /admin/users", s.adminUserCreate, s.staff, s.checkCSRF)
	s.handle("GET /admin/users/{id}", s.adminUserView, s.staff)
	s.handle("POST /admin/users/{id}/roles", s.adminUserRoles, s.staff, s.checkCSRF)
	s.handle("POST /admin/users/{id}/password", s.adminUserPassword, s.staff, s.checkCSRF)
	s.handle("POST /admin/users/{id}/disable", s.adminUserDisable, s.staff, s.checkCSRF)
	s.handle("POST /admin/users/{id}/enable", s.adminUserEnable, s.staff, s.checkCSRF)
	s.handle("GET /admin/sites", s.adminSites, s.staff)
	s.handle("GET /admin/sites/new", s.adminSiteNew, s.staff)
	s.handle("POST /admin/sites", s.adminSiteCreate, s.staff, s.checkCSRF)
	s.handle("GET /admin/sites/{code}", s.adminSiteEdit, s.staff)
	s.handle("POST /admin/sites/{code}", s.adminSiteUpdate, s.staff, s.checkCSRF)

	// JSON API.
	s.handle("POST /api/v1/session", s.apiLogin)
	s.handle("DELETE /api/v1/session", s.apiLogout)
	s.handle("GET /api/v1/me", s.apiMe, s.apiAuth)
	s.handle("GET /api/v1/orgs", s.apiOrgs)
	s.handle("GET /api/v1/orgs/{code}", s.apiOrg)
	s.handle("POST /api/v1/orgs", s.apiOrgCreate, s.apiAuth)
	s.handle("GET /api/v1/audit", s.apiAudit, s.apiAuth)
	s.handle("GET /api/v1/workdays", s.apiWorkdays)
	s.handle("GET /api/v1/calendar/years", s.apiCalendarYears)
	isSupervisor := func(a *gongkai.Actor) bool { return a.IsSupervisor() }
	isAdmin := func(a *gongkai.Actor) bool { return a.IsAdmin() }
	s.addAdminMenu("审计日志", "/admin/audit", isSupervisor)
	s.addAdminMenu("工作日历", "/admin/calendar", nil)
	s.addAdminMenu("机构管理", "/admin/orgs", isAdmin)
	s.addAdminMenu("用户管理", "/admin/users", isAdmin)
	s.addAdminMenu("站点管理", "/admin/sites", isAdmin)
	s.addAdminMenu("修改密码", "/admin/password", nil)
}
