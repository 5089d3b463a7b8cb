package analysis

import (
	_ "embed"
	"fmt"
	"strings"
	"unicode/utf8"

	"gongkai"
)

// defaultSynonyms is the shipped list; its header gives the format and each
// group cites the law, regulation or document its canonical name comes from.
//
//go:embed synonyms.txt
var defaultSynonyms string

// Synonyms is a parsed synonym list: groups of terms that mean the same
// thing to a citizen (社保 / 社会保险). It is immutable once parsed and safe
// for concurrent use.
type Synonyms struct {
	groups [][]string     // normalised terms; the first is the canonical name
	byTerm map[string]int // normalised term → index into groups
}

// MaxSynonymRunes bounds one synonym term, so that query segmentation stays
// cheap and a pasted paragraph cannot become a "synonym".
const MaxSynonymRunes = 24

// DefaultSynonymsText returns the shipped list as text, for an administrator
// to start editing from.
func DefaultSynonymsText() string { return defaultSynonyms }

// DefaultSynonyms returns the shipped list, parsed.
func DefaultSynonyms() *Synonyms {
	s, err := ParseSynonyms(defaultSynonyms)
	if err != nil {
		panic("analysis: shipped synonyms.txt is invalid: " + err.Error())
	}
	return s
}

// ParseSynonyms parses the administrator-editable format: one group per line,
// terms separated by spaces, "/", "、", "," or "，"; "#" starts a comment. A
// term may belong to one group only. Errors are EINVALID on field
// "synonyms" with the line number in Chinese.
func ParseSynonyms(text string) (*Synonyms, error) {
	s := &Synonyms{byTerm: map[string]int{}}
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.FieldsFunc(line, func(r rune) bool {
			return r == ' ' || r == '\t' || r == '\r' || r == '/' || r == '、' || r == ',' || r == '，' || r == '\u3000'
		})
		if len(fields) == 0 {
			continue
		}
		var group []string
		seen := map[string]bool{}
		for _, f := range fields {
			t := Normalize(f)
			if !hasIndexable(t) {
				return nil, gongkai.FieldError("synonyms", fmt.Sprintf("第%d行：“%s”不含可检索的文字。", n+1, f))
			}
			if utf8.RuneCountInString(t) > MaxSynonymRunes {
				return nil, gongkai.FieldError("synonyms", fmt.Sprintf("第%d行：“%s”过长，每个词不超过%d个字。", n+1, f, MaxSynonymRunes))
			}
			if seen[t] {
				continue
			}
			if g, ok := s.byTerm[t]; ok {
				return nil, gongkai.FieldError("synonyms", fmt.Sprintf("第%d行：“%s”已在“%s”一组中出现，同一个词只能属于一组。", n+1, f, s.groups[g][0]))
			}
			seen[t] = true
			group = append(group, t)
		}
		if len(group) < 2 {
			return nil, gongkai.FieldError("synonyms", fmt.Sprintf("第%d行：每组至少需要两个不同的词。", n+1))
		}
		for _, t := range group {
			s.byTerm[t] = len(s.groups)
		}
		s.groups = append(s.groups, group)
	}
	return s, nil
}

// Groups returns the groups, canonical name first. The slices are copies.
func (s *Synonyms) Groups() [][]string {
	out := make([][]string, len(s.groups))
	for i, g := range s.groups {
		out[i] = append([]string(nil), g...)
	}
	return out
}

// Lookup returns the group of a term (normalised first), canonical name
// first, or nil when the term is in no group.
func (s *Synonyms) Lookup(term string) []string {
	if s == nil {
		return nil
	}
	g, ok := s.byTerm[Normalize(term)]
	if !ok {
		return nil
	}
	return append([]string(nil), s.groups[g]...)
}

func (s *Synonyms) has(term string) bool {
	if s == nil {
		return false
	}
	_, ok := s.byTerm[term]
	return ok
}

func hasIndexable(s string) bool {
	for _, r := range s {
		if classOf(Fold(r)) != sep {
			return true
		}
	}
	return false
}
