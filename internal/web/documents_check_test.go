package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// GB 11643-1999's example number and its masked form.
const (
	gateID       = "34052419800101001X"
	gateIDMasked = "34*************01X"
)

func piiJSON(title string) map[string]any {
	d := policyJSON(title)
	d["body"] = "<p>经研究，同意张某（身份证号" + gateID + "）的申请。</p>"
	return d
}

// atLastLevel creates a document, submits it and approves it at levels 1
// and 2, leaving it at the last level.
func (e *docEnv) atLastLevel(t *testing.T, body map[string]any) int64 {
	t.Helper()
	id := e.create(t, e.editor, body)
	if resp, out := e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil); resp.StatusCode != 200 {
		t.Fatalf("submit: %d %v", resp.StatusCode, out)
	}
	for _, tok := range []string{e.r1, e.r2} {
		if resp, out := e.review(id, tok, "approve", ""); resp.StatusCode != 200 {
			t.Fatalf("approve: %d %v", resp.StatusCode, out)
		}
	}
	return id
}

func (e *docEnv) checks(t *testing.T, id int64) []any {
	t.Helper()
	resp, out := e.call("GET", fmt.Sprintf("/api/v1/documents/%d/checks", id), e.r1, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("checks: %d %v", resp.StatusCode, out)
	}
	cs, _ := out["checks"].([]any)
	return cs
}

// TestReviewGateAPI: the findings are stored at submission and at each
// level; the last approval is refused as problem+json naming the findings
// until the reviewer overrides them with a reason; nothing is saved on a
// refusal.
func TestReviewGateAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		id := e.atLastLevel(t, piiJSON("关于同意张某申请的批复"))
		cs := e.checks(t, id)
		if len(cs) != 3 {
			t.Fatalf("%d checks stored, want 3 (submission, two approvals)", len(cs))
		}
		first := cs[2].(map[string]any)
		f := first["findings"].([]any)[0].(map[string]any)
		if first["stage"] != "submit" || f["rule"] != "pii.citizen_id" || f["severity"] != "block" || f["excerpt"] != gateID || f["suggestion"] != gateIDMasked {
			t.Fatalf("submission check = %v", first)
		}
		digest := cs[0].(map[string]any)["blockingDigest"].(string)
		path := fmt.Sprintf("/api/v1/documents/%d/reviews", id)

		resp, out := e.call("POST", path, e.r3, map[string]string{"decision": "approve", "comment": "同意"})
		wantProblem(t, resp, out, 422, "invalid", "override")
		fs, _ := out["findings"].([]any)
		if len(fs) != 1 || fs[0].(map[string]any)["rule"] != "pii.citizen_id" || out["blockingDigest"] != digest {
			t.Fatalf("refusal does not name the findings: %v", out)
		}
		resp, out = e.call("POST", path, e.r3, map[string]string{"decision": "approve", "override": "   "})
		wantProblem(t, resp, out, 422, "invalid", "override")
		resp, out = e.call("POST", path, e.r3, map[string]string{"decision": "approve", "override": "依法公开", "seen": "0123456789abcdef"})
		wantProblem(t, resp, out, 409, "conflict", "override")
		resp, out = e.call("POST", path, e.r3, map[string]any{"decision": "approve", "override": "x", "unknown": 1})
		wantProblem(t, resp, out, 400, "bad_request", "unknown")

		// Nothing half-saved: still at the last level, no new check, not public.
		resp, out = e.call("GET", fmt.Sprintf("/api/v1/documents/%d", id), e.r3, nil)
		if out["status"] != "in_review" || out["reviewLevel"].(float64) != 3 || out["live"] != false || len(e.checks(t, id)) != 3 {
			t.Fatalf("after refusals: %d %v", resp.StatusCode, out)
		}
		if code, _ := e.page(t, fmt.Sprintf("/xxgk/wj/%d.html", id)); code != 404 {
			t.Fatalf("public page after refusals = %d", code)
		}

		reason := "经核实，该批复须载明申请人身份，依据相关规定予以公开。"
		resp, out = e.call("POST", path, e.r3, map[string]string{"decision": "approve", "override": reason, "seen": digest})
		if resp.StatusCode != 200 || out["status"] != "published" {
			t.Fatalf("override = %d %v", resp.StatusCode, out)
		}
		last := e.checks(t, id)[0].(map[string]any)
		o, _ := last["override"].(map[string]any)
		if last["accepted"] != true || o == nil || o["reason"] != reason || o["actorName"] == "" {
			t.Fatalf("final check = %v", last)
		}
		recs, _, _ := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: ptr("document.override")})
		if len(recs) != 1 || strings.Contains(string(recs[0].After), gateID) || !strings.Contains(string(recs[0].After), gateIDMasked) {
			t.Fatalf("override audit = %v", recs)
		}
		// Another org's staff cannot read the checks.
		resp, out = e.call("GET", fmt.Sprintf("/api/v1/documents/%d/checks", id), e.apiToken("countyadmin"), nil)
		wantProblem(t, resp, out, 403, "forbidden", "")
	})
}

// TestReviewGateHTML: the review screen shows the findings beside the text
// with the span marked; the final reviewer's form asks for an override,
// refuses an approval without one (keeping what was typed), and publishes
// with one, the override then being in the review history.
func TestReviewGateHTML(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		id := e.create(t, e.editor, piiJSON("关于同意张某申请的批复"))
		docPath := fmt.Sprintf("/admin/documents/%d", id)

		// The editor's form and page show the draft's findings, not stored.
		ed := e.browser()
		edToken := e.login(ed, "depteditor", e.fix.Password)
		_, body := e.get(ed, docPath+"/edit")
		for _, want := range []string{"发布前内容检查", "打开本页时检查，未保存", `<mark id="cf1" class="sev-block">` + gateID + `</mark>`, "公民身份号码", gateIDMasked,
			`name="requiredDisclosure"`, `<a href="#cf1">正文第1行`} {
			if !strings.Contains(body, want) {
				t.Errorf("edit form lacks %q", want)
			}
		}
		resp, _ := e.post(ed, docPath+"/submit", url.Values{"csrf_token": {edToken}})
		if resp.StatusCode != 303 {
			t.Fatalf("submit = %d", resp.StatusCode)
		}
		for _, tok := range []string{e.r1, e.r2} {
			if resp, out := e.review(id, tok, "approve", ""); resp.StatusCode != 200 {
				t.Fatalf("approve: %d %v", resp.StatusCode, out)
			}
		}

		// An earlier level's page: findings and a note, no override field.
		r1 := e.browser()
		e.login(r1, "deptrev1", e.fix.Password)
		_, body = e.get(r1, docPath)
		if !strings.Contains(body, "审核时检查（第 2 级）") || !strings.Contains(body, `<mark id="cf1" class="sev-block">`) || strings.Contains(body, `name="override"`) {
			t.Errorf("page for an earlier reviewer:\n%s", body)
		}

		r3 := e.browser()
		token := e.login(r3, "deptrev3", e.fix.Password)
		_, body = e.get(r3, docPath)
		if !strings.Contains(body, `name="override"`) || !strings.Contains(body, `name="seen"`) || !strings.Contains(body, "1 处须修改") {
			t.Fatalf("final review form lacks the override:\n%s", body)
		}
		seen := regexpFind(t, body, `name="seen" value="([0-9a-f]+)"`)
		resp, body = e.post(r3, docPath+"/review", url.Values{"csrf_token": {token}, "decision": {"approve"}, "comment": {"同意发布"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "终审不能直接通过") || !strings.Contains(body, gateIDMasked) || !strings.Contains(body, ">同意发布</textarea>") {
			t.Fatalf("approval without override = %d", resp.StatusCode)
		}
		// Without the CSRF token: refused before anything happens.
		resp, _ = e.post(r3, docPath+"/review", url.Values{"decision": {"approve"}, "override": {"理由"}, "seen": {seen}})
		if resp.StatusCode != 403 {
			t.Errorf("review without CSRF token = %d", resp.StatusCode)
		}
		if d, _ := db.FindDocumentByID(storetest.System(), id); d.Status != gongkai.DocumentInReview {
			t.Fatalf("status after refusals: %s", d.Status)
		}
		reason := "批复须载明申请人身份，依法予以公开。"
		resp, _ = e.post(r3, docPath+"/review", url.Values{"csrf_token": {token}, "decision": {"approve"}, "override": {reason}, "seen": {seen}})
		if resp.StatusCode != 303 {
			t.Fatalf("approval with override = %d", resp.StatusCode)
		}
		_, body = e.get(r3, docPath)
		for _, want := range []string{"已发布", "放行检查问题", reason, "确认放行"} {
			if !strings.Contains(body, want) {
				t.Errorf("published page lacks %q", want)
			}
		}
	})
}

// TestRequiredDisclosureHTTP: marking a document as a legally required
// disclosure in the form turns its personal data into warnings, and it
// passes the last level with no override.
func TestRequiredDisclosureHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		id := e.create(t, e.editor, piiJSON("失信被执行人名单公示"))
		docPath := fmt.Sprintf("/admin/documents/%d", id)
		ed := e.browser()
		token := e.login(ed, "depteditor", e.fix.Password)
		form := url.Values{"csrf_token": {token}, "title": {"失信被执行人名单公示"}, "body": {"<p>经研究，同意张某（身份证号" + gateID + "）的申请。</p>"},
			"genre": {"tongzhi"}, "topic": {"0201"}, "docNo": {"示发改规〔2024〕7号"}, "signedOn": {signedDaysAgo(2)}, "columns": {"gfxwj"},
			"disclosure": {"proactive"}, "validity": {"valid"}, "requiredDisclosure": {"on"}}
		resp, body := e.post(ed, docPath, form)
		if resp.StatusCode != 422 || !strings.Contains(body, "须写明法律依据") {
			t.Fatalf("flag without a reason = %d", resp.StatusCode)
		}
		form.Set("requiredDisclosureReason", "《最高人民法院关于公布失信被执行人名单信息的若干规定》")
		if resp, _ = e.post(ed, docPath, form); resp.StatusCode != 303 {
			t.Fatalf("save = %d", resp.StatusCode)
		}
		_, body = e.get(ed, docPath+"/edit")
		if !strings.Contains(body, `<mark id="cf1" class="sev-warn">`) || !strings.Contains(body, "依法公开个人信息") {
			t.Errorf("flagged draft's findings:\n%s", body)
		}
		e.call("POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), e.editor, nil)
		var out map[string]any
		for _, tok := range []string{e.r1, e.r2, e.r3} {
			if resp, out = e.review(id, tok, "approve", ""); resp.StatusCode != 200 {
				t.Fatalf("approve: %d %v", resp.StatusCode, out)
			}
		}
		if out["status"] != "published" || out["requiredDisclosure"] != true {
			t.Fatalf("published = %v", out)
		}
	})
}

// TestRecheckHTTP: after a site's list changes, the recheck's notice
// reaches the department's staff in /admin/notices, the document is
// listed as having open findings (API too), and the final reviewer
// accepts them with a reason.
func TestRecheckHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		doc := policyJSON("关于发展改革委机关开放日的通知")
		doc["body"] = "<p>市发改委机关开放日定于每月第一个星期五。</p>"
		out := e.publish(t, doc)
		id := int64(out["id"].(float64))
		docPath := fmt.Sprintf("/admin/documents/%d", id)

		admin := e.browser()
		atok := e.login(admin, "cityadmin", e.fix.Password)
		if resp, _ := e.post(admin, "/admin/check/lists/www/dictionary", url.Values{"csrf_token": {atok}, "content": {"市发改委 | 市发展改革委 | official | 本市机关规范简称\n"}}); resp.StatusCode != 303 {
			t.Fatalf("save list = %d", resp.StatusCode)
		}
		// What the job enqueued with the list does (internal/jobs tests the job itself).
		site, _ := db.FindSiteByCode(storetest.System(), "www")
		res, err := db.RecheckSite(context.Background(), site.ID)
		if err != nil || res.WithNew != 1 {
			t.Fatalf("recheck = %+v, %v", res, err)
		}

		ed := e.browser()
		e.login(ed, "depteditor", e.fix.Password)
		_, body := e.get(ed, "/admin/notices")
		if !strings.Contains(body, `href="`+docPath+`#check"`) || !strings.Contains(body, "复查，发现 1 处新问题") {
			t.Errorf("notices page:\n%s", body)
		}
		_, body = e.get(ed, "/admin/")
		if !strings.Contains(body, `href="/admin/notices"`) || !strings.Contains(body, `href="/admin/documents/findings"`) {
			t.Errorf("menu lacks 办理提醒 or 发布后复查")
		}
		_, body = e.get(ed, "/admin/documents/findings")
		if !strings.Contains(body, "关于发展改革委机关开放日的通知") {
			t.Errorf("open findings list lacks the document")
		}
		resp, list := e.call("GET", "/api/v1/documents/open-findings?org=city-fgw", e.editor, nil)
		if resp.StatusCode != 200 || list["total"].(float64) != 1 {
			t.Fatalf("open findings API = %d %v", resp.StatusCode, list)
		}
		resp, list = e.call("GET", "/api/v1/documents/open-findings", e.apiToken("countyadmin"), nil)
		if resp.StatusCode != 200 || list["total"].(float64) != 0 {
			t.Errorf("county admin sees %v", list)
		}
		_, body = e.get(ed, docPath)
		if !strings.Contains(body, "新发现") || strings.Contains(body, "/findings/accept") {
			t.Errorf("editor's page: findings not shown new, or an accept form for an editor")
		}

		r3 := e.browser()
		token := e.login(r3, "deptrev3", e.fix.Password)
		_, body = e.get(r3, docPath)
		check := regexpFind(t, body, `name="check" value="(\d+)"`)
		resp, body = e.post(r3, docPath+"/findings/accept", url.Values{"csrf_token": {token}, "check": {check}, "reason": {""}})
		if resp.StatusCode != 422 || !strings.Contains(body, `id="e-acceptReason"`) {
			t.Fatalf("accept without a reason = %d", resp.StatusCode)
		}
		resp, _ = e.post(r3, docPath+"/findings/accept", url.Values{"check": {check}, "reason": {"无需修改"}})
		if resp.StatusCode != 403 {
			t.Errorf("accept without CSRF = %d", resp.StatusCode)
		}
		resp, _ = e.post(r3, docPath+"/findings/accept", url.Values{"csrf_token": {token}, "check": {check}, "reason": {"“市发改委”为本市通行简称，无需修改。"}})
		if resp.StatusCode != 303 {
			t.Fatalf("accept = %d", resp.StatusCode)
		}
		if _, body = e.get(ed, "/admin/documents/findings"); !strings.Contains(body, "没有待处理的复查问题") {
			t.Error("document still listed after acceptance")
		}
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/findings/accept", id), e.r3, map[string]string{"reason": "再次确认"})
		wantProblem(t, resp, out, 409, "conflict", "")
		resp, out = e.call("POST", fmt.Sprintf("/api/v1/documents/%d/findings/accept", id), e.editor, map[string]string{"reason": "x"})
		wantProblem(t, resp, out, 403, "forbidden", "")
	})
}

// regexpFind returns the first group of pattern in s.
func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in page", pattern)
	}
	return m[1]
}
