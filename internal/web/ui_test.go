package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

var (
	idAttrRE       = regexp.MustCompile(`\sid="([^"]+)"`)
	describedByRE  = regexp.MustCompile(`aria-describedby="([^"]+)"`)
	fieldErrorIDRE = regexp.MustCompile(`<p class="field-error" id="([^"]+)"`)
	fieldErrorRE   = regexp.MustCompile(`<p class="field-error">`)
	summaryLinkRE  = regexp.MustCompile(`<div class="problems"[^>]*>(?s:.*?)</div>`)
	fragmentRE     = regexp.MustCompile(`href="#([^"]+)"`)
)

// checkFormErrors checks what a screen reader needs of a refused form: each
// field's error has an id, a control points at it with aria-describedby,
// every aria-describedby names an element of the page, and each link of
// the problem summary leads to an element of the page.
func checkFormErrors(t *testing.T, what, body string) {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range idAttrRE.FindAllStringSubmatch(body, -1) {
		ids[m[1]] = true
	}
	described := map[string]bool{}
	for _, m := range describedByRE.FindAllStringSubmatch(body, -1) {
		for _, id := range strings.Fields(m[1]) {
			described[id] = true
			if !ids[id] {
				t.Errorf("%s: aria-describedby names %q, which is not on the page", what, id)
			}
		}
	}
	if n, m := len(fieldErrorRE.FindAllString(body, -1)), len(fieldErrorIDRE.FindAllString(body, -1)); n != 0 {
		t.Errorf("%s: %d field errors without an id (%d with)", what, n, m)
	}
	for _, m := range fieldErrorIDRE.FindAllStringSubmatch(body, -1) {
		if !described[m[1]] && !strings.HasPrefix(m[1], "f-") {
			t.Errorf("%s: field error %q is not tied to its control", what, m[1])
		}
	}
	for _, box := range summaryLinkRE.FindAllString(body, -1) {
		for _, m := range fragmentRE.FindAllStringSubmatch(box, -1) {
			if !ids[m[1]] {
				t.Errorf("%s: the problem summary links to #%s, which is not on the page", what, m[1])
			}
		}
	}
}

// The public application form, refused: each error is beside its field,
// tied to it for screen readers, and linked from the summary.
func TestApplicationFormErrorsTiedToFields(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	_, body := e.get(c, "/xxgk/ysqgk/")
	form := applicantForm(csrfFrom(t, body))
	form.Set("org", "")
	form.Set("applicant.idNumber", "110105194912310021")
	form.Set("applicant.phone", "1380013")
	form.Set("applicant.email", "")
	form.Set("request.subject", "")
	resp, body := e.postMultipart(c, "/xxgk/ysqgk/", form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form = %d", resp.StatusCode)
	}
	wantIn(t, "refused form", body, `aria-describedby="h-idNumber e-applicant.idNumber"`, `id="e-applicant.idNumber"`,
		`value="110105194912310021"`, `value="1380013"`, "请选择受理申请的机关", "联系电话格式不正确")
	checkFormErrors(t, "/xxgk/ysqgk/", body)
}

// A refused event form on the case page: its problems stand above it and
// link nowhere that is not on the page; its errors are tied to controls.
func TestCaseEventFormErrors(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	fixDay(db, "2024-09-26")
	public := e.browser()
	_, body := e.get(public, "/xxgk/ysqgk/")
	if resp, body := e.postMultipart(public, "/xxgk/ysqgk/", applicantForm(csrfFrom(t, body)), nil); resp.StatusCode != 200 {
		t.Fatalf("submit = %d\n%s", resp.StatusCode, body)
	} else {
		fixDay(db, "2024-10-08")
		officer := e.browser()
		token := e.login(officer, "deptofficer", e.fix.Password)
		path := "/admin/applications/" + itoa(e.appID(trackingRE.FindString(body)))
		for _, form := range []url.Values{
			{"csrf_token": {token}, "type": {"receipt_confirmed"}, "date": {""}},
			{"csrf_token": {token}, "type": {"extended"}, "date": {"2024-10-08"}, "days": {"25"}, "approvedBy": {"王主任"}, "notifiedOn": {"2024-10-08"}},
			{"csrf_token": {token}, "type": {"supplement_requested"}, "date": {"2024-10-08"}, "items": {""}, "deadline": {""}},
		} {
			resp, body := e.post(officer, path+"/events", form)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("%s = %d", form.Get("type"), resp.StatusCode)
			}
			checkFormErrors(t, "case page, "+form.Get("type"), body)
			if form.Get("type") == "receipt_confirmed" {
				form.Set("date", "2024-09-27")
				if resp, _ := e.post(officer, path+"/events", form); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("confirm = %d", resp.StatusCode)
				}
			}
		}
	}
}

// The audit log names actions and objects in Chinese, and its filters are
// choices rather than codes to type.
func TestAuditLogInChinese(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	e.login(c, "cityadmin", e.fix.Password)
	_, body := e.get(c, "/admin/audit")
	wantIn(t, "audit log", body, "登录", `<option value="user.">用户</option>`, `<option value="document">政府信息</option>`)
	for _, code := range []string{"<code>session.login</code>", ">session.login<", "user：", `placeholder="例如 user."`} {
		if strings.Contains(body, code) {
			t.Errorf("audit log shows %q", code)
		}
	}
	_, body = e.get(c, "/admin/audit?action=user.&objectType=user")
	wantIn(t, "filtered audit log", body, `<option value="user." selected>用户</option>`, `<option value="user" selected>用户</option>`)
}

// The notice of a missing calendar year tells an editor whom to ask, not
// which command to run on the server.
func TestMissingCalendarYearNoticeForEditors(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	fix := storetest.Fixture(t, db)
	s := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping,
		CSRFKey: []byte("k"), Now: func() time.Time { return time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC) }}
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	e := &env{t: t, db: db, fix: fix, srv: srv}
	for _, tc := range []struct {
		user    string
		command bool
	}{{"depteditor", false}, {"cityadmin", true}} {
		c := e.browser()
		e.login(c, tc.user, fix.Password)
		_, body := e.get(c, "/admin/")
		wantIn(t, tc.user, body, "工作日历中还没有2027年")
		if got := strings.Contains(body, "gongkai workday set-year"); got != tc.command {
			t.Errorf("%s: command shown = %v, want %v", tc.user, got, tc.command)
		}
	}
}

// A draft refused on submission (行政规范性文件 without 文号 and 成文日期):
// the problems on the document page link to the fields in the editor,
// which are not on that page.
func TestSubmitProblemsLinkToEditor(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newDocEnv(t, db)
	body := policyJSON("缺少文号的规范性文件")
	delete(body, "docNo")
	delete(body, "signedOn")
	id := e.create(t, e.editor, body)
	c := e.browser()
	token := e.login(c, "depteditor", e.fix.Password)
	path := "/admin/documents/" + itoa(id)
	resp, page := e.post(c, path+"/submit", url.Values{"csrf_token": {token}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	wantIn(t, "refused submission", page, `href="`+path+`/edit#f-signedOn"`, `href="`+path+`/edit#f-docNo"`)
	checkFormErrors(t, "refused submission", strings.ReplaceAll(page, `href="`+path+`/edit#`, `href="/elsewhere#`))
	_, edit := e.get(c, path+"/edit")
	wantIn(t, "editor", edit, `id="f-signedOn"`, `id="f-docNo"`)
}

// Error pages say what happened in their heading and in the page title.
func TestErrorPageTitles(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	resp, body := e.get(c, "/no-such-page")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	wantIn(t, "portal 404", body, `<html lang="zh-CN">`, "<title>页面不存在 - ", "<h1>页面不存在</h1>")
	resp, body = e.post(c, "/xxgk/ysqgk/track", url.Values{"trackingNo": {"x"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF token: status %d", resp.StatusCode)
	}
	wantIn(t, "expired form", body, "<title>表单已失效 - ", "<h1>表单已失效</h1>", "请返回上一页刷新后重新提交")
	e.login(c, "depteditor", e.fix.Password)
	_, body = e.get(c, "/admin/no-such-page")
	wantIn(t, "workspace 404", body, "<title>页面不存在 - 政务公开工作平台</title>", "<h1>页面不存在</h1>")
}

// The stylesheet keeps a focus ring that shows on light and dark
// backgrounds, and the skip link comes into view when focused.
func TestFocusStyles(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	_, home := e.get(c, "/")
	m := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no stylesheet")
	}
	wantIn(t, "home", home, `<a class="skip" href="#main">跳到主要内容</a>`, `<main id="main"`)
	_, css := e.get(c, m[1])
	wantIn(t, "site.css", css, ":focus-visible { outline: 3px solid var(--ink);", "box-shadow: 0 0 0 6px var(--focus)", ".skip:focus { left: 1rem; }")
}

// A document without a 发文字号 says so in its catalogue table rather than
// leaving an empty cell, which reads as missing data when the table stacks
// at 200% zoom.
func TestDocumentPageEmptyCatalogueCells(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newDocEnv(t, db)
	doc := policyJSON("示例市无文号的通知")
	delete(doc, "docNo")
	doc["columns"] = []string{"qtwj"}
	out := e.publish(t, doc)
	code, body := e.page(t, fmt.Sprintf("/xxgk/wj/%d.html", int64(out["id"].(float64))))
	if code != 200 {
		t.Fatalf("document page = %d", code)
	}
	wantIn(t, "document page", body, `<th scope="row">发文字号</th><td>无</td>`)
	if strings.Contains(body, `<td></td>`) {
		t.Error("document page has an empty catalogue cell")
	}
}

// A table that scrolls sideways at 200% zoom can be reached and scrolled
// with the keyboard, and is announced as a region.
func TestScrollingTablesFocusable(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	e.login(c, "cityadmin", e.fix.Password)
	for _, path := range []string{"/admin/users", "/admin/orgs", "/admin/audit"} {
		_, body := e.get(c, path)
		wantIn(t, path, body, `<div class="table-scroll" role="region" aria-label="表格，可横向滚动" tabindex="0">`)
	}
}

// A document's public address keeps the port of the request when the
// request came to one of the site's hosts (a demo on 127.0.0.1:8080), and
// is the site's first host otherwise.
func TestPublicURLKeepsPort(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newDocEnv(t, db)
	id := int64(e.publish(t, policyJSON("示例市端口测试通知"))["id"].(float64))
	for host, want := range map[string]string{
		"www.shili.example:8080": "http://www.shili.example:8080/xxgk/wj/",
		"unknown.example:8080":   "http://www.shili.example/xxgk/wj/",
	} {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/documents/%d", e.srv.URL, id), nil)
		req.Host = host
		req.Header.Set("Authorization", "Bearer "+e.editor)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if u, _ := out["url"].(string); !strings.HasPrefix(u, want) {
			t.Errorf("Host %s: url %q, want prefix %q", host, u, want)
		}
	}
}
