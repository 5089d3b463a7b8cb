package annualreport

import (
	"fmt"
	"strings"
	"time"

	"gongkai"
)

// OrgKind says whether the reporting organ is a people's government or one of
// its departments; the two have different publication deadlines (Art. 49)
// and governments report more in section 一 (Art. 50(四)).
type OrgKind string

// The two kinds of reporting organ.
const (
	OrgGovernment = OrgKind("government") // 县级以上地方人民政府（及乡镇人民政府）
	OrgDepartment = OrgKind("department") // 政府部门（含派出机构、内设机构）
)

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { return k == OrgGovernment || k == OrgDepartment }

// Org is what a report says about its organ.
type Org struct {
	Code string  // the platform's org code
	Name string  // full name, e.g. 某某市交通运输局
	Kind OrgKind // government or department
}

// Deadline returns the last day on which the report for year must be
// published: 31 January of the next year for departments, 31 March for
// governments (条例 Art. 49). Local rules may set earlier internal dates.
func Deadline(kind OrgKind, year int) gongkai.Date {
	if kind == OrgGovernment {
		return gongkai.NewDate(year+1, time.March, 31)
	}
	return gongkai.NewDate(year+1, time.January, 31)
}

// Texts are the three sections written in prose.
type Texts struct {
	Overview     string // 一、总体情况
	Shortcomings string // 五、存在的主要问题及改进情况
	Other        string // 六、其他需要报告的事项
}

// text returns the prose of section num ("一", "五" or "六"); ok is false
// for the sections made of tables.
func (r *Report) text(num string) (text string, ok bool) {
	switch num {
	case "一":
		return r.Texts.Overview, true
	case "五":
		return r.Texts.Shortcomings, true
	case "六":
		return r.Texts.Other, true
	}
	return "", false
}

// Report is one organ's annual report for one year. Its tables follow the
// layout of its Format exactly (same tables, columns and rows, in order);
// Compile and Decode guarantee this, and the encoders rely on it.
type Report struct {
	Format Format
	Org    Org
	Year   int
	// AsOf is set when the report was compiled before its year ended: the
	// figures are provisional as of that day and Check forbids publishing.
	AsOf gongkai.Date
	// Texts are the prose sections as they will be published.
	Texts Texts
	// Drafts are the prose sections computed from the data by Compile, for
	// the staff screen to offer; they are not part of the published report
	// and are empty after Decode.
	Drafts Texts
	// Tables are the blocks of table 二 followed by tables 三 and 四.
	Tables []Table
}

// Table is one table of the report, or one block of table 二.
type Table struct {
	Section string // "二", "三" or "四"
	Heading string // the block's 第二十条第（…）项 heading in section 二, else ""
	// Corner is the text of the merged cell above the row labels: 信息内容
	// in table 二, the 勾稽 note in table 三, "" in table 四.
	Corner  string
	Columns []Column
	Rows    []Row
}

// Column is one numeric column.
type Column struct {
	Label string
	// Groups are the merged header cells above Label, outermost first, e.g.
	// 行政诉讼, 复议后起诉 above 总计. They make a column's name unique.
	Groups []string
	// Decimals is 2 for amounts, 0 for counts.
	Decimals int
}

// Path returns the column's headers from outermost to the leaf, joined by
// "／": 行政诉讼／复议后起诉／总计.
func (c Column) Path() string {
	return strings.Join(append(append([]string(nil), c.Groups...), c.Label), "／")
}

// Row is one row. A group row (三、本年度办理结果, （三）不予公开 …) carries no
// numbers: Group is true and Values is nil. Other rows have one Value per
// column.
type Row struct {
	Label  string
	Level  int // nesting depth of the label: 0, 1 or 2
	Group  bool
	Values []Value
}

// CellRef names a cell by its official labels, as the check and diff screens
// show it.
type CellRef struct {
	Section string // "二", "三", "四"; "一", "五", "六" for the prose sections
	Heading string // block heading in section 二
	Row     string
	Column  string   // leaf label
	Groups  []string // the column's group labels, outermost first
}

// String names the cell in Chinese: 表三“（七）总计”行“自然人”列.
func (c CellRef) String() string {
	var b strings.Builder
	switch c.Section {
	case "二", "三", "四":
		b.WriteString("表" + c.Section)
	default:
		if h := sectionHeading(c.Section); h != "" {
			return h
		}
		return c.Section
	}
	b.WriteString(c.Heading)
	if c.Row != "" {
		fmt.Fprintf(&b, "“%s”行", c.Row)
	}
	if c.Column != "" {
		col := Column{Label: c.Column, Groups: c.Groups}
		fmt.Fprintf(&b, "“%s”列", col.Path())
	}
	return b.String()
}

// ref returns the CellRef of row i, column j of table t (j < 0: the row).
func (t *Table) ref(i, j int) CellRef {
	c := CellRef{Section: t.Section, Heading: t.Heading}
	if i >= 0 {
		c.Row = t.Rows[i].Label
	}
	if j >= 0 {
		c.Column = t.Columns[j].Label
		c.Groups = t.Columns[j].Groups
	}
	return c
}

// Lookup returns the value of the cell ref names, comparing labels exactly;
// ok is false when the report has no such cell (for example a 2021 label in
// a 2019 report). The staff screen uses it for year-on-year columns.
func (r *Report) Lookup(ref CellRef) (v Value, ok bool) {
	ti, ri, ci, ok := r.locate(ref)
	if !ok || ci < 0 {
		return Value{}, false
	}
	return r.Tables[ti].Rows[ri].Values[ci], true
}

// locate finds the cell ref names by its labels: the table, the row and the
// column (ci = -1 when ref names a whole row, by its row label alone). Group
// rows carry no cells and are never found.
func (r *Report) locate(ref CellRef) (ti, ri, ci int, ok bool) {
	for ti := range r.Tables {
		t := &r.Tables[ti]
		if t.Section != ref.Section || t.Heading != ref.Heading {
			continue
		}
		ci := -1
		if ref.Column != "" || len(ref.Groups) > 0 {
			for k, c := range t.Columns {
				if c.Label == ref.Column && equalStrings(c.Groups, ref.Groups) {
					ci = k
				}
			}
			if ci < 0 {
				continue
			}
		}
		for ri, row := range t.Rows {
			if row.Label == ref.Row && !row.Group && (ci < 0 || ci < len(row.Values)) {
				return ti, ri, ci, true
			}
		}
	}
	return 0, 0, 0, false
}

// CellID returns the HTML id of the cell ref names, as MarkedTableHTML gives
// it and the staff screen links to it: "cell-", the section's digit, the
// layout's key of the row and, for a cell, of the column —
// cell-3-carried-natural is 表三“二、上年结转政府信息公开申请数量”行“自然人”列,
// cell-3-carried the row itself. The keys are the layout's, so the id is
// ASCII, the same every year and unique in the report. ok is false when
// r has no such cell or row.
func (r *Report) CellID(ref CellRef) (id string, ok bool) {
	specs, err := r.specs()
	if err != nil {
		return "", false
	}
	ti, ri, ci, ok := r.locate(ref)
	if !ok {
		return "", false
	}
	return cellID(specs[ti], ri, ci), true
}

// cellID is the id of row ri, column ci (or the row when ci < 0) of a table
// with layout s.
func cellID(s *tableSpec, ri, ci int) string {
	id := "cell-" + sectionSlug(s.section) + "-" + s.rows[ri].key
	if ci >= 0 {
		id += "-" + s.cols[ci].key
	}
	return id
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// specs returns the layout of r's format, or an error when r's tables do not
// have that layout's shape (which Compile and Decode never produce).
func (r *Report) specs() ([]*tableSpec, error) {
	specs, ok := layouts[r.Format]
	if !ok {
		return nil, fmt.Errorf("annualreport: unknown format %q", r.Format)
	}
	if len(r.Tables) != len(specs) {
		return nil, fmt.Errorf("annualreport: %d tables, format %s has %d", len(r.Tables), r.Format, len(specs))
	}
	for i, s := range specs {
		t := &r.Tables[i]
		if len(t.Rows) != len(s.rows) || len(t.Columns) != len(s.cols) {
			return nil, fmt.Errorf("annualreport: table %s%s does not have the layout of format %s", t.Section, t.Heading, r.Format)
		}
		for _, row := range t.Rows {
			if !row.Group && len(row.Values) != len(t.Columns) {
				return nil, fmt.Errorf("annualreport: row %q has %d values, want %d", row.Label, len(row.Values), len(t.Columns))
			}
		}
	}
	return specs, nil
}

// newReport returns a report of the given format whose data cells are all
// empty (not valid) and whose labels come from the layout.
func newReport(f Format, org Org, year int) *Report {
	r := &Report{Format: f, Org: org, Year: year}
	for _, s := range layouts[f] {
		t := Table{Section: s.section, Heading: s.heading, Corner: s.corner}
		for _, c := range s.cols {
			t.Columns = append(t.Columns, Column{Label: c.label, Groups: c.groups, Decimals: c.decimals})
		}
		for _, rs := range s.rows {
			row := Row{Label: rs.label, Level: rs.level, Group: rs.group}
			if !rs.group {
				row.Values = make([]Value, len(s.cols))
			}
			t.Rows = append(t.Rows, row)
		}
		r.Tables = append(r.Tables, t)
	}
	return r
}

// Sum adds up reports of the same format and year into one report for org,
// as a 政务公开办 does for its departments and lower governments (for
// internal use; a government's own published report covers only itself). A
// cell is empty in the sum when it is empty in any report, so that missing
// figures stay visible. The prose sections are left empty.
func Sum(org Org, reports []*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, gongkai.Errorf(gongkai.EINVALID, "请至少选择一份年度报告进行汇总。")
	}
	first := reports[0]
	sum := newReport(first.Format, org, first.Year)
	for _, r := range reports {
		if r.Format != first.Format || r.Year != first.Year {
			return nil, gongkai.Errorf(gongkai.EINVALID, "只能汇总同一年度、同一格式的年度报告：%s的报告为%d年（%s年格式），与%d年（%s年格式）不同。",
				r.Org.Name, r.Year, r.Format, first.Year, first.Format)
		}
		if _, err := r.specs(); err != nil {
			return nil, err
		}
		if r.AsOf.After(sum.AsOf) {
			sum.AsOf = r.AsOf
		}
	}
	for ti := range sum.Tables {
		for ri, row := range sum.Tables[ti].Rows {
			if row.Group {
				continue
			}
			for ci := range row.Values {
				v := Num(0)
				for _, r := range reports {
					x := r.Tables[ti].Rows[ri].Values[ci]
					v = Value{N: v.N + x.N, Valid: v.Valid && x.Valid}
				}
				if !v.Valid {
					v = Value{}
				}
				row.Values[ci] = v
			}
		}
	}
	return sum, nil
}
