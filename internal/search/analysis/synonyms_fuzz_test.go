package analysis

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// FuzzParseSynonyms: the administrators' list never panics the parser; a
// refused list is refused with a field error on "synonyms"; an accepted
// list written back one group per line parses to the same groups, and
// every term looks up its own group.
func FuzzParseSynonyms(f *testing.F) {
	f.Add(DefaultSynonymsText())
	f.Add("社保 社会保险\n低保\n")
	f.Add("# 只有注释\n\n")
	f.Add("甲 乙\n乙 丙\n")
	f.Add("ＡＢＣ abc\n\xff\xfe 乙\n")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSynonyms(text)
		if err != nil {
			if e := gongkai.AsError(err); e == nil || e.Field != "synonyms" || e.Code != gongkai.EINVALID {
				t.Fatalf("error %v is not an EINVALID on synonyms", err)
			}
			return
		}
		groups := s.Groups()
		var b strings.Builder
		for _, g := range groups {
			b.WriteString(strings.Join(g, " ") + "\n")
		}
		again, err := ParseSynonyms(b.String())
		if err != nil {
			t.Fatalf("groups %q written back do not parse: %v", groups, err)
		}
		if diff := cmp.Diff(groups, again.Groups()); diff != "" {
			t.Fatalf("round trip mismatch (-want +got):\n%s", diff)
		}
		for _, g := range groups {
			for _, term := range g {
				if got := s.Lookup(term); len(got) == 0 || got[0] != g[0] {
					t.Fatalf("Lookup(%q) = %q, want the group of %q", term, got, g[0])
				}
			}
		}
	})
}
