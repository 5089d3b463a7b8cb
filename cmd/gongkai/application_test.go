package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestDataKey(t *testing.T) {
	dir := t.TempDir()
	// First start: a key file is generated, mode 0600, and the operator is
	// told to back it up.
	_, stderr, code := run(t, "", nil, "org", "list", "--data", dir)
	if code != 0 || !strings.Contains(stderr, "已生成数据密钥文件") || !strings.Contains(stderr, "备份") {
		t.Fatalf("first start: %d %q", code, stderr)
	}
	fi, err := os.Stat(filepath.Join(dir, "data.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	_, stderr, _ = run(t, "", nil, "org", "list", "--data", dir)
	if strings.Contains(stderr, "已生成") {
		t.Error("key generated twice")
	}
	// Another key is refused: data encrypted with the first could not be read.
	other := map[string]string{"GONGKAI_DATA_KEY": strings.Repeat("ab", 32)}
	if _, stderr, code := run(t, "", other, "org", "list", "--data", dir); code != 1 || !strings.Contains(stderr, "数据密钥") || !strings.Contains(stderr, "不一致") {
		t.Errorf("other key: %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "", map[string]string{"GONGKAI_DATA_KEY": "short"}, "org", "list", "--data", dir); code != 2 || !strings.Contains(stderr, "GONGKAI_DATA_KEY") {
		t.Errorf("bad key: %d %q", code, stderr)
	}
	// An environment key on a fresh database creates no file.
	fresh := t.TempDir()
	if _, stderr, code := run(t, "", other, "org", "list", "--data", fresh); code != 0 || strings.Contains(stderr, "已生成") {
		t.Errorf("env key: %d %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(fresh, "data.key")); err == nil {
		t.Error("a key file was written although GONGKAI_DATA_KEY is set")
	}
	if _, stderr, code := run(t, "", map[string]string{"GONGKAI_FEE_PAUSES_CLOCK": "maybe"}, "org", "list", "--data", dir); code != 2 || !strings.Contains(stderr, "GONGKAI_FEE_PAUSES_CLOCK") {
		t.Errorf("bad fee setting: %d %q", code, stderr)
	}
}

func TestApplicationCommands(t *testing.T) {
	dir := seed(t)
	out, stderr, code := run(t, "", nil, "application", "sweep", "--data", dir)
	if code != 0 || !strings.Contains(out, "检查在办申请 0 件") {
		t.Fatalf("sweep: %d %q %q", code, out, stderr)
	}
	file := filepath.Join(t.TempDir(), "台账.xlsx")
	out, stderr, code = run(t, "", nil, "application", "export", "--data", dir, "--year", "2024", "--org", "shili", "--out", file)
	if code != 0 || !strings.Contains(out, "已导出 0 件") {
		t.Fatalf("export: %d %q %q", code, out, stderr)
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("依申请公开台账")
	if len(rows) != 2 || rows[0][0] != "示例市人民政府依申请公开工作台账（2024年）" || rows[1][0] != "编号" {
		t.Errorf("export rows = %q", rows)
	}
	if _, stderr, code := run(t, "", nil, "application", "export", "--data", dir); code != 2 || !strings.Contains(stderr, "--out") {
		t.Errorf("export without --out: %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "", nil, "application", "frob"); code != 2 || !strings.Contains(stderr, "sweep") {
		t.Errorf("unknown subcommand: %d %q", code, stderr)
	}
	if _, stderr, code := run(t, "", map[string]string{"GONGKAI_SMTP_HOST": "smtp.example.cn"}, "application", "sweep", "--data", dir); code != 2 || !strings.Contains(stderr, "GONGKAI_SMTP_FROM") {
		t.Errorf("SMTP without sender: %d %q", code, stderr)
	}
}
