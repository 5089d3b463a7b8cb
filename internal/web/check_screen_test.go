package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestCheckScreenUpload: a file uploaded on the check screen is read by its
// content and its findings are shown beside its text; a file that cannot
// be read is refused beside the field.
func TestCheckScreenUpload(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	c := e.browser()
	token := e.login(c, "depteditor", e.fix.Password)
	upload := func(name string, content []byte) (*http.Response, string) {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf_token", token)
		mw.WriteField("site", "www")
		for _, r := range []string{"pii.mobile", "leftover.placeholder"} {
			mw.WriteField("rule", r)
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(content)
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/check", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp, b.String()
	}
	resp, body := upload("名单.html", []byte(`<html><head><meta charset="utf-8"><title>名单</title></head><body><p>联系人：李某</p><p>电话：13812345678</p><p>【此处插入照片】</p></body></html>`))
	if resp.StatusCode != 200 {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	for _, want := range []string{"检查结果：名单.html", "共发现 2 处问题", `<mark id="m1" class="sev-block">13812345678</mark>`, `<mark id="m2" class="sev-block">【此处插入照片】</mark>`} {
		if !strings.Contains(body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	resp, body = upload("图片.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
	if resp.StatusCode != 422 || !strings.Contains(body, `id="e-file"`) {
		t.Errorf("unreadable upload = %d", resp.StatusCode)
	}
}

// TestCheckListsReachable: admins find the lists from the menu and the
// check screen, and can download the shipped dictionary; other staff see
// neither link.
func TestCheckListsReachable(t *testing.T) {
	e := newEnv(t, storetest.Open(t, store.SQLite))
	admin := e.browser()
	e.login(admin, "cityadmin", e.fix.Password)
	_, body := e.get(admin, "/admin/check")
	if strings.Count(body, `href="/admin/check/lists"`) != 2 {
		t.Errorf("admin: %d links to the lists, want 2 (menu, check screen)", strings.Count(body, `href="/admin/check/lists"`))
	}
	_, body = e.get(admin, "/admin/check/lists")
	if !strings.Contains(body, `href="/admin/check/dictionary.txt"`) {
		t.Error("lists page lacks the dictionary download")
	}
	resp, dict := e.get(admin, "/admin/check/dictionary.txt")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
		!strings.Contains(dict, "@version") || !strings.Contains(dict, "截止目前 | 截至目前") {
		t.Errorf("dictionary download = %d %q", resp.StatusCode, dict[:min(len(dict), 200)])
	}
	editor := e.browser()
	e.login(editor, "depteditor", e.fix.Password)
	if _, body = e.get(editor, "/admin/check"); strings.Contains(body, `href="/admin/check/lists"`) {
		t.Error("an editor is shown the lists link")
	}
}
