package workday

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"gongkai"
)

// Year is one year's holiday arrangement as the State Council's notice sets
// it: the file shipped in data/ and the file an administrator uploads with
// `gongkai workday set-year FILE`.
//
// A Year is the final arrangement. When a later notice changed it (the 2019
// 劳动节 was extended by 国办发明电〔2019〕3号, the 2020 春节 by
// 国办发明电〔2020〕1号), Holidays hold the days as changed, the original
// notice stays in the embedded Notice and each later one is listed in
// Amendments, so both are cited.
//
// A holiday period may start in December of the previous year (the 2019
// 元旦 ran 2018-12-30 to 2019-01-01, with 2018-12-29 a working Saturday):
// those dates belong to the notice that announced them, that is to Year,
// and they apply whenever the previous year is also in the calendar.
type Year struct {
	// Year is the calendar year the notice is about.
	Year int `json:"year"`
	// Notice is the notice that announced the year's arrangement.
	Notice
	// Amendments are later notices that changed it, oldest first.
	Amendments []Notice `json:"amendments,omitempty"`
	// Holidays are the holiday periods in the order of the notice.
	Holidays []Holiday `json:"holidays"`
}

// Notice cites a State Council (国务院办公厅) notice.
type Notice struct {
	// Source is the title, e.g. 国务院办公厅关于2026年部分节假日安排的通知.
	Source string `json:"source"`
	// DocNo is its 发文字号, e.g. 国办发明电〔2025〕7号.
	DocNo string `json:"docNo"`
	// IssuedOn is its 成文日期.
	IssuedOn gongkai.Date `json:"issuedOn"`
	// URL is where it is published, normally on www.gov.cn.
	URL string `json:"url,omitempty"`
	// Summary says briefly what it decided, for amendments in particular.
	Summary string `json:"summary,omitempty"`
}

// Holiday is one holiday period of a notice.
type Holiday struct {
	// Name is the holiday as the notice names it, e.g. 国庆节、中秋节.
	Name string `json:"name"`
	// Off lists every day of the period, weekends included, in order. When
	// the notice only says "1月1日放假，与周末连休", Off is that one day.
	Off []gongkai.Date `json:"off"`
	// Work lists the weekend days that are working days (调休上班).
	Work []gongkai.Date `json:"work,omitempty"`
	// Note records anything the dates do not say (an amendment, a 除夕
	// that stays a working day).
	Note string `json:"note,omitempty"`
}

// YearError lists every problem found in a year's arrangement, each a
// Chinese sentence; Error() puts one per line.
type YearError struct {
	Problems []string
}

func (e *YearError) Error() string { return strings.Join(e.Problems, "\n") }

// Accepted years. Holiday notices in today's form start with the 1999
// 《全国年节及纪念日放假办法》; the upper bound only catches typing mistakes.
const (
	minYear = 1999
	maxYear = 2199
)

// docNoPattern is the canonical 发文字号 (GB/T 9704-2012 §7.2.5). The
// workday package does not import internal/ident (implementation packages
// do not import each other), and this one check is all it needs.
var docNoPattern = regexp.MustCompile(`^\p{Han}+〔\d{4}〕[1-9]\d*号$`)

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Validate checks y as ParseYear does; New and With call it, so a Year
// built in code is held to the same rules as an uploaded file.
func (y Year) Validate() error {
	var p problems
	p.year(y)
	return p.err()
}

type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &YearError{Problems: p}
}

func (p *problems) year(y Year) {
	if y.Year < minYear || y.Year > maxYear {
		p.add("工作日历的年份应在%d年至%d年之间，当前为%d。", minYear, maxYear, y.Year)
		return
	}
	p.notice("放假通知", y.Notice, y.Year)
	for i, a := range y.Amendments {
		p.notice(fmt.Sprintf("第%d个调整通知", i+1), a, y.Year)
	}
	if len(y.Holidays) == 0 {
		p.add("%d年的安排中没有列出任何节假日（holidays）。", y.Year)
	}
	names := map[string]bool{}
	seen := map[gongkai.Date]string{} // date → "off"/"work" of which holiday
	for i, h := range y.Holidays {
		name := h.Name
		if name == "" {
			name = fmt.Sprintf("第%d个节假日", i+1)
			p.add("第%d个节假日缺少名称（name）。", i+1)
		} else {
			if names[name] {
				p.add("节假日“%s”重复出现。", name)
			}
			names[name] = true
			name = "节假日“" + name + "”"
		}
		if len(h.Off) == 0 {
			p.add("%s没有列出放假日期（off）。", name)
		}
		for j, d := range h.Off {
			if !p.date(name, d, y.Year) {
				continue
			}
			if j > 0 && h.Off[j-1].Valid() && h.Off[j-1].AddDays(1) != d {
				p.add("%s的放假日期应按先后顺序连续列出，%s之后应为%s，而不是%s。", name, h.Off[j-1], h.Off[j-1].AddDays(1), d)
			}
			p.seen(seen, d, name, "放假日")
		}
		for _, d := range h.Work {
			if !p.date(name, d, y.Year) {
				continue
			}
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				p.add("%s的调休上班日%s是%s，调休上班日应为星期六或星期日。", name, d, weekdayNames[wd])
			}
			p.seen(seen, d, name, "调休上班日")
		}
	}
}

// seen records that d is listed as kind by holiday name, and reports a
// date listed twice.
func (p *problems) seen(seen map[gongkai.Date]string, d gongkai.Date, name, kind string) {
	this := name + "的" + kind
	if prev, ok := seen[d]; ok {
		if prev == this {
			p.add("%s%s重复出现。", this, d)
		} else {
			p.add("日期%s重复出现：既是%s，又是%s。", d, prev, this)
		}
		return
	}
	seen[d] = this
}

// date checks that d is a real date in year, or in December of the year
// before (where 元旦 periods start); it reports whether d is usable.
func (p *problems) date(name string, d gongkai.Date, year int) bool {
	if !d.Valid() {
		p.add("%s中有无效的日期。", name)
		return false
	}
	if d.Year == year || d.Year == year-1 && d.Month == time.December {
		return true
	}
	p.add("%s中的日期%s不属于%d年的安排：只能是%d年的日期，或%d年12月的日期。", name, d, year, year, year-1)
	return false
}

func (p *problems) notice(what string, n Notice, year int) {
	if strings.TrimSpace(n.Source) == "" {
		p.add("缺少%s的标题（source）。", what)
	}
	switch {
	case n.DocNo == "":
		p.add("缺少%s的发文字号（docNo）。", what)
	case !docNoPattern.MatchString(n.DocNo):
		p.add("%s的发文字号“%s”格式不正确，应形如“国办发明电〔2025〕7号”。", what, n.DocNo)
	}
	switch {
	case n.IssuedOn.IsZero():
		p.add("缺少%s的成文日期（issuedOn）。", what)
	case !n.IssuedOn.Valid():
		p.add("%s的成文日期无效。", what)
	case n.IssuedOn.Year != year && n.IssuedOn.Year != year-1:
		p.add("%s的成文日期%s应在%d年或%d年内。", what, n.IssuedOn, year-1, year)
	}
	if n.URL != "" && !strings.HasPrefix(n.URL, "https://") && !strings.HasPrefix(n.URL, "http://") {
		p.add("%s的网址“%s”应以http://或https://开头。", what, n.URL)
	}
}

// The file form: dates as strings, so that a bad date gets a Chinese
// message naming the holiday rather than encoding/json's English one.
type fileNotice struct {
	Source   string `json:"source"`
	DocNo    string `json:"docNo"`
	IssuedOn string `json:"issuedOn"`
	URL      string `json:"url"`
	Summary  string `json:"summary"`
}

type fileHoliday struct {
	Name string   `json:"name"`
	Off  []string `json:"off"`
	Work []string `json:"work"`
	Note string   `json:"note"`
}

type fileYear struct {
	Year int `json:"year"`
	fileNotice
	Amendments []fileNotice  `json:"amendments"`
	Holidays   []fileHoliday `json:"holidays"`
}

// ParseYear reads a year file (JSON, see Year) and validates it strictly:
// unknown fields, dates that do not exist or fall outside the year (other
// than the previous December), off periods that are not consecutive days,
// 调休 days that are not a Saturday or Sunday, and dates listed twice are
// all refused. The error is a *YearError listing every problem.
func ParseYear(b []byte) (Year, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return Year{}, &YearError{Problems: []string{"工作日历文件是空的。"}}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f fileYear
	if err := dec.Decode(&f); err != nil {
		return Year{}, &YearError{Problems: []string{jsonProblem(b, err)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Year{}, &YearError{Problems: []string{"工作日历文件在JSON对象之后还有多余的内容。"}}
	}
	var p problems
	y := Year{Year: f.Year, Notice: p.fileNotice("放假通知", f.fileNotice)}
	for i, a := range f.Amendments {
		y.Amendments = append(y.Amendments, p.fileNotice(fmt.Sprintf("第%d个调整通知", i+1), a))
	}
	for i, h := range f.Holidays {
		name := fmt.Sprintf("第%d个节假日", i+1)
		if h.Name != "" {
			name = "节假日“" + h.Name + "”"
		}
		y.Holidays = append(y.Holidays, Holiday{
			Name: h.Name,
			Off:  p.fileDates(name, "off", h.Off),
			Work: p.fileDates(name, "work", h.Work),
			Note: h.Note,
		})
	}
	if len(p) > 0 {
		return Year{}, p.err()
	}
	if err := y.Validate(); err != nil {
		return Year{}, err
	}
	return y, nil
}

func (p *problems) fileNotice(what string, n fileNotice) Notice {
	out := Notice{Source: n.Source, DocNo: n.DocNo, URL: n.URL, Summary: n.Summary}
	if n.IssuedOn != "" {
		d, err := gongkai.ParseDate(n.IssuedOn)
		if err != nil {
			p.add("%s的成文日期“%s”不是有效的日期，应写作YYYY-MM-DD。", what, n.IssuedOn)
		}
		out.IssuedOn = d
	}
	return out
}

func (p *problems) fileDates(name, field string, ss []string) []gongkai.Date {
	if len(ss) == 0 {
		return nil
	}
	out := make([]gongkai.Date, 0, len(ss))
	for _, s := range ss {
		d, err := gongkai.ParseDate(s)
		if err != nil {
			p.add("%s的%s中的“%s”不是有效的日期，应写作YYYY-MM-DD。", name, field, s)
			continue
		}
		out = append(out, d)
	}
	return out
}

// jsonProblem turns an encoding/json error into a Chinese sentence.
func jsonProblem(b []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("工作日历文件不是有效的JSON：第%d行附近有语法错误。", lineOf(b, syn.Offset))
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("工作日历文件中字段“%s”的类型不正确。", typ.Field)
		}
		return "工作日历文件应是一个JSON对象。"
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "工作日历文件不完整，JSON在结尾处被截断。"
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("工作日历文件中有无法识别的字段%s。", quoteField(name))
	}
	return "工作日历文件不是有效的JSON。"
}

func quoteField(quoted string) string {
	return "“" + strings.Trim(quoted, `"`) + "”"
}

func lineOf(b []byte, offset int64) int {
	if offset > int64(len(b)) {
		offset = int64(len(b))
	}
	return bytes.Count(b[:offset], []byte("\n")) + 1
}

// EncodeYear writes y in the file form ParseYear reads, indented, after
// validating it.
func EncodeYear(y Year) ([]byte, error) {
	if err := y.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(y, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
