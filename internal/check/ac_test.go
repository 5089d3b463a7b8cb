package check

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type acMatch struct {
	Pat        int32
	Start, End int
}

func acAll(a *automaton, text string) []acMatch {
	var got []acMatch
	a.scan(text, func(p int32, end int) {
		got = append(got, acMatch{p, end - int(a.patLen[p]), end})
	})
	slices.SortFunc(got, cmpACMatch)
	return got
}

func cmpACMatch(x, y acMatch) int {
	if x.Start != y.Start {
		return x.Start - y.Start
	}
	if x.End != y.End {
		return x.End - y.End
	}
	return int(x.Pat - y.Pat)
}

func TestAutomaton(t *testing.T) {
	t.Parallel()
	pats := []string{"截止目前", "目前", "he", "she", "his", "hers", "", "象"}
	a := buildAutomaton(pats)
	tests := []struct {
		text string
		want []acMatch
	}{
		{"", nil},
		{"ushers", []acMatch{{3, 1, 4}, {2, 2, 4}, {5, 2, 6}}},
		{"截止目前为止", []acMatch{{0, 0, 12}, {1, 6, 12}}},
		{"对象目前", []acMatch{{7, 3, 6}, {1, 6, 12}}},
		{"无关文字", nil},
		// A pattern's bytes inside another character must still only match
		// whole byte sequences: 目 is E7 9B AE.
		{"\xe7\x9b\xae", nil},
	}
	for _, tt := range tests {
		got := acAll(a, tt.text)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("scan(%q) mismatch (-want +got):\n%s", tt.text, diff)
		}
	}
}

// TestAutomatonRandom compares the automaton with a naive search over random
// texts drawn from a tiny alphabet, where overlaps are frequent.
func TestAutomatonRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "c", "政", "务"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 200 {
		var pats []string
		for range 1 + r.IntN(8) {
			pats = append(pats, word(1+r.IntN(4)))
		}
		text := word(r.IntN(40))
		var want []acMatch
		for id, p := range pats {
			for i := 0; i+len(p) <= len(text); i++ {
				if text[i:i+len(p)] == p {
					want = append(want, acMatch{int32(id), i, i + len(p)})
				}
			}
		}
		slices.SortFunc(want, cmpACMatch)
		got := acAll(buildAutomaton(pats), text)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("round %d patterns %q text %q mismatch (-want +got):\n%s", round, pats, text, diff)
		}
	}
}
