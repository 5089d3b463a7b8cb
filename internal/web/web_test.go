package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checking"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

// env is a running server over a fixture database.
type env struct {
	t   *testing.T
	db  *store.DB
	fix *storetest.Fix
	srv *httptest.Server
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	return newEnvWith(t, db, nil)
}

// newEnvWith is newEnv with a chance to set more of the server's fields
// (after the fixture exists, before Init).
func newEnvWith(t *testing.T, db *store.DB, configure func(*web.Server)) *env {
	t.Helper()
	fix := storetest.Fixture(t, db)
	ctx := storetest.System()
	if err := db.CreateSite(ctx, &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"},
		Footer: gongkai.SiteFooter{SiteIDCode: "3699000001", Sponsor: "示例市人民政府办公室", ICP: "示ICP备00000001号"}}); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// The content checks run in the review, as in gongkai serve.
	checks := &checking.Service{Lists: db, Sites: db, Blobs: blobs}
	db.Checks = checks
	s := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping, CSRFKey: []byte("test-key-0123456789abcdef01234567"),
		CheckLists: db, Checkers: checks, DocumentChecks: db, Applications: db,
		Documents: db, Portal: db, Blobs: blobs, UploadLimit: 1 << 20, PageCache: 1000, AnnualReports: db}
	if configure != nil {
		configure(s)
	}
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	db.OnPublicChange(s.PublicChanged)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &env{t: t, db: db, fix: fix, srv: srv}
}

// browser is a client with cookies that does not follow redirects, so
// tests see each response.
func (e *env) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (e *env) get(c *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.Get(e.srv.URL + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (e *env) post(c *http.Client, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	resp, err := c.PostForm(e.srv.URL+path, form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfFrom(t *testing.T, body string) string {
	t.Helper()
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no csrf_token in page")
	}
	return m[1]
}

// login logs a browser in through the form and returns the CSRF token.
func (e *env) login(c *http.Client, username, password string) string {
	e.t.Helper()
	_, body := e.get(c, "/admin/login")
	token := csrfFrom(e.t, body)
	resp, body := e.post(c, "/admin/login", url.Values{"csrf_token": {token}, "username": {username}, "password": {password}, "next": {"/admin/"}})
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d\n%s", username, resp.StatusCode, body)
	}
	return token
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	for _, path := range []string{"/", "/admin/login", "/api/v1/orgs", "/no-such-page"} {
		resp, _ := e.get(e.browser(), path)
		h := resp.Header
		for k, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if got := h.Get(k); got != want {
				t.Errorf("%s: %s = %q, want %q", path, k, got, want)
			}
		}
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
	}
}

func TestPortalHome(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	resp, body := e.get(e.browser(), "/")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{`<html lang="zh-CN">`, "示例市人民政府门户网站", "网站标识码：3699000001", "示ICP备00000001号", "示例市发展和改革委员会", `aria-current="page"`} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if resp.Header.Get("Set-Cookie") != "" {
		t.Errorf("portal home sets a cookie (%q): it would defeat caching", resp.Header.Get("Set-Cookie"))
	}
	resp, body = e.get(e.browser(), "/no-such-page")
	if resp.StatusCode != 404 || !strings.Contains(body, "页面不存在") {
		t.Errorf("404 page: %d %q", resp.StatusCode, body)
	}
}

func TestHealthz(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	resp, _ := e.get(e.browser(), "/healthz")
	if resp.StatusCode != 200 {
		t.Fatalf("healthz = %d", resp.StatusCode)
	}
	db.Close()
	resp, _ = e.get(e.browser(), "/healthz")
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz with closed database = %d, want 503", resp.StatusCode)
	}
}

func TestLoginLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.browser()
		resp, _ := e.get(c, "/admin/")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Fatalf("anonymous /admin/ = %d %s, want redirect to login", resp.StatusCode, resp.Header.Get("Location"))
		}
		token := e.login(c, "depteditor", e.fix.Password)
		resp, body := e.get(c, "/admin/")
		if resp.StatusCode != 200 || !strings.Contains(body, "示例市发展和改革委员会") || !strings.Contains(body, "编辑") {
			t.Fatalf("dashboard: %d", resp.StatusCode)
		}
		for _, c := range resp.Cookies() {
			if c.Name == "gk_session" {
				t.Error("dashboard re-sent the session cookie")
			}
		}
		resp, _ = e.post(c, "/admin/logout", url.Values{"csrf_token": {token}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout = %d", resp.StatusCode)
		}
		resp, _ = e.get(c, "/admin/")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after logout /admin/ = %d, want redirect", resp.StatusCode)
		}
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	_, body := e.get(c, "/admin/login")
	resp, _ := e.post(c, "/admin/login", url.Values{"csrf_token": {csrfFrom(t, body)}, "username": {"depteditor"}, "password": {e.fix.Password}})
	var found bool
	for _, h := range resp.Header.Values("Set-Cookie") {
		if strings.HasPrefix(h, "gk_session=") {
			found = true
			for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/admin"} {
				if !strings.Contains(h, want) {
					t.Errorf("session cookie %q lacks %s", h, want)
				}
			}
			if strings.Contains(h, "Secure") {
				t.Errorf("session cookie %q is Secure over plain HTTP: the browser would drop it", h)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie set")
	}
}

func TestLoginRefusals(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	_, body := e.get(c, "/admin/login")
	token := csrfFrom(t, body)

	// A wrong password re-renders the form with the same message as an
	// unknown user.
	resp, body := e.post(c, "/admin/login", url.Values{"csrf_token": {token}, "username": {"depteditor"}, "password": {"wrong password"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码不正确") || !strings.Contains(body, `value="depteditor"`) {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	// Without a CSRF token the form post is refused before any check.
	resp, body = e.post(c, "/admin/login", url.Values{"username": {"depteditor"}, "password": {e.fix.Password}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "表单已失效") {
		t.Fatalf("missing CSRF: %d", resp.StatusCode)
	}
	// A token from another browser does not match this browser's cookie.
	other := e.browser()
	_, otherBody := e.get(other, "/admin/login")
	resp, _ = e.post(c, "/admin/login", url.Values{"csrf_token": {csrfFrom(t, otherBody)}, "username": {"depteditor"}, "password": {e.fix.Password}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign CSRF token: %d, want 403", resp.StatusCode)
	}
	// Throttling: 5 failures in total from this address, then 429 with
	// Retry-After, even with the right password.
	for range 4 {
		e.post(c, "/admin/login", url.Values{"csrf_token": {token}, "username": {"depteditor"}, "password": {"wrong password"}})
	}
	resp, body = e.post(c, "/admin/login", url.Values{"csrf_token": {token}, "username": {"depteditor"}, "password": {e.fix.Password}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("throttled login: %d Retry-After=%q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	_, body := e.get(c, "/admin/login")
	for _, next := range []string{"https://evil.example/", "//evil.example/admin", "/admin\\@evil.example"} {
		resp, _ := e.post(c, "/admin/login", url.Values{"csrf_token": {csrfFrom(t, body)}, "username": {"depteditor"}, "password": {e.fix.Password}, "next": {next}})
		if loc := resp.Header.Get("Location"); loc != "/admin/" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
}

func TestPermissionRefusalAcrossOrgs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.browser()
		token := e.login(c, "countyadmin", e.fix.Password)
		// The county admin may not edit a city department …
		resp, _ := e.get(c, "/admin/orgs/city-fgw")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET other org's edit form = %d, want 403", resp.StatusCode)
		}
		resp, _ = e.post(c, "/admin/orgs/city-fgw", url.Values{"csrf_token": {token}, "name": {"篡改"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("POST other org = %d, want 403", resp.StatusCode)
		}
		o, _ := db.FindOrgByCode(context.Background(), "city-fgw")
		if o.Name != e.fix.Dept.Name {
			t.Fatalf("org renamed to %q despite refusal", o.Name)
		}
		// … nor see its staff, nor grant roles there.
		resp, _ = e.get(c, "/admin/users/"+itoa(e.fix.DeptEditor.ID))
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET other org's user = %d, want 404", resp.StatusCode)
		}
		resp, _ = e.post(c, "/admin/users", url.Values{"csrf_token": {token}, "username": {"mole"}, "password": {"long enough pw"}, "password2": {"long enough pw"}, "grant": {"city-fgw:editor"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("granting a role in another org = %d, want 403", resp.StatusCode)
		}
		// An editor sees no audit log.
		ed := e.browser()
		e.login(ed, "depteditor", e.fix.Password)
		resp, _ = e.get(ed, "/admin/audit")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor GET /admin/audit = %d, want 403", resp.StatusCode)
		}
	})
}

func TestAdminForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.browser()
		token := e.login(c, "cityadmin", e.fix.Password)

		// A bad org re-renders with each problem next to its field.
		resp, body := e.post(c, "/admin/orgs", url.Values{"csrf_token": {token}, "kind": {"department"}, "parent": {"city"}, "code": {"x"},
			"name": {"示例市统计局"}, "creditCode": {"11369900KL00001X0Q"}, "regionCode": {"99"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad org = %d", resp.StatusCode)
		}
		for _, want := range []string{`id="e-code"`, `id="e-creditCode"`, `id="e-regionCode"`, `value="示例市统计局"`, "请修改以下"} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
		orgs, _ := db.FindOrgs(context.Background(), gongkai.OrgFilter{})
		if len(orgs) != 4 {
			t.Fatalf("%d orgs after a refused create, want 4", len(orgs))
		}
		// A good one is created and audited.
		resp, _ = e.post(c, "/admin/orgs", url.Values{"csrf_token": {token}, "kind": {"department"}, "parent": {"city"}, "code": {"city-tjj"},
			"name": {"示例市统计局"}, "orgCode": {"MB0000094"}, "regionCode": {"369900"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("good org = %d", resp.StatusCode)
		}
		_, body = e.get(c, "/admin/orgs")
		if !strings.Contains(body, "示例市统计局") || !strings.Contains(body, "机构信息已保存") {
			t.Error("org list lacks the new org or the confirmation")
		}
		// A new user with roles, then the password mismatch path.
		resp, _ = e.post(c, "/admin/users", url.Values{"csrf_token": {token}, "username": {"tjj-editor"}, "displayName": {"统计局编辑"},
			"password": {"long enough pw"}, "password2": {"long enough pw"}, "grant": {"city-tjj:editor", "city-tjj:officer"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("create user = %d", resp.StatusCode)
		}
		u, err := db.FindUserByUsername(storetest.System(), "tjj-editor")
		if err != nil || len(u.Grants) != 2 {
			t.Fatalf("created user = %+v, %v", u, err)
		}
		resp, body = e.post(c, "/admin/users/"+itoa(u.ID)+"/password", url.Values{"csrf_token": {token}, "password": {"new long password"}, "password2": {"different"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "两次输入的密码不一致") {
			t.Errorf("password mismatch = %d", resp.StatusCode)
		}
		// The audit page shows what happened.
		_, body = e.get(c, "/admin/audit?action=user.")
		if !strings.Contains(body, "tjj-editor") || !strings.Contains(body, "新建用户") || strings.Contains(body, "<code>user.create</code>") {
			t.Error("audit page lacks the user creation")
		}
		resp, body = e.get(c, "/admin/audit?from=2026-13-01")
		if resp.StatusCode != 200 || !strings.Contains(body, "日期格式应为") {
			t.Errorf("bad audit date = %d", resp.StatusCode)
		}
	})
}

func TestCalendarAdmin(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	token := e.login(c, "cityadmin", e.fix.Password)
	_, body := e.get(c, "/admin/calendar?date=2026-09-30&n=1")
	// 2026-10-01…07 are the 国庆 holiday (statutes §10): the first working
	// day after 30 September is Thursday 8 October.
	if !strings.Contains(body, "2026年9月30日之后第1个工作日是2026年10月8日（星期四）") {
		t.Errorf("calculator result missing")
	}
	_, body = e.get(c, "/admin/calendar?date=2031-01-05&n=3")
	if !strings.Contains(body, "2031") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("unknown year not reported")
	}
	// A 2027 arrangement: invalid first (a weekday as 调休), then valid.
	bad := `{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","docNo":"国办发明电〔2026〕9号","issuedOn":"2026-11-03","holidays":[{"name":"元旦","off":["2027-01-01"],"work":["2027-01-05"]}]}`
	resp, body := e.post(c, "/admin/calendar", url.Values{"csrf_token": {token}, "data": {bad}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "2027-01-05") {
		t.Fatalf("invalid year accepted: %d", resp.StatusCode)
	}
	good := strings.Replace(bad, `,"work":["2027-01-05"]`, "", 1)
	resp, _ = e.post(c, "/admin/calendar", url.Values{"csrf_token": {token}, "data": {good}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("valid year refused: %d", resp.StatusCode)
	}
	_, body = e.get(c, "/admin/calendar?date=2026-12-31&n=1")
	if !strings.Contains(body, "2026年12月31日之后第1个工作日是2027年1月4日") {
		t.Error("2027 not used after entry")
	}
	// A county admin may not change the calendar.
	cc := e.browser()
	tok := e.login(cc, "countyadmin", e.fix.Password)
	resp, _ = e.post(cc, "/admin/calendar", url.Values{"csrf_token": {tok}, "data": {good}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("county admin set calendar = %d, want 403", resp.StatusCode)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestMissingCalendarYearNotice(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	fix := storetest.Fixture(t, db)
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2026, 9, 30, 8, 0, 0, 0, time.UTC), false},  // before October: not yet due
		{time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), true},  // 2027 not in the calendar
		{time.Date(2025, 11, 25, 8, 0, 0, 0, time.UTC), false}, // 2026 is
	} {
		s := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping,
			CSRFKey: []byte("k"), Now: func() time.Time { return tc.now }}
		if err := s.Init(); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s.Handler())
		e := &env{t: t, db: db, fix: fix, srv: srv}
		c := e.browser()
		e.login(c, "depteditor", fix.Password)
		_, body := e.get(c, "/admin/")
		if got := strings.Contains(body, "工作日历中还没有"); got != tc.want {
			t.Errorf("%v: notice shown = %v, want %v", tc.now, got, tc.want)
		}
		srv.Close()
	}
}

// TestCookiesSecureOverTLS pins issue #2's "Cookies Secure (when served over
// TLS)": behind a trusted proxy that says https, the session and CSRF
// cookies are Secure and HSTS is sent; from an untrusted client the same
// header changes nothing.
func TestCookiesSecureOverTLS(t *testing.T) {
	for _, trust := range []bool{true, false} {
		e := newEnvWith(t, storetest.Open(t, store.SQLite), func(s *web.Server) { s.TrustProxy = trust })
		do := func(method, path, cookie string, form url.Values) *http.Response {
			t.Helper()
			req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("X-Forwarded-Proto", "https")
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		resp := do("GET", "/admin/login", "", nil)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var cookies []string
		for _, c := range resp.Cookies() {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		resp = do("POST", "/admin/login", strings.Join(cookies, "; "),
			url.Values{"csrf_token": {csrfFrom(t, string(body))}, "username": {"depteditor"}, "password": {e.fix.Password}})
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("trust=%v: login = %d", trust, resp.StatusCode)
		}
		var session string
		for _, h := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(h, "gk_session=") {
				session = h
			}
		}
		if got := strings.Contains(session, "; Secure"); got != trust {
			t.Errorf("trust=%v: session cookie %q, Secure = %v", trust, session, got)
		}
		if got := resp.Header.Get("Strict-Transport-Security") != ""; got != trust {
			t.Errorf("trust=%v: HSTS sent = %v", trust, got)
		}
	}
}
