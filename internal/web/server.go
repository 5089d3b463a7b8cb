// Package web serves gongkai's three surfaces from one handler: the public
// portal (/), the staff workspace (/admin/) and the JSON API (/api/v1/).
// Handlers are thin: they parse input, call the domain services held as
// fields (the same ones the CLI uses) and render a typed page or JSON.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/check"
)

// Server holds the services the handlers call. Fill the fields, then call
// Init before serving.
type Server struct {
	Orgs     gongkai.OrgService
	Sites    gongkai.SiteService
	Users    gongkai.UserService
	Auth     gongkai.AuthService
	Audit    gongkai.AuditService
	Calendar gongkai.CalendarService
	// Applications handles 依申请公开 (issue 4).
	Applications gongkai.ApplicationService
	// CheckLists and Checkers serve the content checks (零差错).
	CheckLists gongkai.CheckListService
	Checkers   Checkers
	// DocumentChecks keeps the checks of documents in the 三审 review and
	// the rechecks of published ones; nil hides them.
	DocumentChecks gongkai.DocumentCheckService
	// Documents and Portal serve proactive disclosure (issue 3); Blobs
	// keeps attachment files and UploadLimit caps one attachment (bytes).
	// AnnualReports compiles, checks and publishes the annual reports
	// (issue 5).
	AnnualReports AnnualReports
	Documents     gongkai.DocumentService
	Portal        gongkai.PortalService
	Blobs         blob.Store
	UploadLimit   int64
	// Search answers 一网通查 (issue 6) from this node's index replica;
	// SearchSettings keeps the synonym list. Without Search the portal
	// shows no search box and /search answers 503.
	Search         Searcher
	SearchSettings gongkai.SearchSettingsService
	// PageCache is the number of rendered public pages kept in memory;
	// 0 renders every request.
	PageCache int
	// Ping answers whether the database answers (GET /healthz).
	Ping func(ctx context.Context) error
	// CSRFKey signs CSRF tokens; it is shared by every node (stored in the
	// database).
	CSRFKey []byte
	// TrustProxy makes the server honour X-Forwarded-For and
	// X-Forwarded-Proto from a reverse proxy in front of it.
	TrustProxy bool
	Logger     *slog.Logger
	Now        func() time.Time

	mux       *http.ServeMux
	tmpl      *templates
	assets    *assets
	portalNav []NavItem
	adminMenu []menuEntry
	sites     siteCache
	patterns  []string
	// lookups throttles failed tracking lookups per client address.
	lookups    failureLimiter
	cache      *pageCache
	portalData portalData
	orgNames   orgCache
	// ready is set by Init; a Server used without it fails loudly.
	ready bool
}

// Checkers gives the content checker of a site (internal/checking).
type Checkers interface {
	Checker(ctx context.Context, siteID int64) (*check.Checker, error)
	Forget(siteID int64)
}

// NavItem is one entry of the portal's main navigation. Modules add their
// entries when they register routes, so the navigation never links to a
// page that does not exist.
type NavItem struct {
	Label string
	Path  string
}

// menuEntry is one entry of the workspace menu, shown to actors for whom
// show returns true (everyone when show is nil).
type menuEntry struct {
	NavItem
	show func(*gongkai.Actor) bool
}

// addPortalNav adds an entry to the portal's main navigation; modules call
// it from their route registration.
func (s *Server) addPortalNav(label, path string) {
	s.portalNav = append(s.portalNav, NavItem{label, path})
}

// addAdminMenu adds an entry to the workspace menu.
func (s *Server) addAdminMenu(label, path string, show func(*gongkai.Actor) bool) {
	s.adminMenu = append(s.adminMenu, menuEntry{NavItem{label, path}, show})
}

// Init parses templates, loads static assets and registers routes.
func (s *Server) Init() error {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return err
	}
	if s.tmpl, err = parseTemplates(s.assets); err != nil {
		return err
	}
	s.mux = http.NewServeMux()
	s.initPortal()
	s.routes()
	s.ready = true
	return nil
}

// Handler returns the root handler with the middleware every request gets.
func (s *Server) Handler() http.Handler {
	if !s.ready {
		panic("web: Server.Init was not called")
	}
	return s.serveCached(s.recoverPanics(s.logRequests(s.securityHeaders(s.mux))))
}

// ServeHTTP lets a Server be used directly as a handler (tests).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Handler().ServeHTTP(w, r) }

// Routes returns every registered route pattern, e.g. "GET /api/v1/orgs",
// so a test can keep docs/api.md in step with the code.
func (s *Server) Routes() []string { return append([]string(nil), s.patterns...) }
