package web_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// replyRecords counts what a reply leaves behind for an application: its
// files by role "reply", its events, and the reply's audit records.
func (e *env) replyRecords(id int64) (files, events, audits int) {
	e.t.Helper()
	ctx := context.Background()
	if err := e.db.WriteDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM application_files WHERE application_id = $1 AND role = 'reply'`, id).Scan(&files); err != nil {
		e.t.Fatal(err)
	}
	if err := e.db.WriteDB().QueryRowContext(ctx, `SELECT COUNT(*) FROM application_events WHERE application_id = $1`, id).Scan(&events); err != nil {
		e.t.Fatal(err)
	}
	recs, _, err := e.db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: ptr("application.reply")})
	if err != nil {
		e.t.Fatal(err)
	}
	return files, events, len(recs)
}

// TestApplicationReplyFilesAPI: the reply endpoint takes the reply files
// (the information provided) as multipart/form-data, stores them with the
// reply in one transaction, lists and serves them, and refuses every bad
// request naming its part without storing anything, on both databases.
func TestApplicationReplyFilesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		fixDay(db, "2025-10-14")
		officer := e.apiToken("deptofficer")
		intake := publicApplication()
		intake["channel"], intake["receivedOn"] = "post_registered", "2025-09-26"
		resp, out := e.call("POST", "/api/v1/applications", officer, intake)
		if resp.StatusCode != 201 {
			t.Fatalf("intake = %d %v", resp.StatusCode, out)
		}
		path := resp.Header.Get("Location")
		id := int64(out["id"].(float64))
		granted := map[string]any{"outcome": "granted", "date": "2025-10-14"}

		// Refusals: each names its part; nothing is stored and the case
		// stays open.
		big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), gongkai.MaxApplicationFileSize)...)
		chunk := big[:gongkai.MaxApplicationFileSize-20]
		for _, tc := range []struct {
			name   string
			part   string
			reply  any
			files  []apiFile
			status int
			code   string
			field  string
		}{
			{"files in the application's part name", "reply", granted, []apiFile{{"attachments", "资金表.pdf", testPDF}}, 400, "bad_request", "attachments"},
			{"an unknown field part", "reply", granted, []apiFile{{"file", "资金表.pdf", testPDF}}, 400, "bad_request", "file"},
			{"reply in the application part", "application", granted, []apiFile{{"files", "资金表.pdf", testPDF}}, 400, "bad_request", "application"},
			{"no reply part", "reply", nil, []apiFile{{"files", "资金表.pdf", testPDF}}, 400, "bad_request", "reply"},
			{"four files", "reply", granted, []apiFile{{"files", "1.pdf", testPDF}, {"files", "2.pdf", testPDF}, {"files", "3.pdf", testPDF}, {"files", "4.pdf", testPDF}},
				422, "invalid", "files"},
			{"executable named .pdf", "reply", granted, []apiFile{{"files", "资金表.pdf", testEXE}}, 422, "invalid", "files"},
			{"file over 10 MB", "reply", granted, []apiFile{{"files", "扫描件.pdf", big}}, 413, "too_large", "files"},
			{"body over the limit", "reply", granted, []apiFile{{"files", "1.pdf", chunk}, {"files", "2.pdf", chunk}, {"files", "3.pdf", chunk}, {"files", "4.pdf", chunk}},
				413, "too_large", "files"},
			{"reply without outcome", "reply", map[string]any{"date": "2025-10-14"}, []apiFile{{"files", "资金表.pdf", testPDF}}, 422, "invalid", "outcome"},
			{"reply date after today", "reply", map[string]any{"outcome": "granted", "date": "2025-10-15"}, []apiFile{{"files", "资金表.pdf", testPDF}}, 422, "invalid", "date"},
			{"unknown JSON field", "reply", `{"outcome":"granted","colour":"red"}`, nil, 400, "bad_request", "colour"},
			{"not JSON", "reply", `{"outcome":`, nil, 400, "bad_request", ""},
		} {
			resp, out := e.callParts(path+"/reply", officer, tc.part, tc.reply, tc.files...)
			if resp.StatusCode != tc.status || out["code"] != tc.code || (tc.field != "" && out["field"] != tc.field) {
				t.Errorf("%s: %d %v, want %d %s %s", tc.name, resp.StatusCode, out, tc.status, tc.code, tc.field)
			}
		}
		resp, out = e.send("POST", path+"/reply", officer, "text/plain", strings.NewReader("予以公开"))
		wantProblem(t, resp, out, 415, "unsupported_media_type", "")
		if title, _ := out["title"].(string); !strings.Contains(title, "multipart/form-data") {
			t.Errorf("415 title %q does not say files go as multipart/form-data", title)
		}
		// Another org's admin cannot see the case, files or not.
		resp, out = e.callParts(path+"/reply", e.apiToken("countyadmin"), "reply", granted, apiFile{"files", "资金表.pdf", testPDF})
		wantProblem(t, resp, out, 404, "not_found", "")
		if files, events, audits := e.replyRecords(id); files != 0 || events != 0 || audits != 0 {
			t.Fatalf("refused replies stored %d files, %d events, %d audit records", files, events, audits)
		}
		if resp, out = e.call("GET", path, officer, nil); out["state"] != "open" || len(out["files"].([]any)) != 0 {
			t.Fatalf("after refusals = %d %v %v", resp.StatusCode, out["state"], out["files"])
		}

		// The reply with two files: the case closes, the files are listed
		// with role "reply" and, as the reply named nothing, they are what
		// was provided.
		resp, out = e.callParts(path+"/reply", officer, "reply", granted, apiFile{"files", "2025年城市更新资金安排表.pdf", testPDF}, apiFile{"files", "项目清单.png", testPNG})
		if resp.StatusCode != 200 || out["state"] != "closed" || out["outcome"] != "granted" {
			t.Fatalf("reply = %d %v", resp.StatusCode, out)
		}
		if rep, _ := out["reply"].(map[string]any); rep == nil || len(rep["provided"].([]any)) != 2 || rep["provided"].([]any)[0] != "2025年城市更新资金安排表.pdf" {
			t.Errorf("reply = %v", out["reply"])
		}
		files, _ := out["files"].([]any)
		if len(files) != 2 {
			t.Fatalf("reply files = %v", out["files"])
		}
		f0 := files[0].(map[string]any)
		if f0["role"] != "reply" || f0["name"] != "2025年城市更新资金安排表.pdf" || f0["mime"] != "application/pdf" || int(f0["size"].(float64)) != len(testPDF) {
			t.Errorf("reply file = %v", f0)
		}
		resp, out = e.call("GET", path, officer, nil)
		if got, _ := out["files"].([]any); resp.StatusCode != 200 || len(got) != 2 || got[1].(map[string]any)["role"] != "reply" || got[1].(map[string]any)["mime"] != "image/png" {
			t.Fatalf("get = %d %v", resp.StatusCode, out["files"])
		}
		url, _ := f0["url"].(string)
		if resp, data := e.download(url, officer); resp.StatusCode != 200 || !bytes.Equal(data, testPDF) || resp.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("officer download = %d %q", resp.StatusCode, data)
		}
		// Reply files are for everyone who can read the case, admins above
		// included (unlike an applicant's files).
		admin := e.apiToken("cityadmin")
		resp, out = e.call("GET", path, admin, nil)
		if got, _ := out["files"].([]any); resp.StatusCode != 200 || len(got) != 2 || got[0].(map[string]any)["url"] != url {
			t.Errorf("admin get = %d %v", resp.StatusCode, out["files"])
		}
		if resp, data := e.download(url, admin); resp.StatusCode != 200 || !bytes.Equal(data, testPDF) {
			t.Errorf("admin download = %d", resp.StatusCode)
		}
		if files, events, audits := e.replyRecords(id); files != 2 || events != 1 || audits != 1 {
			t.Errorf("reply stored %d files, %d events, %d audit records; want 2, 1, 1", files, events, audits)
		}

		// A second reply, files and all, is refused as today.
		resp, out = e.callParts(path+"/reply", officer, "reply", granted, apiFile{"files", "补充材料.pdf", testPDF})
		wantProblem(t, resp, out, 409, "conflict", "")
		resp, out = e.call("POST", path+"/reply", officer, map[string]any{"outcome": "granted", "date": "2025-10-14", "provided": []string{"资金表"}})
		wantProblem(t, resp, out, 409, "conflict", "")
		if files, events, audits := e.replyRecords(id); files != 2 || events != 1 || audits != 1 {
			t.Errorf("after refused second replies: %d files, %d events, %d audit records; want 2, 1, 1", files, events, audits)
		}
	})
}
