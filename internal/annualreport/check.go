package annualreport

import (
	"fmt"
	"strings"
)

// Severity says whether a problem stops publication.
type Severity int

// The two severities.
const (
	// SeverityError blocks publication: the report is wrong or incomplete.
	SeverityError Severity = iota + 1
	// SeverityWarning is shown to staff but does not block: the report may
	// be right and the data elsewhere wrong, or only people can judge.
	SeverityWarning
)

// String returns 错误 or 提醒.
func (s Severity) String() string {
	if s == SeverityError {
		return "错误"
	}
	return "提醒"
}

// Problem is one finding of Check. Cell is what the message is about: a
// cell, a row, a column of table 三, a prose section, or nothing for the
// report as a whole. Cells are the table cells (or rows) the finding
// concerns, for the staff screen to mark (CellID gives their ids): the cell
// itself for a missing or negative figure, the 总计 cell whose sum is wrong,
// the four cells 一, 二, （七）总计 and 四 of a column that does not balance,
// the 上年结转 cell that differs from last year's report; none for a prose
// section or the whole report.
type Problem struct {
	Severity Severity
	Cell     CellRef
	Cells    []CellRef
	Message  string
}

// Blocking reports whether p stops publication.
func (p Problem) Blocking() bool { return p.Severity == SeverityError }

// Blocking reports whether any of ps stops publication.
func Blocking(ps []Problem) bool {
	for _, p := range ps {
		if p.Blocking() {
			return true
		}
	}
	return false
}

// Check returns every problem that must be fixed before r can be published
// (SeverityError) and every point staff should look at (SeverityWarning), in
// table order. prev is last year's published report, or nil when there is
// none; it is used to verify the carry-over of applications and the stock of
// documents in force.
//
// Rules (statutes.md §2.3–2.4): per column of table 三, 一 + 二 = （七）总计 + 四
// and （七）总计 = the sum of the leaf rows; its 总计 column = the sum of the
// six applicant columns; each 总计 of table 四 = the sum of the four cells
// before it; no cell empty or negative; prose sections written and free of
// draft placeholders; the year ended.
func (r *Report) Check(prev *Report) []Problem {
	specs, err := r.specs()
	if err != nil {
		return []Problem{{Severity: SeverityError, Message: "年度报告的表格结构与格式不符，请重新生成。"}}
	}
	var ps []Problem
	add := func(sev Severity, c CellRef, format string, args ...any) {
		p := Problem{Severity: sev, Cell: c, Message: fmt.Sprintf(format, args...)}
		if c.Column != "" { // a cell of a table, not a prose section
			p.Cells = []CellRef{c}
		}
		ps = append(ps, p)
	}
	if r.Format != Format2021 {
		add(SeverityError, CellRef{}, "该报告采用%s年试行格式，只能作为历史数据对照，不能按现行格式发布。", r.Format)
	}
	if !r.AsOf.IsZero() {
		add(SeverityError, CellRef{}, "%d年尚未结束，报告数据为截至%s的临时统计，年度结束后方可发布。", r.Year, r.AsOf.Chinese())
	}
	h := Headings()
	for _, s := range []struct {
		num, text string
		heading   string
	}{{"一", r.Texts.Overview, h[0]}, {"五", r.Texts.Shortcomings, h[4]}, {"六", r.Texts.Other, h[5]}} {
		switch {
		case strings.TrimSpace(s.text) == "":
			add(SeverityError, CellRef{Section: s.num}, "“%s”部分尚未填写。", s.heading)
		case strings.Contains(s.text, Placeholder):
			add(SeverityError, CellRef{Section: s.num}, "“%s”部分仍有“%s】”标记的内容，请补充完整后删除标记。", s.heading, Placeholder)
		}
	}
	for ti, s := range specs {
		t := &r.Tables[ti]
		for i, row := range t.Rows {
			if row.Group {
				continue
			}
			for j, v := range row.Values {
				switch {
				case !v.Valid:
					add(SeverityError, t.ref(i, j), "%s尚未填写。", cellName(t, i, j))
				case v.N < 0 && !s.cols[j].signed:
					add(SeverityError, t.ref(i, j), "%s不能为负数（现为%s）。", cellName(t, i, j), v.Format(t.Columns[j].Decimals))
				}
			}
		}
		switch t.Section {
		case "三":
			ps = append(ps, checkApplications(t, s)...)
		case "四":
			ps = append(ps, checkAppeals(t)...)
		}
	}
	ps = append(ps, r.checkAgainst(prev)...)
	return ps
}

// cellName names a cell inside a sentence: 行政许可的本年处理决定数量.
func cellName(t *Table, i, j int) string {
	if t.Rows[i].Label == "" {
		return "“" + t.Columns[j].Path() + "”"
	}
	return fmt.Sprintf("“%s”行“%s”列", t.Rows[i].Label, t.Columns[j].Path())
}

// checkApplications applies the 勾稽 rules of table 三 to every column.
func checkApplications(t *Table, s *tableSpec) []Problem {
	var ps []Problem
	newRow, carried, total, next := s.row(keyNew), s.row(keyCarried), s.row(keyTotal), s.row(keyNext)
	if newRow < 0 || carried < 0 || total < 0 || next < 0 {
		return nil
	}
	totalCol := s.col(keyTotal)
	val := func(i, j int) int64 { return t.Rows[i].Values[j].N }
	for j, col := range t.Columns {
		var leaves int64
		for i, rs := range s.rows {
			if !rs.group && i > carried && i < total {
				leaves += val(i, j)
			}
		}
		if got := val(total, j); got != leaves {
			ps = append(ps, Problem{SeverityError, t.ref(total, j), []CellRef{t.ref(total, j)}, fmt.Sprintf(
				"“%s”列：（七）总计为%d，但各项办理结果之和为%d，两者应当相等。", col.Label, got, leaves)})
		}
		left, right := val(newRow, j)+val(carried, j), val(total, j)+val(next, j)
		if left != right {
			ps = append(ps, Problem{SeverityError, t.ref(-1, j), []CellRef{t.ref(newRow, j), t.ref(carried, j), t.ref(total, j), t.ref(next, j)}, fmt.Sprintf(
				"“%s”列不符合勾稽关系：第一项加第二项之和为%d，第三项（七）总计加第四项之和为%d，两者应当相等。", col.Label, left, right)})
		}
	}
	if totalCol < 0 {
		return ps
	}
	for i, row := range t.Rows {
		if row.Group {
			continue
		}
		var sum int64
		for j := range row.Values {
			if j != totalCol {
				sum += row.Values[j].N
			}
		}
		if got := row.Values[totalCol].N; got != sum {
			ps = append(ps, Problem{SeverityError, t.ref(i, totalCol), []CellRef{t.ref(i, totalCol)}, fmt.Sprintf(
				"“%s”行：总计为%d，但六类申请人之和为%d，两者应当相等。", row.Label, got, sum)})
		}
	}
	return ps
}

// checkAppeals requires each 总计 of table 四 to be the sum of the four
// cells before it.
func checkAppeals(t *Table) []Problem {
	var ps []Problem
	for _, row := range t.Rows {
		for j := 4; j < len(t.Columns); j += 5 {
			sum := row.Values[j-4].N + row.Values[j-3].N + row.Values[j-2].N + row.Values[j-1].N
			if got := row.Values[j].N; got != sum {
				group := strings.Join(t.Columns[j].Groups, "／")
				ps = append(ps, Problem{SeverityError, t.ref(0, j), []CellRef{t.ref(0, j)}, fmt.Sprintf(
					"“%s”的总计为%d，但结果维持、结果纠正、其他结果、尚未审结之和为%d，两者应当相等。", group, got, sum)})
			}
		}
	}
	return ps
}

// checkAgainst compares r with last year's published report.
func (r *Report) checkAgainst(prev *Report) []Problem {
	var ps []Problem
	carriedRef := func(col Column) CellRef {
		return CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: col.Label, Groups: col.Groups}
	}
	t3 := r.table("三", "")
	if t3 == nil {
		return nil
	}
	if prev == nil {
		row := CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量"}
		return []Problem{{SeverityWarning, row, []CellRef{row}, fmt.Sprintf(
			"未找到%d年已发布的年度报告，无法核对上年结转数，请与上一年度报告人工核对。", r.Year-1)}}
	}
	if prev.Year != r.Year-1 {
		return []Problem{{SeverityWarning, CellRef{}, nil, fmt.Sprintf(
			"用于核对的报告是%d年的，不是上一年度（%d年）的。", prev.Year, r.Year-1)}}
	}
	for _, col := range t3.Columns {
		cur, ok1 := r.Lookup(carriedRef(col))
		last, ok2 := prev.Lookup(CellRef{Section: "三", Row: "四、结转下年度继续办理", Column: col.Label, Groups: col.Groups})
		if !ok1 || !ok2 || !cur.Valid || !last.Valid || cur.N == last.N {
			continue
		}
		ps = append(ps, Problem{SeverityWarning, carriedRef(col), []CellRef{carriedRef(col)}, fmt.Sprintf(
			"“%s”列：上年结转%d件，与%d年已发布年度报告的“结转下年度继续办理”%d件不一致（相差%+d件）。可能是已发布后更正了申请数据，请核实并在报告中说明。",
			col.Label, cur.N, prev.Year, last.N, cur.N-last.N)})
	}
	// The stock of documents in force rolls forward: last year's 现行有效
	// plus this year's 制发 minus 废止. Only the 2021 format has these columns.
	if r.Format != Format2021 || prev.Format != Format2021 {
		return ps
	}
	docs := r.table("二", "第二十条第（一）项")
	for _, label := range []string{"规章", "行政规范性文件"} {
		ref := func(col string) CellRef {
			return CellRef{Section: "二", Heading: docs.Heading, Row: label, Column: col}
		}
		was, _ := prev.Lookup(ref("现行有效件数"))
		made, _ := r.Lookup(ref("本年制发件数"))
		repealed, _ := r.Lookup(ref("本年废止件数"))
		now, _ := r.Lookup(ref("现行有效件数"))
		if !was.Valid || !made.Valid || !repealed.Valid || !now.Valid {
			continue
		}
		if want := was.N + made.N - repealed.N; want != now.N {
			ps = append(ps, Problem{SeverityWarning, ref("现行有效件数"), []CellRef{ref("现行有效件数")}, fmt.Sprintf(
				"%s现行有效%d件，但按上年现行有效%d件加本年制发%d件、减本年废止%d件应为%d件，请核实文件的成文日期和有效性。",
				label, now.N, was.N, made.N, repealed.N, want)})
		}
	}
	return ps
}

// table returns r's table for section and heading, or nil.
func (r *Report) table(section, heading string) *Table {
	for i := range r.Tables {
		if r.Tables[i].Section == section && r.Tables[i].Heading == heading {
			return &r.Tables[i]
		}
	}
	return nil
}
