package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

// docEnv adds to env the reviewers' tokens and a second department editor
// who is also a level-1 reviewer.
type docEnv struct {
	*env
	editor, r1, r2, r3, author string
}

func newDocEnv(t *testing.T, db *store.DB) *docEnv {
	t.Helper()
	return newDocEnvWith(t, db, nil)
}

func newDocEnvWith(t *testing.T, db *store.DB, configure func(*web.Server)) *docEnv {
	t.Helper()
	e := newEnvWith(t, db, configure)
	u := &gongkai.User{Username: "deptauthor", Grants: []gongkai.Grant{{OrgCode: "city-fgw", Role: gongkai.RoleEditor}, {OrgCode: "city-fgw", Role: gongkai.RoleReviewer1}}}
	if err := db.CreateUser(storetest.System(), u, e.fix.Password); err != nil {
		t.Fatal(err)
	}
	return &docEnv{env: e, editor: e.apiToken("depteditor"), r1: e.apiToken("deptrev1"), r2: e.apiToken("deptrev2"), r3: e.apiToken("deptrev3"), author: e.apiToken("deptauthor")}
}

func signedDaysAgo(n int) string { return gongkai.DateOf(time.Now()).AddDays(-n).String() }

func policyJSON(title string) map[string]any {
	return map[string]any{"title": title, "body": "<p>为规范价格认定工作，现通知如下。</p>", "genre": "通知", "topic": "综合政务\\政务公开",
		"docNo": "示发改规〔2024〕7号", "signedOn": signedDaysAgo(2), "columns": []string{"gfxwj"}, "summary": "规范价格认定程序。"}
}

func (e *docEnv) create(t *testing.T, token string, body any) int64 {
	t.Helper()
	resp, out := e.call("POST", "/api/v1/documents", token, body)
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, out)
	}
	return int64(out["id"].(float64))
}

func (e *docEnv) review(id int64, token, decision, comment string) (*http.Response, map[string]any) {
	return e.call("POST", fmt.Sprintf("/api/v1/documents/%d/reviews", id), token, map[string]string{"decision": decision, "comment": comment})
}

func (e *docEnv) publish(t *testing.T, body any) map[string]any {
	t.Helper()
	id := e.create(t, e.editor, body)
	if resp, out := e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil); resp.StatusCode != 200 {
		t.Fatalf("submit: %d %v", resp.StatusCode, out)
	}
	var out map[string]any
	for _, tok := range []string{e.r1, e.r2, e.r3} {
		var resp *http.Response
		if resp, out = e.review(id, tok, "approve", ""); resp.StatusCode != 200 {
			t.Fatalf("approve: %d %v", resp.StatusCode, out)
		}
	}
	return out
}

func (e *docEnv) page(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, body := e.get(e.browser(), path)
	return resp.StatusCode, body
}

func TestDocumentWorkflowHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		id := e.create(t, e.editor, policyJSON("示例市价格认定工作规则"))
		pagePath := fmt.Sprintf("/xxgk/wj/%d.html", id)
		resp, out := e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
		if resp.StatusCode != 200 || out["status"] != "in_review" || out["reviewLevel"].(float64) != 1 {
			t.Fatalf("submit = %d %v", resp.StatusCode, out)
		}
		// The reject path: a comment is required; the draft returns.
		resp, out = e.review(id, e.r1, "reject", "")
		wantProblem(t, resp, out, 422, "invalid", "comment")
		if resp, out = e.review(id, e.r1, "reject", "请补充依据。"); resp.StatusCode != 200 || out["status"] != "draft" {
			t.Fatalf("reject = %d %v", resp.StatusCode, out)
		}
		e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
		for i, tok := range []string{e.r1, e.r2} {
			if resp, out = e.review(id, tok, "approve", "同意"); resp.StatusCode != 200 || out["reviewLevel"].(float64) != float64(i+2) {
				t.Fatalf("approval %d = %d %v", i+1, resp.StatusCode, out)
			}
			// Not public before the last approval.
			if code, _ := e.page(t, pagePath); code != 404 {
				t.Fatalf("public page before the last approval = %d", code)
			}
		}
		// Approving twice: deptrev2 again at level 3.
		resp, out = e.review(id, e.r2, "approve", "")
		wantProblem(t, resp, out, 409, "conflict", "")
		resp, out = e.review(id, e.r3, "approve", "同意发布")
		year := time.Now().In(gongkai.Shanghai).Year()
		wantNo := fmt.Sprintf("%s/%d-00001", e.fix.Dept.CreditCode, year)
		if resp.StatusCode != 200 || out["status"] != "published" || out["indexNo"] != wantNo || out["url"] != "http://www.shili.example"+pagePath {
			t.Fatalf("final approval = %d %v", resp.StatusCode, out)
		}
		// The page starts with the metadata table, in the statutory order.
		code, body := e.page(t, pagePath)
		if code != 200 {
			t.Fatalf("public page = %d", code)
		}
		var last int
		for _, want := range []string{`<table class="meta-table">`, "索引号", wantNo, "主题分类", `综合政务\政务公开`, "发布机构", "示例市发展和改革委员会", "成文日期",
			"标题", "发文字号", "示发改规〔2024〕7号", "发布日期", "有效性", "有效", "</table>", "<h1>示例市价格认定工作规则</h1>", "为规范价格认定工作"} {
			i := strings.Index(body[last:], want)
			if i < 0 {
				t.Fatalf("document page lacks %q after position %d", want, last)
			}
			last += i
		}
		for _, path := range []string{"/xxgk/zcwj/gfxwj/", "/xxgk/zcwj/", "/xxgk/zcwj/gfxwj/atom.xml", "/", "/xxgk/zcwjk/?validity=valid", "/xxgk/", "/xxgk/fdzdgknr/"} {
			if code, body := e.page(t, path); code != 200 || !strings.Contains(body, "示例市价格认定工作规则") {
				t.Errorf("%s = %d, lacks the document", path, code)
			}
		}
		if code, body := e.page(t, "/xxgk/zcwjk/?validity=repealed"); code != 200 || strings.Contains(body, "示例市价格认定工作规则") {
			t.Errorf("library filtered by 废止 = %d, shows a valid document", code)
		}
		if code, body := e.page(t, "/sitemap/docs-1.xml"); code != 200 || !strings.Contains(body, pagePath) {
			t.Errorf("sitemap = %d", code)
		}
		if code, body := e.page(t, "/sitemap.xml"); code != 200 || !strings.Contains(body, "/sitemap/docs-1.xml") {
			t.Errorf("sitemap index = %d %s", code, body)
		}
		// Public read API, with the / of the 索引号 escaped and not.
		for _, p := range []string{url.PathEscape(wantNo), wantNo} {
			resp, out = e.call("GET", "/api/v1/public/documents/"+p, "", nil)
			if resp.StatusCode != 200 || out["title"] != "示例市价格认定工作规则" || out["body"] == nil {
				t.Errorf("public API by %s = %d %v", p, resp.StatusCode, out)
			}
		}
		resp, out = e.call("GET", "/api/v1/public/documents?column=gfxwj&topic=02", "", nil)
		if resp.StatusCode != 200 || out["total"].(float64) != 1 {
			t.Errorf("public list = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("GET", "/api/v1/public/documents?column=nowhere", "", nil)
		wantProblem(t, resp, out, 422, "invalid", "column")
		// The other filters too: a program must not take the unfiltered list
		// for the filtered one (the portal's pages drop unknown values).
		for _, tc := range []struct{ query, field string }{
			{"genre=便条", "genre"}, {"topic=天文", "topic"}, {"validity=永久", "validity"}, {"year=21", "year"},
			{"perPage=500", "perPage"}, {"page=0", "page"}, {"issuer=" + strings.Repeat("局", 51), "issuer"},
		} {
			resp, out = e.call("GET", "/api/v1/public/documents?"+tc.query, "", nil)
			wantProblem(t, resp, out, 422, "invalid", tc.field)
		}
		if code, body := e.page(t, "/xxgk/zcwj/gfxwj/?genre=便条"); code != 200 || !strings.Contains(body, "示例市价格认定工作规则") {
			t.Errorf("portal list with an unknown genre = %d, want the unfiltered list", code)
		}

		// Withdraw: the page stays with a banner; lists and feeds drop it.
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/withdraw", id), e.editor, map[string]string{"reason": "x", "mode": "withdrawn"})
		wantProblem(t, resp, out, 403, "forbidden", "")
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/withdraw", id), e.r3, map[string]string{"reason": "政策调整，另行发布。", "mode": "withdrawn"})
		if resp.StatusCode != 200 || out["status"] != "withdrawn" {
			t.Fatalf("withdraw = %d %v", resp.StatusCode, out)
		}
		if code, body := e.page(t, pagePath); code != 200 || !strings.Contains(body, "撤回原因：政策调整，另行发布。") {
			t.Errorf("withdrawn page = %d", code)
		}
		for _, path := range []string{"/xxgk/zcwj/gfxwj/", "/xxgk/zcwj/gfxwj/atom.xml", "/"} {
			if _, body := e.page(t, path); strings.Contains(body, "示例市价格认定工作规则") {
				t.Errorf("%s still lists the withdrawn document", path)
			}
		}
		// Published in error: 410.
		out = e.publish(t, policyJSON("错误发布的通知"))
		gone := int64(out["id"].(float64))
		e.call("POST", fmt.Sprintf("/api/v1/documents/%d/withdraw", gone), e.r3, map[string]string{"reason": "误发。", "mode": "erroneous"})
		if code, _ := e.page(t, fmt.Sprintf("/xxgk/wj/%d.html", gone)); code != http.StatusGone {
			t.Errorf("erroneous page = %d, want 410", code)
		}
	})
}

func TestDocumentRefusalsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		for _, tc := range []struct {
			name   string
			change map[string]any
			field  string
			title  string
		}{
			{"unknown column", map[string]any{"columns": []string{"nowhere"}}, "columns", "栏目“nowhere”不存在"},
			{"unknown topic", map[string]any{"topic": "天文"}, "topic", ""},
			{"unknown genre", map[string]any{"genre": "便条"}, "genre", ""},
			{"square brackets", map[string]any{"docNo": "示发改规[2023]12号"}, "docNo", "示发改规〔2023〕12号"},
			{"round brackets", map[string]any{"docNo": "示发改规(2023)12号"}, "docNo", "示发改规〔2023〕12号"},
			{"lenticular brackets", map[string]any{"docNo": "示发改规【2023】12号"}, "docNo", "示发改规〔2023〕12号"},
			{"leading zero", map[string]any{"docNo": "示发改规〔2023〕012号"}, "docNo", "示发改规〔2023〕12号"},
			{"missing 号", map[string]any{"docNo": "示发改规〔2023〕12"}, "docNo", "示发改规〔2023〕12号"},
			{"future signing date", map[string]any{"signedOn": gongkai.DateOf(time.Now()).AddDays(3).String()}, "signedOn", "不能晚于今天"},
			{"withheld without reason", map[string]any{"disclosure": "不予公开"}, "disclosureReason", ""},
			{"import-only field", map[string]any{"indexNo": "X/2024-1"}, "publishedAt", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := policyJSON("有问题的文件")
				for k, v := range tc.change {
					body[k] = v
				}
				resp, out := e.call("POST", "/api/v1/documents", e.editor, body)
				wantProblem(t, resp, out, 422, "invalid", tc.field)
				if !strings.Contains(fmt.Sprint(out), tc.title) {
					t.Errorf("problem %v lacks %q", out, tc.title)
				}
			})
		}
		var n int
		db.WriteDB().QueryRow(`SELECT COUNT(*) FROM documents`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d documents saved by refused requests", n)
		}
		// Script removed, and the editor told.
		body := policyJSON("带脚本的文件")
		body["body"] = `<p onmouseover="x()">正文</p><script>alert(1)</script><img src="/a.png" onerror="steal()">`
		resp, out := e.call("POST", "/api/v1/documents", e.editor, body)
		if resp.StatusCode != 201 || strings.Contains(fmt.Sprint(out["body"]), "script") || strings.Contains(fmt.Sprint(out["body"]), "onerror") ||
			!strings.Contains(fmt.Sprint(out["warnings"]), "不安全") {
			t.Errorf("script body = %d %v", resp.StatusCode, out)
		}
		// 依申请公开 is not submitted for publication.
		body = policyJSON("依申请公开的文件")
		body["disclosure"], body["disclosureReason"] = "on_request", "涉及商业秘密（条例第十五条）"
		id := e.create(t, e.editor, body)
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
		wantProblem(t, resp, out, 422, "invalid", "disclosure")
		// A 行政规范性文件 without 文号 and 成文日期.
		body = policyJSON("缺少文号的规范性文件")
		delete(body, "docNo")
		delete(body, "signedOn")
		id = e.create(t, e.editor, body)
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
		wantProblem(t, resp, out, 422, "invalid", "docNo")
		if len(out["problems"].([]any)) != 2 {
			t.Errorf("problems = %v, want docNo and signedOn", out["problems"])
		}
		// Self-approval.
		id = e.create(t, e.author, policyJSON("自己起草的文件"))
		e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.author, nil)
		resp, out = e.review(id, e.author, "approve", "")
		wantProblem(t, resp, out, 403, "forbidden", "")
		// Another org's staff.
		county := e.apiToken("countyadmin")
		resp, out = e.call("PATCH", fmt.Sprintf("/api/v1/documents/%d", id), county, map[string]string{"title": "篡改"})
		wantProblem(t, resp, out, 403, "forbidden", "")
		resp, out = e.call("GET", fmt.Sprintf("/api/v1/documents/%d", id), county, nil)
		wantProblem(t, resp, out, 403, "forbidden", "")
		resp, out = e.call("POST", "/api/v1/documents", e.editor, `{"title":"x","bogus":1}`)
		wantProblem(t, resp, out, 400, "bad_request", "bogus")
		// Lists are [] in a new draft's answer, as in every later one.
		resp, out = e.call("POST", "/api/v1/documents", e.editor, map[string]string{"title": "只有标题的草稿"})
		for _, k := range []string{"keywords", "issuers", "columns", "interprets", "repeals", "amends", "attachments"} {
			if _, ok := out[k].([]any); resp.StatusCode != 201 || !ok {
				t.Errorf("new draft: %s = %#v (%d), want []", k, out[k], resp.StatusCode)
			}
		}
		// A malformed date names its field rather than calling the body
		// invalid JSON.
		resp, out = e.call("POST", "/api/v1/documents", e.editor, `{"title":"x","signedOn":"2024/03/01"}`)
		wantProblem(t, resp, out, 400, "bad_request", "signedOn")
		if !strings.Contains(fmt.Sprint(out["title"]), "YYYY-MM-DD") {
			t.Errorf("malformed date: title %q", out["title"])
		}
	})
}

// TestAttachmentRefusalsAPI pins the refusals of the API's upload, which
// the workspace test covers only for the form: a forged extension, a file
// over the limit (413 naming it), a missing name, another org's document.
// None of them attaches anything.
func TestAttachmentRefusalsAPI(t *testing.T) {
	var blobs blob.Store
	e := newDocEnvWith(t, storetest.Open(t, store.SQLite), func(s *web.Server) { blobs = s.Blobs })
	id := e.create(t, e.editor, policyJSON("带附件的文件"))
	path := fmt.Sprintf("/api/v1/documents/%d/attachments?name=", id)
	pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
	resp, out := e.call("POST", path+url.QueryEscape("通知.pdf"), e.editor, "MZ\x90\x00"+strings.Repeat("\x00", 200))
	wantProblem(t, resp, out, 422, "invalid", "file")
	if !strings.Contains(fmt.Sprint(out["title"]), "可执行程序") {
		t.Errorf("forged PDF: %v", out["title"])
	}
	resp, out = e.call("POST", path+url.QueryEscape("大文件.pdf"), e.editor, "%PDF-1.4\n"+strings.Repeat("x", 1<<20))
	wantProblem(t, resp, out, 413, "too_large", "")
	if !strings.Contains(fmt.Sprint(out["title"]), "1 MB") {
		t.Errorf("oversized upload does not state the limit: %v", out["title"])
	}
	resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/attachments", id), e.editor, pdf)
	wantProblem(t, resp, out, 422, "invalid", "name")
	resp, out = e.call("POST", path+"a.pdf", e.apiToken("countyadmin"), pdf+"另一机构")
	wantProblem(t, resp, out, 403, "forbidden", "")
	// … and their file was not stored.
	if _, err := blobs.Open(context.Background(), fmt.Sprintf("%x", sha256.Sum256([]byte(pdf+"另一机构")))); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
		t.Errorf("another org's refused upload reached the blob store: %v", err)
	}
	// The same through the workspace form.
	c := e.browser()
	token := e.login(c, "countyadmin", e.fix.Password)
	b, ct := multipartBody(t, map[string]string{"csrf_token": token}, "a.pdf", []byte(pdf+"表单"))
	if resp, err := c.Post(e.srv.URL+fmt.Sprintf("/admin/documents/%d/attachments", id), ct, b); err != nil || resp.StatusCode != 403 {
		t.Errorf("another org's form upload = %v %v, want 403", resp, err)
	} else {
		resp.Body.Close()
	}
	if _, err := blobs.Open(context.Background(), fmt.Sprintf("%x", sha256.Sum256([]byte(pdf+"表单")))); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
		t.Errorf("another org's refused form upload reached the blob store: %v", err)
	}
	_, out = e.call("GET", fmt.Sprintf("/api/v1/documents/%d", id), e.editor, nil)
	if n := len(out["attachments"].([]any)); n != 0 {
		t.Errorf("refused uploads left %d attachments", n)
	}
	if resp, out = e.call("POST", path+"a.pdf", e.editor, pdf); resp.StatusCode != 201 || len(out["attachments"].([]any)) != 1 {
		t.Errorf("valid upload = %d %v", resp.StatusCode, out)
	}
}

func multipartBody(t *testing.T, fields map[string]string, name string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func TestDocumentWorkspace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		c := e.browser()
		token := e.login(c, "depteditor", e.fix.Password)
		if resp, body := e.get(c, "/admin/documents/new"); resp.StatusCode != 200 || !strings.Contains(body, `name="columns" value="gfxwj"`) {
			t.Fatalf("new form = %d", resp.StatusCode)
		}
		// Bad input re-renders the form with messages beside the fields
		// and the values as typed.
		form := url.Values{"csrf_token": {token}, "title": {"价格认定规则"}, "docNo": {"示发改规[2024]8号"}, "signedOn": {"2024-02-30"}, "columns": {"gfxwj"}, "body": {"正文"}}
		resp, body := e.post(c, "/admin/documents", form)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-signedOn"`) || !strings.Contains(body, `value="示发改规[2024]8号"`) {
			t.Fatalf("bad form = %d", resp.StatusCode)
		}
		form.Set("signedOn", signedDaysAgo(1))
		resp, body = e.post(c, "/admin/documents", form)
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-docNo"`) || !strings.Contains(body, "示发改规〔2024〕8号") {
			t.Fatalf("bad 文号 = %d", resp.StatusCode)
		}
		form.Set("docNo", "示发改规〔2024〕8号")
		form.Set("genre", "tongzhi")
		form.Set("topic", "0201")
		form.Set("body", `<p>正文</p><script>x()</script>`)
		resp, body = e.post(c, "/admin/documents", form)
		if resp.StatusCode != 200 || !strings.Contains(body, "不安全") {
			t.Fatalf("save with script = %d", resp.StatusCode)
		}
		id := regexp.MustCompile(`action="/admin/documents/(\d+)"`).FindStringSubmatch(body)[1]
		docPath := "/admin/documents/" + id
		// Without a CSRF token nothing happens.
		if resp, _ := e.post(c, docPath+"/submit", url.Values{}); resp.StatusCode != 403 {
			t.Errorf("submit without CSRF = %d", resp.StatusCode)
		}
		// Attachments: a real PDF, a forged one, one over the limit.
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		upload := func(name string, content []byte) (*http.Response, string) {
			b, ct := multipartBody(t, map[string]string{"csrf_token": token}, name, content)
			resp, err := c.Post(e.srv.URL+docPath+"/attachments", ct, b)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			out, _ := io.ReadAll(resp.Body)
			return resp, string(out)
		}
		if resp, _ := upload("价格认定规则.pdf", pdf); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("PDF upload = %d", resp.StatusCode)
		}
		exe := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 200)...)
		if resp, body := upload("通知.pdf", exe); resp.StatusCode != 422 || !strings.Contains(body, "可执行程序") {
			t.Errorf("forged PDF = %d", resp.StatusCode)
		}
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 1<<20)...)
		if resp, body := upload("大文件.pdf", big); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "1 MB") {
			t.Errorf("oversized upload = %d", resp.StatusCode)
		}
		resp, body = e.get(c, docPath)
		if resp.StatusCode != 200 || !strings.Contains(body, "价格认定规则.pdf") || !strings.Contains(body, "PDF 文档") {
			t.Fatalf("document page = %d", resp.StatusCode)
		}
		if resp, body := e.get(c, docPath+"/preview"); resp.StatusCode != 200 || !strings.Contains(body, "预览") || !strings.Contains(body, "meta-table") {
			t.Errorf("preview = %d", resp.StatusCode)
		}
		if resp, _ := e.post(c, docPath+"/submit", url.Values{"csrf_token": {token}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit = %d", resp.StatusCode)
		}
		if _, body := e.get(c, "/admin/documents?tab=inreview"); !strings.Contains(body, "价格认定规则") || !strings.Contains(body, "剩余") {
			t.Error("in-review list lacks the document or its deadline")
		}
		// Three reviewers through the browser.
		for _, u := range []string{"deptrev1", "deptrev2", "deptrev3"} {
			rc := e.browser()
			tok := e.login(rc, u, e.fix.Password)
			if _, body := e.get(rc, "/admin/documents?tab=review"); !strings.Contains(body, "价格认定规则") {
				t.Fatalf("%s's queue lacks the document", u)
			}
			if resp, _ := e.post(rc, docPath+"/review", url.Values{"csrf_token": {tok}, "decision": {"approve"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("%s approve = %d", u, resp.StatusCode)
			}
		}
		d, _ := db.FindDocumentByID(storetest.System(), mustInt(id))
		if d.Status != gongkai.DocumentPublished || len(d.Attachments) != 1 {
			t.Fatalf("after three approvals: %s, %d attachments", d.Status, len(d.Attachments))
		}
		_, page := e.page(t, d.URL)
		m := regexp.MustCompile(`href="(/xxgk/wj/\d+/fj/[0-9a-f]{64})"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("public page has no attachment link")
		}
		resp, file := e.get(e.browser(), m[1])
		if resp.StatusCode != 200 || file != string(pdf) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("attachment download = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, path := range []string{"/admin/documents?tab=published&topic=02", "/admin/documents/timeliness", docPath} {
			if resp, _ := e.get(c, path); resp.StatusCode != 200 {
				t.Errorf("%s = %d", path, resp.StatusCode)
			}
		}
		// Admin pages: columns, guide, settings.
		ac := e.browser()
		atok := e.login(ac, "cityadmin", e.fix.Password)
		for _, path := range []string{"/admin/columns", "/admin/guide", "/admin/documents/settings"} {
			if resp, _ := e.get(ac, path); resp.StatusCode != 200 {
				t.Errorf("%s = %d", path, resp.StatusCode)
			}
		}
		resp, body = e.post(ac, "/admin/guide", url.Values{"csrf_token": {atok}, "site": {"www"}, "classification": {"按条例分类。"}, "arrangement": {"按栏目编排。"},
			"access": {"网站查阅。"}, "officeName": {"示例市人民政府办公室政务公开科"}, "address": {"示例市人民大道1号"}, "hours": {"工作日 9:00—17:00"}, "phone": {""}})
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-phone"`) {
			t.Errorf("guide without phone = %d", resp.StatusCode)
		}
		resp, _ = e.post(ac, "/admin/guide", url.Values{"csrf_token": {atok}, "site": {"www"}, "classification": {"按条例分类。"}, "arrangement": {"按栏目编排。"},
			"access": {"网站查阅。"}, "officeName": {"示例市人民政府办公室政务公开科"}, "address": {"示例市人民大道1号"}, "hours": {"工作日 9:00—17:00"}, "phone": {"0000-12345678"}, "fax": {"0000-12345679"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("guide save = %d", resp.StatusCode)
		}
		if code, body := e.page(t, "/xxgk/zn/"); code != 200 || !strings.Contains(body, "示例市人民政府办公室政务公开科") || !strings.Contains(body, "0000-12345679") {
			t.Errorf("guide page = %d", code)
		}
		for path, want := range map[string]string{"/xxgk/ysqgk/": "申请", "/xxgk/nb/": "暂无", "/xxgk/zd/": "制度", "/xxgk/zcwj": ""} {
			if code, body := e.page(t, path); (code != 200 && code != 301) || !strings.Contains(body, want) {
				t.Errorf("%s = %d", path, code)
			}
		}
		if code, _ := e.page(t, "/xxgk/nowhere/"); code != 404 {
			t.Errorf("unknown column = %d", code)
		}
	})
}

func mustInt(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// TestPageCache checks the public page cache: ETag and Last-Modified with
// 304, gzip, and invalidation by a publication.
func TestPageCache(t *testing.T) {
	e := newDocEnv(t, storetest.Open(t, store.SQLite))
	out := e.publish(t, policyJSON("第一份文件"))
	path := fmt.Sprintf("/xxgk/wj/%d.html", int64(out["id"].(float64)))
	get := func(p string, h map[string]string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", e.srv.URL+p, nil)
		// Without it the transport asks for gzip and unpacks it unseen.
		req.Header.Set("Accept-Encoding", "identity")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get(path, nil)
	etag, lm := resp.Header.Get("Etag"), resp.Header.Get("Last-Modified")
	if resp.StatusCode != 200 || etag == "" || lm == "" || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("first = %d etag %q last-modified %q", resp.StatusCode, etag, lm)
	}
	resp2, body2 := get(path, nil)
	if resp2.Header.Get("Etag") != etag || !bytes.Equal(body, body2) || resp2.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("cached response differs")
	}
	if resp, _ := get(path, map[string]string{"If-None-Match": etag}); resp.StatusCode != 304 {
		t.Errorf("If-None-Match = %d", resp.StatusCode)
	}
	if resp, _ := get(path, map[string]string{"If-Modified-Since": lm}); resp.StatusCode != 304 {
		t.Errorf("If-Modified-Since = %d", resp.StatusCode)
	}
	resp, gz := get(path, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Etag") == etag {
		t.Fatalf("gzip: encoding %q etag %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Etag"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); !bytes.Equal(plain, body) {
		t.Error("gzip body differs from the plain one")
	}
	_, list := get("/xxgk/zcwj/gfxwj/", nil)
	// A publication invalidates: the list shows the new document at once.
	e.publish(t, policyJSON("第二份文件"))
	_, list2 := get("/xxgk/zcwj/gfxwj/", nil)
	if bytes.Contains(list, []byte("第二份文件")) || !bytes.Contains(list2, []byte("第二份文件")) {
		t.Error("list not refreshed after a publication")
	}
	if resp, _ := get(path, map[string]string{"If-None-Match": etag}); resp.StatusCode != 304 {
		// The page itself did not change, so its ETag still matches.
		t.Errorf("unchanged page after invalidation = %d", resp.StatusCode)
	}
	// Portal responses never set cookies (they would defeat caching).
	if resp.Header.Get("Set-Cookie") != "" {
		t.Error("portal page sets a cookie")
	}
}

// TestIndexNoParallelHTTP publishes several documents at the same moment
// through the API: every 索引号 differs.
func TestIndexNoParallelHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		const n = 6
		var ids []int64
		for i := range n {
			body := policyJSON(fmt.Sprintf("并发文件%d", i))
			id := e.create(t, e.editor, body)
			e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
			e.review(id, e.r1, "approve", "")
			e.review(id, e.r2, "approve", "")
			ids = append(ids, id)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[string]bool{}
		for _, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, out := e.review(id, e.r3, "approve", "")
				mu.Lock()
				defer mu.Unlock()
				if resp.StatusCode != 200 {
					t.Errorf("parallel approval: %d %v", resp.StatusCode, out)
					return
				}
				seen[out["indexNo"].(string)] = true
			}()
		}
		wg.Wait()
		if len(seen) != n {
			t.Errorf("%d distinct index numbers for %d publications: %v", len(seen), n, seen)
		}
	})
}
