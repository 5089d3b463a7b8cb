package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

// call makes an API request with a JSON body (or a string sent as is) and
// decodes the JSON answer into a map.
func (e *env) call(method, path, token string, body any) (*http.Response, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	contentType := ""
	if body != nil {
		contentType = "application/json"
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	return e.send(method, path, token, contentType, rd)
}

func (e *env) apiToken(username string) string {
	e.t.Helper()
	resp, out := e.call("POST", "/api/v1/session", "", map[string]string{"username": username, "password": e.fix.Password})
	if resp.StatusCode != 200 {
		e.t.Fatalf("API login %s: %d %v", username, resp.StatusCode, out)
	}
	if out["expiresAt"] == nil {
		e.t.Fatalf("no expiresAt in %v", out)
	}
	return out["token"].(string)
}

func wantProblem(t *testing.T, resp *http.Response, out map[string]any, status int, code, field string) {
	t.Helper()
	if resp.StatusCode != status || out["code"] != code || (field != "" && out["field"] != field) {
		t.Fatalf("got %d %v, want %d code=%s field=%s", resp.StatusCode, out, status, code, field)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type = %q", ct)
	}
	if title, _ := out["title"].(string); title == "" || !regexp.MustCompile(`\p{Han}`).MatchString(title) {
		t.Errorf("title %q is not a Chinese message", title)
	}
}

func TestAPISession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		token := e.apiToken("depteditor")
		resp, me := e.call("GET", "/api/v1/me", token, nil)
		if resp.StatusCode != 200 || me["username"] != "depteditor" {
			t.Fatalf("me = %d %v", resp.StatusCode, me)
		}
		resp, _ = e.call("DELETE", "/api/v1/session", token, nil)
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("logout = %d", resp.StatusCode)
		}
		resp, out := e.call("GET", "/api/v1/me", token, nil)
		wantProblem(t, resp, out, 401, "unauthorized", "")
		if resp.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	})
}

func TestAPIRefusals(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	resp, wrong := e.call("POST", "/api/v1/session", "", map[string]string{"username": "depteditor", "password": "nope nope nope"})
	wantProblem(t, resp, wrong, 401, "unauthorized", "")
	resp, unknown := e.call("POST", "/api/v1/session", "", map[string]string{"username": "ghost", "password": "nope nope nope"})
	wantProblem(t, resp, unknown, 401, "unauthorized", "")
	if wrong["title"] != unknown["title"] {
		t.Errorf("wrong password %q and unknown user %q are told apart", wrong["title"], unknown["title"])
	}
	resp, out := e.call("POST", "/api/v1/session", "", map[string]string{"username": "depteditor"})
	wantProblem(t, resp, out, 422, "invalid", "password")
	resp, out = e.call("POST", "/api/v1/session", "", `{"username": 5}`)
	wantProblem(t, resp, out, 400, "bad_request", "username")
	resp, out = e.call("POST", "/api/v1/session", "", `{"user":"x"}`)
	wantProblem(t, resp, out, 400, "bad_request", "user")
	resp, out = e.call("GET", "/api/v1/nothing", "", nil)
	wantProblem(t, resp, out, 404, "not_found", "")
	// An address that exists for other methods: 405 naming them.
	resp, out = e.call("PUT", "/api/v1/session", "", nil)
	wantProblem(t, resp, out, 405, "method_not_allowed", "")
	if got := resp.Header.Get("Allow"); got != "POST, DELETE" {
		t.Errorf("Allow = %q, want POST, DELETE", got)
	}

	// A web session token is not an API token.
	resp, out = e.call("GET", "/api/v1/me", "not-a-token", nil)
	wantProblem(t, resp, out, 401, "unauthorized", "")

	// Throttling through the API: 429 with Retry-After.
	for range 4 {
		e.call("POST", "/api/v1/session", "", map[string]string{"username": "deptofficer", "password": "nope nope nope"})
	}
	resp, out = e.call("POST", "/api/v1/session", "", map[string]string{"username": "deptofficer", "password": e.fix.Password})
	wantProblem(t, resp, out, 429, "too_many", "")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
}

func TestAPIOrgs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		resp, out := e.call("GET", "/api/v1/orgs?within=chengdong", "", nil)
		if resp.StatusCode != 200 || len(out["orgs"].([]any)) != 2 {
			t.Fatalf("orgs within county = %d %v", resp.StatusCode, out)
		}
		county := e.apiToken("countyadmin")
		org := map[string]any{"code": "chengdong-jyj", "name": "示例市城东区教育局", "kind": "department", "parent": "chengdong", "orgCode": "MB0000094", "regionCode": "369902"}
		resp, out = e.call("POST", "/api/v1/orgs", county, org)
		if resp.StatusCode != 201 || out["level"] != "county" || resp.Header.Get("Location") != "/api/v1/orgs/chengdong-jyj" {
			t.Fatalf("create = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("POST", "/api/v1/orgs", county, org)
		wantProblem(t, resp, out, 422, "invalid", "code")
		org["code"], org["parent"] = "city-jyj", "city"
		resp, out = e.call("POST", "/api/v1/orgs", county, org)
		wantProblem(t, resp, out, 403, "forbidden", "")
		org["parent"], org["creditCode"], org["orgCode"] = "chengdong", "91350100M000100Y44", ""
		resp, out = e.call("POST", "/api/v1/orgs", county, org)
		wantProblem(t, resp, out, 422, "invalid", "creditCode")
		resp, out = e.call("POST", "/api/v1/orgs", "", org)
		wantProblem(t, resp, out, 401, "unauthorized", "")
	})
}

func TestAPIAuditAndWorkdays(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	resp, out := e.call("GET", "/api/v1/audit?action=org.create", e.apiToken("citysuper"), nil)
	if resp.StatusCode != 200 || out["total"].(float64) != 4 {
		t.Fatalf("audit = %d %v", resp.StatusCode, out)
	}
	resp, out = e.call("GET", "/api/v1/audit", e.apiToken("depteditor"), nil)
	wantProblem(t, resp, out, 403, "forbidden", "")

	// 2024-09-27 (Fri) + 20 working days crosses 国庆 2024 (10-01…10-07
	// off; Sun 09-29 and Sat 10-12 are 调休 working days): 29–30 Sep (2),
	// 8–12 Oct (7), 14–18 (12), 21–25 (17), 28–30 Oct (20) → Wednesday 30
	// October; to 31 October there are 21.
	resp, out = e.call("GET", "/api/v1/workdays?date=2024-09-27&n=20&to=2024-10-31", "", nil)
	if resp.StatusCode != 200 || out["add"] != "2024-10-30" || out["between"].(float64) != 21 || out["isWorkday"] != true {
		t.Fatalf("workdays = %d %v", resp.StatusCode, out)
	}
	resp, out = e.call("GET", "/api/v1/workdays?date=2018-01-01", "", nil)
	wantProblem(t, resp, out, 422, "invalid", "date")
	resp, out = e.call("GET", "/api/v1/workdays?date=2024-02-30", "", nil)
	wantProblem(t, resp, out, 422, "invalid", "date")
	resp, out = e.call("GET", "/api/v1/calendar/years", "", nil)
	if resp.StatusCode != 200 || len(out["years"].([]any)) < 8 {
		t.Fatalf("calendar years = %d %v", resp.StatusCode, out)
	}
}

// TestAPIDocumented keeps docs/api.md in step with the routes: every API
// route has a "### METHOD /path" heading and every heading is a route.
func TestAPIDocumented(t *testing.T) {
	s := &web.Server{}
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, p := range s.Routes() {
		if strings.HasPrefix(p, "GET /api/") || strings.HasPrefix(p, "POST /api/") || strings.HasPrefix(p, "PATCH /api/") ||
			strings.HasPrefix(p, "PUT /api/") || strings.HasPrefix(p, "DELETE /api/") {
			routes = append(routes, p)
		}
	}
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, m := range regexp.MustCompile("(?m)^### `?((?:GET|POST|PATCH|PUT|DELETE) /api/[^`\\s]*)`?").FindAllStringSubmatch(string(doc), -1) {
		documented = append(documented, m[1])
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if diff := cmp.Diff(routes, documented); diff != "" {
		t.Errorf("docs/api.md and the routes differ (-routes +documented):\n%s", diff)
	}
}
