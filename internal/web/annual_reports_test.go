package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// reportEnv is a server over the annual-report fixture, on its clock.
func reportEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	db.Now = func() time.Time { return storetest.ReportNow }
	e := newEnv(t, db)
	storetest.ReportFixture(t, db, e.fix)
	return e
}

func golden(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(storetest.ReportGolden, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func jsonBody(t *testing.T, body string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %.200s", body)
	}
	return v
}

func (e *env) approveReport(id int64) {
	e.t.Helper()
	for _, u := range []*gongkai.User{e.fix.DeptReviewer1, e.fix.DeptReviewer2, e.fix.DeptReviewer3} {
		if _, err := e.db.ReviewDocument(storetest.As(u), id, gongkai.Approve, ""); err != nil {
			e.t.Fatalf("review: %v", err)
		}
	}
}

// TestAnnualReportWorkspace: an editor's report screen, the figures form
// with its refusals, submission through the review, the portal page, the
// exports and the difference after a late correction.
func TestAnnualReportWorkspace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := reportEnv(t, db)
		c := e.browser()
		token := e.login(c, "depteditor", e.fix.Password)
		const path = "/admin/annual-reports/city-fgw/2025"

		resp, body := e.get(c, "/admin/annual-reports?year=2025")
		if resp.StatusCode != 200 {
			t.Fatalf("list: %d", resp.StatusCode)
		}
		wantIn(t, "list", body, "示例市发展和改革委员会", "编制中", `href="`+path+`"`, "已逾期299天")

		resp, body = e.get(c, path)
		if resp.StatusCode != 200 {
			t.Fatalf("workspace: %d %s", resp.StatusCode, body)
		}
		wantIn(t, "workspace", body, "<h1>示例市发展和改革委员会2025年政府信息公开工作年度报告</h1>", "2026年1月31日",
			`<table class="annual-report-table">`, "<caption>收到和处理政府信息公开申请情况</caption>", `scope="col"`,
			"未找到2024年已发布的年度报告", "提交审核发布", `value="12.50"`, "一、总体情况", "系统根据数据生成的草稿",
			"发布政策解读1篇", "没有2025年以前两个年度已发布或导入的报告")

		// Bad figures: every problem by its field, the typed values kept,
		// nothing saved.
		before, _ := db.FindAnnualReport(storetest.As(e.fix.DeptEditor), "city-fgw", 2025)
		form := url.Values{"csrf_token": {token}, "licensing": {"12"}, "penalty": {"三件"}, "enforcement": {"0"}, "fees": {"-3"},
			"overview": {storetest.ReportOverview}, "shortcomings": {storetest.ReportShortcomings}, "other": {storetest.ReportOther}}
		resp, body = e.post(c, path, form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad figures: %d", resp.StatusCode)
		}
		wantIn(t, "refused form", body, `id="e-penalty"`, `id="e-fees"`, `value="三件"`, `value="-3"`, "请修改以下2处问题")
		after, _ := db.FindAnnualReport(storetest.As(e.fix.DeptEditor), "city-fgw", 2025)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused save changed the report:\n%s", diff)
		}
		resp, _ = e.post(c, path, url.Values{"licensing": {"1"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("save without CSRF token: %d", resp.StatusCode)
		}
		form.Set("penalty", "3")
		form.Set("fees", "12.5")
		resp, _ = e.post(c, path, form)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}

		// Exports of the current data.
		resp, body = e.get(c, path+".json")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("json export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if diff := cmp.Diff(golden(t), jsonBody(t, body)); diff != "" {
			t.Errorf("json export mismatch (-want +got):\n%s", diff)
		}
		for ext, prefix := range map[string]string{".docx": "PK", ".xlsx": "PK", ".html": "<!DOCTYPE html>"} {
			resp, body = e.get(c, path+ext)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, prefix) || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
				t.Errorf("%s export: %d %q", ext, resp.StatusCode, resp.Header.Get("Content-Disposition"))
			}
		}
		if resp, _ = e.get(c, path+".pdf"); resp.StatusCode != 404 {
			t.Errorf("pdf export: %d", resp.StatusCode)
		}
		if resp, _ = e.get(c, path+".json?published=1"); resp.StatusCode != 404 {
			t.Errorf("published export before publication: %d", resp.StatusCode)
		}

		// The current year cannot be submitted: the screen says why.
		resp, body = e.post(c, "/admin/annual-reports/city-fgw/2026/submit", url.Values{"csrf_token": {token}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("submit 2026: %d", resp.StatusCode)
		}
		wantIn(t, "refused submission", body, "未能提交发布", "2026年尚未结束")

		resp, _ = e.post(c, path+"/submit", url.Values{"csrf_token": {token}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit: %d", resp.StatusCode)
		}
		_, body = e.get(c, path)
		wantIn(t, "after submission", body, "年度报告已通过发布前核对", "报告文件审核中")
		rec, _ := db.FindAnnualReport(storetest.As(e.fix.DeptEditor), "city-fgw", 2025)
		e.approveReport(rec.DocumentID)

		// The portal: the report's own page with every header attribute,
		// listed in the 年报 column.
		portal := e.browser()
		docPath := gongkai.DocumentPath(rec.DocumentID)
		resp, body = e.get(portal, "/xxgk/nb/")
		if resp.StatusCode != 200 || !strings.Contains(body, docPath) {
			t.Errorf("年报 column: %d, lacks %s", resp.StatusCode, docPath)
		}
		resp, body = e.get(portal, docPath)
		if resp.StatusCode != 200 {
			t.Fatalf("report page: %d", resp.StatusCode)
		}
		wantIn(t, "report page", body, `<div class="annual-report">`, `<h2>一、总体情况</h2>`, `<caption>主动公开政府信息情况</caption>`,
			`headers="`, `scope="row"`, `rowspan="22"`, `colspan="7"`, storetest.ReportOverview, "危及“三安全一稳定”")

		// A late correction shows as a difference on the screen.
		storetest.Exec(t, db, `UPDATE applications SET state = 'closed', closed_on = '2025-12-30', outcome = 'granted' WHERE tracking_no = 'YSQ-A5'`)
		_, body = e.get(c, path)
		wantIn(t, "workspace after correction", body, "与已发布的报告的差异", "数据有变化的单元格（6处）",
			"表三“四、结转下年度继续办理”行“申请人情况／总计”列</th><td>2</td><td>1</td>", "修订说明")
		resp, body = e.get(c, path+".json?published=1")
		if resp.StatusCode != 200 {
			t.Fatalf("published json: %d", resp.StatusCode)
		}
		if diff := cmp.Diff(golden(t), jsonBody(t, body)); diff != "" {
			t.Errorf("the published export changed with the data (-want +got):\n%s", diff)
		}
		// The year-on-year columns of 2026 use the published 2025 report.
		_, body = e.get(c, "/admin/annual-reports/city-fgw/2026")
		wantIn(t, "2026 workspace", body, "2026年（当前）", "2025年", "<th scope=\"row\">（三）不予公开1.属于国家秘密</th><td>0</td><td>1</td><td>-1</td>")
	})
}

// TestAnnualReportRefusals: who may see and change a report, and bad URLs.
func TestAnnualReportRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := reportEnv(t, db)
		officer := e.browser()
		tok := e.login(officer, "deptofficer", e.fix.Password)
		resp, body := e.get(officer, "/admin/annual-reports/city-fgw/2025")
		if resp.StatusCode != 200 || strings.Contains(body, `name="licensing"`) || !strings.Contains(body, "由“示例市发展和改革委员会”的编辑填写") {
			t.Errorf("officer's view: %d", resp.StatusCode)
		}
		resp, _ = e.post(officer, "/admin/annual-reports/city-fgw/2025", url.Values{"csrf_token": {tok}, "licensing": {"1"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("officer save: %d", resp.StatusCode)
		}
		resp, _ = e.post(officer, "/admin/annual-reports/city-fgw/2025/submit", url.Values{"csrf_token": {tok}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("officer submit: %d", resp.StatusCode)
		}
		county := e.browser()
		e.login(county, "countyadmin", e.fix.Password)
		for path, status := range map[string]int{
			"/admin/annual-reports/city-fgw/2025":             http.StatusForbidden,
			"/admin/annual-reports/city-fgw/2025.json":        http.StatusForbidden,
			"/admin/annual-reports/nosuch/2025":               http.StatusNotFound,
			"/admin/annual-reports/chengdong/2027":            http.StatusUnprocessableEntity,
			"/admin/annual-reports/chengdong/20x5":            http.StatusNotFound,
			"/admin/annual-reports/overview?org=city":         http.StatusForbidden,
			"/admin/annual-reports/rollup?year=2025&org=city": http.StatusForbidden,
		} {
			resp, body := e.get(county, path)
			if resp.StatusCode != status {
				t.Errorf("county admin GET %s = %d, want %d", path, resp.StatusCode, status)
			}
			if status == http.StatusUnprocessableEntity && !strings.Contains(body, "2027年尚未到来") {
				t.Errorf("%s lacks the reason", path)
			}
		}
		if resp, _ := e.get(e.browser(), "/admin/annual-reports/city-fgw/2025"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous: %d", resp.StatusCode)
		}
	})
}

// TestAnnualReportImportUpload imports history through the form.
func TestAnnualReportImportUpload(t *testing.T) {
	e := reportEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	token := e.login(c, "depteditor", e.fix.Password)
	upload := func(content string) (*http.Response, string) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf_token", token)
		mw.WriteField("back", "2025")
		fw, _ := mw.CreateFormFile("file", "2023.json")
		io.WriteString(fw, content)
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/annual-reports/city-fgw/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	y2023 := strings.Replace(string(storetest.ReportGolden), `"year": 2025`, `"year": 2023`, 1)
	resp, body := upload(strings.Replace(y2023, "4.保护第三方合法权益", "4.保护第三方的合法权益", 1))
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad label: %d", resp.StatusCode)
	}
	wantIn(t, "refused import", body, "未能导入", "4.保护第三方的合法权益")
	resp, _ = upload(y2023)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/annual-reports/city-fgw/2023" {
		t.Fatalf("import: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = e.get(c, "/admin/annual-reports/city-fgw/2024")
	wantIn(t, "2024 with 2023 imported", body, "2023年", "已导入")
}

// TestAnnualReportOverview: the 政务公开办's overview, reminders as River
// jobs, and the roll-up.
func TestAnnualReportOverview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := reportEnv(t, db)
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		r := jobs.New(db, nil)
		r.PollInterval = 100 * time.Millisecond
		jobs.RegisterAnnualReports(r, db)
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Stop(context.Background()) })

		c := e.browser()
		token := e.login(c, "citysuper", e.fix.Password)
		resp, body := e.get(c, "/admin/annual-reports/overview?org=city&year=2025")
		if resp.StatusCode != 200 {
			t.Fatalf("overview: %d", resp.StatusCode)
		}
		wantIn(t, "overview", body, "共4个机关：按时发布0个，逾期发布0个，尚未发布4个", "已超过期限4个", "示例市城东区民政局", "提醒尚未发布的机关")
		// A year before the platform's data: no links to reports that
		// cannot be compiled, nobody counted as late or reminded.
		resp, body = e.get(c, "/admin/annual-reports/overview?org=city&year=2021")
		if resp.StatusCode != 200 {
			t.Fatalf("overview 2021: %d", resp.StatusCode)
		}
		wantIn(t, "overview 2021", body, "尚未发布0个", "4个机关在本平台没有该年度的数据", "无本平台数据（可导入历史报告）")
		if strings.Contains(body, `href="/admin/annual-reports/chengdong-mzj/2021"`) || strings.Contains(body, "提醒尚未发布的机关") {
			t.Error("overview 2021 links to a report without data, or offers reminders")
		}

		// The periodic sweep runs at start: the department's editor gets
		// one overdue reminder. Then the office's own reminder.
		waitNotices := func(n int) []*gongkai.Notice {
			t.Helper()
			for range 150 {
				notes, _, _ := db.FindNotices(storetest.As(e.fix.DeptEditor), false, 10)
				if len(notes) >= n {
					return notes
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Fatalf("fewer than %d notices", n)
			return nil
		}
		waitNotices(1)
		resp, _ = e.post(c, "/admin/annual-reports/overview/remind", url.Values{"csrf_token": {token}, "org": {"city"}, "year": {"2025"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remind: %d", resp.StatusCode)
		}
		notes := waitNotices(2)
		if !strings.HasPrefix(notes[0].Message, "示例市政务公开办提醒") {
			t.Errorf("requested reminder: %q", notes[0].Message)
		}
		ed := e.browser()
		e.login(ed, "depteditor", e.fix.Password)
		_, body = e.get(ed, "/admin/annual-reports")
		wantIn(t, "editor's list", body, "年度报告提醒", "示例市政务公开办提醒")
		_, body = e.get(ed, "/admin/notices")
		wantIn(t, "notices", body, `<a href="/admin/annual-reports">示例市政务公开办提醒`)

		// Roll-up of the department and the county's bureau.
		resp, body = e.get(c, "/admin/annual-reports/rollup?year=2025&org=city-fgw&org=chengdong-mzj")
		if resp.StatusCode != 200 {
			t.Fatalf("rollup: %d", resp.StatusCode)
		}
		wantIn(t, "rollup", body, "所选2个机关", "内部使用", `<table class="annual-report-table">`, "format=xlsx")
		// 新收 自然人: 2 (city-fgw) + 1 (chengdong-mzj).
		if !regexp.MustCompile(`一、本年新收政府信息公开申请数量</th><td[^>]*>3</td>`).MatchString(body) {
			t.Errorf("rollup 新收 自然人 is not 3")
		}
		resp, body = e.get(c, "/admin/annual-reports/rollup?year=2025&org=city-fgw&org=chengdong-mzj&format=xlsx")
		if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("rollup xlsx: %d", resp.StatusCode)
		}
		resp, _ = e.get(ed, "/admin/annual-reports/rollup?year=2025&org=city-fgw")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor rollup: %d", resp.StatusCode)
		}
	})
}

// TestAnnualReportAPI: GET /api/v1/annual-reports/{orgCode}/{year}.
func TestAnnualReportAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := reportEnv(t, db)
		tok := e.apiToken("depteditor")
		get := func(path, token string) (*http.Response, string) {
			req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp, string(b)
		}
		const path = "/api/v1/annual-reports/city-fgw/2025"
		resp, body := get(path, tok)
		if resp.StatusCode != 200 {
			t.Fatalf("current: %d %s", resp.StatusCode, body)
		}
		if diff := cmp.Diff(golden(t), jsonBody(t, body)); diff != "" {
			t.Errorf("API report mismatch (-want +got):\n%s", diff)
		}
		for _, tc := range []struct {
			path, token string
			status      int
			code, field string
		}{
			{path + "?published=true", tok, 404, gongkai.ENOTFOUND, ""},
			{path + "?published=true", "", 404, gongkai.ENOTFOUND, ""},
			{path, "", 401, gongkai.EUNAUTHORIZED, ""},
			{path + "?published=maybe", tok, 422, gongkai.EINVALID, "published"},
			{"/api/v1/annual-reports/city-fgw/next", tok, 422, gongkai.EINVALID, "year"},
			{"/api/v1/annual-reports/city-fgw/2027", tok, 422, gongkai.EINVALID, "year"},
			{"/api/v1/annual-reports/city-fgw/2019", tok, 422, gongkai.EINVALID, "year"},
			{"/api/v1/annual-reports/nosuch/2025", tok, 404, gongkai.ENOTFOUND, "org"},
			{path, e.apiToken("countyadmin"), 403, gongkai.EFORBIDDEN, ""},
			{path, "not-a-token", 401, gongkai.EUNAUTHORIZED, ""},
		} {
			resp, body := get(tc.path, tc.token)
			var out map[string]any
			json.Unmarshal([]byte(body), &out)
			wantProblem(t, resp, out, tc.status, tc.code, tc.field)
		}
		if _, err := db.SubmitAnnualReport(storetest.As(e.fix.DeptEditor), "city-fgw", 2025, ""); err != nil {
			t.Fatal(err)
		}
		rec, _ := db.FindAnnualReport(storetest.As(e.fix.DeptEditor), "city-fgw", 2025)
		e.approveReport(rec.DocumentID)
		for _, token := range []string{"", tok} {
			resp, body := get(path+"?published=true", token)
			if resp.StatusCode != 200 {
				t.Fatalf("published (token %q): %d", token, resp.StatusCode)
			}
			if diff := cmp.Diff(golden(t), jsonBody(t, body)); diff != "" {
				t.Errorf("published report mismatch (-want +got):\n%s", diff)
			}
		}
	})
}
