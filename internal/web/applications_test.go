package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// fixDay sets the database clock to noon (Asia/Shanghai) of day.
func fixDay(db *store.DB, day string) {
	d, err := gongkai.ParseDate(day)
	if err != nil {
		panic(err)
	}
	t := d.Time().Add(12 * time.Hour)
	db.Now = func() time.Time { return t }
}

// applicantForm is a valid public application (a fictional person whose ID
// number has the right GB 11643 check character).
func applicantForm(token string) url.Values {
	return url.Values{"csrf_token": {token}, "org": {"city-fgw"}, "applicant.kind": {"natural"}, "applicant.name": {"张小明"},
		"applicant.idType": {"citizen_id"}, "applicant.idNumber": {"11010519491231002X"}, "applicant.phone": {"13800138000"},
		"applicant.email": {"zhang@example.cn"}, "applicant.address": {"示例市人民大道100号"}, "request.subject": {"2023年城市更新项目资金安排情况"},
		"request.form": {"electronic"}, "request.delivery": {"email"}}
}

// postMultipart posts a form with files as a browser does.
func (e *env) postMultipart(c *http.Client, path string, form url.Values, files map[string][]byte) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("files", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var (
	trackingRE = regexp.MustCompile(`YSQ\d{8}[0-9A-Z]{5}`)
	codeRE     = regexp.MustCompile(`<dt>查询码</dt><dd><strong>([0-9A-Z-]+)</strong>`)
)

func (e *env) appID(trackingNo string) int64 {
	e.t.Helper()
	list, _, err := e.db.FindApplications(storetest.System(), gongkai.ApplicationFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range list {
		if a.TrackingNo == trackingNo {
			return a.ID
		}
	}
	e.t.Fatalf("no application %s", trackingNo)
	return 0
}

func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// TestApplicationFlow: public submit → track → officer confirms → events
// → reply → letter, on both databases.
func TestApplicationFlow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fixDay(db, "2024-09-26")
		public := e.browser()
		resp, body := e.get(public, "/xxgk/ysqgk/")
		if resp.StatusCode != 200 {
			t.Fatalf("form = %d", resp.StatusCode)
		}
		wantIn(t, "form", body, `name="applicant.idNumber"`, "示例市发展和改革委员会", `enctype="multipart/form-data"`, "条例》第二十九条", `href="/xxgk/ysqgk/"`)
		pdf := []byte("%PDF-1.4\n% 身份证明\n")
		resp, body = e.postMultipart(public, "/xxgk/ysqgk/", applicantForm(csrfFrom(t, body)), map[string][]byte{"身份证明.pdf": pdf})
		if resp.StatusCode != 200 {
			t.Fatalf("submit = %d\n%s", resp.StatusCode, body)
		}
		no := trackingRE.FindString(body)
		m := codeRE.FindStringSubmatch(body)
		if no == "" || m == nil {
			t.Fatalf("done page lacks the number or code:\n%s", body)
		}
		code := m[1]

		// The applicant tracks it: status, no personal data.
		_, body = e.get(public, "/xxgk/ysqgk/track")
		resp, body = e.post(public, "/xxgk/ysqgk/track", url.Values{"csrf_token": {csrfFrom(t, body)}, "trackingNo": {no}, "accessCode": {code}})
		if resp.StatusCode != 200 {
			t.Fatalf("track = %d", resp.StatusCode)
		}
		wantIn(t, "tracking page", body, "待确认收到", "等待示例市发展和改革委员会确认收到申请之日")
		for _, secret := range []string{"张小明", "11010519491231002X", "13800138000", "zhang@example.cn"} {
			if strings.Contains(body, secret) {
				t.Errorf("tracking page shows %q", secret)
			}
		}

		// The officer confirms the receipt and handles it (later: logging
		// in after moving the clock keeps the session fresh).
		fixDay(db, "2024-10-08")
		officer := e.browser()
		token := e.login(officer, "deptofficer", e.fix.Password)
		_, body = e.get(officer, "/admin/applications")
		wantIn(t, "queue", body, no, "待确认收到")
		id := e.appID(no)
		path := "/admin/applications/" + itoa(id)
		_, body = e.get(officer, path)
		wantIn(t, "case page", body, "张小明", "11010519491231002X", "确认收到申请", "身份证明.pdf")
		resp, _ = e.post(officer, path+"/events", url.Values{"csrf_token": {token}, "type": {"receipt_confirmed"}, "date": {"2024-09-27"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm = %d", resp.StatusCode)
		}
		_, body = e.get(officer, path)
		wantIn(t, "case page", body, "2024年10月30日", "办理记录已登记", "通知补正")
		// An extension that is too long is refused on its own form.
		resp, body = e.post(officer, path+"/events", url.Values{"csrf_token": {token}, "type": {"extended"}, "date": {"2024-10-08"}, "days": {"25"},
			"approvedBy": {"王主任"}, "notifiedOn": {"2024-10-08"}})
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("long extension = %d", resp.StatusCode)
		}
		wantIn(t, "refused extension", body, "延长的期限最长不得超过20个工作日", `value="25"`)
		resp, _ = e.post(officer, path+"/events", url.Values{"csrf_token": {token}, "type": {"extended"}, "date": {"2024-10-08"}, "days": {"10"},
			"approvedBy": {"王主任"}, "notifiedOn": {"2024-10-08"}, "note": {"需要调取历史档案"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("extension = %d", resp.StatusCode)
		}
		// A refusal without its basis is refused, and the usual provision
		// is offered for confirmation.
		resp, body = e.postMultipart(officer, path+"/reply", url.Values{"csrf_token": {token}, "outcome": {"withheld.internal_affairs"}, "date": {"2024-10-08"},
			"reason": {"所申请信息为本机关内部管理信息"}}, nil)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("reply without basis = %d", resp.StatusCode)
		}
		wantIn(t, "refused reply", body, "不予公开的，请写明法律依据", `value="《中华人民共和国政府信息公开条例》第十六条第一款"`)
		resp, _ = e.postMultipart(officer, path+"/reply", url.Values{"csrf_token": {token}, "outcome": {"granted"}, "date": {"2024-10-08"},
			"provided": {"关于下达2023年城市更新项目资金的通知"}}, map[string][]byte{"资金安排.pdf": []byte("%PDF-1.4\n")})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply = %d", resp.StatusCode)
		}
		_, body = e.get(officer, path)
		wantIn(t, "closed case", body, "已办结", "按期答复", "答复告知书（予以公开）", "延期答复告知书")

		// Letters: HTML and DOCX, with name and address but never the ID
		// number or phone.
		resp, body = e.get(officer, path+"/letters/reply")
		if resp.StatusCode != 200 {
			t.Fatalf("letter = %d", resp.StatusCode)
		}
		wantIn(t, "reply letter", body, "政府信息公开申请答复告知书", "张小明：", "关于下达2023年城市更新项目资金的通知", "向示例市人民政府申请行政复议", "6个月内")
		for _, secret := range []string{"11010519491231002X", "13800138000"} {
			if strings.Contains(body, secret) {
				t.Errorf("letter carries %q", secret)
			}
		}
		_, body = e.get(officer, path+"/letters/extension")
		wantIn(t, "extension letter", body, "延长10个工作日", "因需要调取历史档案", "由2024年10月30日延长至2024年11月13日")
		resp, body = e.get(officer, path+"/letters/reply/docx")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if _, err := zip.NewReader(strings.NewReader(body), int64(len(body))); err != nil {
			t.Errorf("docx is not a zip: %v", err)
		}

		// The applicant sees the result and the same explanation.
		_, body = e.get(public, "/xxgk/ysqgk/track")
		_, body = e.post(public, "/xxgk/ysqgk/track", url.Values{"csrf_token": {csrfFrom(t, body)}, "trackingNo": {no}, "accessCode": {code}})
		wantIn(t, "tracking page", body, "已办结", "予以公开", "延期10个工作日（经王主任批准", "按期答复")

		// The 台账.
		resp, body = e.get(officer, "/admin/applications.xlsx?year=2024")
		if resp.StatusCode != 200 {
			t.Fatalf("xlsx = %d", resp.StatusCode)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("依申请公开台账")
		if len(rows) != 3 || rows[1][0] != "编号" || rows[2][0] != no || rows[2][6] != "延期10个工作日" || rows[2][9] != "按期" {
			t.Errorf("ledger rows = %q", rows)
		}
		if strings.Contains(body, "张小明") {
			t.Error("the 台账 carries the applicant's name")
		}
	})
}

func TestApplicationFormRefusals(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	c := e.browser()
	_, body := e.get(c, "/xxgk/ysqgk/")
	token := csrfFrom(t, body)
	// No CSRF token: refused before anything.
	form := applicantForm("")
	resp, _ := e.postMultipart(c, "/xxgk/ysqgk/", form, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("no CSRF = %d", resp.StatusCode)
	}
	// A wrong check character and no information named: both shown beside
	// their fields, values kept.
	form = applicantForm(token)
	form.Set("applicant.idNumber", "110105194912310021")
	form.Set("request.subject", "")
	resp, body = e.postMultipart(c, "/xxgk/ysqgk/", form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad form = %d", resp.StatusCode)
	}
	wantIn(t, "re-rendered form", body, "居民身份证号码有误", "请填写所需政府信息的名称", `value="张小明"`, "请修改以下2处问题")
	// An executable named .pdf is refused with its real type.
	resp, body = e.postMultipart(c, "/xxgk/ysqgk/", applicantForm(token), map[string][]byte{"申请书.pdf": append([]byte("MZ"), make([]byte, 200)...)})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "可执行程序") {
		t.Errorf("exe upload = %d", resp.StatusCode)
	}
	// A bad organisation credit code.
	form = applicantForm(token)
	form.Set("applicant.kind", "commercial")
	form.Set("applicant.idNumber", "91369900MA00000153")
	form.Set("applicant.contact", "李经理")
	resp, body = e.postMultipart(c, "/xxgk/ysqgk/", form, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "统一社会信用代码有误") {
		t.Errorf("bad credit code = %d", resp.StatusCode)
	}
	if list, _, _ := db.FindApplications(storetest.System(), gongkai.ApplicationFilter{}); len(list) != 0 {
		t.Fatalf("%d applications saved by refused forms", len(list))
	}
	// Tracking with a wrong code.
	_, body = e.get(c, "/xxgk/ysqgk/track")
	resp, body = e.post(c, "/xxgk/ysqgk/track", url.Values{"csrf_token": {csrfFrom(t, body)}, "trackingNo": {"YSQ20240101AAAAA"}, "accessCode": {"x"}})
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "查询编号或查询码不正确") {
		t.Errorf("wrong code = %d", resp.StatusCode)
	}
}

// TestApplicationAPI: the API of item 10 with its refusals, on both
// databases.
func TestApplicationAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fixDay(db, "2025-09-26")
		body := map[string]any{"org": "city-fgw",
			"applicant": map[string]any{"kind": "natural", "name": "张小明", "idType": "citizen_id", "idNumber": "11010519491231002X", "phone": "13800138000"},
			"request":   map[string]any{"subject": "城市更新资金", "form": "paper", "delivery": "pickup"}}
		resp, out := e.call("POST", "/api/v1/public/applications", "", body)
		if resp.StatusCode != 201 || out["trackingNo"] == nil || out["accessCode"] == nil {
			t.Fatalf("public apply = %d %v", resp.StatusCode, out)
		}
		no, code := out["trackingNo"].(string), out["accessCode"].(string)
		resp, out = e.call("GET", "/api/v1/public/applications/"+no+"?code="+code, "", nil)
		if resp.StatusCode != 200 || out["status"] != "unconfirmed" || out["applicant"] != nil {
			t.Fatalf("public track = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("GET", "/api/v1/public/applications/"+no+"?code=WRONG", "", nil)
		wantProblem(t, resp, out, 404, "not_found", "")
		resp, out = e.call("POST", "/api/v1/public/applications", "", map[string]any{"org": "city-fgw", "applicant": map[string]any{"kind": "natural"}})
		wantProblem(t, resp, out, 422, "invalid", "applicant.name")

		officer := e.apiToken("deptofficer")
		intake := map[string]any{"org": "city-fgw", "channel": "post_registered", "receivedOn": "2025-09-26", "applicant": body["applicant"], "request": body["request"]}
		resp, out = e.call("POST", "/api/v1/applications", officer, intake)
		if resp.StatusCode != 201 {
			t.Fatalf("intake = %d %v", resp.StatusCode, out)
		}
		path := resp.Header.Get("Location")
		// 国庆 2025 (10-01…08 off; Sun 09-28 and Sat 10-11 worked): 20
		// working days after Fri 09-26 → 09-28, 29, 30 (3), 10-09, 10, 11
		// (6), 13–17 (11), 20–24 (16), 27–30 (20) → Thursday 2025-10-30.
		resp, out = e.call("GET", path, officer, nil)
		if resp.StatusCode != 200 || out["dueOn"] != "2025-10-30" || len(out["explanation"].([]any)) != 1 {
			t.Fatalf("get = %d %v", resp.StatusCode, out)
		}
		if a, _ := out["applicant"].(map[string]any); a["idNumber"] != "11010519491231002X" {
			t.Errorf("officer does not see the applicant: %v", out["applicant"])
		}

		// Refusals, each naming its field; nothing is recorded. (A new token
		// after moving the clock: the old session has idled out.)
		fixDay(db, "2025-10-14")
		officer = e.apiToken("deptofficer")
		for _, tc := range []struct {
			name  string
			ev    map[string]any
			code  string
			field string
		}{
			{"before receipt", map[string]any{"type": "third_party_consulted", "date": "2025-09-25", "party": "相关企业"}, "invalid", "date"},
			{"after today", map[string]any{"type": "third_party_consulted", "date": "2025-10-15", "party": "相关企业"}, "invalid", "date"},
			{"bad date", map[string]any{"type": "third_party_consulted", "date": "2025-10-32"}, "invalid", "date"},
			{"third party unnamed", map[string]any{"type": "third_party_consulted", "date": "2025-10-14", "party": " "}, "invalid", "party"},
			{"co-maker unnamed", map[string]any{"type": "co_maker_consulted", "date": "2025-10-14"}, "invalid", "party"},
			{"late 补正", map[string]any{"type": "supplement_requested", "date": "2025-10-14", "items": "写明文件名称", "deadline": "2025-10-31"}, "invalid", "overrideReason"},
			{"override by an officer", map[string]any{"type": "supplement_requested", "date": "2025-10-14", "items": "写明文件名称", "deadline": "2025-10-31", "overrideReason": "理由"}, "forbidden", ""},
			{"long extension", map[string]any{"type": "extended", "date": "2025-10-14", "days": 21, "approvedBy": "王主任", "notifiedOn": "2025-10-14"}, "invalid", "days"},
			{"replied here", map[string]any{"type": "replied", "date": "2025-10-14"}, "invalid", "type"},
			{"unknown field", map[string]any{"type": "extended", "date": "2025-10-14", "dayz": 3}, "bad_request", "dayz"},
		} {
			resp, out := e.call("POST", path+"/events", officer, tc.ev)
			status := map[string]int{"invalid": 422, "forbidden": 403, "bad_request": 400}[tc.code]
			if resp.StatusCode != status || out["code"] != tc.code || (tc.field != "" && out["field"] != tc.field) {
				t.Errorf("%s: %d %v, want %d %s %s", tc.name, resp.StatusCode, out, status, tc.code, tc.field)
			}
		}
		// An extension, then a second one.
		resp, out = e.call("POST", path+"/events", officer, map[string]any{"type": "extended", "date": "2025-10-14", "days": 20, "approvedBy": "王主任", "notifiedOn": "2025-10-14"})
		if resp.StatusCode != 201 || out["dueOn"] != "2025-11-27" {
			t.Fatalf("extension = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("POST", path+"/events", officer, map[string]any{"type": "extended", "date": "2025-10-14", "days": 5, "approvedBy": "王主任", "notifiedOn": "2025-10-14"})
		wantProblem(t, resp, out, 422, "invalid", "type")
		ev := out
		if ev["title"] == nil || !strings.Contains(ev["title"].(string), "只能延长一次") {
			t.Errorf("second extension message = %v", ev["title"])
		}
		// Replies without an outcome or with one missing its fields.
		resp, out = e.call("POST", path+"/reply", officer, map[string]any{"date": "2025-10-14"})
		wantProblem(t, resp, out, 422, "invalid", "outcome")
		resp, out = e.call("POST", path+"/reply", officer, map[string]any{"outcome": "unavailable.not_held", "date": "2025-10-14", "notHeld": "other_organ"})
		wantProblem(t, resp, out, 422, "invalid", "otherOrgan")
		resp, out = e.call("POST", path+"/reply", officer, map[string]any{"outcome": "partially_granted", "date": "2025-10-14", "provided": []string{"资金表"}})
		wantProblem(t, resp, out, 422, "invalid", "withheld")
		// Another org's staff: not found, and cannot act.
		county := e.apiToken("countyadmin")
		resp, out = e.call("GET", path, county, nil)
		wantProblem(t, resp, out, 404, "not_found", "")
		resp, out = e.call("POST", path+"/reply", county, map[string]any{"outcome": "granted", "date": "2025-10-14", "provided": []string{"x"}})
		wantProblem(t, resp, out, 404, "not_found", "")
		// The supervisor above reads it with the applicant.
		resp, out = e.call("GET", path, e.apiToken("citysuper"), nil)
		if resp.StatusCode != 200 || out["applicant"] == nil {
			t.Errorf("supervisor = %d %v", resp.StatusCode, out["applicant"])
		}
		// A valid reply, then nothing more.
		resp, out = e.call("POST", path+"/reply", officer, map[string]any{"outcome": "unavailable.not_held", "date": "2025-10-14", "notHeld": "other_organ",
			"otherOrgan": "示例市城东区民政局", "otherOrganContact": "0000-22345678"})
		if resp.StatusCode != 200 || out["state"] != "closed" || out["outcome"] != "unavailable.not_held" || out["closedOn"] != "2025-10-14" {
			t.Fatalf("reply = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("POST", path+"/events", officer, map[string]any{"type": "third_party_consulted", "date": "2025-10-14", "party": "x"})
		wantProblem(t, resp, out, 409, "conflict", "")
		var n int
		db.WriteDB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM application_events`).Scan(&n)
		if n != 2 {
			t.Errorf("%d events recorded, want 2 (extension and reply)", n)
		}
	})
}

func TestLetterTemplatesAndNotices(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	e := newEnv(t, db)
	fixDay(db, "2024-06-03")
	admin := e.browser()
	token := e.login(admin, "cityadmin", e.fix.Password)
	_, body := e.get(admin, "/admin/letter-templates")
	wantIn(t, "template list", body, "答复告知书（予以公开）", "收费通知", "系统默认")
	resp, body := e.post(admin, "/admin/letter-templates/city/supplement", url.Values{"csrf_token": {token}, "title": {"补正通知书"}, "body": {"|{申请人}：\n请补正{身份证号}。"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "{身份证号}") {
		t.Fatalf("bad template = %d", resp.StatusCode)
	}
	resp, _ = e.post(admin, "/admin/letter-templates/city/supplement", url.Values{"csrf_token": {token}, "title": {"补正通知书"},
		"body": {"|{申请人}：\n请于{补正期限}前补正：{补正事项}\n>{机关}"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save template = %d", resp.StatusCode)
	}
	_, body = e.get(admin, "/admin/letter-templates?org=city-fgw")
	wantIn(t, "department list", body, "沿用示例市人民政府")
	// A county admin may not edit the city's wording.
	county := e.browser()
	ct := e.login(county, "countyadmin", e.fix.Password)
	resp, _ = e.post(county, "/admin/letter-templates/city/supplement", url.Values{"csrf_token": {ct}, "title": {"x"}, "body": {"y"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("county admin edits city template = %d", resp.StatusCode)
	}
	// The department's 补正 letter uses the city's wording.
	s := &gongkai.ApplicationSubmission{OrgCode: "city-fgw", Channel: gongkai.ChannelInPerson, ReceivedOn: gongkai.NewDate(2024, 6, 3),
		Applicant: gongkai.Applicant{Kind: gongkai.ApplicantNatural, Name: "王五", IDType: gongkai.IDPassport, IDNumber: "E12345678", Address: "示例市1号"},
		Request:   gongkai.InfoRequest{Subject: "资料", Form: gongkai.FormPaper, Delivery: gongkai.DeliveryPost}}
	app, _, err := db.CreateApplication(storetest.As(e.fix.DeptOfficer), s)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddApplicationEvent(storetest.As(e.fix.DeptOfficer), app.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested,
		Date: gongkai.NewDate(2024, 6, 3), Items: "写明年份", Deadline: gongkai.NewDate(2024, 6, 20)}); err != nil {
		t.Fatal(err)
	}
	officer := e.browser()
	e.login(officer, "deptofficer", e.fix.Password)
	_, body = e.get(officer, "/admin/applications/"+itoa(app.ID)+"/letters/supplement")
	wantIn(t, "custom letter", body, "补正通知书", "王五：", "请于2024年6月20日前补正：写明年份")
	// The county admin cannot open the letter (another org's applicant).
	resp, _ = e.get(county, "/admin/applications/"+itoa(app.ID)+"/letters/supplement")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("county admin letter = %d", resp.StatusCode)
	}
	// Reminders page and e-mail setting.
	ot := e.login(officer, "deptofficer", e.fix.Password)
	resp, body = e.post(officer, "/admin/notices/email", url.Values{"csrf_token": {ot}, "email": {"not an email"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "电子邮箱格式不正确") {
		t.Errorf("bad email = %d", resp.StatusCode)
	}
	resp, _ = e.post(officer, "/admin/notices/email", url.Values{"csrf_token": {ot}, "email": {"fgw@example.cn"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("email = %d", resp.StatusCode)
	}
	_, body = e.get(officer, "/admin/notices")
	wantIn(t, "notices page", body, `value="fgw@example.cn"`, "暂无提醒")
}
