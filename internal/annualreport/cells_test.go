package annualreport_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"gongkai/internal/annualreport"
)

// TestCheckCells: every problem names the cells it concerns, and each of
// them has an id in the staff screen's tables. The ids are written by hand
// from the layout's keys (section digit, row key, column key).
func TestCheckCells(t *testing.T) {
	type problem struct {
		Severity annualreport.Severity
		Cell     string   // Cell.String()
		IDs      []string // CellID of each of Cells
	}
	const (
		errorSev = annualreport.SeverityError
		warnSev  = annualreport.SeverityWarning
	)
	// Table 三 is Tables[4]: row 0 一、本年新收, 1 二、上年结转, 3 （一）予以公开,
	// 28 （七）总计, 29 四、结转下年度; column 0 自然人, 6 总计. Table 四 is
	// Tables[5]: column 4 行政复议／总计, 14 行政诉讼／复议后起诉／总计.
	add := func(r *annualreport.Report, ti, ri, ci int, n int64) {
		v := &r.Tables[ti].Rows[ri].Values[ci]
		*v = annualreport.Num(v.N + n)
	}
	tests := []struct {
		name  string
		input func(*annualreport.Input)
		edit  func(r, prev *annualreport.Report) *annualreport.Report // returns prev
		want  []problem
	}{
		{
			name: "一+二 ≠ 七+四 names the four cells of the column",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(r, 4, 0, 0, 1) // one more 自然人 received; the row's 总计 follows,
				add(r, 4, 0, 6, 1) // so only the two columns fail to balance
				return prev
			},
			want: []problem{
				{errorSev, "表三“申请人情况／自然人”列", []string{"cell-3-new-natural", "cell-3-carried-natural", "cell-3-total-natural", "cell-3-next-natural"}},
				{errorSev, "表三“申请人情况／总计”列", []string{"cell-3-new-total", "cell-3-carried-total", "cell-3-total-total", "cell-3-next-total"}},
			},
		},
		{
			name: "总计 column ≠ the six applicants names the row's 总计 cell",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(r, 4, 3, 6, 1) // （一）予以公开 总计 one too many
				return prev
			},
			want: []problem{
				// The 总计 column's （七）总计 no longer adds up either.
				{errorSev, "表三“（七）总计”行“申请人情况／总计”列", []string{"cell-3-total-total"}},
				{errorSev, "表三“（一）予以公开”行“申请人情况／总计”列", []string{"cell-3-granted-total"}},
			},
		},
		{
			name: "（七）总计 ≠ the leaf rows names the （七）总计 cell",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(r, 4, 28, 0, -1) // （七）总计 自然人 one short; 四 one more keeps 一+二 = 七+四
				add(r, 4, 29, 0, 1)
				add(r, 4, 28, 6, -1)
				add(r, 4, 29, 6, 1)
				return prev
			},
			want: []problem{
				{errorSev, "表三“（七）总计”行“申请人情况／自然人”列", []string{"cell-3-total-natural"}},
				{errorSev, "表三“（七）总计”行“申请人情况／总计”列", []string{"cell-3-total-total"}},
			},
		},
		{
			name: "复议 total names its cell",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(r, 5, 0, 4, 1)
				return prev
			},
			want: []problem{{errorSev, "表四“行政复议／总计”列", []string{"cell-4-cases-reconsideration.total"}}},
		},
		{
			name: "诉讼 total names its cell",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(r, 5, 0, 14, -1)
				return prev
			},
			want: []problem{{errorSev, "表四“行政诉讼／复议后起诉／总计”列", []string{"cell-4-cases-after_reconsideration.total"}}},
		},
		{
			name: "上年结转 ≠ last year's 结转下年度 names the 上年结转 cells",
			edit: func(r, prev *annualreport.Report) *annualreport.Report {
				add(prev, 4, 29, 0, -1)
				add(prev, 4, 29, 6, -1)
				return prev
			},
			want: []problem{
				{warnSev, "表三“二、上年结转政府信息公开申请数量”行“申请人情况／自然人”列", []string{"cell-3-carried-natural"}},
				{warnSev, "表三“二、上年结转政府信息公开申请数量”行“申请人情况／总计”列", []string{"cell-3-carried-total"}},
			},
		},
		{
			name: "no report of last year names the 上年结转 row",
			edit: func(r, prev *annualreport.Report) *annualreport.Report { return nil },
			want: []problem{{warnSev, "表三“二、上年结转政府信息公开申请数量”行", []string{"cell-3-carried"}}},
		},
		{
			name:  "missing figure names its cell",
			input: func(in *annualreport.Input) { in.Figures.Licensing = nil },
			want:  []problem{{errorSev, "表二第二十条第（五）项“行政许可”行“本年处理决定数量”列", []string{"cell-2-licensing-decisions"}}},
		},
		{
			name:  "negative amount names its cell",
			input: func(in *annualreport.Input) { in.Figures.Fees = ptr(annualreport.Amount(-5)) },
			want:  []problem{{errorSev, "表二第二十条第（八）项“行政事业性收费”行“本年收费金额（单位：万元）”列", []string{"cell-2-fees-amount"}}},
		},
		{
			name:  "a prose section has no cell",
			input: func(in *annualreport.Input) { in.Texts.Shortcomings = "" },
			want:  []problem{{errorSev, "五、存在的主要问题及改进情况", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixtureInput()
			if tt.input != nil {
				tt.input(&in)
			}
			r := mustCompile(t, in)
			prev := mustDecodeFile(t, "published-2023.json")
			if tt.edit != nil {
				prev = tt.edit(r, prev)
			}
			var got []problem
			for _, p := range r.Check(prev) {
				g := problem{Severity: p.Severity, Cell: p.Cell.String()}
				for _, c := range p.Cells {
					id, ok := r.CellID(c)
					if !ok {
						id = "no id for " + c.String()
					}
					g.IDs = append(g.IDs, id)
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCellIDs: every cell and leaf row of both formats has an id, and no
// two share one.
func TestCellIDs(t *testing.T) {
	for _, r := range []*annualreport.Report{mustCompile(t, fixtureInput()), mustDecodeFile(t, "report-2019.json")} {
		seen := map[string]string{}
		n := 0
		for _, tb := range r.Tables {
			for _, row := range tb.Rows {
				if row.Group {
					if _, ok := r.CellID(annualreport.CellRef{Section: tb.Section, Heading: tb.Heading, Row: row.Label}); ok {
						t.Errorf("%s: group row %q has an id", r.Format, row.Label)
					}
					continue
				}
				refs := []annualreport.CellRef{{Section: tb.Section, Heading: tb.Heading, Row: row.Label}}
				for _, c := range tb.Columns {
					refs = append(refs, annualreport.CellRef{Section: tb.Section, Heading: tb.Heading, Row: row.Label, Column: c.Label, Groups: c.Groups})
				}
				for _, ref := range refs {
					id, ok := r.CellID(ref)
					if !ok || id == "" || strings.ContainsAny(id, " \t\n") || !strings.HasPrefix(id, "cell-") {
						t.Errorf("%s: CellID(%s) = %q, %v", r.Format, ref, id, ok)
						continue
					}
					if other, dup := seen[id]; dup {
						t.Errorf("%s: %s and %s share the id %q", r.Format, other, ref, id)
					}
					seen[id] = ref.String()
					n++
				}
			}
		}
		// 2021: table 二 8 + 2 + 4 + 2 (rows and cells), table 三 25 leaf
		// rows × (1 + 7), table 四 1 + 15.
		if want := 16 + 200 + 16; r.Format == annualreport.Format2021 && n != want {
			t.Errorf("%s: %d ids, want %d", r.Format, n, want)
		}
	}
	r := mustCompile(t, fixtureInput())
	for _, ref := range []annualreport.CellRef{
		{Section: "三", Row: "（七）总计", Column: "自然人"}, // groups missing
		{Section: "三", Row: "（七）总计", Column: "总计", Groups: []string{"行政复议"}},
		{Section: "二", Row: "行政许可", Column: "本年处理决定数量"}, // heading missing
		{Section: "三", Row: "五、不存在"},
		{Section: "五"},
	} {
		if id, ok := r.CellID(ref); ok {
			t.Errorf("CellID(%s) = %q, want none", ref, id)
		}
	}
}

// TestMarkedTableHTML: marked cells carry the id, the classes, the
// description and a link per mark; unmarked tables are TableHTML's.
func TestMarkedTableHTML(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	marks := map[string][]annualreport.CellMark{
		"cell-3-new-natural": {{Blocking: true, Target: "problem-1", Text: "错误1"}},
		"cell-3-next-total":  {{Blocking: false, Target: "problem-2", Text: "提醒2"}, {Blocking: true, Target: "problem-3", Text: "错误3"}},
		"cell-3-carried":     {{Blocking: false, Target: "problem-4", Text: "提醒4"}},
		"cell-2-fees-amount": {{Blocking: true, Target: "problem-5", Text: "错误5"}}, // another table: ignored here
	}
	frag, err := r.MarkedTableHTML("三", marks)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(frag)))
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*html.Node{}
	var marked []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				byID[id] = n
			}
			if strings.Contains(" "+attr(n, "class")+" ", " marked ") {
				marked = append(marked, attr(n, "id"))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if diff := cmp.Diff([]string{"cell-3-new-natural", "t3-0-r-1", "cell-3-next-total"}, marked); diff != "" {
		t.Errorf("marked cells mismatch (-want +got):\n%s", diff)
	}
	links := func(n *html.Node) []string {
		var out []string
		for _, a := range findAll(n, "a") {
			out = append(out, attr(a, "href")+" "+text(a))
		}
		return out
	}
	for _, c := range []struct {
		id, tag, class, describedBy, text string
		links                             []string
	}{
		{"cell-3-new-natural", "td", "num marked mark-error", "problem-1", "5 错误1", []string{"#problem-1 错误1"}},
		{"cell-3-next-total", "td", "num marked mark-error", "problem-2 problem-3", "3 提醒2 错误3", []string{"#problem-2 提醒2", "#problem-3 错误3"}},
		// A row label keeps its header id; its marks carry the cell id.
		{"t3-0-r-1", "th", "marked mark-warning", "problem-4", "二、上年结转政府信息公开申请数量 提醒4", []string{"#problem-4 提醒4"}},
	} {
		n := byID[c.id]
		if n == nil {
			t.Errorf("no element with id %q", c.id)
			continue
		}
		got := [4]string{n.Data, attr(n, "class"), attr(n, "aria-describedby"), text(n)}
		if want := [4]string{c.tag, c.class, c.describedBy, c.text}; got != want {
			t.Errorf("%s: tag/class/aria-describedby/text = %q, want %q", c.id, got, want)
		}
		if diff := cmp.Diff(c.links, links(n)); diff != "" {
			t.Errorf("%s: links mismatch (-want +got):\n%s", c.id, diff)
		}
	}
	if span := byID["cell-3-carried"]; span == nil || span.Parent != byID["t3-0-r-1"] {
		t.Errorf("the marks of the 上年结转 row label do not carry its cell id")
	}

	// Without marks (or with marks for other cells only) nothing changes,
	// and the portal's HTML never has marks.
	for _, sec := range []string{"二", "三", "四"} {
		plain, _ := r.TableHTML(sec)
		none, _ := r.MarkedTableHTML(sec, map[string][]annualreport.CellMark{"cell-9-nothing": {{Target: "x", Text: "x"}}})
		if plain != none {
			t.Errorf("表%s: unmatched marks changed the table", sec)
		}
		if strings.Contains(string(plain), "marked") || strings.Contains(string(plain), "cell-") {
			t.Errorf("表%s: TableHTML has marks", sec)
		}
	}
	full, _ := r.HTML()
	if strings.Contains(string(full), "marked") || strings.Contains(string(full), "aria-describedby") {
		t.Error("HTML() has marks")
	}
}
