package check

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gongkai"
)

//go:embed data/t2s.txt
var t2sText string

//go:embed data/sensitive_sample.txt
var sensitiveSample string

// t2sLow is the first code point of the traditional → simplified table,
// which covers CJK Extension A and the Unified Ideographs block
// (U+3400–U+9FFF), where every mapped character of Unihan lies.
const (
	t2sLow  = 0x3400
	t2sHigh = 0xA000
)

// t2sTable maps a traditional character to its simplified form (0 = keep).
var t2sTable = sync.OnceValue(func() []uint16 {
	table := make([]uint16, t2sHigh-t2sLow)
	for line := range strings.Lines(t2sText) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		t, n := utf8.DecodeRuneInString(line)
		s, _ := utf8.DecodeRuneInString(line[n:])
		if t >= t2sLow && t < t2sHigh && s <= 0xFFFF {
			table[t-t2sLow] = uint16(s)
		}
	}
	return table
})

// SampleSensitiveWords returns the neutral sample list shipped with gongkai
// (data/sensitive_sample.txt): made-up test words, so that the mechanism
// can be demonstrated and tested. Each site's real list is managed by its
// administrators.
func SampleSensitiveWords() []string {
	words, _ := ParseWordList(strings.NewReader(sensitiveSample))
	return words
}

// ParseWordList reads a plain-text word list: one word per line; blank
// lines and lines starting with # are ignored; duplicates are dropped.
func ParseWordList(r io.Reader) ([]string, error) {
	var words []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	n := 0
	for sc.Scan() {
		n++
		w := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if w == "" || strings.HasPrefix(w, "#") || seen[w] {
			continue
		}
		if !utf8.ValidString(w) {
			return nil, gongkai.FieldError("words", fmt.Sprintf("第%d行含有无效字符", n))
		}
		seen[w] = true
		words = append(words, w)
	}
	if err := sc.Err(); err != nil {
		return nil, gongkai.FieldError("words", "词表文件无法读取："+err.Error())
	}
	return words, nil
}

// EncodeWordList writes words one per line, the format ParseWordList reads.
func EncodeWordList(w io.Writer, words []string) error {
	bw := bufio.NewWriter(w)
	for _, word := range words {
		bw.WriteString(word)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// Normalisation for sensitive words. Text and words are both mapped rune
// by rune: full-width forms to ASCII, ASCII letters to lower case,
// traditional characters to simplified; spaces, punctuation, symbols and
// invisible format characters are skipped, so that 测 试、測*試 and ｃ ｏ ｄ ｅ
// match 测试 and code. A newline or a sentence-ending mark (。！？；) ends the
// stretch a word may span, so words are not matched across sentences.
const (
	normSkip  rune = -1
	normBreak rune = -2
)

func normRune(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			return r
		case r == '\n' || r == '\r':
			return normBreak
		}
		return normSkip
	case r >= t2sLow && r < t2sHigh:
		if s := t2sTable()[r-t2sLow]; s != 0 {
			return rune(s)
		}
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return normRune(r - 0xFEE0)
	}
	switch r {
	case '。', '！', '？', '；', '\u2028', '\u2029':
		return normBreak
	}
	if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r) {
		return normSkip
	}
	return r
}

// normWord returns the normalised form of a word and its length in runes.
func normWord(w string) (string, int) {
	var b strings.Builder
	n := 0
	for _, r := range w {
		if nr := normRune(r); nr >= 0 {
			b.WriteRune(nr)
			n++
		}
	}
	return b.String(), n
}

type sensitiveMatcher struct {
	ac       *automaton
	words    []string
	runes    []int // normalised length of each word in runes
	ascii    []bool
	maxRunes int
}

func newSensitiveMatcher(words []string) *sensitiveMatcher {
	m := &sensitiveMatcher{}
	var pats []string
	seen := map[string]bool{}
	for _, w := range words {
		nw, n := normWord(strings.TrimSpace(w))
		if n == 0 || seen[nw] {
			continue
		}
		seen[nw] = true
		pats = append(pats, nw)
		m.words = append(m.words, strings.TrimSpace(w))
		m.runes = append(m.runes, n)
		m.ascii = append(m.ascii, isASCIIWord(nw))
		m.maxRunes = max(m.maxRunes, n)
	}
	m.ac = buildAutomaton(pats)
	return m
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// check streams the normalised text through the automaton without building
// it: a ring of the original offsets of the last maxRunes kept runes maps a
// match back to the original text.
func (m *sensitiveMatcher) check(col *collector) {
	if len(m.words) == 0 {
		return
	}
	text := col.text
	ring := make([]int, m.maxRunes)
	table := t2sTable()
	trans, class := m.ac.trans, &m.ac.class
	k := 0 // kept runes so far
	s := int32(0)
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(text); {
		start := i
		c0 := text[i]
		n := 0
		// Fast path: a three-byte character in the range of the
		// traditional → simplified table (all of CJK).
		if c0 >= 0xE3 && c0 <= 0xE9 && i+2 < len(text) && text[i+1]&0xC0 == 0x80 && text[i+2]&0xC0 == 0x80 {
			r := rune(c0&0x0F)<<12 | rune(text[i+1]&0x3F)<<6 | rune(text[i+2]&0x3F)
			if r >= t2sLow && r < t2sHigh {
				i += 3
				if t := table[r-t2sLow]; t != 0 {
					n = utf8.EncodeRune(buf[:], rune(t))
				} else {
					buf[0], buf[1], buf[2] = c0, text[start+1], text[start+2]
					n = 3
				}
			}
		}
		if n == 0 {
			var r rune
			if c0 < utf8.RuneSelf {
				r = rune(c0)
				i++
			} else {
				var size int
				r, size = utf8.DecodeRuneInString(text[i:])
				i += size
			}
			nr := normRune(r)
			if nr == normSkip {
				continue
			}
			if nr == normBreak {
				s = 0
				continue
			}
			n = utf8.EncodeRune(buf[:], nr)
		}
		ring[k%len(ring)] = start
		k++
		for j := 0; j < n; j++ {
			s = trans[s+int32(class[buf[j]])]
			if s < 0 {
				s = -s
				if j == n-1 {
					m.ac.report(s, i, func(p int32, end int) {
						m.found(col, p, ring[(k-m.runes[p])%len(ring)], end)
					})
				}
			}
		}
	}
}

func (m *sensitiveMatcher) found(col *collector, p int32, start, end int) {
	text := col.text
	if m.ascii[p] {
		// An ASCII word must stand alone: "ass" is not in "class".
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if isASCIIAlnum(before) || isASCIIAlnum(after) {
			return
		}
	}
	col.add(RuleSensitive, SeverityBlock, start, end,
		fmt.Sprintf("含有敏感词“%s”，请删除或修改后再发布。", m.words[p]), "", "命中本站维护的敏感词表")
}
