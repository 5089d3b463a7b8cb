package web_test

import (
	"net/url"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func TestCheckScreen(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	token := e.login(c, "depteditor", e.fix.Password)
	_, body := e.get(c, "/admin/check")
	if !strings.Contains(body, "内容检查") || !strings.Contains(body, `value="pii.mobile"`) {
		t.Fatal("check form missing")
	}
	text := "请联系王某某，电话13812345678。<script>alert(1)</script>依据示政办发[2023]12号办理。"
	resp, body := e.post(c, "/admin/check", url.Values{"csrf_token": {token}, "site": {"www"}, "text": {text},
		"rule": {"pii.mobile", "docno.format", "leftover.placeholder"}})
	if resp.StatusCode != 200 {
		t.Fatalf("check = %d", resp.StatusCode)
	}
	for _, want := range []string{"共发现 2 处问题", "2 处须修改后才能发布", `<mark id="m1" class="sev-block">13812345678</mark>`,
		"138****5678", "示政办发〔2023〕12号", "&lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Error("checked text reflected unescaped")
	}
	// 王某某 is how notices anonymise names: never a leftover.
	if strings.Contains(body, "王某某</mark>") {
		t.Error("王某某 flagged")
	}
	resp, body = e.post(c, "/admin/check", url.Values{"csrf_token": {token}, "site": {"www"}, "text": {""}, "rule": {"pii.mobile"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "请粘贴要检查的文字") {
		t.Errorf("empty text = %d", resp.StatusCode)
	}
	resp, body = e.post(c, "/admin/check", url.Values{"csrf_token": {token}, "site": {"www"}, "text": {"x"}, "required": {"on"}, "rule": {"pii.mobile"}})
	if resp.StatusCode != 422 || !strings.Contains(body, "请写明依据") {
		t.Errorf("required disclosure without reason = %d", resp.StatusCode)
	}
}

func TestCheckLists(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.browser()
		token := e.login(c, "cityadmin", e.fix.Password)
		_, body := e.get(c, "/admin/check/lists")
		if !strings.Contains(body, "本站差错词典") || !strings.Contains(body, "敏感词") {
			t.Fatal("lists page incomplete")
		}
		// A malformed dictionary line is refused with its line number and nothing is saved.
		resp, body := e.post(c, "/admin/check/lists/www/dictionary", url.Values{"csrf_token": {token}, "content": {"# 本站\n示例市政府 | 示例市人民政府 | official | 全称\n缺少字段\n"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "第3行") {
			t.Fatalf("bad dictionary = %d", resp.StatusCode)
		}
		site, _ := db.FindSiteByCode(storetest.System(), "www")
		if lists, _ := db.FindCheckLists(storetest.System(), site.ID); len(lists) != 0 {
			t.Fatalf("refused list was saved: %v", lists)
		}
		// A valid entry applies to the next check at once, and is exported as saved.
		resp, _ = e.post(c, "/admin/check/lists/www/dictionary", url.Values{"csrf_token": {token}, "content": {"示例市政府 | 示例市人民政府 | official | 本市机关全称\n"}})
		if resp.StatusCode != 303 {
			t.Fatalf("good dictionary = %d", resp.StatusCode)
		}
		tok := e.apiToken("depteditor")
		resp, out := e.call("POST", "/api/v1/check", tok, map[string]any{"text": "示例市政府发布通知。", "site": "www"})
		if resp.StatusCode != 200 || out["blocking"].(float64) != 1 {
			t.Fatalf("api check after entry = %d %v", resp.StatusCode, out)
		}
		_, export := e.get(c, "/admin/check/lists/www/dictionary.txt")
		if !strings.Contains(export, "示例市政府 | 示例市人民政府 | official") {
			t.Errorf("export = %q", export)
		}
		// Allow-listing the term switches the entry off.
		e.post(c, "/admin/check/lists/www/allow_terms", url.Values{"csrf_token": {token}, "content": {"示例市政府\n"}})
		_, out = e.call("POST", "/api/v1/check", tok, map[string]any{"text": "示例市政府发布通知。", "site": "www"})
		if out["blocking"].(float64) != 0 {
			t.Errorf("allow-listed term still blocks: %v", out)
		}
		// Another org's admin may not change the city site's lists.
		cc := e.browser()
		ctok := e.login(cc, "countyadmin", e.fix.Password)
		resp, _ = e.post(cc, "/admin/check/lists/www/sensitive_words", url.Values{"csrf_token": {ctok}, "content": {"测试敏感词"}})
		if resp.StatusCode != 403 && resp.StatusCode != 404 {
			t.Errorf("county admin setting city lists = %d", resp.StatusCode)
		}
		err := db.SetCheckList(storetest.As(e.fix.CountyAdmin), site.ID, gongkai.CheckSensitiveWords, "测试敏感词")
		if gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("store: county admin = %v", err)
		}
		recs, _, _ := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{ObjectType: ptr("check_list")})
		if len(recs) != 2 {
			t.Errorf("%d check_list audit records, want 2", len(recs))
		}
	})
}

func TestAPICheckRefusals(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	tok := e.apiToken("depteditor")
	resp, out := e.call("POST", "/api/v1/check", tok, map[string]any{"text": ""})
	wantProblem(t, resp, out, 422, "invalid", "text")
	resp, out = e.call("POST", "/api/v1/check", tok, map[string]any{"text": "x", "site": "nowhere"})
	wantProblem(t, resp, out, 422, "invalid", "site")
	resp, out = e.call("POST", "/api/v1/check", tok, map[string]any{"text": "x", "rules": []string{"no.such"}})
	wantProblem(t, resp, out, 422, "invalid", "rules")
	resp, out = e.call("POST", "/api/v1/check", "", map[string]any{"text": "x"})
	wantProblem(t, resp, out, 401, "unauthorized", "")
}

func ptr[T any](v T) *T { return &v }
