package analysis

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"gongkai/internal/ident"
)

// docNoSpan is a 文号 found in a text: its byte span and its index term.
// Parsing is internal/ident's (NormalizeDocNo, FindDocNos); this file only
// turns its DocNo into the index term, with the 机关代字 normalised like
// every other term (traditional 發 → 发).
type docNoSpan struct {
	start, end int
	term       string
}

// findDocNos finds the 文号 in text with internal/ident. Most text has no
// 号 at all, and a byte search keeps analysis fast for it. ident reads
// simplified characters only, so traditional ones are folded first in a copy
// of equal byte length (the offsets stay valid).
func findDocNos(text string) []docNoSpan {
	if !strings.Contains(text, "号") && !strings.Contains(text, "號") {
		return nil
	}
	folded := foldSameWidth(text)
	var out []docNoSpan
	for _, m := range ident.FindDocNos(folded) {
		if m.Start < 0 || m.End > len(text) || m.Start >= m.End || folded[m.Start:m.End] != m.Raw {
			continue // offsets ident got wrong (seen with invalid UTF-8)
		}
		prefix := Normalize(m.DocNo.Prefix)
		out = append(out, docNoSpan{start: m.Start, end: m.End, term: docNoTerm(prefix, strconv.Itoa(m.DocNo.Year), m.DocNo.Seq)})
	}
	return out
}

// foldSameWidth applies Fold to every rune whose folded form has the same
// UTF-8 length.
func foldSameWidth(s string) string {
	var b []byte
	for i, r := range s {
		w := utf8.RuneLen(r)
		if r == utf8.RuneError {
			_, w = utf8.DecodeRuneInString(s[i:])
		}
		f := Fold(r)
		if f == r || utf8.RuneLen(f) != w {
			if b != nil {
				b = append(b, s[i:i+w]...)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)), s[:i]...)
		}
		b = utf8.AppendRune(b, f)
	}
	if b == nil {
		return s
	}
	return string(b)
}

func docNoTerm(issuer, year string, num int) string {
	return Normalize(issuer) + "〔" + year + "〕" + strconv.Itoa(num) + "号"
}

// ParseDocNo reports whether s as a whole is one 文号, and returns its index
// term and the key that ignores the year (for the "same 文号, another year"
// hint).
func ParseDocNo(s string) (term, anyYear string, ok bool) {
	d, ok := ident.NormalizeDocNo(foldSameWidth(strings.TrimSpace(s)))
	if !ok {
		return "", "", false
	}
	t := docNoTerm(Normalize(d.Prefix), strconv.Itoa(d.Year), d.Seq)
	return t, DocNoAnyYear(t), true
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
