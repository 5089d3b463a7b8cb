package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query is what a user typed, analysed for searching. A document matches
// when it matches every Group; it matches a Group when it contains all the
// Terms of any one of the group's Alternatives.
type Query struct {
	// Text is the query as searched: trimmed, control characters removed,
	// cut to the maximum length.
	Text string
	// Truncated is set when Text had to be cut.
	Truncated bool
	// DocNo is the index term of the 文号 when the whole query is one, and
	// DocNoAnyYear its year-less key (for "this 文号 exists with another
	// year"); both empty otherwise.
	DocNo, DocNoAnyYear string
	Groups              []Group
	// TooManyTerms is set when groups beyond MaxGroups were dropped.
	TooManyTerms bool
}

// Group is one concept of the query.
type Group struct {
	// Text is the normalised text the user typed for this concept.
	Text string
	// Alternatives lists the typed form first, then its synonyms.
	Alternatives []Alternative
	// Exact is set for text typed in quotes: it was not split further.
	Exact bool
}

// Alternative is one way of writing a concept.
type Alternative struct {
	Text string
	// Terms must all occur in a document (as index terms of Analyze).
	Terms []string
	// Kind is Unigram for a lone CJK character, which should also match
	// the bigrams that contain it; DocNo for a 文号; Word for a Latin or
	// digit word; Bigram otherwise.
	Kind Kind
	// Synonym is set when the alternative came from the synonym list.
	Synonym bool
}

// Limits of ParseQuery.
const (
	// DefaultMaxQueryRunes is the length a query is cut to: enough for a
	// long title or a sentence-like question, short enough to keep the
	// query cheap.
	DefaultMaxQueryRunes = 64
	// MaxGroups bounds the number of concepts searched at once.
	MaxGroups = 12
)

// ParseQuery analyses a query: it cuts it to maxRunes characters (0 means
// DefaultMaxQueryRunes), recognises 文号 and quoted phrases, splits the rest
// into words with the shipped word list and the synonym list, drops question
// words ("怎么", "多少") and characters left alone between words, and expands
// every word with its synonyms. syn may be nil.
func ParseQuery(s string, syn *Synonyms, maxRunes int) Query {
	if maxRunes <= 0 {
		maxRunes = DefaultMaxQueryRunes
	}
	var q Query
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > maxRunes {
		q.Truncated = true
		n := 0
		for i := range s {
			if n == maxRunes {
				s = strings.TrimSpace(s[:i])
				break
			}
			n++
		}
	}
	q.Text = s
	if t, any, ok := ParseDocNo(s); ok {
		q.DocNo, q.DocNoAnyYear = t, any
	}
	p := parser{syn: syn}
	// 文号 first: they are recognised on the raw text, and their characters
	// must not also be split into words.
	rest := []byte(s)
	for _, d := range findDocNos(s) {
		p.add(Group{Text: d.term, Alternatives: []Alternative{{Text: d.term, Terms: []string{d.term}, Kind: DocNo}}})
		for i := d.start; i < d.end; i++ {
			rest[i] = ' '
		}
	}
	p.text(string(rest))
	q.Groups, q.TooManyTerms = p.finish()
	return q
}

type parser struct {
	syn     *Synonyms
	groups  []Group
	singles []Group // lone CJK characters, kept only if nothing else is left
}

func (p *parser) add(g Group) {
	for _, h := range p.groups {
		if h.Text == g.Text {
			return
		}
	}
	p.groups = append(p.groups, g)
}

// text handles quoted stretches and splits the rest into chunks.
func (p *parser) text(s string) {
	for s != "" {
		i := strings.IndexAny(s, "\"“”「『")
		if i < 0 {
			p.chunks(s)
			return
		}
		p.chunks(s[:i])
		_, w := utf8.DecodeRuneInString(s[i:])
		s = s[i+w:]
		j := strings.IndexAny(s, "\"“”」』")
		if j < 0 {
			p.chunks(s)
			return
		}
		p.exact(s[:j])
		_, w = utf8.DecodeRuneInString(s[j:])
		s = s[j+w:]
	}
}

func (p *parser) exact(s string) {
	n := strings.Join(strings.Fields(Normalize(s)), " ")
	terms := terms(n)
	if len(terms) == 0 {
		return
	}
	p.add(Group{Text: n, Exact: true, Alternatives: []Alternative{{Text: n, Terms: terms, Kind: kindOf(terms, n)}}})
}

// chunks splits s into runs of CJK characters and of letters and digits.
func (p *parser) chunks(s string) {
	var cur []rune
	curClass := sep
	flush := func() {
		switch curClass {
		case cjk:
			p.segment(cur)
		case alnum:
			p.word(string(cur), Word)
		}
		cur = cur[:0]
	}
	for _, r := range s {
		f := Fold(r)
		c := classOf(f)
		if c != curClass {
			flush()
			curClass = c
		}
		if c != sep {
			cur = append(cur, f)
		}
	}
	flush()
}

// segment splits a CJK run by greedy longest match against the word list
// and the synonym terms. Stretches matching nothing stay together and are
// searched as their bigrams.
func (p *parser) segment(run []rune) {
	maxLen := max(lexicon.maxRunes, MaxSynonymRunes)
	var unknown []rune
	flushUnknown := func() {
		u := strings.TrimRight(string(unknown), particles)
		unknown = unknown[:0]
		if u != "" {
			p.word(u, Bigram)
		}
	}
	for i := 0; i < len(run); {
		matched := 0
		filler := false
		for n := min(maxLen, len(run)-i); n >= 2; n-- {
			w := string(run[i : i+n])
			if lexicon.fillers[w] {
				matched, filler = n, true
				break
			}
			if lexicon.words[w] || p.syn.has(w) {
				matched = n
				break
			}
		}
		if matched == 0 {
			unknown = append(unknown, run[i])
			i++
			continue
		}
		flushUnknown()
		if !filler {
			p.word(string(run[i:i+matched]), Bigram)
		}
		i += matched
	}
	flushUnknown()
}

// word adds one concept with its synonyms.
func (p *parser) word(w string, kind Kind) {
	if utf8.RuneCountInString(w) == 1 && kind != Word {
		p.singles = append(p.singles, Group{Text: w, Alternatives: []Alternative{{Text: w, Terms: []string{w}, Kind: Unigram}}})
		return
	}
	g := Group{Text: w}
	g.Alternatives = append(g.Alternatives, Alternative{Text: w, Terms: terms(w), Kind: kind})
	for _, alt := range p.syn.Lookup(w) {
		if alt == w {
			continue
		}
		ts := terms(alt)
		g.Alternatives = append(g.Alternatives, Alternative{Text: alt, Terms: ts, Kind: kindOf(ts, alt), Synonym: true})
	}
	p.add(g)
}

func (p *parser) finish() ([]Group, bool) {
	if len(p.groups) == 0 {
		for _, g := range p.singles {
			p.add(g)
		}
	}
	if len(p.groups) > MaxGroups {
		return p.groups[:MaxGroups], true
	}
	return p.groups, false
}

// terms returns the distinct index terms of s, without DocNo tokens (a 文号
// inside a synonym or quoted phrase is matched through its characters).
func terms(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range Analyze(s) {
		if t.Kind == DocNo || seen[t.Term] {
			continue
		}
		seen[t.Term] = true
		out = append(out, t.Term)
	}
	return out
}

func kindOf(terms []string, text string) Kind {
	if len(terms) == 1 && utf8.RuneCountInString(terms[0]) == 1 && classOf([]rune(terms[0])[0]) == cjk {
		return Unigram
	}
	for _, r := range text {
		if classOf(r) == cjk {
			return Bigram
		}
	}
	return Word
}

// Terms returns every index term of every alternative, for highlighting.
func (q Query) Terms() []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range q.Groups {
		for _, a := range g.Alternatives {
			for _, t := range a.Terms {
				if !seen[t] {
					seen[t] = true
					out = append(out, t)
				}
			}
		}
	}
	return out
}
