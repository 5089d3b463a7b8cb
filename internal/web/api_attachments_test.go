package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// apiFile is one part of a multipart application request.
type apiFile struct {
	part, name string
	data       []byte
}

// callMultipart posts an application as multipart/form-data: app (a value
// to marshal, or a string sent as is; nil for no part) in the part
// "application", then the files.
func (e *env) callMultipart(path, token string, app any, files ...apiFile) (*http.Response, map[string]any) {
	e.t.Helper()
	return e.callParts(path, token, "application", app, files...)
}

// callParts posts multipart/form-data: body (a value to marshal, or a
// string sent as is; nil for no part) in the part named part, then the
// files.
func (e *env) callParts(path, token, part string, body any, files ...apiFile) (*http.Response, map[string]any) {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	switch v := body.(type) {
	case nil:
	case string:
		mw.WriteField(part, v)
	default:
		b, _ := json.Marshal(v)
		mw.WriteField(part, string(b))
	}
	for _, f := range files {
		fw, _ := mw.CreateFormFile(f.part, f.name)
		fw.Write(f.data)
	}
	mw.Close()
	return e.send("POST", path, token, mw.FormDataContentType(), &buf)
}

// send makes a request with a body of any type and decodes the JSON answer.
func (e *env) send(method, path, token, contentType string, body io.Reader) (*http.Response, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	b, _ := io.ReadAll(resp.Body)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &out); err != nil {
			e.t.Fatalf("%s %s: not JSON: %.200s", method, path, b)
		}
	}
	return resp, out
}

// download fetches a file through the API.
func (e *env) download(path, token string) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (e *env) applicationCount() int {
	e.t.Helper()
	list, _, err := e.db.FindApplications(storetest.System(), gongkai.ApplicationFilter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(list)
}

var (
	testPDF = []byte("%PDF-1.4\n% 身份证明\n")
	testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	testEXE = append([]byte("MZ"), make([]byte, 200)...)
)

func publicApplication() map[string]any {
	return map[string]any{"org": "city-fgw",
		"applicant": map[string]any{"kind": "natural", "name": "张小明", "idType": "citizen_id", "idNumber": "11010519491231002X", "phone": "13800138000"},
		"request":   map[string]any{"subject": "城市更新资金", "form": "paper", "delivery": "pickup"}}
}

// TestApplicationAttachmentsAPI: attachments through the public and the
// intake API, the file list and downloads for staff, nothing in the public
// tracking answer, and every refusal, on both databases.
func TestApplicationAttachmentsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fixDay(db, "2025-09-26")

		// Public: the JSON part and two files, in one request.
		resp, out := e.callMultipart("/api/v1/public/applications", "", publicApplication(),
			apiFile{"attachments", "张小明身份证.pdf", testPDF}, apiFile{"attachments", "委托书.png", testPNG})
		if resp.StatusCode != 201 {
			t.Fatalf("public multipart = %d %v", resp.StatusCode, out)
		}
		echo, _ := out["attachments"].([]any)
		if len(echo) != 2 || echo[0].(map[string]any)["label"] == "" || echo[1].(map[string]any)["name"] != "委托书.png" {
			t.Errorf("attachments echoed = %v", out["attachments"])
		}
		no, code := out["trackingNo"].(string), out["accessCode"].(string)

		// The tracking answer carries no file and no personal data.
		resp, b := e.download("/api/v1/public/applications/"+no+"?code="+code, "")
		if resp.StatusCode != 200 {
			t.Fatalf("track = %d %s", resp.StatusCode, b)
		}
		for _, leak := range []string{"files", "attachments", "身份证", "委托书", "张小明", "11010519491231002X", "13800138000", "/files/"} {
			if bytes.Contains(b, []byte(leak)) {
				t.Errorf("public tracking answer contains %q: %s", leak, b)
			}
		}

		// The officer sees both files with names and download URLs.
		id := e.appID(no)
		officer := e.apiToken("deptofficer")
		resp, out = e.call("GET", "/api/v1/applications/"+itoa(id), officer, nil)
		files, _ := out["files"].([]any)
		if resp.StatusCode != 200 || len(files) != 2 {
			t.Fatalf("officer get = %d %v", resp.StatusCode, out["files"])
		}
		f0 := files[0].(map[string]any)
		url, _ := f0["url"].(string)
		if f0["name"] != "张小明身份证.pdf" || f0["role"] != "applicant" || f0["mime"] != "application/pdf" || int(f0["size"].(float64)) != len(testPDF) || url == "" {
			t.Fatalf("file = %v", f0)
		}
		resp, data := e.download(url, officer)
		if resp.StatusCode != 200 || !bytes.Equal(data, testPDF) || resp.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") ||
			resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("officer download = %d %q %v", resp.StatusCode, data, resp.Header)
		}
		recs, _, err := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: ptr("application.file_view"), ObjectID: &no})
		if err != nil || len(recs) != 1 || recs[0].ActorName != "deptofficer" {
			t.Errorf("file_view audit = %v %v", recs, err)
		}
		for _, r := range recs {
			if b, _ := json.Marshal(r); bytes.Contains(b, []byte("身份证")) {
				t.Errorf("audit record carries the file name: %s", b)
			}
		}

		// A supervisor above reads and downloads (audited too).
		super := e.apiToken("citysuper")
		if resp, data := e.download(url, super); resp.StatusCode != 200 || !bytes.Equal(data, testPDF) {
			t.Errorf("supervisor download = %d", resp.StatusCode)
		}
		if recs, _, _ := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: ptr("application.file_view"), ObjectID: &no}); len(recs) != 2 {
			t.Errorf("%d file_view records, want 2", len(recs))
		}

		// An admin above reads the case but not the applicant's files: no
		// names, no URLs, and the download is refused.
		admin := e.apiToken("cityadmin")
		resp, b = e.download("/api/v1/applications/"+itoa(id), admin)
		if resp.StatusCode != 200 || bytes.Contains(b, []byte("身份证")) || bytes.Contains(b, []byte("/files/")) || bytes.Contains(b, []byte(`"applicant":`)) {
			t.Errorf("admin get = %d %s", resp.StatusCode, b)
		}
		resp, out = e.call("GET", url, admin, nil)
		wantProblem(t, resp, out, 403, "forbidden", "")

		// Another org's admin, no token, an unknown file.
		resp, out = e.call("GET", url, e.apiToken("countyadmin"), nil)
		wantProblem(t, resp, out, 404, "not_found", "")
		resp, out = e.call("GET", url, "", nil)
		wantProblem(t, resp, out, 401, "unauthorized", "")
		resp, out = e.call("GET", "/api/v1/applications/"+itoa(id)+"/files/999999", officer, nil)
		wantProblem(t, resp, out, 404, "not_found", "")

		// Refusals: each names its part, and nothing is saved.
		before := e.applicationCount()
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), gongkai.MaxApplicationFileSize)...)
		for _, tc := range []struct {
			name   string
			app    any
			files  []apiFile
			status int
			code   string
			field  string
		}{
			{"four files", publicApplication(), []apiFile{{"attachments", "1.pdf", testPDF}, {"attachments", "2.pdf", testPDF}, {"attachments", "3.pdf", testPDF}, {"attachments", "4.pdf", testPDF}},
				422, "invalid", "attachments"},
			{"executable named .pdf", publicApplication(), []apiFile{{"attachments", "申请书.pdf", testEXE}}, 422, "invalid", "attachments"},
			{"file over 10 MB", publicApplication(), []apiFile{{"attachments", "扫描件.pdf", big}}, 413, "too_large", "attachments"},
			{"no application part", nil, []apiFile{{"attachments", "1.pdf", testPDF}}, 400, "bad_request", "application"},
			{"misnamed file part", publicApplication(), []apiFile{{"files", "1.pdf", testPDF}}, 400, "bad_request", "files"},
			{"invalid application", map[string]any{"org": "city-fgw", "applicant": map[string]any{"kind": "natural"}}, []apiFile{{"attachments", "1.pdf", testPDF}}, 422, "invalid", "applicant.name"},
			{"unknown JSON field", `{"org":"city-fgw","colour":"red"}`, nil, 400, "bad_request", "colour"},
			{"not JSON", `{"org":`, nil, 400, "bad_request", ""},
		} {
			resp, out := e.callMultipart("/api/v1/public/applications", "", tc.app, tc.files...)
			if resp.StatusCode != tc.status || out["code"] != tc.code || (tc.field != "" && out["field"] != tc.field) {
				t.Errorf("%s: %d %v, want %d %s %s", tc.name, resp.StatusCode, out, tc.status, tc.code, tc.field)
			}
		}
		_, out = e.callMultipart("/api/v1/public/applications", "", publicApplication(), apiFile{"attachments", "扫描件.pdf", big})
		if title, _ := out["title"].(string); !strings.Contains(title, "10 MB") {
			t.Errorf("the 413 does not state the limit: %q", title)
		}
		resp, out = e.send("POST", "/api/v1/public/applications", "", "text/plain", strings.NewReader("张小明申请公开"))
		wantProblem(t, resp, out, 415, "unsupported_media_type", "")
		if n := e.applicationCount(); n != before {
			t.Errorf("refused requests saved %d applications", n-before)
		}

		// Staff intake: the same shape with the intake fields; the JSON
		// part may also be sent as a file part of type application/json.
		intake := publicApplication()
		intake["channel"], intake["receivedOn"] = "post_registered", "2025-09-26"
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="application"; filename="application.json"`)
		h.Set("Content-Type", "application/json")
		pw, _ := mw.CreatePart(h)
		json.NewEncoder(pw).Encode(intake)
		fw, _ := mw.CreateFormFile("attachments", "信封.png")
		fw.Write(testPNG)
		mw.Close()
		body := buf.Bytes()
		resp, out = e.send("POST", "/api/v1/applications", officer, mw.FormDataContentType(), bytes.NewReader(body))
		if resp.StatusCode != 201 || resp.Header.Get("Location") == "" || len(out["attachments"].([]any)) != 1 {
			t.Fatalf("intake = %d %v", resp.StatusCode, out)
		}
		resp, out = e.call("GET", resp.Header.Get("Location"), officer, nil)
		if files, _ := out["files"].([]any); resp.StatusCode != 200 || len(files) != 1 || files[0].(map[string]any)["name"] != "信封.png" ||
			files[0].(map[string]any)["mime"] != "image/png" {
			t.Errorf("intake files = %d %v", resp.StatusCode, out["files"])
		}
		before = e.applicationCount()
		resp, out = e.send("POST", "/api/v1/applications", "", mw.FormDataContentType(), bytes.NewReader(body))
		wantProblem(t, resp, out, 401, "unauthorized", "")
		resp, out = e.send("POST", "/api/v1/applications", super, mw.FormDataContentType(), bytes.NewReader(body))
		wantProblem(t, resp, out, 403, "forbidden", "")
		resp, out = e.callMultipart("/api/v1/applications", officer, intake, apiFile{"attachments", "申请书.docx", testEXE})
		wantProblem(t, resp, out, 422, "invalid", "attachments")
		if n := e.applicationCount(); n != before {
			t.Errorf("refused intakes saved %d applications", n-before)
		}
	})
}

// TestApplicationAttachmentsBodyLimit: a multipart body over the whole
// limit (three files and the fields) is 413 before anything is read.
func TestApplicationAttachmentsBodyLimit(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	chunk := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), gongkai.MaxApplicationFileSize-20)...)
	var files []apiFile
	for _, n := range []string{"1.pdf", "2.pdf", "3.pdf", "4.pdf"} {
		files = append(files, apiFile{"attachments", n, chunk})
	}
	resp, out := e.callMultipart("/api/v1/public/applications", "", publicApplication(), files...)
	wantProblem(t, resp, out, 413, "too_large", "attachments")
	if n := e.applicationCount(); n != 0 {
		t.Errorf("%d applications saved", n)
	}
}
