package analysis

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// docNoSpan is a 文号 found in a text: its byte span and its index term.
type docNoSpan struct {
	start, end int
	term       string
}

// docNoRE is a stand-in for internal/ident's parser until that package is
// merged: 机关代字, year in any bracket or followed by 年, number, 号, at the
// end of the window it is applied to.
var docNoRE = regexp.MustCompile(`(\p{Han}{1,10}?)\s*[〔\[(【〖{]?\s*((?:19|20)\d{2})\s*(?:[〕\])】〗}]|年)?\s*第?\s*(\d{1,5})\s*号$`)

// docNoLead lists words that often stand right before a 文号 in running text
// and are not part of the 机关代字.
var docNoLead = []string{"根据", "依据", "依照", "废止", "修订", "修改", "撤销", "停止执行", "按照", "参照", "印发", "转发", "执行", "落实", "关于", "对", "据", "经", "见", "即", "和", "与", "及", "的", "是", "为", "以"}

// findDocNos finds the 文号 in text. It looks only around each 号 that
// follows a digit, so ordinary text costs a byte search.
func findDocNos(text string) []docNoSpan {
	var out []docNoSpan
	from, lastEnd := 0, 0
	for {
		k := strings.IndexAny(text[from:], "号號")
		if k < 0 {
			return out
		}
		k += from
		end := k + len("号") // 號 is three bytes too
		from = end
		j := k
		for j > lastEnd {
			r, w := utf8.DecodeLastRuneInString(text[lastEnd:j])
			if r != ' ' && r != '\u3000' {
				break
			}
			j -= w
		}
		if r, _ := utf8.DecodeLastRuneInString(text[lastEnd:j]); !unicode.IsDigit(r) {
			continue
		}
		ws := k
		for n := 0; n < 32 && ws > lastEnd; n++ {
			_, w := utf8.DecodeLastRuneInString(text[lastEnd:ws])
			ws -= w
		}
		if d, ok := matchDocNo(text[ws:end]); ok {
			d.start += ws
			d.end += ws
			out = append(out, d)
			lastEnd = end
		}
	}
}

// matchDocNo matches a window that ends with 号: it folds the window
// (full-width digits and brackets) and maps the match back to its bytes.
func matchDocNo(win string) (docNoSpan, bool) {
	offs := make([]int, 0, len(win))
	nb := make([]byte, 0, len(win))
	for i, r := range win {
		f := Fold(r)
		switch f { // brackets Fold leaves alone
		case '［', '【', '〖', '〔':
			f = '['
		case '］', '】', '〗', '〕':
			f = ']'
		}
		for range utf8.RuneLen(f) {
			offs = append(offs, i)
		}
		nb = utf8.AppendRune(nb, f)
	}
	norm := string(nb)
	m := docNoRE.FindStringSubmatchIndex(norm)
	if m == nil {
		return docNoSpan{}, false
	}
	issuer := norm[m[2]:m[3]]
	start := m[2]
	for trimmed := true; trimmed; {
		trimmed = false
		for _, l := range docNoLead {
			if strings.HasPrefix(issuer, l) && len(issuer) > len(l)+3 {
				issuer = issuer[len(l):]
				start += len(l)
				trimmed = true
			}
		}
	}
	num, _ := strconv.Atoi(norm[m[6]:m[7]])
	return docNoSpan{start: offs[start], end: len(win), term: docNoTerm(issuer, norm[m[4]:m[5]], num)}, true
}

func docNoTerm(issuer, year string, num int) string {
	return Normalize(issuer) + "〔" + year + "〕" + strconv.Itoa(num) + "号"
}

// ParseDocNo reports whether s as a whole is one 文号, and returns its index
// term and the key that ignores the year (for the "same 文号, another year"
// hint).
func ParseDocNo(s string) (term, anyYear string, ok bool) {
	s = strings.TrimSpace(s)
	spans := findDocNos(s)
	if len(spans) != 1 || spans[0].start != 0 || spans[0].end != len(s) {
		return "", "", false
	}
	return spans[0].term, DocNoAnyYear(spans[0].term), true
}

// DocNoAnyYear returns the year-less key of a DocNo term:
// 示政办发〔2024〕15号 → 示政办发〔〕15号.
func DocNoAnyYear(term string) string {
	i := strings.Index(term, "〔")
	j := strings.Index(term, "〕")
	if i < 0 || j < i {
		return term
	}
	return term[:i] + "〔〕" + term[j+len("〕"):]
}
