package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/store"
)

// startServe runs serve on dir until the returned stop is called.
func startServe(t *testing.T, dir string, demo bool) (base, out string, stop func()) {
	t.Helper()
	var stdout, stderr syncBuffer
	addr := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }, Ready: func(a string) { addr <- a }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	args := []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn"}
	if demo {
		args = append(args, "--demo")
	}
	go func() { done <- m.Run(ctx, args) }()
	select {
	case a := <-addr:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return base, stdout.String(), func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("server did not stop")
		}
	}
}

func apiCall(t *testing.T, base, method, path, token string, body any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, out)
	}
	return out
}

// TestScheduledPublicationAcrossRestart approves a document for a few
// seconds ahead, stops the server, and starts it again after that time:
// the publication missed while it was down happens at start-up.
func TestScheduledPublicationAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	base, out, stop := startServe(t, dir, true)
	token := func(user string) string {
		m := regexp.MustCompile(`(?m)^` + user + `\s+(\S+)`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no password for %s", user)
		}
		return apiCall(t, base, "POST", "/api/v1/session", "", map[string]string{"username": user, "password": m[1]})["token"].(string)
	}
	editor := token("fgw-editor")
	at := time.Now().Add(4 * time.Second).Truncate(time.Second)
	doc := apiCall(t, base, "POST", "/api/v1/documents", editor, map[string]any{"title": "定时发布测试通知", "body": "正文", "genre": "通知", "topic": "0304",
		"signedOn": time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02"), "columns": []string{"qtwj"}, "publishAt": at.Format(time.RFC3339)})
	id := int(doc["id"].(float64))
	apiCall(t, base, "POST", fmt.Sprintf("/api/v1/documents/%d/submit", id), editor, nil)
	var last map[string]any
	for _, u := range []string{"fgw-chushen", "fgw-fushen", "fgw-zhongshen"} {
		last = apiCall(t, base, "POST", fmt.Sprintf("/api/v1/documents/%d/reviews", id), token(u), map[string]string{"decision": "approve"})
	}
	if last["status"] != "scheduled" {
		t.Fatalf("after the last approval: %v", last["status"])
	}
	stop()
	time.Sleep(time.Until(at) + time.Second)
	base, _, stop = startServe(t, dir, false)
	defer stop()
	page := fmt.Sprintf("%s/xxgk/wj/%d.html", base, id)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		resp, err := http.Get(page)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
	}
	t.Fatal("the scheduled document was not published after the restart")
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runServeOnce(t, dir); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "archive.jsonl")
	lines := `{"title":"示例市教育局关于做好2021年义务教育招生工作的通知","body":"<p>各区教育局：</p>","genre":"通知","topic":"1102","signedOn":"2021-04-01","columns":["qtwj"],"publishedAt":"2021-04-02T09:00:00+08:00"}
{"title":"缺少栏目","body":"正文","genre":"通知","topic":"1102","signedOn":"2021-04-01","publishedAt":"2021-04-02T09:00:00+08:00"}
{"title":"文号错误","body":"正文","genre":"通知","topic":"1102","docNo":"示教发[2021]3号","signedOn":"2021-04-01","columns":["qtwj"],"publishedAt":"2021-04-02T09:00:00+08:00"}
{"title":"两处错误","body":"正文","genre":"通知","topic":"1102","signedOn":"2099-04-01","publishedAt":"2021-04-02T09:00:00+08:00"}
{"title":"日期格式","body":"正文","genre":"通知","topic":"1102","signedOn":"2021/04/01","columns":["qtwj"],"publishedAt":"2021-04-02T09:00:00+08:00"}
`
	os.WriteFile(file, []byte(lines), 0o600)
	stdout, stderr, code := run(t, "", nil, "import", "documents", file, "--org", "shili-jyj", "--data", dir)
	if code != 1 || !strings.Contains(stdout, "新增 1 件") || !strings.Contains(stderr, "第 2 行：columns：请至少选择一个发布栏目") ||
		!strings.Contains(stderr, "第 3 行：docNo：") || !strings.Contains(stderr, "示教发〔2021〕3号") {
		t.Fatalf("first import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "第 5 行：字段“signedOn”应为 YYYY-MM-DD 格式的日期") {
		t.Errorf("a malformed date is not reported with its field:\n%s", stderr)
	}
	// Several problems of one line are clauses of one sentence.
	if !regexp.MustCompile(`第 4 行：[a-zA-Z]+：[^。\n]+；[a-zA-Z]+：[^。\n]+。\n`).MatchString(stderr) {
		t.Errorf("a line with two problems is not reported as one sentence:\n%s", stderr)
	}
	stdout, _, _ = run(t, "", nil, "import", "documents", file, "--org", "shili-jyj", "--data", dir)
	if !strings.Contains(stdout, "新增 0 件，已导入过 1 件") {
		t.Errorf("second import: %s", stdout)
	}
	if _, stderr, code := run(t, "", nil, "import", "documents", file, "--data", dir); code != 2 || !strings.Contains(stderr, "--org") {
		t.Errorf("without --org: %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "", nil, "import", "documents", file, "--org", "nowhere", "--data", dir); code != 1 || !strings.Contains(stderr, "nowhere") {
		t.Errorf("unknown org: %d %s", code, stderr)
	}
}

func TestProgressLine(t *testing.T) {
	got := progressLine(store.ImportProgress{Lines: 2500, Created: 2400, Skipped: 90, Failed: 10, Bytes: 250}, 1000, 500*time.Millisecond)
	want := "已处理 2500 行（新增 2400，跳过 90，有误 10），5000 行/秒，已完成 25%，预计还需 2s"
	if got != want {
		t.Errorf("progressLine = %q, want %q", got, want)
	}
}
