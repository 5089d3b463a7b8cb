package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// reportData makes a data directory holding the annual-report fixture.
func reportData(t *testing.T) (string, *storetest.Fix) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Validators = storetest.Validators
	db.Now = func() time.Time { return storetest.ReportNow }
	f := storetest.Fixture(t, db)
	storetest.ReportFixture(t, db, f)
	return dir, f
}

func TestReportCommands(t *testing.T) {
	dir, _ := reportData(t)
	var want any
	json.Unmarshal(storetest.ReportGolden, &want)

	out, stderr, code := run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2025")
	if code != 0 {
		t.Fatalf("json: %d %s", code, stderr)
	}
	var got any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %.200s", out)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	out, _, code = run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2025", "--format", "html")
	if code != 0 || !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, "<h1>示例市发展和改革委员会2025年政府信息公开工作年度报告</h1>") {
		t.Errorf("html: %d %.100s", code, out)
	}
	xlsx := filepath.Join(t.TempDir(), "年报.xlsx")
	out, stderr, code = run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2025", "--format", "xlsx", "--out", xlsx)
	if code != 0 || !strings.Contains(out, "写入") {
		t.Fatalf("xlsx: %d %s %s", code, out, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.GetSheetList()); n != 3 {
		t.Errorf("%d sheets, want one per table", n)
	}
	// Cells read back from the workbook, against the hand-written report:
	// the row of 新收 (written by hand in storetest) and the 收费 amount.
	found := map[string][]string{}
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			var vals []string
			label := ""
			for _, c := range r {
				switch {
				case c == "一、本年新收政府信息公开申请数量" || c == "行政事业性收费":
					label = c
				case label != "" && c != "" && c != label:
					vals = append(vals, c)
				}
			}
			if label != "" {
				found[label] = vals
			}
		}
	}
	if diff := cmp.Diff(map[string][]string{"一、本年新收政府信息公开申请数量": {"2", "1", "1", "1", "1", "1", "7"}, "行政事业性收费": {"12.50"}}, found); diff != "" {
		t.Errorf("xlsx cells mismatch (-want +got):\n%s", diff)
	}
	docx := filepath.Join(t.TempDir(), "年报.docx")
	if _, stderr, code := run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2025", "--format", "docx", "--out", docx); code != 0 {
		t.Fatalf("docx: %s", stderr)
	}
	zr, err := zip.OpenReader(docx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var doc strings.Builder
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			io.Copy(&doc, rc)
			rc.Close()
		}
	}
	for _, want := range []string{"示例市发展和改革委员会2025年政府信息公开工作年度报告", storetest.ReportOverview, "（七）总计", "危及“三安全一稳定”", ">12.50<"} {
		if !strings.Contains(doc.String(), want) {
			t.Errorf("docx lacks %q", want)
		}
	}

	// Refusals: usage errors exit 2, refused requests exit 1 with one
	// Chinese line.
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"report"}, 2, "report annual"},
		{[]string{"report", "frob"}, 2, "annual、figures、import"},
		{[]string{"report", "annual", "--year", "2025"}, 2, "--org"},
		{[]string{"report", "annual", "--org", "city-fgw"}, 2, "--year"},
		{[]string{"report", "annual", "--org", "city-fgw", "--year", "2025", "--format", "pdf"}, 2, "--format"},
		{[]string{"report", "annual", "--org", "city-fgw", "--year", "2025", "--format", "docx"}, 2, "--out"},
		{[]string{"report", "annual", "--org", "nosuch", "--year", "2025"}, 1, "机构代码“nosuch”不存在"},
		{[]string{"report", "annual", "--org", "city-fgw", "--year", "2099"}, 1, "2099年尚未到来"},
		{[]string{"report", "annual", "--org", "city-fgw", "--year", "2010"}, 1, "最早的数据属于2022年"},
		{[]string{"report", "annual", "--org", "city-fgw", "--year", "2025", "--published"}, 1, "尚未发布"},
		{[]string{"report", "import", "--org", "city-fgw"}, 2, "JSON 文件"},
		{[]string{"report", "import", "--org", "city-fgw", "/no/such/file.json"}, 1, "无法打开"},
	} {
		args := append([]string{}, tc.args...)
		if len(args) >= 2 {
			args = append(append(args[:2:2], "--data", dir), tc.args[2:]...)
		}
		_, stderr, code := run(t, "", nil, args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d with %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}

	// Import: a wrong label is named; a right file is imported, and is
	// then what --published gives for that year.
	y2023 := strings.Replace(string(storetest.ReportGolden), `"year": 2025`, `"year": 2023`, 1)
	_, stderr, code = run(t, strings.Replace(y2023, "（一）予以公开", "(一)予以公开", 1), nil, "report", "import", "--data", dir, "--org", "city-fgw", "-")
	if code != 1 || !strings.Contains(stderr, "(一)予以公开") {
		t.Errorf("bad label: %d %q", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "2023.json")
	os.WriteFile(file, []byte(y2023), 0o644)
	out, stderr, code = run(t, "", nil, "report", "import", "--data", dir, "--org", "city-fgw", file)
	if code != 0 || !strings.Contains(out, "已导入《示例市发展和改革委员会2023年政府信息公开工作年度报告》（2021年格式）") {
		t.Fatalf("import: %d %q %q", code, out, stderr)
	}
	out, _, code = run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2023", "--published")
	json.Unmarshal([]byte(out), &got)
	if code != 0 || got.(map[string]any)["year"] != float64(2023) {
		t.Errorf("published 2023: %d %.100s", code, out)
	}
}

// report figures enters table 二's figures from other systems: only the
// flags given change, and a bad value saves nothing.
func TestReportFigures(t *testing.T) {
	dir, _ := reportData(t)
	cells := func() map[string]any {
		t.Helper()
		out, stderr, code := run(t, "", nil, "report", "annual", "--data", dir, "--org", "city-fgw", "--year", "2025")
		if code != 0 {
			t.Fatalf("annual: %d %s", code, stderr)
		}
		var rep struct {
			Tables []struct {
				Rows []struct {
					Label  string
					Values []any
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for _, tb := range rep.Tables[:4] {
			for _, r := range tb.Rows {
				got[r.Label] = r.Values[0]
			}
		}
		return map[string]any{"行政许可": got["行政许可"], "行政处罚": got["行政处罚"], "行政强制": got["行政强制"], "行政事业性收费": got["行政事业性收费"]}
	}
	before := cells()

	out, stderr, code := run(t, "", nil, "report", "figures", "--data", dir, "--org", "city-fgw", "--year", "2025", "--licensing", "1，234", "--fees", "16.5")
	if code != 0 || !strings.Contains(out, "已保存2025年年度报告表二的数据：行政许可 1234，") || !strings.Contains(out, "行政事业性收费 16.50万元。") {
		t.Fatalf("figures: %d %q %q", code, out, stderr)
	}
	want := before
	want["行政许可"], want["行政事业性收费"] = float64(1234), 16.5
	if diff := cmp.Diff(want, cells()); diff != "" {
		t.Errorf("figures mismatch (-want +got):\n%s", diff)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--org", "city-fgw", "--year", "2025", "--penalty", "-3", "--licensing", "7"}, 1, "行政处罚本年处理决定数量：“-3”不能为负数。"},
		{[]string{"--org", "city-fgw", "--year", "2025", "--fees", "十万"}, 1, "行政事业性收费本年收费金额：“十万”不是有效的数字。"},
		{[]string{"--org", "city-fgw", "--year", "2025"}, 2, "请至少给出一项数据"},
		{[]string{"--org", "nope", "--year", "2025", "--penalty", "1"}, 1, "机构代码“nope”不存在"},
		{[]string{"--org", "city-fgw", "--year", "2099", "--penalty", "1"}, 1, "2099年尚未到来"},
		{[]string{"--year", "2025", "--penalty", "1"}, 2, "--org"},
	} {
		args := append([]string{"report", "figures", "--data", dir}, tc.args...)
		_, stderr, code := run(t, "", nil, args...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: exit %d %q, want %d with %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
	if diff := cmp.Diff(want, cells()); diff != "" {
		t.Errorf("a refused command changed the figures (-want +got):\n%s", diff)
	}
}
