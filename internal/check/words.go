package check

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// wordMatcher finds the wrong forms of the dictionary and third-party site
// names in one pass of one automaton. Exceptions and allow-listed terms
// live in automata of their own, run only on a few dozen bytes around each
// match: they are common words (发展, 采购, 象征 …) and matching them all
// over the text would cost more than the whole dictionary.
type wordMatcher struct {
	ac      *automaton
	pats    []wordPat
	entries []compiledEntry
	except  *patternSet // exceptions, tagged with the entries they belong to
	allow   *patternSet // allow-listed terms
}

// wordPat says what one pattern of the main automaton is.
type wordPat struct {
	wrongs     []int32 // entries whose wrong form (first part) this is
	thirdParty bool    // a third-party site name
}

// patternSet is a small automaton with, for each pattern, the entries it
// applies to.
type patternSet struct {
	ac     *automaton
	owners [][]int32
	maxLen int
}

func newPatternSet(pats []string, owners [][]int32) *patternSet {
	ps := &patternSet{ac: buildAutomaton(pats), owners: owners}
	for _, p := range pats {
		ps.maxLen = max(ps.maxLen, len(p))
	}
	return ps
}

// around returns the matches of ps in the stretch of text around
// [start, end) where a match overlapping it can lie.
func (ps *patternSet) around(text string, start, end int) []hit {
	if ps == nil || ps.maxLen == 0 {
		return nil
	}
	a := max(0, start-ps.maxLen)
	for a > 0 && !utf8.RuneStart(text[a]) {
		a--
	}
	b := min(len(text), end+ps.maxLen)
	var hits []hit
	ps.ac.scan(text[a:b], func(p int32, e int) {
		hits = append(hits, hit{p, a + e - int(ps.ac.patLen[p]), a + e})
	})
	return hits
}

type compiledEntry struct {
	Entry
	first, second string   // the parts of a gap form; second is "" otherwise
	gapExcept     []string // tails of exceptions such as 既使...又
	rightA        string   // the right form's parts around "..."
	rightB        string
}

func newWordMatcher(entries []Entry, allow, thirdParty []string) *wordMatcher {
	m := &wordMatcher{}
	index := map[string]int32{}
	var pats []string
	pat := func(s string) int32 {
		if id, ok := index[s]; ok {
			return id
		}
		id := int32(len(pats))
		index[s] = id
		pats = append(pats, s)
		m.pats = append(m.pats, wordPat{})
		return id
	}
	exIndex := map[string]int32{}
	var exPats []string
	var exOwners [][]int32
	allowed := map[string]bool{}
	for _, a := range allow {
		if a = strings.TrimSpace(a); a != "" {
			allowed[a] = true
		}
	}
	for _, e := range entries {
		if allowed[e.Wrong] {
			continue
		}
		ce := compiledEntry{Entry: e, first: e.Wrong}
		if a, b, ok := strings.Cut(e.Wrong, gap); ok {
			ce.first, ce.second = a, b
		}
		ce.rightA, ce.rightB, _ = strings.Cut(e.Right, gap)
		idx := int32(len(m.entries))
		id := pat(ce.first)
		m.pats[id].wrongs = append(m.pats[id].wrongs, idx)
		for _, x := range e.Except {
			if tail, ok := strings.CutPrefix(x, ce.first+gap); ok {
				ce.gapExcept = append(ce.gapExcept, tail)
				continue
			}
			xid, ok := exIndex[x]
			if !ok {
				xid = int32(len(exPats))
				exIndex[x] = xid
				exPats = append(exPats, x)
				exOwners = append(exOwners, nil)
			}
			exOwners[xid] = append(exOwners[xid], idx)
		}
		m.entries = append(m.entries, ce)
	}
	for _, n := range thirdParty {
		if n = strings.TrimSpace(n); n != "" && !allowed[n] {
			m.pats[pat(n)].thirdParty = true
		}
	}
	m.ac = buildAutomaton(pats)
	m.except = newPatternSet(exPats, exOwners)
	allowList := slices.Sorted(maps.Keys(allowed))
	m.allow = newPatternSet(allowList, make([][]int32, len(allowList)))
	return m
}

type hit struct {
	pat        int32
	start, end int
}

func (m *wordMatcher) check(col *collector) {
	text := col.text
	var wrong []hit
	m.ac.scan(text, func(p int32, end int) {
		wrong = append(wrong, hit{p, end - int(m.ac.patLen[p]), end})
	})
	if len(wrong) == 0 {
		return
	}
	type found struct {
		start, end int
		entry      *compiledEntry
		gapText    string
		thirdParty bool
	}
	var fs []found
	for _, h := range wrong {
		wp := &m.pats[h.pat]
		if wp.thirdParty {
			fs = append(fs, found{start: h.start, end: h.end, thirdParty: true})
		}
		if len(wp.wrongs) == 0 {
			continue
		}
		except := m.except.around(text, h.start, h.end)
		for _, idx := range wp.wrongs {
			e := &m.entries[idx]
			if m.excepted(except, h, idx) {
				continue
			}
			if end, gapText, ok := gapMatch(text, h.end, e); ok {
				fs = append(fs, found{start: h.start, end: end, entry: e, gapText: gapText})
			}
		}
	}
	// Overlapping wrong forms are reported once, for the one that starts
	// first and, among those, the longest (中国人民政治协商委员会 rather than
	// 政治协商委员会; one finding for 。。。).
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].start != fs[j].start {
			return fs[i].start < fs[j].start
		}
		return fs[i].end > fs[j].end
	})
	reachEnd := -1
	for _, f := range fs {
		if f.start < reachEnd && !f.thirdParty {
			continue
		}
		reachEnd = max(reachEnd, f.end)
		if f.thirdParty {
			col.add(RuleThirdParty, SeverityBlock, f.start, f.end,
				fmt.Sprintf("出现第三方网站名称“%s”，可能是从其他网站复制时残留的内容，请核实并删除。", text[f.start:f.end]),
				"", "政府网站不得发布或链接与政务无关的商业内容（国办秘函〔2019〕19号单项否决指标）")
			continue
		}
		e := f.entry
		right := e.Right
		if e.second != "" {
			right = e.rightA + f.gapText + e.rightB
		}
		msg := fmt.Sprintf("“%s”应为“%s”。", text[f.start:f.end], right)
		if right == "" {
			msg = fmt.Sprintf("“%s”的表述有误。", text[f.start:f.end])
		}
		col.add(e.Rule(), e.Severity(), f.start, f.end, msg, right, e.Source)
	}
}

// excepted reports whether an exception of entry idx overlaps the wrong
// form's first part at h.
func (m *wordMatcher) excepted(except []hit, h hit, idx int32) bool {
	for _, x := range except {
		if x.start < h.end && h.start < x.end && slices.Contains(m.except.owners[x.pat], idx) {
			return true
		}
	}
	return false
}

// allowed reports whether an allow-listed term overlaps [start, end).
func (m *wordMatcher) allowed(text string, start, end int) bool {
	for _, x := range m.allow.around(text, start, end) {
		if x.start < end && start < x.end {
			return true
		}
	}
	return false
}

// sentenceEnd reports whether r ends the stretch a gap form may span.
func sentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '\n', '\r':
		return true
	}
	return false
}

// gapMatch completes a match of e whose (first part of the) wrong form ends
// at from. For a gap form it looks for the second part within maxGapRunes
// characters of the same sentence; for any entry it rejects the match when
// one of e's gap exceptions (既使...又) follows in that stretch.
func gapMatch(text string, from int, e *compiledEntry) (end int, gapText string, ok bool) {
	if e.second == "" && len(e.gapExcept) == 0 {
		return from, "", true
	}
	limit := from
	for n := 0; n < maxGapRunes+utf8.RuneCountInString(e.second) && limit < len(text); n++ {
		r, size := utf8.DecodeRuneInString(text[limit:])
		if sentenceEnd(r) {
			break
		}
		limit += size
	}
	window := text[from:limit]
	for _, tail := range e.gapExcept {
		if strings.Contains(window, tail) {
			return 0, "", false
		}
	}
	if e.second == "" {
		return from, "", true
	}
	k := strings.Index(window, e.second)
	if k < 0 {
		return 0, "", false
	}
	return from + k + len(e.second), window[:k], true
}
