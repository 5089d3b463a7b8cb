package analysis

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Highlighter finds a query's terms in texts. Build one per query with
// NewHighlighter; it is read-only afterwards.
type Highlighter struct {
	terms map[string]bool
	chars map[rune]bool // lone characters of the query: match inside bigrams too
}

// NewHighlighter returns a Highlighter for every term of every alternative
// of q, synonyms included.
func NewHighlighter(q Query) *Highlighter {
	h := &Highlighter{terms: map[string]bool{}, chars: map[rune]bool{}}
	for _, g := range q.Groups {
		for _, a := range g.Alternatives {
			for _, t := range a.Terms {
				h.terms[t] = true
			}
			if a.Kind == Unigram {
				r, _ := utf8.DecodeRuneInString(a.Terms[0])
				h.chars[r] = true
			}
		}
	}
	return h
}

// span is a byte range of the text to mark.
type span struct{ start, end int }

// matches returns the merged spans of text where query terms occur, and the
// term each span started with.
func (h *Highlighter) matches(text string) ([]span, []string) {
	var spans []span
	var which []string
	add := func(s, e int, term string) {
		if n := len(spans); n > 0 && s <= spans[n-1].end {
			spans[n-1].end = max(spans[n-1].end, e)
			return
		}
		spans = append(spans, span{s, e})
		which = append(which, term)
	}
	for _, t := range Analyze(text) {
		switch {
		case t.Kind == DocNo:
			if h.terms[t.Term] {
				add(t.Start, t.End, t.Term)
			}
		case h.terms[t.Term]:
			add(t.Start, t.End, t.Term)
		case len(h.chars) > 0 && t.Kind == Bigram:
			// a lone query character inside a bigram: mark just that character
			r1, w1 := utf8.DecodeRuneInString(text[t.Start:])
			if h.chars[Fold(r1)] {
				add(t.Start, t.Start+w1, string(Fold(r1)))
			}
			r2, w2 := utf8.DecodeRuneInString(text[t.Start+w1:])
			if h.chars[Fold(r2)] {
				add(t.Start+w1, t.Start+w1+w2, string(Fold(r2)))
			}
		}
	}
	// DocNo tokens come before the ordinary tokens of their span, so the
	// spans may be out of order; they were merged only when adjacent in
	// token order, which is enough for marking because overlaps are rare
	// and marking twice is harmless below.
	return spans, which
}

// Snippet returns the passage of text, about maxRunes characters long, that
// holds the most distinct query terms, as safe HTML: the text is escaped and
// every match is wrapped in <mark>…</mark>; "…" shows where the passage was
// cut. Without any match it returns the start of the text.
func (h *Highlighter) Snippet(text string, maxRunes int) string {
	text = strings.Join(strings.Fields(text), " ")
	if text == "" {
		return ""
	}
	spans, which := h.matches(text)
	start, end := window(text, spans, which, maxRunes)
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, s := range spans {
		if s.end <= start || s.start >= end || s.start < pos {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:min(s.end, end)]))
		b.WriteString("</mark>")
		pos = min(s.end, end)
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// Mark returns all of text as safe HTML with every match marked: for titles.
func (h *Highlighter) Mark(text string) string {
	return h.Snippet(text, utf8.RuneCountInString(text)+1)
}

// window picks the byte range [start,end) of about maxRunes runes with the
// most distinct matched terms, starting a little before its first match.
func window(text string, spans []span, which []string, maxRunes int) (int, int) {
	// rune index → byte offset
	offs := make([]int, 0, len(text)/2)
	for i := range text {
		offs = append(offs, i)
	}
	offs = append(offs, len(text))
	n := len(offs) - 1
	if n <= maxRunes {
		return 0, len(text)
	}
	runeAt := func(b int) int { // index of the rune starting at or after byte b
		lo, hi := 0, n
		for lo < hi {
			m := (lo + hi) / 2
			if offs[m] < b {
				lo = m + 1
			} else {
				hi = m
			}
		}
		return lo
	}
	best, bestScore := -1, -1.0
	for i := range spans {
		first := runeAt(spans[i].start)
		seen := map[string]bool{}
		score := 0.0
		for j := i; j < len(spans) && runeAt(spans[j].end) <= first+maxRunes; j++ {
			if !seen[which[j]] {
				seen[which[j]] = true
				score++
			}
			score += 0.01
		}
		if score > bestScore {
			best, bestScore = first, score
		}
	}
	if best < 0 {
		return 0, offs[maxRunes]
	}
	// start up to 12 runes early, at a sentence boundary if there is one
	lead := max(0, best-12)
	for k := best - 1; k >= lead; k-- {
		r, _ := utf8.DecodeRuneInString(text[offs[k]:])
		if strings.ContainsRune("。！？；!?;\n", r) {
			lead = k + 1
			break
		}
	}
	s := lead
	e := min(n, s+maxRunes)
	if e == n {
		s = max(0, e-maxRunes)
	}
	return offs[s], offs[e]
}
