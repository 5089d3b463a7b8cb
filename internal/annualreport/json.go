package annualreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gongkai"
)

// SchemaVersion is the version of the JSON format described in
// docs/annual-report.md. It changes only if the JSON shape itself changes;
// the official table format is the separate "format" field.
const SchemaVersion = 1

type reportJSON struct {
	SchemaVersion int           `json:"schema_version"`
	Format        Format        `json:"format"`
	Org           orgJSON       `json:"org"`
	Year          int           `json:"year"`
	AsOf          string        `json:"as_of,omitempty"`
	Sections      []sectionJSON `json:"sections"`
	Tables        []tableJSON   `json:"tables"`
}

type orgJSON struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	Kind OrgKind `json:"kind"`
}

type sectionJSON struct {
	Heading string  `json:"heading"`
	Text    *string `json:"text,omitempty"`
}

type tableJSON struct {
	Section string       `json:"section"`
	Heading string       `json:"heading,omitempty"`
	Corner  string       `json:"corner,omitempty"`
	Columns []columnJSON `json:"columns"`
	Rows    []rowJSON    `json:"rows"`
}

type columnJSON struct {
	Label  string   `json:"label"`
	Groups []string `json:"groups,omitempty"`
}

type rowJSON struct {
	Label  string `json:"label"`
	Values []any  `json:"values"`
}

// Encode writes r as JSON (docs/annual-report.md): every table lists its
// columns and rows by their official labels, and every row its values in
// column order — numbers, with amounts written with exactly two decimals,
// and null for group rows and empty cells. The drafts are not written.
func Encode(w io.Writer, r *Report) error {
	if _, err := r.specs(); err != nil {
		return err
	}
	out := reportJSON{
		SchemaVersion: SchemaVersion,
		Format:        r.Format,
		Org:           orgJSON(r.Org),
		Year:          r.Year,
		AsOf:          r.AsOf.String(),
	}
	for i, num := range sectionNumbers {
		s := sectionJSON{Heading: Headings()[i]}
		if text, ok := r.text(num); ok {
			s.Text = &text
		}
		out.Sections = append(out.Sections, s)
	}
	for _, t := range r.Tables {
		tj := tableJSON{Section: t.Section, Heading: t.Heading, Corner: t.Corner}
		for _, c := range t.Columns {
			tj.Columns = append(tj.Columns, columnJSON{Label: c.Label, Groups: c.Groups})
		}
		for _, row := range t.Rows {
			rj := rowJSON{Label: row.Label, Values: make([]any, len(t.Columns))}
			for j := range rj.Values {
				if !row.Group && row.Values[j].Valid {
					rj.Values[j] = json.Number(row.Values[j].Format(t.Columns[j].Decimals))
				}
			}
			tj.Rows = append(tj.Rows, rj)
		}
		out.Tables = append(out.Tables, tj)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// MarshalJSON encodes r as Encode does, so a report can be embedded in API
// responses.
func (r *Report) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	if err := Encode(&b, r); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Decode reads a report in the JSON format of Encode, in either official
// format ("format": "2021" or "2019"), as when importing earlier years'
// reports. It refuses anything that does not match the format exactly —
// an unknown field, a label that differs by one character, a misplaced row,
// a negative count, a number with too many decimals, a year after today's —
// with a *gongkai.Error whose message names the offending label and whose
// Field is the JSON path. Nothing is returned half-read. Callers limit the
// size of r.
func Decode(r io.Reader, today gongkai.Date) (*Report, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var in reportJSON
	if err := dec.Decode(&in); err != nil {
		return nil, jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, gongkai.FieldError("", "JSON 内容之后还有多余的数据。")
	}
	c := &collector{}
	if in.SchemaVersion != SchemaVersion {
		c.add("schema_version", fmt.Sprintf("不支持的 schema_version：%d（应为 %d）。", in.SchemaVersion, SchemaVersion))
	}
	specs, ok := layouts[in.Format]
	if !ok {
		c.add("format", fmt.Sprintf("未知的报告格式“%s”，应为“2021”（国办公开办函〔2021〕30号）或“2019”（国办公开办函〔2019〕60号）。", in.Format))
		return nil, c.err()
	}
	rep := newReport(in.Format, Org(in.Org), in.Year)
	switch {
	case in.Year < FirstYear:
		c.add("year", fmt.Sprintf("年度%d无效，应不早于%d年。", in.Year, FirstYear))
	case in.Year > today.Year:
		c.add("year", fmt.Sprintf("%d年尚未到来，不能导入该年度的年度报告。", in.Year))
	}
	if in.AsOf != "" {
		d, err := gongkai.ParseDate(in.AsOf)
		if err != nil || d.Year != in.Year {
			c.add("as_of", fmt.Sprintf("as_of“%s”应为报告年度内的日期（YYYY-MM-DD）。", in.AsOf))
		}
		rep.AsOf = d
	} else if in.Year == today.Year {
		c.add("year", fmt.Sprintf("%d年尚未结束，不能导入该年度的正式年度报告。", in.Year))
	}
	if in.Org.Code == "" || in.Org.Name == "" {
		c.add("org", "报告缺少机关代码或名称。")
	}
	if !in.Org.Kind.Valid() {
		c.add("org.kind", fmt.Sprintf("机关类别“%s”无效，应为“government”（人民政府）或“department”（政府部门）。", in.Org.Kind))
	}
	decodeSections(c, in.Sections, rep)
	if len(in.Tables) != len(specs) {
		c.add("tables", fmt.Sprintf("%s年格式的报告应有%d个表格（表二的%d个部分及表三、表四），实际为%d个。",
			in.Format, len(specs), len(specs)-2, len(in.Tables)))
		return nil, c.err()
	}
	for i, tj := range in.Tables {
		decodeTable(c, i, in.Format, specs[i], tj, &rep.Tables[i])
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return rep, nil
}

// jsonError turns a decoding error into a Chinese message.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return gongkai.FieldError("", fmt.Sprintf("不是有效的 JSON（第%d个字节附近）：%v", syntax.Offset, syntax))
	case errors.As(err, &typ):
		return gongkai.FieldError(typ.Field, fmt.Sprintf("字段“%s”的类型不正确，应为%s。", typ.Field, jsonKind(typ.Type.Kind().String())))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return gongkai.FieldError("", "JSON 内容不完整。")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return gongkai.FieldError(name, fmt.Sprintf("未知字段“%s”，年度报告 JSON 中没有这个字段。", name))
	}
	return gongkai.FieldError("", "无法读取 JSON："+err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "字符串"
	case "int", "int64":
		return "整数"
	case "slice":
		return "数组"
	case "struct", "map":
		return "对象"
	}
	return k
}

func decodeSections(c *collector, secs []sectionJSON, rep *Report) {
	h := Headings()
	if len(secs) != len(h) {
		c.add("sections", fmt.Sprintf("报告应有%d个部分，实际为%d个。", len(h), len(secs)))
		return
	}
	for i, s := range secs {
		f := fmt.Sprintf("sections[%d]", i)
		if s.Heading != h[i] {
			c.add(f+".heading", fmt.Sprintf("第%d部分的标题“%s”与格式不符，应为“%s”。", i+1, s.Heading, h[i]))
		}
		text := ""
		if s.Text != nil {
			text = *s.Text
		}
		switch sectionNumbers[i] {
		case "一":
			rep.Texts.Overview = text
		case "五":
			rep.Texts.Shortcomings = text
		case "六":
			rep.Texts.Other = text
		default:
			if s.Text != nil {
				c.add(f+".text", fmt.Sprintf("“%s”部分由表格组成，不应有 text 字段。", h[i]))
			}
		}
	}
}

// tableName names a table in messages: 表三, 表二“第二十条第（八）项”.
func tableName(s *tableSpec) string {
	if s.heading != "" {
		return "表" + s.section + "“" + s.heading + "”"
	}
	return "表" + s.section
}

func decodeTable(c *collector, index int, format Format, s *tableSpec, tj tableJSON, t *Table) {
	f := fmt.Sprintf("tables[%d]", index)
	name := tableName(s)
	if tj.Section != s.section || tj.Heading != s.heading {
		got := "表" + tj.Section
		if tj.Heading != "" {
			got += "“" + tj.Heading + "”"
		}
		c.add(f+".section", fmt.Sprintf("第%d个表格应为%s，实际为%s。", index+1, name, got))
		return
	}
	if tj.Corner != s.corner {
		c.add(f+".corner", fmt.Sprintf("%s左上角单元格的文字“%s”与格式不符，应为“%s”。", name, tj.Corner, s.corner))
	}
	if len(tj.Columns) != len(s.cols) {
		c.add(f+".columns", fmt.Sprintf("%s应有%d列数据，实际为%d列。", name, len(s.cols), len(tj.Columns)))
		return
	}
	for j, col := range tj.Columns {
		want := Column{Label: s.cols[j].label, Groups: s.cols[j].groups}
		got := Column{Label: col.Label, Groups: col.Groups}
		if got.Path() != want.Path() || !equalStrings(col.Groups, s.cols[j].groups) {
			c.add(fmt.Sprintf("%s.columns[%d]", f, j), fmt.Sprintf("%s第%d列的标签“%s”与%s年格式不符，应为“%s”。",
				name, j+1, got.Path(), format, want.Path()))
		}
	}
	if len(tj.Rows) != len(s.rows) {
		c.add(f+".rows", fmt.Sprintf("%s应有%d行（含分组行），实际为%d行。", name, len(s.rows), len(tj.Rows)))
		return
	}
	for i, rj := range tj.Rows {
		rf := fmt.Sprintf("%s.rows[%d]", f, i)
		rs := s.rows[i]
		if rj.Label != rs.label {
			c.add(rf+".label", fmt.Sprintf("%s第%d行的标签“%s”%s，应为“%s”。", name, i+1, rj.Label, labelHint(format, s.section, rj.Label), rs.label))
			continue
		}
		if rs.group {
			if !allNull(rj.Values) || len(rj.Values) != 0 && len(rj.Values) != len(s.cols) {
				c.add(rf+".values", fmt.Sprintf("%s“%s”是分组行，不填数字，values 应全部为 null。", name, rs.label))
			}
			continue
		}
		if len(rj.Values) != len(s.cols) {
			c.add(rf+".values", fmt.Sprintf("%s“%s”行应有%d个数值，实际为%d个。", name, rs.label, len(s.cols), len(rj.Values)))
			continue
		}
		for j, x := range rj.Values {
			if x == nil {
				continue
			}
			cs := s.cols[j]
			bad := func(msg string) {
				c.add(fmt.Sprintf("%s.values[%d]", rf, j), name+cellName(t, i, j)+msg)
			}
			num, ok := x.(json.Number)
			if !ok {
				bad("应为数字或 null。")
				continue
			}
			n, err := parseJSONNumber(string(num), cs.decimals)
			switch {
			case err != nil:
				bad("：" + gongkai.ErrorMessage(err))
			case n < 0 && !cs.signed:
				bad(fmt.Sprintf("不能为负数（现为%s）。", num))
			default:
				t.Rows[i].Values[j] = Num(n)
			}
		}
	}
}

// labelHint explains an unknown row label: it may belong elsewhere in the
// format, to the other format, or to no format at all.
func labelHint(format Format, section, label string) string {
	has := func(f Format) bool {
		for _, s := range layouts[f] {
			for _, r := range s.rows {
				if s.section == section && r.label == label {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has(format):
		return "位置不对"
	case format == Format2021 && has(Format2019):
		return "是2019年格式的标签，不是2021年格式的"
	case format == Format2019 && has(Format2021):
		return "是2021年格式的标签，不是2019年格式的"
	}
	return fmt.Sprintf("不是%s年格式中的标签", format)
}

func allNull(vs []any) bool {
	for _, v := range vs {
		if v != nil {
			return false
		}
	}
	return true
}

// parseJSONNumber reads a JSON number exactly, scaled by 10^decimals:
// optional minus, digits, at most decimals decimals, no exponent.
func parseJSONNumber(s string, decimals int) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	what := "数量"
	if decimals > 0 {
		what = "金额"
	}
	if strings.ContainsAny(s, "eE+") {
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s“%s”请写成不带指数的普通数字。", what, s)
	}
	n, err := parseDecimal(strings.TrimPrefix(s, "-"), decimals, what)
	if neg {
		n = -n
	}
	return n, err
}
