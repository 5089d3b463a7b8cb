package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func daysFromNow(n int) string { return gongkai.DateOf(time.Now()).AddDays(n).String() }

// TestDocumentTermAPI: effectiveOn and validUntil in create, PATCH and GET;
// a 有效期至 before the 成文日期 or the 施行日期 is 422 naming validUntil and
// changes nothing; "" clears.
func TestDocumentTermAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		body := policyJSON("示例市价格认定办法")
		body["effectiveOn"], body["validUntil"] = daysFromNow(1), daysFromNow(365*5)
		id := e.create(t, e.editor, body)
		path := fmt.Sprintf("/api/v1/documents/%d", id)
		resp, out := e.call("GET", path, e.editor, nil)
		if resp.StatusCode != 200 || out["effectiveOn"] != daysFromNow(1) || out["validUntil"] != daysFromNow(365*5) || out["validity"] != "valid" {
			t.Fatalf("GET = %d %v", resp.StatusCode, out)
		}
		for _, tc := range []struct {
			name   string
			change map[string]any
			want   string
		}{
			{"before 成文日期", map[string]any{"effectiveOn": "", "validUntil": signedDaysAgo(3)}, "不能早于成文日期"},
			{"before 施行日期", map[string]any{"effectiveOn": daysFromNow(30), "validUntil": daysFromNow(29)}, "不能早于施行日期"},
			{"not a date", map[string]any{"validUntil": "2029-02-30"}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				resp, out := e.call("PATCH", path, e.editor, tc.change)
				if tc.want == "" {
					// Like every date of the API, a date that does not
					// exist fails the JSON decoding: 400 naming the date.
					if resp.StatusCode != 400 || !strings.Contains(fmt.Sprint(out), "2029-02-30") {
						t.Errorf("PATCH %v = %d %v, want 400 naming the date", tc.change, resp.StatusCode, out)
					}
					return
				}
				wantProblem(t, resp, out, 422, "invalid", "validUntil")
				if !strings.Contains(fmt.Sprint(out), tc.want) {
					t.Errorf("problem %v lacks %q", out, tc.want)
				}
			})
		}
		// Refused on create too, and nothing saved.
		bad := policyJSON("有效期早于成文日期的文件")
		bad["validUntil"] = signedDaysAgo(3)
		resp, out = e.call("POST", "/api/v1/documents", e.editor, bad)
		wantProblem(t, resp, out, 422, "invalid", "validUntil")
		var n int
		db.WriteDB().QueryRow(`SELECT COUNT(*) FROM documents`).Scan(&n)
		if n != 1 {
			t.Errorf("%d documents after refused requests, want 1", n)
		}
		if _, out = e.call("GET", path, e.editor, nil); out["validUntil"] != daysFromNow(365*5) || out["effectiveOn"] != daysFromNow(1) {
			t.Errorf("refused PATCH changed the term: %v %v", out["effectiveOn"], out["validUntil"])
		}
		resp, out = e.call("PATCH", path, e.editor, map[string]any{"validUntil": ""})
		if resp.StatusCode != 200 || out["validUntil"] != "" || out["effectiveOn"] != daysFromNow(1) {
			t.Errorf("clearing validUntil = %d %v %v", resp.StatusCode, out["effectiveOn"], out["validUntil"])
		}
	})
}

// TestDocumentTermPortal: the document page shows 施行日期 and 有效期至; when
// the expiry job marks the document 失效 the cached page, the public API
// and the 政策文件库's 有效性 filter follow at once, and the department's
// editor finds the notice, linked to the document's workspace page.
func TestDocumentTermPortal(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		until := gongkai.DateOf(time.Now()).AddDays(3)
		body := policyJSON("示例市价格认定办法")
		body["effectiveOn"], body["validUntil"] = signedDaysAgo(1), until.String()
		out := e.publish(t, body)
		pagePath := fmt.Sprintf("/xxgk/wj/%d.html", int64(out["id"].(float64)))
		code, page := e.page(t, pagePath)
		if code != 200 {
			t.Fatalf("page = %d", code)
		}
		effective, _ := gongkai.ParseDate(signedDaysAgo(1))
		for _, want := range []string{`<th scope="row">施行日期</th><td>` + effective.Chinese() + `</td>`, `<th scope="row">有效期至</th><td>` + until.Chinese() + `</td>`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %s", want)
			}
		}
		if strings.Contains(page, "banner expired") {
			t.Error("page shows 失效 before the term ends")
		}
		// A document without a term has no such row.
		plain := policyJSON("没有有效期的文件")
		plain["docNo"] = "示发改规〔2024〕8号"
		out2 := e.publish(t, plain)
		if _, p := e.page(t, fmt.Sprintf("/xxgk/wj/%d.html", int64(out2["id"].(float64)))); strings.Contains(p, "施行日期") || strings.Contains(p, "有效期至") {
			t.Error("a document without a term shows 施行日期/有效期至")
		}

		db.Now = func() time.Time { return until.AddDays(1).Time().Add(time.Minute) }
		if res, err := db.ExpireDocuments(context.Background()); err != nil || res.Expired != 1 {
			t.Fatalf("expired %d, %v", res.Expired, err)
		}
		_, page = e.page(t, pagePath)
		if want := "本文件已于" + until.AddDays(1).Chinese() + "失效。</strong>（有效期至" + until.Chinese() + "）"; !strings.Contains(page, want) {
			t.Errorf("page after expiry lacks %q (the cache kept the old page?)", want)
		}
		if !regexp.MustCompile(`<th scope="row">有效性</th><td>失效</td>`).MatchString(page) {
			t.Error("metadata table does not say 失效")
		}
		if code, p := e.page(t, "/xxgk/zcwjk/?validity=expired"); code != 200 || !strings.Contains(p, "示例市价格认定办法") || strings.Contains(p, "没有有效期的文件") {
			t.Errorf("library filtered by 失效 = %d", code)
		}
		if code, p := e.page(t, "/xxgk/zcwjk/?validity=valid"); code != 200 || strings.Contains(p, "示例市价格认定办法") || !strings.Contains(p, "没有有效期的文件") {
			t.Errorf("library filtered by 有效 = %d", code)
		}
		indexNo := out["indexNo"].(string)
		resp, pub := e.call("GET", "/api/v1/public/documents/"+url.PathEscape(indexNo), "", nil)
		if resp.StatusCode != 200 || pub["validity"] != "expired" || pub["validityOn"] != until.AddDays(1).String() || pub["validUntil"] != until.String() ||
			pub["effectiveOn"] != signedDaysAgo(1) {
			t.Errorf("public API = %d %v", resp.StatusCode, pub)
		}
		// The department's editor is told, with a link to the workspace page.
		ed := e.browser()
		e.login(ed, "depteditor", e.fix.Password)
		_, notices := e.get(ed, "/admin/notices")
		want := "《示例市价格认定办法》（" + out["docNo"].(string) + "）有效期至" + until.Chinese() + "，已于" + until.AddDays(1).Chinese() + "自动标注为失效。如需继续执行，请修订后重新发布。"
		link := fmt.Sprintf(`<a href="/admin/documents/%d">`, int64(out["id"].(float64)))
		if !strings.Contains(notices, link+want+"</a>") {
			t.Errorf("notices page lacks %s%s:\n%s", link, want, notices)
		}
		// It is not an annual-report reminder.
		if code, reports := e.get(ed, "/admin/annual-reports"); code.StatusCode != 200 || strings.Contains(reports, "自动标注为失效") {
			t.Errorf("annual reports page = %d, lists the expiry notice: %v", code.StatusCode, strings.Contains(reports, "自动标注为失效"))
		}
	})
}

// TestDocumentTermForm: the workspace form has labelled 施行日期 and 有效期至
// fields; a bad 有效期至 re-renders the form with the message beside the
// field and the values as typed.
func TestDocumentTermForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDocEnv(t, db)
		c := e.browser()
		token := e.login(c, "depteditor", e.fix.Password)
		resp, body := e.get(c, "/admin/documents/new")
		if resp.StatusCode != 200 {
			t.Fatalf("new form = %d", resp.StatusCode)
		}
		for _, want := range []string{`<label for="f-effectiveOn">施行日期</label>`, `id="f-effectiveOn" name="effectiveOn"`,
			`<label for="f-validUntil">有效期至</label>`, `id="f-validUntil" name="validUntil"`} {
			if !strings.Contains(body, want) {
				t.Errorf("form lacks %s", want)
			}
		}
		signed := signedDaysAgo(2)
		form := url.Values{"csrf_token": {token}, "title": {"价格认定规则"}, "docNo": {"示发改规〔2024〕8号"}, "signedOn": {signed}, "columns": {"gfxwj"},
			"body": {"正文"}, "genre": {"tongzhi"}, "topic": {"0201"}, "effectiveOn": {signed}, "validUntil": {signedDaysAgo(5)}}
		resp, body = e.post(c, "/admin/documents", form)
		if resp.StatusCode != 422 {
			t.Fatalf("bad 有效期至 = %d", resp.StatusCode)
		}
		for _, want := range []string{`id="e-validUntil"`, "不能早于施行日期", `aria-invalid="true"`, `value="` + signedDaysAgo(5) + `"`, `value="` + signed + `"`, `value="价格认定规则"`} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %s", want)
			}
		}
		form.Set("validUntil", "2029-02-30")
		if resp, body = e.post(c, "/admin/documents", form); resp.StatusCode != 422 || !strings.Contains(body, "有效期至格式应为 YYYY-MM-DD") || !strings.Contains(body, `value="2029-02-30"`) {
			t.Errorf("unparsable 有效期至 = %d", resp.StatusCode)
		}
		form.Set("validUntil", daysFromNow(700))
		resp, _ = e.post(c, "/admin/documents", form)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != 303 || !regexp.MustCompile(`^/admin/documents/\d+`).MatchString(loc) {
			t.Fatalf("save = %d %q", resp.StatusCode, loc)
		}
		docPath := regexp.MustCompile(`^/admin/documents/\d+`).FindString(loc)
		if _, view := e.get(c, docPath); !strings.Contains(view, "<dt>有效期至</dt>") || !strings.Contains(view, "<dt>施行日期</dt>") {
			t.Error("document view lacks the term")
		}
		if _, edit := e.get(c, docPath+"/edit"); !strings.Contains(edit, `value="`+daysFromNow(700)+`"`) || !strings.Contains(edit, `name="effectiveOn" value="`+signed+`"`) {
			t.Error("edit form lacks the stored term")
		}
	})
}
