package check

// An Aho–Corasick automaton compiled to a byte-level DFA.
//
// Why our own rather than github.com/coregx/ahocorasick (v0.3.1, evaluated):
// that library has the same design (flat DFA, byte classes, premultiplied
// state ids) but takes []byte, returns match slices, and offers no way to
// feed one byte at a time. The sensitive-word rule matches on a normalised
// stream that is never materialised, the dictionary rule reports every
// overlapping match of wrong forms and their exceptions through a callback,
// and the whole thing is ~150 lines, so a dependency buys nothing.
//
// Layout: states are numbered in units of stride (premultiplied), so the
// next state is trans[state+class[b]] with no multiplication. A transition
// into a state that has outputs is stored negated, which makes the common
// no-match path a single sign test.

type automaton struct {
	class    [256]uint16
	stride   int32
	trans    []int32 // (state + class) → next state, negated when it has outputs
	outStart []int32 // per state index (state/stride): outputs are outPats[outStart[i]:outStart[i+1]]
	outPats  []int32
	patLen   []int32 // byte length of each pattern
}

// buildAutomaton compiles patterns; empty patterns are ignored. Pattern ids
// are indexes into patterns.
func buildAutomaton(patterns []string) *automaton {
	a := &automaton{patLen: make([]int32, len(patterns))}
	// Byte classes: class 0 for bytes in no pattern, one class per byte
	// that occurs. Two bytes that never occur behave the same in every state.
	var used [256]bool
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
	}
	n := uint16(1)
	for b := range 256 {
		if used[b] {
			a.class[b] = n
			n++
		}
	}
	a.stride = int32(n)
	stride := a.stride

	// Trie. trans[s+c] == 0 means "no child" while building (the root is
	// never a child).
	a.trans = make([]int32, stride, stride*64)
	own := [][]int32{nil}
	for id, p := range patterns {
		a.patLen[id] = int32(len(p))
		if p == "" {
			continue
		}
		s := int32(0)
		for i := 0; i < len(p); i++ {
			c := int32(a.class[p[i]])
			next := a.trans[s+c]
			if next == 0 {
				next = int32(len(a.trans))
				a.trans = append(a.trans, make([]int32, stride)...)
				own = append(own, nil)
				a.trans[s+c] = next
			}
			s = next
		}
		own[s/stride] = append(own[s/stride], int32(id))
	}

	// Breadth-first: complete the DFA and merge each state's outputs with
	// those of its failure state (already final, being shallower).
	states := len(own)
	fail := make([]int32, states)
	outs := make([][]int32, states)
	outs[0] = own[0]
	queue := make([]int32, 0, states)
	for c := range stride {
		if next := a.trans[c]; next != 0 {
			fail[next/stride] = 0
			queue = append(queue, next)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s/stride]
		outs[s/stride] = append(append([]int32(nil), own[s/stride]...), outs[f/stride]...)
		for c := range stride {
			next := a.trans[s+c]
			if next == 0 {
				a.trans[s+c] = a.trans[f+c]
				continue
			}
			fail[next/stride] = a.trans[f+c]
			queue = append(queue, next)
		}
	}
	a.outStart = make([]int32, states+1)
	for i, o := range outs {
		a.outStart[i] = int32(len(a.outPats))
		a.outPats = append(a.outPats, o...)
	}
	a.outStart[states] = int32(len(a.outPats))
	// Mark transitions into output states.
	for i, t := range a.trans {
		if t != 0 && len(outs[t/stride]) > 0 {
			a.trans[i] = -t
		}
	}
	return a
}

// scan reports every (possibly overlapping) match in text as fn(pattern, end),
// end being the byte offset just past the match.
func (a *automaton) scan(text string, fn func(pat int32, end int)) {
	trans, class := a.trans, &a.class
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = trans[s+int32(class[text[i]])]
		if s < 0 {
			s = -s
			a.report(s, i+1, fn)
		}
	}
}

func (a *automaton) report(s int32, end int, fn func(pat int32, end int)) {
	i := s / a.stride
	for _, p := range a.outPats[a.outStart[i]:a.outStart[i+1]] {
		fn(p, end)
	}
}

// memory returns the bytes held by the automaton's tables.
func (a *automaton) memory() int {
	return len(a.trans)*4 + len(a.outStart)*4 + len(a.outPats)*4 + len(a.patLen)*4 + len(a.class)*2
}
