package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/password"
	"gongkai/internal/store"
)

func init() { store.PasswordParams = password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1} }

// run executes a command line in-process and returns stdout, stderr and the
// exit status.
func run(t *testing.T, stdin string, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.Run(context.Background(), args)
	return out.String(), errb.String(), code
}

// seed creates a data directory with one city and one department.
func seed(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"org", "add", "--data", dir, "--code", "shili", "--name", "示例市人民政府", "--kind", "government", "--level", "city", "--credit-code", "11369900KL0000010Q", "--region-code", "369900"},
		{"org", "add", "--data", dir, "--code", "shili-fgw", "--name", "示例市发展和改革委员会", "--kind", "department", "--parent", "shili", "--org-code", "MB0000094", "--region-code", "369900"},
	} {
		if _, stderr, code := run(t, "", nil, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	return dir
}

func TestOrgCommands(t *testing.T) {
	dir := seed(t)
	out, _, code := run(t, "", nil, "org", "list", "--data", dir)
	want := "shili\t示例市人民政府\tgovernment\t\nshili-fgw\t示例市发展和改革委员会\tdepartment\tshili\n"
	if code != 0 || out != want {
		t.Fatalf("org list = %q (exit %d), want %q", out, code, want)
	}
	// GONGKAI_DATA works as well as --data.
	out, _, _ = run(t, "", map[string]string{"GONGKAI_DATA": dir}, "org", "list")
	if out != want {
		t.Errorf("org list via GONGKAI_DATA = %q", out)
	}
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"unknown parent", []string{"--code", "x-jyj", "--name", "某局", "--kind", "department", "--parent", "nowhere", "--org-code", "MB0000094", "--region-code", "369900"}, "机构代码“nowhere”不存在"},
		{"bad credit code", []string{"--code", "x-jyj", "--name", "某局", "--kind", "department", "--parent", "shili", "--credit-code", "11369900KL0000010X", "--region-code", "369900"}, "校验码"},
		{"bad region code", []string{"--code", "x-jyj", "--name", "某局", "--kind", "department", "--parent", "shili", "--org-code", "MB0000094", "--region-code", "990000"}, "行政区划代码"},
		{"duplicate code", []string{"--code", "shili-fgw", "--name", "某局", "--kind", "department", "--parent", "shili", "--org-code", "MB0000094", "--region-code", "369900"}, "已被使用"},
		{"credit and org codes disagree", []string{"--code", "x-jyj", "--name", "某局", "--kind", "department", "--parent", "shili", "--credit-code", "11369900KL0000010Q", "--org-code", "MB0000094", "--region-code", "369900"},
			"组织机构代码“MB0000094”与统一社会信用代码第9至17位（主体标识码）“KL0000010”不一致"},
		// A tab in a name would break org list's TSV.
		{"tab in the name", []string{"--code", "x-jyj", "--name", "某\t局", "--kind", "department", "--parent", "shili", "--org-code", "MB0000094", "--region-code", "369900"},
			"机构名称不能包含换行、制表符等控制字符"},
		// Two problems share the line as two clauses of one sentence.
		{"two problems", []string{"--code", "x-jyj", "--name", "某局", "--kind", "department", "--parent", "shili", "--credit-code", "11369900KL0000010X", "--region-code", "3699"},
			"校验码（第18位）不正确，请核对后重新填写；行政区划代码应为6位数字，“3699”不符合要求。\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := run(t, "", nil, append([]string{"org", "add", "--data", dir}, tc.args...)...)
			if code == 0 || !strings.Contains(stderr, tc.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want one line containing %q", code, stderr, tc.msg)
			}
			if strings.Contains(stderr, "。；") || strings.Contains(stderr, "。。") {
				t.Errorf("stderr %q joins sentences with doubled punctuation", stderr)
			}
		})
	}
}

func TestUserCommands(t *testing.T) {
	dir := seed(t)
	add := func(stdin string, args ...string) (string, string, int) {
		return run(t, stdin, nil, append([]string{"user", "add", "--data", dir, "--password-stdin"}, args...)...)
	}
	if _, stderr, code := add("correct horse battery\n", "--org", "shili-fgw", "--role", "editor,officer", "--username", "fgw-editor"); code != 0 {
		t.Fatalf("user add: %d %s", code, stderr)
	}
	for _, tc := range []struct {
		name, stdin string
		args        []string
		msg         string
	}{
		{"duplicate", "correct horse battery", []string{"--org", "shili", "--role", "editor", "--username", "fgw-editor"}, "已被使用"},
		{"short password", "short", []string{"--org", "shili", "--role", "editor", "--username", "newbie"}, "至少需要10个字符"},
		{"unknown role", "correct horse battery", []string{"--org", "shili", "--role", "boss", "--username", "newbie"}, "未知角色“boss”"},
		{"unknown org", "correct horse battery", []string{"--org", "nowhere", "--role", "editor", "--username", "newbie"}, "机构代码“nowhere”不存在"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := add(tc.stdin, tc.args...)
			if code == 0 || !strings.Contains(stderr, tc.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want one line containing %q", code, stderr, tc.msg)
			}
		})
	}
	if _, stderr, code := run(t, "", nil, "user", "add", "--data", dir, "--org", "shili", "--role", "editor", "--username", "x"); code != 2 || !strings.Contains(stderr, "--password-stdin") {
		t.Errorf("without --password-stdin: %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "another long password\n", nil, "user", "reset-password", "--data", dir, "--username", "fgw-editor", "--password-stdin"); code != 0 {
		t.Errorf("reset-password: %d %s", code, stderr)
	}
	if _, stderr, code := run(t, "another long password\n", nil, "user", "reset-password", "--data", dir, "--username", "ghost", "--password-stdin"); code != 1 || !strings.Contains(stderr, "不存在") {
		t.Errorf("reset unknown user: %d %q", code, stderr)
	}
}

func TestWorkdayCommands(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		out  string
	}{
		// 国庆 2025: 10-01…10-08 off, Sat 10-11 worked (statutes §10).
		{[]string{"add", "2025-09-30", "1"}, "2025-10-09\n"},
		{[]string{"add", "2025-09-30", "3"}, "2025-10-11\n"},
		{[]string{"between", "2025-09-30", "2025-10-11"}, "3\n"},
		{[]string{"is", "2025-10-11"}, "true\n"},
		{[]string{"is", "2025-10-08"}, "false\n"},
		// 春节 2026: Sat 02-14 is a 调休 working day.
		{[]string{"is", "2026-02-14"}, "true\n"},
	} {
		out, stderr, code := run(t, "", nil, append([]string{"workday", tc.args[0], "--data", dir}, tc.args[1:]...)...)
		if code != 0 || out != tc.out {
			t.Errorf("workday %v = %q (exit %d, %s), want %q", tc.args, out, code, stderr, tc.out)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"add", "2031-01-01", "3"}, 1, "2031"},
		{[]string{"add", "2025-02-30", "3"}, 2, "格式不正确"},
		{[]string{"add", "2025-01-01", "0"}, 2, "不小于1"},
		{[]string{"is"}, 2, "需要 1 个参数"},
	} {
		_, stderr, code := run(t, "", nil, append([]string{"workday", tc.args[0], "--data", dir}, tc.args[1:]...)...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("workday %v: exit %d %q, want %d with %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
	if _, stderr, code := run(t, "", nil, "workday", "add", "--help"); code != 0 || !strings.Contains(stderr, "gongkai workday add DATE N") {
		t.Errorf("workday add --help: %d %q", code, stderr)
	}
	// Without a database the embedded calendar answers, and nothing is
	// created: not the data directory, not a data key.
	empty := filepath.Join(t.TempDir(), "none")
	for _, args := range [][]string{{"is", "2026-02-14"}, {"add", "2025-09-30", "3"}, {"between", "2025-09-30", "2025-10-11"}, {"years"}} {
		out, stderr, code := run(t, "", nil, append([]string{"workday", args[0], "--data", empty}, args[1:]...)...)
		if code != 0 || out == "" || stderr != "" {
			t.Errorf("workday %v without a database = %q %q (exit %d)", args, out, stderr, code)
		}
	}
	if out, _, _ := run(t, "", nil, "workday", "years", "--data", empty); !strings.HasPrefix(out, "2026\t内置\t") || !strings.Contains(out, "2019\t内置\t") {
		t.Errorf("workday years without a database = %q", out)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("a workday question created %s (%v)", empty, err)
	}
	// set-year adds 2027, and the calendar then counts through it.
	f := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(f, []byte(`{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","docNo":"国办发明电〔2026〕9号","issuedOn":"2026-11-03","holidays":[{"name":"元旦","off":["2027-01-01"]}]}`), 0o600)
	if _, stderr, code := run(t, "", nil, "workday", "set-year", "--data", dir, f); code != 0 {
		t.Fatalf("set-year: %d %s", code, stderr)
	}
	if out, _, _ := run(t, "", nil, "workday", "add", "--data", dir, "2026-12-31", "1"); out != "2027-01-04\n" {
		t.Errorf("after set-year, add = %q, want 2027-01-04", out)
	}
	os.WriteFile(f, []byte(`{"year":2027}`), 0o600)
	if _, stderr, code := run(t, "", nil, "workday", "set-year", "--data", dir, f); code != 1 || stderr == "" {
		t.Errorf("invalid year file: %d %q", code, stderr)
	}
}

func TestAuditVerifyAndBackup(t *testing.T) {
	dir := seed(t)
	out, _, code := run(t, "", nil, "audit", "verify", "--data", dir)
	if code != 0 || !strings.Contains(out, "审计链完整：共 2 条记录") {
		t.Fatalf("verify = %q, %d", out, code)
	}
	bak := filepath.Join(t.TempDir(), "copy.db")
	if _, stderr, code := run(t, "", nil, "backup", "--data", dir, "--out", bak); code != 0 {
		t.Fatalf("backup: %d %s", code, stderr)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "gongkai.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET after_json = '{"name":"篡改"}' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, stderr, code := run(t, "", nil, "audit", "verify", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "第 1 条") {
		t.Fatalf("tampered verify = %q, %d", stderr, code)
	}
	// The backup restores into a working data directory with the chain intact.
	restored := t.TempDir()
	b, _ := os.ReadFile(bak)
	os.WriteFile(filepath.Join(restored, "gongkai.db"), b, 0o600)
	// The data key is backed up separately from the database (README).
	key, _ := os.ReadFile(filepath.Join(dir, "data.key"))
	os.WriteFile(filepath.Join(restored, "data.key"), key, 0o600)
	if out, _, code := run(t, "", nil, "audit", "verify", "--data", restored); code != 0 || !strings.Contains(out, "共 2 条") {
		t.Errorf("restored verify = %q, %d", out, code)
	}
	if out, _, _ := run(t, "", nil, "org", "list", "--data", restored); !strings.Contains(out, "shili-fgw") {
		t.Errorf("restored org list = %q", out)
	}
}

func TestStartupErrors(t *testing.T) {
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o500)
	if os.Getuid() != 0 { // root can write anywhere
		if _, stderr, code := run(t, "", nil, "org", "list", "--data", ro); code != 1 || !strings.Contains(stderr, "不可写") {
			t.Errorf("read-only data dir: %d %q", code, stderr)
		}
	}
	if _, stderr, code := run(t, "", nil, "org", "list", "--database-url", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"); code != 1 || !strings.Contains(stderr, "无法连接 PostgreSQL") {
		t.Errorf("unreachable PostgreSQL: %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "", nil, "org", "list", "--database-url", "mysql://x"); code != 1 || !strings.Contains(stderr, "postgres://") {
		t.Errorf("non-postgres URL: %d %q", code, stderr)
	}
	dir := seed(t)
	db, _ := sql.Open("sqlite", filepath.Join(dir, "gongkai.db"))
	db.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')`)
	db.Close()
	if _, stderr, code := run(t, "", nil, "serve", "--data", dir, "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(stderr, "比本程序支持的版本") {
		t.Errorf("newer schema: %d %q", code, stderr)
	}
	// A busy port stops the start before --demo writes anything or prints
	// passwords that would never be shown again.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	fresh := t.TempDir()
	out, stderr, code := run(t, "", nil, "serve", "--data", fresh, "--addr", busy.Addr().String(), "--demo", "--log-level", "warn")
	if code != 1 || !strings.Contains(stderr, "无法监听") || strings.Contains(out, "密码") {
		t.Errorf("serve --demo on a busy port: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	if out, _, _ := run(t, "", nil, "org", "list", "--data", fresh); out != "" {
		t.Errorf("serve --demo on a busy port seeded the demo:\n%s", out)
	}
	if _, _, code := run(t, "", nil, "frobnicate"); code != 2 {
		t.Errorf("unknown command exit %d, want 2", code)
	}
}

// TestServeEndToEnd boots the real server with the demo on a temporary
// directory at :0, logs in with a printed demo password and calls the API.
func TestServeEndToEnd(t *testing.T) {
	dir := t.TempDir()
	var out, errb syncBuffer
	addr := make(chan string, 1)
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
		Ready: func(a string) { addr <- a }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- m.Run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--demo", "--log-level", "warn"})
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	m2 := regexp.MustCompile(`(?m)^fgw-editor\s+(\S+)`).FindStringSubmatch(out.String())
	if m2 == nil {
		t.Fatalf("no demo password printed:\n%s", out.String())
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	body, _ := json.Marshal(map[string]string{"username": "fgw-editor", "password": m2[1]})
	resp, err = http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	var sess struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+sess.Token)
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("me: %v %v", resp, err)
	}
	resp, _ = http.Get(base + "/")
	if resp.StatusCode != 200 {
		t.Errorf("portal home = %d", resp.StatusCode)
	}
	// The operator's commands work on the same data while serve runs.
	if _, stderr, code := run(t, "", nil, "org", "add", "--data", dir, "--code", "shili-tjj", "--name", "示例市统计局", "--kind", "department",
		"--parent", "shili", "--org-code", "MB0000094", "--region-code", "369900"); code != 0 {
		t.Fatalf("org add while serving: %d %s", code, stderr)
	}
	resp, err = http.Get(base + "/api/v1/orgs/shili-tjj")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("org added by the CLI not visible to the server: %v %v", resp, err)
	}
	// A second server on the same data directory is refused at once with a
	// clear message (it used to hang on the search index's lock).
	second := make(chan string, 1)
	go func() {
		_, stderr, code := run(t, "", nil, "serve", "--data", dir, "--addr", "127.0.0.1:0", "--log-level", "warn")
		second <- fmt.Sprintf("exit %d: %s", code, stderr)
	}()
	select {
	case got := <-second:
		if !strings.HasPrefix(got, "exit 1:") || !strings.Contains(got, "正由另一个 gongkai serve 进程使用") {
			t.Errorf("second serve on the same data: %s", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a second serve on the same data directory neither started nor refused")
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM-like cancel: %s", code, errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not shut down")
	}
	// A second start with --demo on the same data adds nothing.
	out2, _, _ := runServeOnce(t, dir)
	if !strings.Contains(out2, "未再生成示例数据") {
		t.Errorf("second --demo start: %q", out2)
	}
}

func runServeOnce(t *testing.T, dir string) (string, string, int) {
	var out, errb syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Ready: func(string) { cancel() }}
	code := m.Run(ctx, []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--demo", "--log-level", "warn"})
	return out.String(), errb.String(), code
}

func TestCheckCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	good := filepath.Join(dir, "good.txt")
	os.WriteFile(bad, []byte("根据示政办发[2023]12号文件办理。\n"), 0o600)
	os.WriteFile(good, []byte("根据示政办发〔2023〕12号文件办理。\n"), 0o600)
	out, _, code := run(t, "", nil, "check", bad)
	if code != 1 || !strings.Contains(out, "docno.format") || !strings.Contains(out, "示政办发〔2023〕12号") {
		t.Errorf("check bad = %d %q", code, out)
	}
	if out, stderr, code := run(t, "", nil, "check", good); code != 0 {
		t.Errorf("check good = %d %q %q", code, out, stderr)
	}
	if _, _, code := run(t, "", nil, "check", filepath.Join(dir, "missing.txt")); code != 2 {
		t.Errorf("check missing file = %d, want 2", code)
	}
}

// TestGroupHelp: every command group answers --help with its subcommands
// and exit 0, as the top-level usage promises; an unknown subcommand is
// still a usage error.
func TestGroupHelp(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"org", "gongkai org list"},
		{"user", "gongkai user add"},
		{"workday", "set-year FILE"},
		{"audit", "gongkai audit verify"},
		{"application", "gongkai application sweep"},
		{"import", "gongkai import documents"},
		{"report", "gongkai report figures"},
		{"bench", "gongkai bench portal"},
	} {
		stdout, stderr, code := run(t, "", nil, tc.cmd, "--help")
		if code != 0 || stderr != "" || !strings.Contains(stdout, tc.want) || strings.Contains(stdout, "gongkai serve") {
			t.Errorf("%s --help: exit %d, stderr %q, stdout:\n%s", tc.cmd, code, stderr, stdout)
		}
		if _, _, code := run(t, "", nil, tc.cmd, "no-such"); code != 2 {
			t.Errorf("%s no-such: exit %d, want 2", tc.cmd, code)
		}
	}
}

// TestDatakeyRotate: the key file is rotated in place with the old key
// kept; a key from the environment needs --out; the next start uses the
// new key.
func TestDatakeyRotate(t *testing.T) {
	dir := seed(t)
	stdout, stderr, code := run(t, "", nil, "datakey", "rotate", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "已更换数据密钥") || !strings.Contains(stdout, "data.key.") {
		t.Fatalf("datakey rotate: exit %d, %q %q", code, stdout, stderr)
	}
	if _, stderr, code := run(t, "", nil, "org", "list", "--data", dir); code != 0 {
		t.Errorf("a start after the rotation: exit %d %s", code, stderr)
	}
	key, err := os.ReadFile(filepath.Join(dir, "data.key"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GONGKAI_DATA_KEY": strings.TrimSpace(string(key))}
	if _, stderr, code := run(t, "", env, "datakey", "rotate", "--data", dir); code != 1 || !strings.Contains(stderr, "请指定保存新密钥的文件") {
		t.Errorf("env key without --out: exit %d %q", code, stderr)
	}
	out := filepath.Join(t.TempDir(), "new.key")
	if _, stderr, code := run(t, "", env, "datakey", "rotate", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("env key with --out: exit %d %q", code, stderr)
	}
	newKey, _ := os.ReadFile(out)
	if _, stderr, code := run(t, "", env, "org", "list", "--data", dir); code != 1 || !strings.Contains(stderr, "不一致") {
		t.Errorf("start with the old key: exit %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "", map[string]string{"GONGKAI_DATA_KEY": strings.TrimSpace(string(newKey))}, "org", "list", "--data", dir); code != 0 {
		t.Errorf("start with the new key: exit %d %q", code, stderr)
	}
}
