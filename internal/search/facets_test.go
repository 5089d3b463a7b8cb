package search_test

import (
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/search"
)

// TestFacetCounts checks the facet counts against a count done by hand over
// the documents, for match sets of every size (the three ways facets are
// counted: visiting the few matches, visiting the few non-matches, and
// intersecting postings), with several segments, deleted documents and
// multi-valued fields (sites, columns).
func TestFacetCounts(t *testing.T) {
	ix, err := search.Open(t.TempDir(), search.Options{CacheEntries: -1, BatchSize: 250})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []search.Doc
	for i := range 1200 {
		d := search.Doc{
			ID: fmt.Sprintf("d%04d", i), Kind: search.KindDocument, SiteIDs: []int64{1}, OrgCode: fmt.Sprintf("o%d", i%7),
			OrgPath: []string{"root", fmt.Sprintf("o%d", i%7)}, Columns: []string{fmt.Sprintf("c%d", i%5)}, Topic: fmt.Sprintf("t%d", i%4),
			Genre: fmt.Sprintf("g%d", i%3), Year: 2020 + i%6, Validity: []string{search.Valid, search.Expired, search.Repealed, search.Revised}[i%4],
			Title: "关于工作的通知", Body: "正文", PublishedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour),
		}
		if i%3 == 0 {
			d.Body += "殡葬管理"
		}
		if i%10 == 0 {
			d.SiteIDs = append(d.SiteIDs, 2)
			d.Columns = append(d.Columns, "c9")
		}
		docs = append(docs, d)
	}
	// several batches make several segments
	for start := 0; start < len(docs); start += 300 {
		if err := ix.Index(docs[start : start+300]...); err != nil {
			t.Fatal(err)
		}
	}
	var deleted []string
	for i := 0; i < len(docs); i += 11 {
		deleted = append(deleted, docs[i].ID)
	}
	if err := ix.Delete(deleted...); err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{}
	for _, id := range deleted {
		gone[id] = true
	}
	byHand := func(match func(i int, d search.Doc) bool) map[string][]search.FacetCount {
		counts := map[string]map[string]int{}
		add := func(facet, v string) {
			if counts[facet] == nil {
				counts[facet] = map[string]int{}
			}
			counts[facet][v]++
		}
		for i, d := range docs {
			if gone[d.ID] || !match(i, d) {
				continue
			}
			for _, s := range d.SiteIDs {
				add(search.FacetSite, strconv.FormatInt(s, 10))
			}
			for _, c := range d.Columns {
				add(search.FacetColumn, c)
			}
			add(search.FacetOrg, d.OrgCode)
			add(search.FacetTopic, d.Topic)
			add(search.FacetGenre, d.Genre)
			add(search.FacetYear, strconv.Itoa(d.Year))
			add(search.FacetValidity, d.Validity)
			add(search.FacetKind, d.Kind)
		}
		out := map[string][]search.FacetCount{}
		for facet, m := range counts {
			for v, n := range m {
				out[facet] = append(out[facet], search.FacetCount{Value: v, Count: n})
			}
			sort.Slice(out[facet], func(i, j int) bool {
				a, b := out[facet][i], out[facet][j]
				if a.Count != b.Count {
					return a.Count > b.Count
				}
				return a.Value < b.Value
			})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		q     search.Query
		match func(i int, d search.Doc) bool
	}{
		{"all (above half)", search.Query{}, func(int, search.Doc) bool { return true }},
		{"a third (below half)", search.Query{Text: "殡葬"}, func(i int, _ search.Doc) bool { return i%3 == 0 }},
		{"filtered", search.Query{Org: "o3"}, func(_ int, d search.Doc) bool { return d.OrgCode == "o3" }},
		{"few (columns visited)", search.Query{Text: "殡葬", Org: "o3"}, func(i int, d search.Doc) bool { return i%3 == 0 && d.OrgCode == "o3" }},
		{"a quarter by filter", search.Query{Validity: search.Valid}, func(_ int, d search.Doc) bool { return d.Validity == search.Valid }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ix.Search(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			want := byHand(tc.match)
			got := map[string][]search.FacetCount{}
			for k, v := range r.Facets {
				if len(v) > 0 {
					got[k] = v
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("facets mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
