// Package indexno parses and applies 索引号 (IndexNo) templates.
//
// Every published Document gets an 索引号 at its first publication; it is
// unique, never changes and is never reused (statutes §4, 条例 Art. 12: the
// 政府信息公开目录 lists 索引). No national standard fixes its shape, so each
// Org configures a template. The forms seen on real sites are
// `<机关代码>/<年>-<流水号>`, with the organ code either the 9-character
// 组织机构代码 or the 18-character 统一社会信用代码, sometimes with the month
// (`000014349/2017-00110`, `11441700007280420Y/2021-00050`,
// `11341702486344515H/202110-00013`, statutes §4 [S42][S50b][S12]).
//
// The package is pure: the store supplies the values (the Org's codes, the
// publication year and month, and the next number of the counter named by
// SeqScope) and persists the result.
package indexno

import (
	"fmt"
	"strconv"
	"strings"

	"gongkai"
)

// Default is the template an Org gets unless it configures another:
// 统一社会信用代码 / year - five-digit sequence, numbered per Org per year.
const Default = "{credit_code}/{yyyy}-{seq:05}"

// Field is the form field / JSON property that Parse errors name.
const Field = "indexNoTemplate"

// maxTemplate bounds a template's length; real ones are under 40 bytes.
const maxTemplate = 200

// maxWidth bounds {seq:N}: ten digits already exceed any yearly volume.
const maxWidth = 10

type kind int

const (
	literal    kind = iota
	creditCode      // {credit_code}: 统一社会信用代码, 18 characters (GB 32100)
	orgCode         // {org_code}: 组织机构代码, 9 characters (GB 11714)
	regionCode      // {region_code}: 行政区划代码, 6–12 digits
	code            // {code}: the Org's own ASCII code
	year4           // {yyyy}
	year2           // {yy}
	month           // {mm}
	seq             // {seq} or {seq:N}
)

// names maps placeholder names to kinds. {seq:N} is handled apart.
var names = map[string]kind{
	"credit_code": creditCode,
	"org_code":    orgCode,
	"region_code": regionCode,
	"code":        code,
	"yyyy":        year4,
	"yy":          year2,
	"mm":          month,
	"seq":         seq,
}

// available lists the placeholders in the order error messages show them.
const available = "{credit_code}、{org_code}、{region_code}、{code}、{yyyy}、{yy}、{mm}、{seq:N}"

// variable reports whether a placeholder's rendering can differ in length.
// Such a placeholder must be followed by a separator or end the template:
// otherwise `{code}{seq}` would render code "A1" + seq 1 and code "A" +
// seq 11 both as "A11", and the 索引号 would no longer be unique.
func (k kind) variable() bool {
	switch k {
	case regionCode, code, seq:
		return true
	}
	return false
}

type part struct {
	kind  kind
	text  string // literal text, or the placeholder as written
	width int    // seq only: zero-padded width, 0 = no padding
}

// Template is a parsed 索引号 template. The zero Template is not valid; get
// one from Parse.
type Template struct {
	src   string
	parts []part
}

// Values are what a Template is filled with. The store takes the codes from
// the Org, the year and month from the publication instant (Asia/Shanghai)
// and Seq from the counter named by SeqScope.
type Values struct {
	CreditCode string // 统一社会信用代码, 18 characters
	OrgCode    string // 组织机构代码, 9 characters; derived from CreditCode when empty
	RegionCode string // 行政区划代码
	Code       string // the Org's ASCII code
	Year       int
	Month      int // 1–12; needed only by templates with {mm}
	Seq        int64
}

// Parse checks a template and returns it. Errors are *gongkai.Error with
// Field set to Field and a Chinese message naming the problem. A template
// must hold exactly one sequence number, a year, and an Org identifier
// ({credit_code}, {org_code} or {code}), so that numbers are unique per Org
// per year and never repeat across Orgs.
func Parse(s string) (Template, error) {
	fail := func(format string, args ...any) (Template, error) {
		return Template{}, gongkai.FieldError(Field, fmt.Sprintf(format, args...))
	}
	if strings.TrimSpace(s) == "" {
		return fail("索引号模板不能为空。")
	}
	if len(s) > maxTemplate {
		return fail("索引号模板过长，不能超过 %d 个字符。", maxTemplate)
	}
	var (
		parts             []part
		nseq, nyear, norg int
		rest              = s
	)
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			open = len(rest)
		}
		if open > 0 {
			lit := rest[:open]
			for _, r := range lit {
				if !literalOK(r) {
					return fail("索引号模板含有不允许的字符“%s”，模板中的固定文字只能使用英文字母、数字和 - / _ . 。", string(r))
				}
			}
			parts = append(parts, part{kind: literal, text: lit})
			rest = rest[open:]
			continue
		}
		if rest[0] == '}' {
			return fail("索引号模板中有多余的“}”。")
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return fail("索引号模板中的“%s”缺少右花括号“}”。", rest)
		}
		ph := rest[:end+1]
		name := rest[1:end]
		rest = rest[end+1:]
		p := part{text: ph}
		if n, ok := strings.CutPrefix(name, "seq:"); ok {
			w, err := strconv.Atoi(n)
			if err != nil || len(n) > 2 || w < 1 || w > maxWidth {
				return fail("索引号模板中的 %s 位数不正确，流水号位数应为 1 至 %d 之间的整数，例如 {seq:05}。", ph, maxWidth)
			}
			p.kind, p.width = seq, w
		} else if k, ok := names[name]; ok {
			p.kind = k
		} else {
			if k, ok := names[strings.ToLower(name)]; ok && k != literal {
				return fail("索引号模板中的占位符 %s 无法识别，是否应为 {%s}？可用的占位符：%s。", ph, strings.ToLower(name), available)
			}
			return fail("索引号模板中的占位符 %s 无法识别，可用的占位符：%s。", ph, available)
		}
		switch p.kind {
		case seq:
			nseq++
		case year4, year2:
			nyear++
		case creditCode, orgCode, code:
			norg++
		}
		parts = append(parts, p)
	}
	switch {
	case nseq == 0:
		return fail("索引号模板必须包含流水号 {seq} 或 {seq:N}，否则无法保证索引号不重复。")
	case nseq > 1:
		return fail("索引号模板中流水号只能出现一次。")
	case nyear == 0:
		return fail("索引号模板必须包含年份 {yyyy} 或 {yy}，流水号按年编排。")
	case norg == 0:
		return fail("索引号模板必须包含机关标识 {credit_code}、{org_code} 或 {code} 之一，否则不同机关的索引号会重复。")
	}
	for i, p := range parts {
		if !p.kind.variable() || i == len(parts)-1 {
			continue
		}
		next := parts[i+1]
		if next.kind != literal || !separator(rune(next.text[0])) {
			return fail("索引号模板中 %s 的长度不固定，其后必须紧跟分隔符（- / _ .）或位于末尾，否则索引号可能重复。", p.text)
		}
	}
	return Template{src: s, parts: parts}, nil
}

// MustParse is Parse for templates fixed in code; it panics on error.
func MustParse(s string) Template {
	t, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return t
}

func literalOK(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || separator(r)
}

func separator(r rune) bool { return r == '-' || r == '/' || r == '_' || r == '.' }

// String returns the template as written.
func (t Template) String() string { return t.src }

// Monthly reports whether the sequence restarts every month ({mm} is used)
// rather than every year.
func (t Template) Monthly() bool {
	for _, p := range t.parts {
		if p.kind == month {
			return true
		}
	}
	return false
}

// SeqScope names the counter the store increments for v: the year
// ("2021"), or the year and month ("2021-10") when the template uses {mm}.
// Counters are kept per Org, so the store keys them by (Org, scope).
// Keeping the scope independent of the rest of the template means an Org
// that edits its template mid-year continues its numbering instead of
// restarting it.
func (t Template) SeqScope(v Values) string {
	if t.Monthly() {
		return fmt.Sprintf("%04d-%02d", v.Year, v.Month)
	}
	return fmt.Sprintf("%04d", v.Year)
}

// Format fills the template. It fails with a Chinese *gongkai.Error when a
// value the template needs is missing or malformed (for example an Org
// without a 统一社会信用代码), so nothing half-formed is ever stored.
func (t Template) Format(v Values) (string, error) {
	if len(t.parts) == 0 {
		return "", gongkai.Errorf(gongkai.EINVALID, "索引号模板未设置。")
	}
	var b strings.Builder
	for _, p := range t.parts {
		switch p.kind {
		case literal:
			b.WriteString(p.text)
		case creditCode:
			if !ValidCreditCodeShape(v.CreditCode) {
				if v.CreditCode == "" {
					return "", gongkai.Errorf(gongkai.EINVALID, "本机关尚未填写统一社会信用代码，无法按模板 %s 生成索引号，请联系管理员补充。", t.src)
				}
				return "", gongkai.Errorf(gongkai.EINVALID, "本机关的统一社会信用代码“%s”格式不正确（应为 18 位数字或大写字母），无法生成索引号。", v.CreditCode)
			}
			b.WriteString(v.CreditCode)
		case orgCode:
			oc := normalOrgCode(v.OrgCode)
			if oc == "" && ValidCreditCodeShape(v.CreditCode) {
				// GB 32100: characters 9–17 of the 统一社会信用代码 are the
				// 组织机构代码.
				oc = v.CreditCode[8:17]
			}
			if !validOrgCodeShape(oc) {
				if oc == "" {
					return "", gongkai.Errorf(gongkai.EINVALID, "本机关尚未填写组织机构代码或统一社会信用代码，无法按模板 %s 生成索引号，请联系管理员补充。", t.src)
				}
				return "", gongkai.Errorf(gongkai.EINVALID, "本机关的组织机构代码“%s”格式不正确（应为 9 位数字或大写字母），无法生成索引号。", oc)
			}
			b.WriteString(oc)
		case regionCode:
			if !validRegionCode(v.RegionCode) {
				if v.RegionCode == "" {
					return "", gongkai.Errorf(gongkai.EINVALID, "本机关尚未填写行政区划代码，无法按模板 %s 生成索引号，请联系管理员补充。", t.src)
				}
				return "", gongkai.Errorf(gongkai.EINVALID, "本机关的行政区划代码“%s”格式不正确（应为 6 至 12 位数字），无法生成索引号。", v.RegionCode)
			}
			b.WriteString(v.RegionCode)
		case code:
			if !validCode(v.Code) {
				if v.Code == "" {
					return "", gongkai.Errorf(gongkai.EINVALID, "本机关尚未设置机关代码，无法按模板 %s 生成索引号，请联系管理员补充。", t.src)
				}
				return "", gongkai.Errorf(gongkai.EINVALID, "本机关的机关代码“%s”只能由英文字母和数字组成（不超过 32 个字符），无法按模板生成索引号。", v.Code)
			}
			b.WriteString(v.Code)
		case year4, year2:
			if v.Year < 1000 || v.Year > 9999 {
				return "", gongkai.Errorf(gongkai.EINVALID, "年份 %d 无效，无法生成索引号。", v.Year)
			}
			if p.kind == year4 {
				fmt.Fprintf(&b, "%04d", v.Year)
			} else {
				fmt.Fprintf(&b, "%02d", v.Year%100)
			}
		case month:
			if v.Month < 1 || v.Month > 12 {
				return "", gongkai.Errorf(gongkai.EINVALID, "月份 %d 无效，无法生成索引号。", v.Month)
			}
			fmt.Fprintf(&b, "%02d", v.Month)
		case seq:
			if v.Seq < 1 {
				return "", gongkai.Errorf(gongkai.EINVALID, "流水号 %d 无效，应从 1 开始。", v.Seq)
			}
			fmt.Fprintf(&b, "%0*d", p.width, v.Seq)
		}
	}
	return b.String(), nil
}

// Needs lists, in Chinese, the Org data the template requires (for the
// settings form, so an admin learns before the first publication that the
// template needs, say, the 组织机构代码).
func (t Template) Needs() []string {
	var out []string
	seen := map[kind]bool{}
	for _, p := range t.parts {
		if seen[p.kind] {
			continue
		}
		seen[p.kind] = true
		switch p.kind {
		case creditCode:
			out = append(out, "统一社会信用代码")
		case orgCode:
			out = append(out, "组织机构代码（或统一社会信用代码）")
		case regionCode:
			out = append(out, "行政区划代码")
		case code:
			out = append(out, "机关代码")
		}
	}
	return out
}

// ValidCreditCodeShape reports whether s has the shape of a 统一社会信用代码:
// 18 characters from the GB 32100-2015 alphabet (digits and upper-case
// letters without I, O, Z, S, V). It does not verify the check character;
// that belongs to validating the Org.
func ValidCreditCodeShape(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(creditAlphabet, rune(s[i])) {
			return false
		}
	}
	return true
}

const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// normalOrgCode turns the hyphenated print form "XXXXXXXX-X" of a
// 组织机构代码 into the plain 9 characters, so the placeholder has a fixed
// width and holds no separator.
func normalOrgCode(s string) string {
	if len(s) == 10 && s[8] == '-' {
		return s[:8] + s[9:]
	}
	return s
}

// validOrgCodeShape accepts the 9-character 组织机构代码 (GB 11714: eight
// body characters and a check character that may be X).
func validOrgCodeShape(s string) bool {
	if len(s) != 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// validRegionCode accepts a 6-digit 行政区划代码 (GB/T 2260) or a longer
// township-level 统计用区划代码 of up to 12 digits.
func validRegionCode(s string) bool {
	if len(s) < 6 || len(s) > 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validCode accepts letters and digits only. No value a template inserts
// may contain a separator: then every length-varying value ends exactly at
// the separator Parse requires after it, an 索引号 reads back into one set
// of values only, and two Orgs can never produce the same number.
func validCode(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
