package annualreport

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// Title is the report's title as published: 某某局2024年政府信息公开工作年度报告.
func (r *Report) Title() string {
	return fmt.Sprintf("%s%d年政府信息公开工作年度报告", r.Org.Name, r.Year)
}

// htmlSection is one section of the HTML rendering.
type htmlSection struct {
	Heading string
	Paras   []string
	Table   *htmlTable
}

type htmlTable struct {
	Caption string
	Head    [][]htmlCell // rows before the first number (tables 三, 四)
	Bodies  [][][]htmlCell
}

type htmlCell struct {
	Header  bool
	Scope   string
	ID      string
	Headers string
	RowSpan int
	ColSpan int
	Text    string
	Class   string
	// Set on marked cells only (MarkedTableHTML).
	DescribedBy string
	MarkID      string // id of the marks, for a row label whose ID names it as a header
	Marks       []CellMark
}

// CellMark is a finding of Check shown on a cell of the staff screen's
// tables (MarkedTableHTML).
type CellMark struct {
	Blocking bool   // an error, which stops publication; else a warning
	Target   string // id of the element that states the finding: the cell is described by it and links to it
	Text     string // the mark's visible text, e.g. 错误2
}

// The template emits only escaped text and fixed attribute names; cells carry
// rowspan/colspan exactly as in the official layout, header cells carry
// scope and id, and every number names all its headers, so screen readers
// announce e.g. “行政诉讼 复议后起诉 结果维持”.
var reportTemplate = template.Must(template.New("report").Parse(`
{{- define "cell"}}{{if .Header}}<th{{else}}<td{{end}}
{{- with .Scope}} scope="{{.}}"{{end}}{{with .ID}} id="{{.}}"{{end}}{{with .Headers}} headers="{{.}}"{{end}}
{{- if gt .RowSpan 1}} rowspan="{{.RowSpan}}"{{end}}{{if gt .ColSpan 1}} colspan="{{.ColSpan}}"{{end}}{{with .Class}} class="{{.}}"{{end}}
{{- with .DescribedBy}} aria-describedby="{{.}}"{{end}}>
{{- .Text}}{{with .Marks}}<span class="cell-marks"{{with $.MarkID}} id="{{.}}"{{end}}>
{{- range .}} <a class="cell-mark {{if .Blocking}}mark-error{{else}}mark-warning{{end}}" href="#{{.Target}}">{{.Text}}</a>{{end -}}
</span>{{end}}{{if .Header}}</th>{{else}}</td>{{end}}{{end}}
{{- define "table"}}<table class="annual-report-table">
<caption>{{.Caption}}</caption>
{{- if .Head}}
<thead>
{{- range .Head}}
<tr>{{range .}}{{template "cell" .}}{{end}}</tr>
{{- end}}
</thead>
{{- end}}
{{- range .Bodies}}
<tbody>
{{- range .}}
<tr>{{range .}}{{template "cell" .}}{{end}}</tr>
{{- end}}
</tbody>
{{- end}}
</table>
{{end}}
{{- define "sections"}}{{range .}}<section class="annual-report-section">
<h2>{{.Heading}}</h2>
{{range .Paras}}<p>{{.}}</p>
{{end}}{{with .Table}}{{template "table" .}}{{end}}</section>
{{end}}{{end}}`))

// HTML renders the whole report body (the six sections with their headings
// as <h2>, prose as <p>, the three tables) as a fragment for the portal page,
// which supplies the <h1> title and the styles (class annual-report-table).
func (r *Report) HTML() (template.HTML, error) {
	var secs []htmlSection
	h := Headings()
	for i, num := range sectionNumbers {
		text, ok := r.text(num)
		s := htmlSection{Heading: h[i], Paras: paragraphs(text)}
		if !ok {
			t, err := r.htmlTable(num, nil)
			if err != nil {
				return "", err
			}
			s.Table = t
		}
		secs = append(secs, s)
	}
	return execute("sections", secs)
}

// sectionHeading returns the heading of the section numbered num.
func sectionHeading(num string) string {
	for i, n := range sectionNumbers {
		if n == num {
			return Headings()[i]
		}
	}
	return ""
}

// TableHTML renders the table of one section ("二", "三" or "四") alone.
func (r *Report) TableHTML(section string) (template.HTML, error) {
	return r.MarkedTableHTML(section, nil)
}

// MarkedTableHTML renders the table of one section for the staff screen,
// with Check's findings on the cells they concern. marks is keyed by CellID.
// A marked data cell gets that id; a marked row label (whose id already
// names it as a header) gives it to its marks. Either gets the class
// "marked" plus "mark-error" when any of its marks blocks, else
// "mark-warning"; aria-describedby listing the marks' targets; and after its
// text one link per mark, to its target, showing its text. Without marks
// the table is exactly TableHTML's; the portal page and the exports never
// carry marks.
func (r *Report) MarkedTableHTML(section string, marks map[string][]CellMark) (template.HTML, error) {
	t, err := r.htmlTable(section, marks)
	if err != nil {
		return "", err
	}
	return execute("table", t)
}

// mark adds marks to a cell of the HTML table.
func (hc *htmlCell) mark(id string, marks []CellMark) {
	blocking := false
	var targets []string
	for _, m := range marks {
		blocking = blocking || m.Blocking
		targets = append(targets, m.Target)
	}
	cls := "marked mark-warning"
	if blocking {
		cls = "marked mark-error"
	}
	if hc.ID == "" {
		hc.ID = id
	} else {
		hc.MarkID = id
	}
	hc.Class = strings.TrimSpace(hc.Class + " " + cls)
	hc.DescribedBy = strings.Join(targets, " ")
	hc.Marks = marks
}

func execute(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := reportTemplate.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	// The buffer holds html/template output: every value was escaped.
	return template.HTML(b.String()), nil
}

// paragraphs splits prose into its non-empty lines.
func paragraphs(s string) []string {
	var ps []string
	for _, line := range strings.Split(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ps = append(ps, line)
		}
	}
	return ps
}

func (r *Report) htmlTable(section string, marks map[string][]CellMark) (*htmlTable, error) {
	specs, err := r.specs()
	if err != nil {
		return nil, err
	}
	g := sectionGrid(r, section)
	if g.rows == 0 {
		return nil, fmt.Errorf("annualreport: no table in section %q", section)
	}
	_, caption, _ := strings.Cut(sectionHeading(section), "、")
	t := &htmlTable{Caption: caption}
	byRow := make([][]htmlCell, g.rows)
	hasData := make([]bool, g.rows)
	startsBlock := make([]bool, g.rows)
	for _, c := range g.cells {
		hc := htmlCell{ID: c.id, RowSpan: c.rowSpan, ColSpan: c.colSpan, Text: c.text}
		switch c.kind {
		case kindHeading:
			hc.Header, hc.Class = true, "block-heading"
			startsBlock[c.row] = true
		case kindCorner:
			if c.text == infoContent {
				hc.Header, hc.Scope = true, "col"
			} else {
				hc.Class, hc.ID = "note", ""
			}
		case kindColHeader:
			hc.Header, hc.Scope = true, "col"
		case kindRowHeader:
			hc.Header, hc.Scope = true, "row"
		case kindData:
			hc.Headers, hc.Class = strings.Join(c.headers, " "), "num"
			hasData[c.row] = true
		}
		// Data cells and leaf row labels (ci == -1) can be marked.
		if len(marks) > 0 && (c.kind == kindData || c.kind == kindRowHeader && c.ci < 0) {
			id := cellID(specs[c.ti], c.ri, c.ci)
			if ms := marks[id]; len(ms) > 0 {
				hc.mark(id, ms)
			}
		}
		byRow[c.row] = append(byRow[c.row], hc)
	}
	row := 0
	if !startsBlock[0] {
		for row < g.rows && !hasData[row] {
			t.Head = append(t.Head, byRow[row])
			row++
		}
	}
	for ; row < g.rows; row++ {
		if startsBlock[row] || len(t.Bodies) == 0 {
			t.Bodies = append(t.Bodies, nil)
		}
		b := &t.Bodies[len(t.Bodies)-1]
		*b = append(*b, byRow[row])
	}
	return t, nil
}

// pageTemplate wraps the fragment of HTML into a complete document for
// saving or printing (the CLI's and workspace's --format html): it carries
// its own styles, since it is opened outside the portal.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: "FangSong", "仿宋", serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.75; }
h1 { font-family: "SimHei", "黑体", sans-serif; text-align: center; font-size: 1.6rem; }
h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 1.2rem; }
p { text-indent: 2em; margin: .3em 0; }
p.note { text-align: center; text-indent: 0; }
.annual-report-section { overflow-x: auto; }
table { border-collapse: collapse; font-family: "SimSun", "宋体", serif; font-size: .85rem; margin: .5rem 0 1rem; }
caption { font-weight: bold; padding: .3rem; }
th, td { border: 1px solid #000; padding: .2rem .35rem; }
th { font-weight: normal; }
td { text-align: center; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Note}}<p class="note">{{.}}</p>
{{end}}{{.Body}}</body>
</html>
`))

// WriteHTML writes r as a complete HTML document: the title, the
// provisional note if any, and the fragment of HTML.
func (r *Report) WriteHTML(w io.Writer) error {
	body, err := r.HTML()
	if err != nil {
		return err
	}
	return pageTemplate.Execute(w, struct {
		Title, Note string
		Body        template.HTML
	}{r.Title(), r.provisionalNote(), body})
}
