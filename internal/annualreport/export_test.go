package annualreport_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"gongkai"
)

// The printed tables of the fixture report, written by hand from the
// official layout (statutes.md §2.2–2.4) and the hand-counted fixture: one
// string per grid position, "" where a merged cell covers the position (the
// text sits in the merged cell's top-left position).

var z7 = []string{"0", "0", "0", "0", "0", "0", "0"}

func row3(label1, label2, label3 string, vals ...string) []string {
	if len(vals) == 0 {
		vals = z7
	}
	return append([]string{label1, label2, label3}, vals...)
}

var wantGrid2 = [][]string{
	{"第二十条第（一）项", "", "", ""},
	{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"},
	{"规章", "0", "0", "1"},
	{"行政规范性文件", "4", "2", "5"},
	{"第二十条第（五）项", "", "", ""},
	{"信息内容", "本年处理决定数量", "", ""},
	{"行政许可", "120", "", ""},
	{"第二十条第（六）项", "", "", ""},
	{"信息内容", "本年处理决定数量", "", ""},
	{"行政处罚", "35", "", ""},
	{"行政强制", "0", "", ""},
	{"第二十条第（八）项", "", "", ""},
	{"信息内容", "本年收费金额（单位：万元）", "", ""},
	{"行政事业性收费", "12.50", "", ""},
}

var wantGrid3 = [][]string{
	{"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""},
	{"", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"},
	{"", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""},
	row3("一、本年新收政府信息公开申请数量", "", "", "5", "0", "1", "1", "1", "1", "9"),
	row3("二、上年结转政府信息公开申请数量", "", "", "2", "1", "0", "0", "0", "0", "3"),
	row3("三、本年度办理结果", "（一）予以公开", "", "1", "0", "1", "0", "0", "0", "2"),
	row3("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "1", "0", "0", "0", "0", "0", "1"),
	row3("", "（三）不予公开", "1.属于国家秘密"),
	row3("", "", "2.其他法律行政法规禁止公开"),
	row3("", "", "3.危及“三安全一稳定”", "1", "0", "0", "0", "0", "0", "1"),
	row3("", "", "4.保护第三方合法权益", "0", "1", "0", "0", "0", "0", "1"),
	row3("", "", "5.属于三类内部事务信息"),
	row3("", "", "6.属于四类过程性信息"),
	row3("", "", "7.属于行政执法案卷"),
	row3("", "", "8.属于行政查询事项"),
	row3("", "（四）无法提供", "1.本机关不掌握相关政府信息", "1", "0", "0", "0", "0", "0", "1"),
	row3("", "", "2.没有现成信息需要另行制作"),
	row3("", "", "3.补正后申请内容仍不明确"),
	row3("", "（五）不予处理", "1.信访举报投诉类申请"),
	row3("", "", "2.重复申请", "0", "0", "0", "0", "1", "0", "1"),
	row3("", "", "3.要求提供公开出版物"),
	row3("", "", "4.无正当理由大量反复申请"),
	row3("", "", "5.要求行政机关确认或重新出具已获取信息"),
	row3("", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
	row3("", "", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "0", "0", "0", "1", "0", "0", "1"),
	row3("", "", "3.其他", "1", "0", "0", "0", "0", "0", "1"),
	row3("", "（七）总计", "", "5", "1", "1", "1", "1", "0", "9"),
	row3("四、结转下年度继续办理", "", "", "2", "0", "0", "0", "0", "1", "3"),
}

var wantGrid4 = [][]string{
	{"行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""},
	{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""},
	{"", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
	{"1", "1", "0", "1", "3", "0", "0", "0", "1", "1", "1", "0", "0", "0", "1"},
}

var wantHeadings = []string{
	"一、总体情况",
	"二、主动公开政府信息情况",
	"三、收到和处理政府信息公开申请情况",
	"四、政府信息公开行政复议、行政诉讼情况",
	"五、存在的主要问题及改进情况",
	"六、其他需要报告的事项",
}

// ---------- HTML ----------

type htmlGrid struct {
	caption string
	grid    [][]string
	// cells by text, for attribute checks (first occurrence)
	byText map[string]*html.Node
	ids    map[string]string // id → text
	tds    []*html.Node
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func findAll(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	if n == 0 {
		return 1
	}
	return n
}

// parseHTMLTable rebuilds the grid of an HTML table from its rowspans and
// colspans, as a browser does.
func parseHTMLTable(t *testing.T, table *html.Node) htmlGrid {
	t.Helper()
	g := htmlGrid{byText: map[string]*html.Node{}, ids: map[string]string{}}
	if caps := findAll(table, "caption"); len(caps) == 1 {
		g.caption = text(caps[0])
	}
	occupied := map[[2]int]bool{}
	for r, tr := range findAll(table, "tr") {
		for len(g.grid) <= r {
			g.grid = append(g.grid, nil)
		}
		c := 0
		for cell := tr.FirstChild; cell != nil; cell = cell.NextSibling {
			if cell.Type != html.ElementNode {
				continue
			}
			for occupied[[2]int{r, c}] {
				c++
			}
			rs, cs := atoi(attr(cell, "rowspan")), atoi(attr(cell, "colspan"))
			txt := text(cell)
			if _, ok := g.byText[txt]; !ok {
				g.byText[txt] = cell
			}
			if id := attr(cell, "id"); id != "" {
				g.ids[id] = txt
			}
			if cell.Data == "td" && attr(cell, "headers") != "" {
				g.tds = append(g.tds, cell)
			}
			for i := r; i < r+rs; i++ {
				for len(g.grid) <= i {
					g.grid = append(g.grid, nil)
				}
				for j := c; j < c+cs; j++ {
					occupied[[2]int{i, j}] = true
					for len(g.grid[i]) <= j {
						g.grid[i] = append(g.grid[i], "")
					}
					if i == r && j == c {
						g.grid[i][j] = txt
					}
				}
			}
			c += cs
		}
	}
	return g
}

func TestHTML(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	frag, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(frag)))
	if err != nil {
		t.Fatal(err)
	}
	var headings []string
	for _, h := range findAll(doc, "h2") {
		headings = append(headings, text(h))
	}
	if diff := cmp.Diff(wantHeadings, headings); diff != "" {
		t.Errorf("headings mismatch (-want +got):\n%s", diff)
	}
	tables := findAll(doc, "table")
	if len(tables) != 3 {
		t.Fatalf("%d tables, want 3", len(tables))
	}
	wants := []struct {
		caption string
		grid    [][]string
	}{
		{"主动公开政府信息情况", wantGrid2},
		{"收到和处理政府信息公开申请情况", wantGrid3},
		{"政府信息公开行政复议、行政诉讼情况", wantGrid4},
	}
	var grids []htmlGrid
	for i, w := range wants {
		g := parseHTMLTable(t, tables[i])
		grids = append(grids, g)
		if g.caption != w.caption {
			t.Errorf("table %d caption = %q, want %q", i, g.caption, w.caption)
		}
		if diff := cmp.Diff(w.grid, g.grid); diff != "" {
			t.Errorf("table %d grid mismatch (-want +got):\n%s", i, diff)
		}
	}

	// Header cells carry scope and the spans of the official layout.
	g3, g4 := grids[1], grids[2]
	for _, c := range []struct {
		g                htmlGrid
		text, tag, scope string
		rowspan, colspan string
	}{
		{g3, "三、本年度办理结果", "th", "row", "22", ""},
		{g3, "（三）不予公开", "th", "row", "8", ""},
		{g3, "（四）无法提供", "th", "row", "3", ""},
		{g3, "（五）不予处理", "th", "row", "5", ""},
		{g3, "（六）其他处理", "th", "row", "3", ""},
		{g3, "（七）总计", "th", "row", "", "2"},
		{g3, "申请人情况", "th", "col", "", "7"},
		{g3, "法人或其他组织", "th", "col", "", "5"},
		{g3, "自然人", "th", "col", "2", ""},
		{g3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "td", "", "3", "3"},
		{g4, "行政复议", "th", "col", "", "5"},
		{g4, "行政诉讼", "th", "col", "", "10"},
		{g4, "未经复议直接起诉", "th", "col", "", "5"},
		{g4, "结果维持", "th", "col", "2", ""},
	} {
		n := c.g.byText[c.text]
		if n == nil {
			t.Errorf("no cell %q", c.text)
			continue
		}
		got := [4]string{n.Data, attr(n, "scope"), attr(n, "rowspan"), attr(n, "colspan")}
		if want := [4]string{c.tag, c.scope, c.rowspan, c.colspan}; got != want {
			t.Errorf("%q: tag/scope/rowspan/colspan = %v, want %v", c.text, got, want)
		}
	}

	// Every number names all its headers.
	headersOf := func(g htmlGrid, n *html.Node) []string {
		var hs []string
		for _, id := range strings.Fields(attr(n, "headers")) {
			hs = append(hs, g.ids[id])
		}
		return hs
	}
	td4 := g4.tds[10] // 复议后起诉 结果维持
	if diff := cmp.Diff([]string{"行政诉讼", "复议后起诉", "结果维持"}, headersOf(g4, td4)); diff != "" {
		t.Errorf("headers of 复议后起诉/结果维持 mismatch (-want +got):\n%s", diff)
	}
	td3 := g3.tds[6*7] // 7th numeric row (3.危及“三安全一稳定”), first column (自然人)
	want := []string{"三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”", "申请人情况", "自然人"}
	if diff := cmp.Diff(want, headersOf(g3, td3)); diff != "" {
		t.Errorf("headers of 3.危及/自然人 mismatch (-want +got):\n%s", diff)
	}
	td2 := grids[0].tds[len(grids[0].tds)-1]
	if diff := cmp.Diff([]string{"第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"}, headersOf(grids[0], td2)); diff != "" {
		t.Errorf("headers of the fee cell mismatch (-want +got):\n%s", diff)
	}
}

func TestHTMLEscapes(t *testing.T) {
	in := fixtureInput()
	in.Texts.Overview = `<script>alert("x")</script>&`
	r := mustCompile(t, in)
	frag, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(frag), "<script>") {
		t.Fatalf("unescaped script in %s", frag)
	}
	doc, _ := html.Parse(strings.NewReader(string(frag)))
	if got := text(findAll(doc, "p")[0]); got != in.Texts.Overview {
		t.Errorf("paragraph text = %q, want %q", got, in.Texts.Overview)
	}
	one, err := r.TableHTML("四")
	if err != nil || !strings.HasPrefix(string(one), `<table class="annual-report-table">`) {
		t.Errorf("TableHTML(四) = %.60s…, %v", one, err)
	}
}

func TestWriteHTML(t *testing.T) {
	in := fixtureInput()
	in.Year, in.Today = 2025, gongkai.NewDate(2025, 6, 30) // provisional
	in.Texts.Overview = "<b>总体</b>"
	r := mustCompile(t, in)
	var b strings.Builder
	if err := r.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ tag, want string }{
		{"title", "示例市交通运输局2025年政府信息公开工作年度报告"},
		{"h1", "示例市交通运输局2025年政府信息公开工作年度报告"},
	} {
		if got := text(findAll(doc, c.tag)[0]); got != c.want {
			t.Errorf("<%s> = %q, want %q", c.tag, got, c.want)
		}
	}
	ps := findAll(doc, "p")
	if got := text(ps[0]); got != "（本稿为截至2025年6月30日的临时统计数据，不得发布）" {
		t.Errorf("note = %q", got)
	}
	if got := text(ps[1]); got != "<b>总体</b>" {
		t.Errorf("prose = %q (escaped text expected)", got)
	}
	if n := len(findAll(doc, "table")); n != 3 {
		t.Errorf("%d tables, want 3", n)
	}
	if !strings.HasPrefix(b.String(), "<!DOCTYPE html>") || !strings.Contains(b.String(), `<html lang="zh-CN">`) {
		t.Errorf("not a complete document: %.80s", b.String())
	}
}

// ---------- DOCX ----------

type docxTable struct {
	grid  [][]string
	marks [][]string // "R" vMerge restart, "C" continue, "" otherwise (per grid position)
}

type docxContent struct {
	paras  []string // "style|text" of body paragraphs outside tables
	tables []docxTable
}

// readDOCX unzips a .docx, checks that every XML part is well-formed and
// extracts paragraphs and tables from word/document.xml.
func readDOCX(t *testing.T, b []byte) docxContent {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
			}
		}
		if f.Name == "word/document.xml" {
			doc = data
		}
	}
	for _, n := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		if !names[n] {
			t.Errorf("missing part %s", n)
		}
	}
	var out docxContent
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var (
		inTable             bool
		cur                 *docxTable
		rowText, rowMarks   []string
		cellText            strings.Builder
		cellParas           int
		span                int
		vmerge              string
		paraStyle, paraText string
		inPara              bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			val := ""
			for _, a := range e.Attr {
				if a.Name.Local == "val" {
					val = a.Value
				}
			}
			switch e.Name.Local {
			case "tbl":
				inTable = true
				out.tables = append(out.tables, docxTable{})
				cur = &out.tables[len(out.tables)-1]
			case "tr":
				rowText, rowMarks = nil, nil
			case "tc":
				cellText.Reset()
				cellParas, span, vmerge = 0, 1, ""
			case "gridSpan":
				span = atoi(val)
			case "vMerge":
				vmerge = "C"
				if val == "restart" {
					vmerge = "R"
				}
			case "p":
				if inTable {
					if cellParas > 0 {
						cellText.WriteString("\n")
					}
					cellParas++
				} else {
					inPara, paraStyle, paraText = true, "", ""
				}
			case "pStyle":
				if !inTable {
					paraStyle = val
				}
			}
		case xml.CharData:
			if inTable {
				cellText.Write(e)
			} else if inPara {
				paraText += string(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "tbl":
				inTable = false
			case "tr":
				cur.grid = append(cur.grid, rowText)
				cur.marks = append(cur.marks, rowMarks)
			case "tc":
				txt := cellText.String()
				if vmerge == "C" {
					txt = ""
				}
				rowText = append(rowText, txt)
				rowMarks = append(rowMarks, vmerge)
				for range span - 1 {
					rowText = append(rowText, "")
					rowMarks = append(rowMarks, "")
				}
			case "p":
				if !inTable && inPara {
					out.paras = append(out.paras, paraStyle+"|"+paraText)
					inPara = false
				}
			}
		}
	}
	return out
}

func TestDOCX(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	var b bytes.Buffer
	if err := r.WriteDOCX(&b); err != nil {
		t.Fatal(err)
	}
	got := readDOCX(t, b.Bytes())
	wantParas := []string{
		"Title|示例市交通运输局2024年政府信息公开工作年度报告",
		"Heading1|一、总体情况",
		"Body|2024年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",
		"Body|全年政府信息公开工作平稳有序。",
		"Heading1|二、主动公开政府信息情况",
		"TableText|",
		"Heading1|三、收到和处理政府信息公开申请情况",
		"TableText|",
		"Heading1|四、政府信息公开行政复议、行政诉讼情况",
		"TableText|",
		"Heading1|五、存在的主要问题及改进情况",
		"Body|一是依申请公开办理时效有待提高。",
		"Heading1|六、其他需要报告的事项",
		"Body|本年度无其他需要报告的事项。",
	}
	if diff := cmp.Diff(wantParas, got.paras); diff != "" {
		t.Errorf("paragraphs mismatch (-want +got):\n%s", diff)
	}
	if len(got.tables) != 3 {
		t.Fatalf("%d tables, want 3", len(got.tables))
	}
	for i, want := range [][][]string{wantGrid2, wantGrid3, wantGrid4} {
		if diff := cmp.Diff(want, got.tables[i].grid); diff != "" {
			t.Errorf("table %d mismatch (-want +got):\n%s", i, diff)
		}
	}
	// 三、本年度办理结果 is one cell merged down over 22 rows: a restart on
	// the row of （一）予以公开 and 21 continuations.
	var col0 []string
	for _, m := range got.tables[1].marks[5:27] {
		col0 = append(col0, m[0])
	}
	want := append([]string{"R"}, strings.Split(strings.Repeat("C", 21), "")...)
	if diff := cmp.Diff(want, col0); diff != "" {
		t.Errorf("vMerge of 三、本年度办理结果 mismatch (-want +got):\n%s", diff)
	}
	// Fonts: 仿宋 for the body, 宋体 for tables, 黑体 for headings.
	zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	for _, f := range zr.File {
		if f.Name != "word/styles.xml" {
			continue
		}
		rc, _ := f.Open()
		styles, _ := io.ReadAll(rc)
		rc.Close()
		for _, font := range []string{`w:eastAsia="仿宋"`, `w:eastAsia="宋体"`, `w:eastAsia="黑体"`} {
			if !bytes.Contains(styles, []byte(font)) {
				t.Errorf("styles.xml lacks %s", font)
			}
		}
	}
}

// TestDOCXOpensInLibreOffice converts the report with LibreOffice when it
// is installed: a file LibreOffice cannot read fails the conversion.
func TestDOCXOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil || testing.Short() {
		t.Skip("LibreOffice not installed (or -short); the XML is checked structurally by TestDOCX")
	}
	dir := t.TempDir()
	r := mustCompile(t, fixtureInput())
	var docxBuf, xlsxBuf bytes.Buffer
	if err := r.WriteDOCX(&docxBuf); err != nil {
		t.Fatal(err)
	}
	if err := r.WriteXLSX(&xlsxBuf); err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name string
		data []byte
	}{{"report.docx", docxBuf.Bytes()}}
	// The spreadsheet needs LibreOffice Calc, a separate package.
	if prog, err := filepath.EvalSymlinks(soffice); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(prog), "libsclo.so")); err == nil {
			files = append(files, struct {
				name string
				data []byte
			}{"report.xlsx", xlsxBuf.Bytes()})
		}
	}
	for _, file := range files {
		name, data := file.name, file.data
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "pdf", "--outdir", filepath.Join(dir, "out-"+name), filepath.Join(dir, name))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice %s: %v\n%s", name, err, out)
		}
		pdf := filepath.Join(dir, "out-"+name, "report.pdf")
		st, err := os.Stat(pdf)
		if err != nil || st.Size() < 1000 {
			t.Fatalf("no PDF from %s: %v\n%s", name, err, out)
		}
		if dst := os.Getenv("ANNUALREPORT_KEEP_PDF"); dst != "" {
			data, _ := os.ReadFile(pdf)
			os.WriteFile(filepath.Join(dst, name+".pdf"), data, 0o644)
		}
	}
}

// ---------- XLSX ----------

func TestXLSX(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	var b bytes.Buffer
	if err := r.WriteXLSX(&b); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff(wantHeadings[1:4], f.GetSheetList()); diff != "" {
		t.Errorf("sheets mismatch (-want +got):\n%s", diff)
	}
	for i, want := range [][][]string{wantGrid2, wantGrid3, wantGrid4} {
		sheet := wantHeadings[i+1]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		width := len(want[0])
		// GetRows drops trailing empty cells; pad to the table width.
		for k := range rows {
			for len(rows[k]) < width {
				rows[k] = append(rows[k], "")
			}
		}
		title := make([]string, width)
		title[0] = "示例市交通运输局2024年政府信息公开工作年度报告"
		heading := make([]string, width)
		heading[0] = sheet
		if diff := cmp.Diff(append([][]string{title, heading}, want...), rows); diff != "" {
			t.Errorf("sheet %s mismatch (-want +got):\n%s", sheet, diff)
		}
	}
	merges := map[string]bool{}
	for _, sheet := range wantHeadings[1:4] {
		ms, err := f.GetMergeCells(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			merges[sheet[:3]+" "+m.GetStartAxis()+":"+m.GetEndAxis()] = true
		}
	}
	// By hand: the table starts on row 3 (two title rows above it).
	for _, m := range []string{
		"二 A3:D3",   // 第二十条第（一）项
		"二 B8:D8",   // 本年处理决定数量
		"二 B16:D16", // 12.50
		"三 A3:C5",   // the 勾稽 note
		"三 D3:J3",   // 申请人情况
		"三 D4:D5",   // 自然人
		"三 E4:I4",   // 法人或其他组织
		"三 J4:J5",   // 总计
		"三 A6:C6",   // 一、本年新收…
		"三 A8:A29",  // 三、本年度办理结果
		"三 B8:C8",   // （一）予以公开
		"三 B10:B17", // （三）不予公开
		"三 B29:C29", // （七）总计
		"三 A30:C30", // 四、结转下年度继续办理
		"四 A3:E3",   // 行政复议
		"四 F3:O3",   // 行政诉讼
		"四 A4:A5",   // 结果维持 of 行政复议
		"四 F4:J4",   // 未经复议直接起诉
	} {
		if !merges[m] {
			t.Errorf("missing merged range %s", m)
		}
	}
}
