package checkcmd_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/checkcmd"
)

func run(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = checkcmd.Run(context.Background(), args, &out, &errb)
	return status, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	clean := writeFile(t, dir, "clean.txt", "关于做好2024年春节期间安全生产工作的通知\n各单位：请认真落实。\n")
	warn := writeFile(t, dir, "warn.txt", "截止目前，工作进展顺利。\n")
	block := writeFile(t, dir, "block.txt", "联系人：王某某\n电话：13812345678，截止目前。\n")
	page := writeFile(t, dir, "page.html", "<html><body><p>详见</p><p>笔杆儿网www.bgzjy.cn</p></body></html>")
	words := writeFile(t, dir, "words.txt", "# 词表\n演示屏蔽词\n")
	badDict := writeFile(t, dir, "bad.txt", "只有一个字段\n")

	tests := []struct {
		name   string
		args   []string
		status int
		stdout string
		stderr string
	}{
		{"clean", []string{clean}, 0, "", ""},
		{"warn only", []string{warn}, 0, warn + ":1:1  warn  wording.common  截止目前 → 截至目前\n", "共发现 1 处问题，其中 0 处须修改后才能发布。\n"},
		{"block", []string{block}, 1,
			block + ":2:4  block  pii.mobile  13812345678 → 138****5678\n" +
				block + ":2:16  warn  wording.common  截止目前 → 截至目前\n",
			"共发现 2 处问题，其中 1 处须修改后才能发布。\n"},
		{"rules filter", []string{"--rules", "wording.common", block}, 0, block + ":2:16  warn  wording.common  截止目前 → 截至目前\n", "共发现 1 处问题，其中 0 处须修改后才能发布。\n"},
		{"html", []string{page}, 1,
			page + ":2:1  block  leftover.third_party  笔杆儿网\n" +
				page + ":2:5  block  leftover.third_party  www.bgzjy.cn\n",
			"共发现 2 处问题，其中 2 处须修改后才能发布。\n"},
		{"allow domain", []string{"--allow-domains", "bgzjy.cn", "--rules", "leftover.third_party", page}, 1,
			page + ":2:1  block  leftover.third_party  笔杆儿网\n", "共发现 1 处问题，其中 1 处须修改后才能发布。\n"},
		{"several files", []string{clean, warn}, 0, warn + ":1:1  warn  wording.common  截止目前 → 截至目前\n", "共发现 1 处问题，其中 0 处须修改后才能发布。\n"},
		{"no arguments", nil, 2, "", "gongkai check: 请指定要检查的文件或网址（用 --help 查看用法）\n"},
		{"unknown flag", []string{"--frobnicate", clean}, 2, "", "gongkai check: flag provided but not defined: -frobnicate\n（用 --help 查看用法）\n"},
		{"unknown rule", []string{"--rules", "nonsense", clean}, 2, "", "gongkai check: 没有名为“nonsense”的检查规则\n"},
		{"missing file", []string{filepath.Join(dir, "none.txt")}, 2, "", "gongkai check: 文件“" + filepath.Join(dir, "none.txt") + "”不存在。\n"},
		{"missing file wins over block", []string{block, filepath.Join(dir, "none.txt")}, 2,
			block + ":2:4  block  pii.mobile  13812345678 → 138****5678\n" +
				block + ":2:16  warn  wording.common  截止目前 → 截至目前\n",
			"gongkai check: 文件“" + filepath.Join(dir, "none.txt") + "”不存在。\n共发现 2 处问题，其中 1 处须修改后才能发布。\n"},
		{"directory", []string{dir}, 2, "", "gongkai check: “" + dir + "”是目录，请指定文件。\n"},
		{"bad dictionary", []string{"--dictionary", badDict, clean}, 2, "", "gongkai check: " + badDict + "：第1行：应为“错误形式 | 正确形式 | 类别 | 来源或理由 | 例外”，以“|”分隔\n"},
		{"sensitive list", []string{"--sensitive", words, "--rules", "sensitive", writeFile(t, dir, "s.txt", "演 示 屏 蔽 词")}, 1,
			filepath.Join(dir, "s.txt") + ":1:1  block  sensitive  演 示 屏 蔽 词\n", "共发现 1 处问题，其中 1 处须修改后才能发布。\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, stdout, stderr := run(t, tt.args...)
			if status != tt.status {
				t.Errorf("status %d, want %d", status, tt.status)
			}
			if diff := cmp.Diff(tt.stdout, stdout); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.stderr, stderr); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeFile(t, dir, "a.txt", "电话：13812345678\n")
	status, stdout, stderr := run(t, "--json", p)
	if status != 1 || stderr != "" {
		t.Fatalf("status %d stderr %q", status, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 1 {
		t.Fatalf("got %d lines, want 1: %q", len(lines), stdout)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"file": p, "rule": "pii.mobile", "severity": "block",
		"start": float64(9), "end": float64(20), "line": float64(1), "col": float64(4),
		"source": "", "excerpt": "13812345678", "context": "电话：13812345678",
		"message":    "含有完整的手机号码，属于个人隐私信息，公开前应去标识化处理。",
		"suggestion": "138****5678",
		"reason":     "《2018年政务公开工作要点》：除惩戒公示、强制性信息披露外，涉及个人隐私的政府信息公开时应去标识化",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}
}

func TestRunURL(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<html><body><h1>通知</h1><p>截止目前，详见〔2023〕**号。</p></body></html>"))
		case "/big":
			w.Write(bytes.Repeat([]byte("a"), 51<<20))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	status, stdout, _ := run(t, srv.URL+"/page")
	want := srv.URL + "/page:2:1  warn  wording.common  截止目前 → 截至目前\n" +
		srv.URL + "/page:2:14  block  leftover.placeholder  **\n"
	if status != 1 || stdout != want {
		t.Errorf("status %d stdout %q, want 1 %q", status, stdout, want)
	}
	status, _, stderr := run(t, srv.URL+"/missing")
	if status != 2 || stderr != "gongkai check: 访问“"+srv.URL+"/missing”失败：服务器返回 404 Not Found。\n" {
		t.Errorf("status %d stderr %q", status, stderr)
	}
	status, _, stderr = run(t, srv.URL+"/big")
	if status != 2 || stderr != "gongkai check: “"+srv.URL+"/big”超过50 MB，无法检查。\n" {
		t.Errorf("status %d stderr %q", status, stderr)
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	status, stdout, stderr := run(t, "--help")
	if status != 0 || stderr != "" {
		t.Fatalf("status %d stderr %q", status, stderr)
	}
	for _, want := range []string{"用法：gongkai check [--json]", "pii.citizen_id", "consistency.signed_after_published", "退出状态：0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
}

// TestRunFormats: the command reads DOCX, XLSX and PDF by their content,
// as the issue lists them, and places findings by line and column of the
// extracted text. The fixtures in testdata were built with the extract
// package's test builders (a minimal DOCX, an excelize workbook, a PDF with
// a CID font and a ToUnicode map, as office software writes Chinese).
func TestRunFormats(t *testing.T) {
	t.Parallel()
	docx := filepath.Join("testdata", "notice.docx")
	xlsx := filepath.Join("testdata", "list.xlsx")
	pdf := filepath.Join("testdata", "bulletin.pdf")
	status, stdout, stderr := run(t, docx, xlsx, pdf)
	want := docx + ":2:1  warn  wording.common  截止目前 → 截至目前\n" +
		docx + ":2:10  block  pii.mobile  13812345678 → 138****5678\n" +
		xlsx + ":2:5  block  pii.citizen_id  110101199003071233 → 11*************233\n" +
		pdf + ":2:3  block  leftover.third_party  笔杆儿网\n" +
		pdf + ":2:7  block  leftover.third_party  www.bgzjy.cn\n"
	if status != checkcmd.ExitBlock || stderr != "共发现 5 处问题，其中 4 处须修改后才能发布。\n" {
		t.Errorf("status %d, stderr %q", status, stderr)
	}
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// the same file under a misleading name is still read by its content
	dir := t.TempDir()
	data, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	renamed := writeFile(t, dir, "名单.txt", string(data))
	if status, stdout, _ := run(t, "--rules", "pii.citizen_id", renamed); status != checkcmd.ExitBlock || !strings.Contains(stdout, renamed+":2:5  block  pii.citizen_id") {
		t.Errorf("renamed workbook: status %d\n%s", status, stdout)
	}
}
