package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// markedPage is what the workspace says about the cells Check names: the
// marked cells of the tables and the problem list's items.
type markedPage struct {
	cells    map[string]markedCell // by the cell's id
	problems map[string]listedItem // by the item's id
	order    []string              // problem ids in list order
}

type markedCell struct {
	Class, DescribedBy string
	Links              []string // href text, of the marks in the cell
}

type listedItem struct {
	Text  string
	Links []string // hrefs
}

func parseMarked(t *testing.T, body string) markedPage {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, key string) string {
		for _, a := range n.Attr {
			if a.Key == key {
				return a.Val
			}
		}
		return ""
	}
	var textOf func(*html.Node) string
	textOf = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(textOf(c))
		}
		return b.String()
	}
	var links func(n *html.Node, withText bool) []string
	links = func(n *html.Node, withText bool) []string {
		var out []string
		if n.Type == html.ElementNode && n.Data == "a" {
			s := attr(n, "href")
			if withText {
				s += " " + textOf(n)
			}
			out = append(out, s)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			out = append(out, links(c, withText)...)
		}
		return out
	}
	p := markedPage{cells: map[string]markedCell{}, problems: map[string]listedItem{}}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			classes := " " + attr(n, "class") + " "
			switch {
			case strings.Contains(classes, " marked "):
				id := attr(n, "id")
				if n.Data == "th" { // a row label: its marks carry the cell id
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && strings.Contains(attr(c, "class"), "cell-marks") {
							id = attr(c, "id")
						}
					}
				}
				p.cells[id] = markedCell{Class: attr(n, "class"), DescribedBy: attr(n, "aria-describedby"), Links: links(n, true)}
			case n.Data == "li" && strings.HasPrefix(attr(n, "id"), "problem-"):
				p.problems[attr(n, "id")] = listedItem{Text: strings.Join(strings.Fields(textOf(n)), " "), Links: links(n, false)}
				p.order = append(p.order, attr(n, "id"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p
}

// TestAnnualReportCellMarks: a report that fails a check shows on the
// workspace which cell and why — the cell is marked, described by the
// problem and links to it, the problem links to the cell — errors and
// warnings marked differently; a clean report has no marks; exports carry
// none.
func TestAnnualReportCellMarks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := reportEnv(t, db)
		c := e.browser()
		token := e.login(c, "depteditor", e.fix.Password)
		const path = "/admin/annual-reports/city-fgw/2025"
		importJSON := func(doc string) {
			t.Helper()
			resp, body := e.postMultipart(c, "/admin/annual-reports/city-fgw/import", url.Values{"csrf_token": {token}, "back": {"2025"}, "json": {doc}}, nil)
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("import: %d %.500s", resp.StatusCode, body)
			}
		}
		page := func(what string) (markedPage, string) {
			t.Helper()
			resp, body := e.get(c, path)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", what, resp.StatusCode)
			}
			return parseMarked(t, body), body
		}

		// Before any report of 2024 is known, the 上年结转 row is marked
		// with the warning that it cannot be checked.
		first, _ := page("no 2024")
		if diff := cmp.Diff(map[string]markedCell{"cell-3-carried": {"marked mark-warning", "problem-1", []string{"#problem-1 提醒1"}}}, first.cells); diff != "" {
			t.Errorf("marked cells without last year's report (-want +got):\n%s", diff)
		}
		if p := first.problems["problem-1"]; !slices.Equal(p.Links, []string{"#cell-3-carried"}) || !strings.Contains(p.Text, "未找到2024年已发布的年度报告") {
			t.Errorf("problem without last year's report: %+v", p)
		}

		// Clean: last year's report, compiled from the same data, imported
		// as history; every figure entered. No problem, no mark.
		resp, y2024 := e.get(c, "/admin/annual-reports/city-fgw/2024.json")
		if resp.StatusCode != 200 {
			t.Fatalf("2024 json: %d", resp.StatusCode)
		}
		importJSON(y2024)
		clean, body := page("clean")
		if len(clean.cells) != 0 || len(clean.problems) != 0 {
			t.Errorf("clean report: marked cells %v, problems %v", clean.cells, clean.problems)
		}
		wantIn(t, "clean report", body, "表格的勾稽关系、填报完整性和上年结转均已核对通过", "提交审核发布")
		for _, s := range []string{"cell-mark", "aria-describedby=\"problem-", `id="cell-`} {
			if strings.Contains(body, s) {
				t.Errorf("clean report has %q", s)
			}
		}

		// An error: 行政许可 not entered. A warning: last year's report said
		// one natural person fewer was carried forward.
		form := url.Values{"csrf_token": {token}, "licensing": {""}, "penalty": {"3"}, "enforcement": {"0"}, "fees": {"12.5"},
			"overview": {storetest.ReportOverview}, "shortcomings": {storetest.ReportShortcomings}, "other": {storetest.ReportOther}}
		if resp, _ := e.post(c, path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", resp.StatusCode)
		}
		prev := jsonBody(t, y2024).(map[string]any)
		var natural, total float64
		for _, tb := range prev["tables"].([]any) {
			tb := tb.(map[string]any)
			if tb["section"] != "三" {
				continue
			}
			for _, row := range tb["rows"].([]any) {
				row := row.(map[string]any)
				if row["label"] == "四、结转下年度继续办理" {
					vs := row["values"].([]any)
					natural, total = vs[0].(float64), vs[6].(float64)
					vs[0], vs[6] = natural+1, total+1
				}
			}
		}
		b, err := json.Marshal(prev)
		if err != nil {
			t.Fatal(err)
		}
		importJSON(string(b))

		got, body := page("failing")
		wantIn(t, "failing report", body, "标为“错误”的问题须先改正")
		if strings.Contains(body, "提交审核发布</button>") {
			t.Error("a failing report offers submission")
		}
		if diff := cmp.Diff([]string{"problem-1", "problem-2", "problem-3"}, got.order); diff != "" {
			t.Fatalf("problems mismatch (-want +got):\n%s\n%v", diff, got.problems)
		}
		wantCells := map[string]markedCell{
			"cell-2-licensing-decisions": {"num marked mark-error", "problem-1", []string{"#problem-1 错误1"}},
			"cell-3-carried-natural":     {"num marked mark-warning", "problem-2", []string{"#problem-2 提醒2"}},
			"cell-3-carried-total":       {"num marked mark-warning", "problem-3", []string{"#problem-3 提醒3"}},
		}
		if diff := cmp.Diff(wantCells, got.cells); diff != "" {
			t.Errorf("marked cells mismatch (-want +got):\n%s", diff)
		}
		wantProblems := map[string]listedItem{
			"problem-1": {"错误1 表二第二十条第（五）项“行政许可”行“本年处理决定数量”列：“行政许可”行“本年处理决定数量”列尚未填写。", []string{"#cell-2-licensing-decisions"}},
			"problem-2": {"提醒2 表三“二、上年结转政府信息公开申请数量”行“申请人情况／自然人”列：“自然人”列：上年结转" + ftoa(natural) + "件，与2024年已发布年度报告的“结转下年度继续办理”" + ftoa(natural+1) + "件不一致（相差-1件）。可能是已发布后更正了申请数据，请核实并在报告中说明。", []string{"#cell-3-carried-natural"}},
			"problem-3": {"提醒3 表三“二、上年结转政府信息公开申请数量”行“申请人情况／总计”列：“总计”列：上年结转" + ftoa(total) + "件，与2024年已发布年度报告的“结转下年度继续办理”" + ftoa(total+1) + "件不一致（相差-1件）。可能是已发布后更正了申请数据，请核实并在报告中说明。", []string{"#cell-3-carried-total"}},
		}
		if diff := cmp.Diff(wantProblems, got.problems); diff != "" {
			t.Errorf("problem list mismatch (-want +got):\n%s", diff)
		}
		// Every link of the list reaches a marked cell and back.
		for id, p := range got.problems {
			for _, href := range p.Links {
				cell, ok := got.cells[strings.TrimPrefix(href, "#")]
				if !ok || !slices.Contains(strings.Fields(cell.DescribedBy), id) {
					t.Errorf("%s links to %s, which is not marked for it", id, href)
				}
			}
		}

		// The exports carry no marks.
		for _, ext := range []string{".html", ".json"} {
			_, body := e.get(c, path+ext)
			if strings.Contains(body, "cell-mark") || strings.Contains(body, "problem-") {
				t.Errorf("%s export has marks", ext)
			}
		}
	})
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
