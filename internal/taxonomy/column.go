package taxonomy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gongkai"
)

// OrgLevel is where an Org sits, which decides the statutory columns of its
// 政府信息公开 section: 条例 Art. 21 adds items for 设区的市级 and 县级
// governments, and a different set for 乡（镇） governments.
type OrgLevel string

// The levels. Department is any government department (部门), whatever the
// level of its government.
const (
	Province   OrgLevel = "province"   // 省级人民政府
	City       OrgLevel = "city"       // 设区的市级人民政府
	County     OrgLevel = "county"     // 县级人民政府
	Township   OrgLevel = "township"   // 乡（镇）人民政府、街道
	Department OrgLevel = "department" // 政府部门
)

var levelLabels = []struct {
	l     OrgLevel
	label string
}{
	{Province, "省级人民政府"},
	{City, "设区的市级人民政府"},
	{County, "县级人民政府"},
	{Township, "乡（镇）人民政府"},
	{Department, "政府部门"},
}

// OrgLevels returns every level, from the province down, departments last.
func OrgLevels() []OrgLevel {
	out := make([]OrgLevel, len(levelLabels))
	for i, l := range levelLabels {
		out[i] = l.l
	}
	return out
}

// Label returns the Chinese name of the level, or "" if it is unknown.
func (l OrgLevel) Label() string {
	for _, x := range levelLabels {
		if x.l == l {
			return x.label
		}
	}
	return ""
}

// Valid reports whether l is one of the levels.
func (l OrgLevel) Valid() bool { return l.Label() != "" }

// Kind tells the portal how to render a column.
type Kind string

// Column kinds.
const (
	KindGroup       Kind = "group"       // a landing page listing its sub-columns
	KindGuide       Kind = "guide"       // 政府信息公开指南: the Art. 12 items, edited by admins
	KindSystem      Kind = "system"      // 政府信息公开制度: the rules the Org works by
	KindList        Kind = "list"        // a list of documents
	KindReport      Kind = "report"      // 政府信息公开年报
	KindApplication Kind = "application" // 依申请公开: how to apply
)

// Freq is a column's update-frequency requirement: it must get new content
// at least every Weeks weeks plus Months months. The zero Freq means no
// fixed period (the column changes when its information does).
type Freq struct {
	Weeks  int
	Months int
}

// Update frequencies named by the website inspection indicators
// (国办秘函〔2019〕19号, statutes §3.2): 动态、要闻类 columns every 2 weeks,
// 通知公告、政策文件类一级栏目 every 6 months. FreqAnnual is for yearly
// information such as the 年报. Admins pick these for the columns they add.
var (
	FreqNews   = Freq{Weeks: 2}
	FreqPolicy = Freq{Months: 6}
	FreqAnnual = Freq{Months: 12}
)

// IsZero reports whether f sets no period.
func (f Freq) IsZero() bool { return f == Freq{} }

// String returns the period in Chinese ("2周", "6个月"), or "" for none.
func (f Freq) String() string {
	var b strings.Builder
	if f.Months > 0 {
		fmt.Fprintf(&b, "%d个月", f.Months)
	}
	if f.Weeks > 0 {
		fmt.Fprintf(&b, "%d周", f.Weeks)
	}
	return b.String()
}

// Due returns the last day a column updated on last still meets f; from
// the day after, it is stale. Months are calendar months, clamped to the
// end of a shorter month (31 August + 6 months is 28 or 29 February). The
// zero Freq returns the zero Date: never due.
func (f Freq) Due(last gongkai.Date) gongkai.Date {
	if f.IsZero() {
		return gongkai.Date{}
	}
	y, m := last.Year, int(last.Month)-1+f.Months
	y, m = y+m/12, m%12+1
	d := min(last.Day, daysIn(y, time.Month(m)))
	return gongkai.Date{Year: y, Month: time.Month(m), Day: d}.AddDays(7 * f.Weeks)
}

// Stale reports whether a column last updated on last has broken f by
// today.
func (f Freq) Stale(last, today gongkai.Date) bool {
	return !f.IsZero() && today.After(f.Due(last))
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Provision is an article (条), paragraph (款) or item (项) of the
// 政府信息公开条例 that a column serves. Para and Item are 0 when the whole
// article is meant.
type Provision struct {
	Article int
	Para    int
	Item    int
}

// String returns the Chinese citation: 第二十条第（一）项, 第二十一条第一款,
// 第十二条.
func (p Provision) String() string {
	s := "第" + chineseNumber(p.Article) + "条"
	if p.Para > 0 {
		s += "第" + chineseNumber(p.Para) + "款"
	}
	if p.Item > 0 {
		s += "第（" + chineseNumber(p.Item) + "）项"
	}
	return s
}

// chineseNumber writes 1–99 in Chinese numerals as statutes cite them:
// 五, 十, 十二, 二十, 二十一.
func chineseNumber(n int) string {
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	switch {
	case n < 10:
		return string(d[n])
	case n < 20:
		s := "十"
		if n%10 > 0 {
			s += string(d[n%10])
		}
		return s
	case n < 100:
		s := string(d[n/10]) + "十"
		if n%10 > 0 {
			s += string(d[n%10])
		}
		return s
	}
	return strconv.Itoa(n)
}

// ColumnSpec is a column of the statutory 政府信息公开 structure. Slug is
// unique in the structure; Path is the column's URL on the portal.
type ColumnSpec struct {
	Slug     string
	Path     string
	Name     string
	Kind     Kind
	Basis    []Provision // the provisions of the 条例 the column serves
	Freq     Freq
	Children []ColumnSpec
}

type columnRow struct {
	spec   ColumnSpec
	parent string
	levels []OrgLevel // nil = every level
}

var columnRows = loadColumns()

func loadColumns() []columnRow {
	var out []columnRow
	for _, f := range rows("columns.tsv", 8) {
		r := columnRow{
			spec: ColumnSpec{
				Slug:  f[0],
				Path:  f[2],
				Name:  f[3],
				Kind:  Kind(f[4]),
				Basis: parseBasis(f[5]),
				Freq:  parseFreq(f[6]),
			},
		}
		if f[1] != "-" {
			r.parent = f[1]
		}
		if f[7] != "all" {
			for _, l := range strings.Split(f[7], ",") {
				if !OrgLevel(l).Valid() {
					panic("taxonomy: columns.tsv: bad level " + l)
				}
				r.levels = append(r.levels, OrgLevel(l))
			}
		}
		out = append(out, r)
	}
	return out
}

// parseBasis reads "20.1 21p1 12" into provisions.
func parseBasis(s string) []Provision {
	if s == "-" {
		return nil
	}
	var out []Provision
	for _, w := range strings.Fields(s) {
		var p Provision
		art, rest := w, ""
		if i := strings.IndexAny(w, ".p"); i >= 0 {
			art, rest = w[:i], w[i:]
		}
		p.Article = mustAtoi(art)
		switch {
		case strings.HasPrefix(rest, "."):
			p.Item = mustAtoi(rest[1:])
		case strings.HasPrefix(rest, "p"):
			p.Para = mustAtoi(rest[1:])
		}
		out = append(out, p)
	}
	return out
}

// parseFreq reads "2w", "6m" or "-".
func parseFreq(s string) Freq {
	switch {
	case s == "-":
		return Freq{}
	case strings.HasSuffix(s, "w"):
		return Freq{Weeks: mustAtoi(strings.TrimSuffix(s, "w"))}
	case strings.HasSuffix(s, "m"):
		return Freq{Months: mustAtoi(strings.TrimSuffix(s, "m"))}
	}
	panic("taxonomy: columns.tsv: bad frequency " + s)
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		panic("taxonomy: columns.tsv: bad number " + s)
	}
	return n
}

// StatutoryColumns returns the 政府信息公开 column tree every site of an Org
// at level gets: one root (政府信息公开, /xxgk/) holding 政府信息公开指南,
// 政府信息公开制度, 法定主动公开内容 (one column per item of 条例 Art. 20,
// plus the Art. 21 items of the level), 政府信息公开年报 and 依申请公开.
// The result is a fresh copy the caller may change. An unknown level gets
// nil.
func StatutoryColumns(level OrgLevel) []ColumnSpec {
	if !level.Valid() {
		return nil
	}
	return children("", level)
}

func children(parent string, level OrgLevel) []ColumnSpec {
	var out []ColumnSpec
	for _, r := range columnRows {
		if r.parent != parent || (r.levels != nil && !containsLevel(r.levels, level)) {
			continue
		}
		c := r.spec
		c.Basis = append([]Provision(nil), r.spec.Basis...)
		c.Children = children(c.Slug, level)
		out = append(out, c)
	}
	return out
}

func containsLevel(ls []OrgLevel, l OrgLevel) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}
