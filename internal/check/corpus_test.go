package check_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/check"
)

// span is an expected or reported finding in the corpus.
type span struct {
	rule       string
	start, end int
}

// parseCorpus strips the ⟦rule|text⟧ markers and #! option lines of a corpus
// file and returns the clean text, the options and the expected findings
// (metadata findings have start = end = -1).
func parseCorpus(t *testing.T, raw string) (string, check.Options, []span) {
	t.Helper()
	var opts check.Options
	var want []span
	var body strings.Builder
	for line := range strings.Lines(raw) {
		opt, ok := strings.CutPrefix(line, "#! ")
		if !ok {
			body.WriteString(line)
			continue
		}
		k, v, _ := strings.Cut(strings.TrimSpace(opt), ":")
		v = strings.TrimSpace(v)
		switch k {
		case "title":
			opts.Title = v
		case "signed", "published":
			d, err := gongkai.ParseDate(v)
			if err != nil {
				t.Fatal(err)
			}
			if k == "signed" {
				opts.SignedOn = d
			} else {
				opts.PublishedOn = d
			}
		case "disclosure":
			opts.RequiredDisclosure, opts.DisclosureReason = true, v
		case "expect":
			want = append(want, span{v, -1, -1})
		default:
			t.Fatalf("unknown option %q", k)
		}
	}
	src := body.String()
	var text strings.Builder
	for {
		i := strings.Index(src, "⟦")
		if i < 0 {
			text.WriteString(src)
			break
		}
		text.WriteString(src[:i])
		rest := src[i+len("⟦"):]
		bar := strings.Index(rest, "|")
		end := strings.Index(rest, "⟧")
		if bar < 0 || end < bar {
			t.Fatalf("bad marker near %q", src[i:min(len(src), i+40)])
		}
		start := text.Len()
		text.WriteString(rest[bar+1 : end])
		want = append(want, span{rest[:bar], start, text.Len()})
		src = rest[end+len("⟧"):]
	}
	return text.String(), opts, want
}

// TestCorpus checks the labelled corpus in testdata/corpus and reports
// precision and recall per rule; both must be at least 0.95.
func TestCorpus(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{
		SensitiveWords:   check.SampleSensitiveWords(),
		SiteAllowDomains: []string{"shifan.example"},
	})
	files, err := filepath.Glob("testdata/corpus/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	type count struct{ tp, fp, fn int }
	counts := map[string]*count{}
	for _, r := range check.Rules() {
		counts[r.ID] = &count{}
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text, opts, want := parseCorpus(t, string(raw))
		var gotSpans []span
		for _, f := range c.Check(text, opts) {
			s := span{f.Rule, f.Start, f.End}
			if f.Source == "metadata" {
				s.start, s.end = -1, -1
			}
			gotSpans = append(gotSpans, s)
		}
		for _, g := range gotSpans {
			if slices.Contains(want, g) {
				counts[g.rule].tp++
			} else {
				counts[g.rule].fp++
				t.Logf("%s: false positive %s %q", filepath.Base(file), g.rule, excerpt(text, g))
			}
		}
		for _, w := range want {
			if !slices.Contains(gotSpans, w) {
				counts[w.rule].fn++
				t.Logf("%s: missed %s %q", filepath.Base(file), w.rule, excerpt(text, w))
			}
		}
	}
	var report strings.Builder
	fmt.Fprintf(&report, "%-36s %4s %4s %4s %9s %6s\n", "rule", "tp", "fp", "fn", "precision", "recall")
	for _, r := range check.Rules() {
		n := counts[r.ID]
		if n.tp+n.fp+n.fn == 0 {
			fmt.Fprintf(&report, "%-36s %4d %4d %4d %9s %6s\n", r.ID, 0, 0, 0, "-", "-")
			continue
		}
		p := ratio(n.tp, n.tp+n.fp)
		rc := ratio(n.tp, n.tp+n.fn)
		fmt.Fprintf(&report, "%-36s %4d %4d %4d %9.3f %6.3f\n", r.ID, n.tp, n.fp, n.fn, p, rc)
		if p < 0.95 || rc < 0.95 {
			t.Errorf("%s: precision %.3f, recall %.3f, want both ≥ 0.95", r.ID, p, rc)
		}
	}
	t.Log("\n" + report.String())
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func excerpt(text string, s span) string {
	if s.start < 0 {
		return "(metadata)"
	}
	return text[s.start:s.end]
}
