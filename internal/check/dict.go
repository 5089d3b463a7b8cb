package check

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// Class says how serious a wrong expression is.
type Class string

// Dictionary classes. An official entry is a wrong form of an official
// name or fixed political formulation (a 严重表述错误 under 国办秘函〔2019〕19号),
// so it blocks publication; a common entry is an ordinary misspelling or a
// non-recommended variant, so it warns.
const (
	ClassOfficial Class = "official"
	ClassCommon   Class = "common"
)

// Entry is one wrong expression of the dictionary.
//
// Wrong may contain one "..." standing for up to 20 characters of the same
// sentence (象...一样). Except lists longer correct words that contain or
// overlap the wrong form (对象 for 象...一样, 既使得 for 既使); a match that
// overlaps one of them is not reported. An exception may itself contain
// "..." when it starts with the entry's wrong form (既使...又: "既使" followed
// by 又 in the same sentence is 既…又…, not a misspelt 即使).
type Entry struct {
	Wrong  string   `json:"wrong"`
	Right  string   `json:"right"`
	Class  Class    `json:"class"`
	Source string   `json:"source"`
	Except []string `json:"except,omitempty"`
}

// Severity returns the severity of a finding for e.
func (e Entry) Severity() Severity {
	if e.Class == ClassOfficial {
		return SeverityBlock
	}
	return SeverityWarn
}

// Rule returns the rule id under which e is reported.
func (e Entry) Rule() string {
	if e.Class == ClassOfficial {
		return RuleWordingOfficial
	}
	return RuleWordingCommon
}

// Dictionary is a versioned list of wrong expressions.
type Dictionary struct {
	Version string  `json:"version"`
	Entries []Entry `json:"entries"`
}

//go:embed data/dictionary.txt
var dictionaryText string

// DefaultDictionary returns the dictionary shipped with gongkai
// (data/dictionary.txt). Each call returns a fresh copy.
func DefaultDictionary() *Dictionary {
	d, err := ParseDictionary(strings.NewReader(dictionaryText))
	if err != nil {
		panic("check: embedded dictionary: " + err.Error())
	}
	return d
}

// gap separates the two parts of a discontinuous wrong form: three ASCII
// full stops, since the ellipsis “…” itself occurs in wrong forms (……等).
const gap = "..."

// maxGapRunes is how far the second part of a gap form may follow the first.
const maxGapRunes = 20

// ParseDictionary reads the text format that administrators import and
// export:
//
//	# comment
//	@version 2026.11
//	错误形式 | 正确形式 | official 或 common | 来源或理由 | 例外1 例外2 …
//
// Fields are separated by "|" and trimmed; exceptions are separated by
// spaces; the right form may be empty when no single replacement exists.
// Errors name the line and are *gongkai.Error with field "dictionary".
func ParseDictionary(r io.Reader) (*Dictionary, error) {
	d := &Dictionary{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if v, ok := strings.CutPrefix(line, "@version"); ok {
			d.Version = strings.TrimSpace(v)
			continue
		}
		f := strings.Split(line, "|")
		if len(f) < 4 || len(f) > 5 {
			return nil, dictError(n, "应为“错误形式 | 正确形式 | 类别 | 来源或理由 | 例外”，以“|”分隔")
		}
		for i := range f {
			f[i] = strings.TrimSpace(f[i])
		}
		e := Entry{Wrong: f[0], Right: f[1], Class: Class(f[2]), Source: f[3]}
		if len(f) == 5 && f[4] != "" {
			e.Except = strings.Fields(f[4])
		}
		if err := validateEntry(e); err != "" {
			return nil, dictError(n, err)
		}
		if prev, dup := seen[e.Wrong]; dup {
			return nil, dictError(n, fmt.Sprintf("错误形式“%s”与第%d行重复", e.Wrong, prev))
		}
		seen[e.Wrong] = n
		d.Entries = append(d.Entries, e)
	}
	if err := sc.Err(); err != nil {
		return nil, gongkai.FieldError("dictionary", "词典文件无法读取："+err.Error())
	}
	return d, nil
}

func dictError(line int, msg string) error {
	return gongkai.FieldError("dictionary", fmt.Sprintf("第%d行：%s", line, msg))
}

// validateEntry returns a Chinese description of what is wrong with e, or "".
func validateEntry(e Entry) string {
	switch {
	case e.Wrong == "":
		return "错误形式不能为空"
	case !utf8.ValidString(e.Wrong + e.Right + e.Source + strings.Join(e.Except, "")):
		return "含有无效字符"
	case e.Class != ClassOfficial && e.Class != ClassCommon:
		return fmt.Sprintf("类别“%s”无效，应为 official 或 common", e.Class)
	case e.Wrong == e.Right:
		return "错误形式与正确形式相同"
	case strings.Count(e.Wrong, gap) > 1 || strings.HasPrefix(e.Wrong, gap) || strings.HasSuffix(e.Wrong, gap):
		return "“...”只能出现一次，且不能在首尾"
	case strings.ContainsAny(e.Wrong+e.Right+e.Source+strings.Join(e.Except, ""), "|\n"):
		return "不能含有“|”或换行"
	}
	first, _, _ := strings.Cut(e.Wrong, gap)
	for _, x := range e.Except {
		if strings.Contains(x, gap) {
			if !strings.HasPrefix(x, first+gap) || strings.Count(x, gap) > 1 || strings.HasSuffix(x, gap) {
				return fmt.Sprintf("例外“%s”含“...”时须以错误形式开头", x)
			}
		}
	}
	return ""
}

// EncodeDictionary writes d in the format ParseDictionary reads.
func EncodeDictionary(w io.Writer, d *Dictionary) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "# gongkai 表述词典。每行：错误形式 | 正确形式 | 类别(official/common) | 来源或理由 | 例外（以空格分隔）")
	if d.Version != "" {
		fmt.Fprintf(bw, "@version %s\n", d.Version)
	}
	for _, e := range d.Entries {
		fmt.Fprintf(bw, "%s | %s | %s | %s", e.Wrong, e.Right, e.Class, e.Source)
		if len(e.Except) > 0 {
			fmt.Fprintf(bw, " | %s", strings.Join(e.Except, " "))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}
