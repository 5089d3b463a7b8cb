package search_test

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/search"
)

// loadCorpus reads testdata/corpus.tsv, the fixture written for these tests.
func loadCorpus(t testing.TB) []search.Doc {
	t.Helper()
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var docs []search.Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 13 {
			t.Fatalf("corpus line has %d columns: %s", len(c), line)
		}
		year, _ := strconv.Atoi(c[5])
		pub, err := gongkai.ParseDate(c[7])
		if err != nil {
			t.Fatal(err)
		}
		org := c[2]
		path := []string{"c00"}
		if org != "c00" {
			path = append(path, org)
		}
		docs = append(docs, search.Doc{
			ID: c[0], Kind: c[1], SiteIDs: []int64{1}, OrgCode: org, OrgPath: path, OrgName: "示范市" + org,
			Columns: []string{"col-" + c[1]}, Topic: c[3], Genre: c[4], Year: year, Validity: c[6],
			PublishedAt: pub.Time().Add(9 * time.Hour), DocNo: c[8], Title: c[9], Keywords: c[10], Summary: c[11], Body: c[12],
			URL: "/art/" + c[0] + ".html",
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return docs
}

var now = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func openCorpus(t testing.TB, shards int) *search.Index {
	return openCorpusScored(t, shards, 0)
}

func openCorpusScored(t testing.TB, shards, maxScored int) *search.Index {
	t.Helper()
	ix, err := search.Open(t.TempDir(), search.Options{Shards: shards, MaxScored: maxScored, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if err := ix.Index(loadCorpus(t)...); err != nil {
		t.Fatal(err)
	}
	return ix
}

// TestRelevance runs the judged queries and prints recall@10 and MRR; it
// fails below 0.9 recall@10. "tiers" ranks every query the way match sets
// above DefaultMaxScored are ranked.
func TestRelevance(t *testing.T) {
	for _, c := range []struct {
		name              string
		shards, maxScored int
	}{{"bm25", 1, 0}, {"bm25-2shards", 2, 0}, {"tiers", 1, 1}} {
		t.Run(c.name, func(t *testing.T) {
			ix := openCorpusScored(t, c.shards, c.maxScored)
			f, err := os.Open("testdata/judged.tsv")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			var n int
			var recall, mrr float64
			for sc.Scan() {
				line := sc.Text()
				if line == "" || line[0] == '#' {
					continue
				}
				q, want, _ := strings.Cut(line, "\t")
				expected := strings.Split(want, ",")
				res, err := ix.Search(search.Query{Text: q, PageSize: 10})
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, h := range res.Hits {
					got = append(got, h.ID)
				}
				found := 0
				for _, e := range expected {
					for _, g := range got {
						if g == e {
							found++
							break
						}
					}
				}
				rr := 0.0
				for i, g := range got {
					if g == expected[0] {
						rr = 1 / float64(i+1)
						break
					}
				}
				r := float64(found) / float64(len(expected))
				if r < 1 || rr < 1 {
					t.Logf("%-16s recall %.2f rr %.2f want %v got %v", q, r, rr, expected, got)
				}
				recall += r
				mrr += rr
				n++
			}
			if n < 40 {
				t.Fatalf("judged set has %d queries, want at least 40", n)
			}
			recall /= float64(n)
			mrr /= float64(n)
			t.Logf("relevance over %d judged queries: recall@10 = %.3f, MRR = %.3f", n, recall, mrr)
			if recall < 0.9 {
				t.Errorf("recall@10 = %.3f, want at least 0.9", recall)
			}
		})
	}
}

func ids(r search.Result) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchBehaviour(t *testing.T) {
	ix := openCorpus(t, 1)
	search1 := func(q search.Query) search.Result {
		t.Helper()
		r, err := ix.Search(q)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	t.Run("valid above expired for the same match", func(t *testing.T) {
		r := search1(search.Query{Text: "最低生活保障标准"})
		if len(r.Hits) < 2 || r.Hits[0].ID != "d01" {
			t.Fatalf("hits %v, want d01 (有效) first", ids(r))
		}
	})
	t.Run("docno ranks its document first", func(t *testing.T) {
		for _, q := range []string{"示政办发〔2023〕15号", "示政办发2023年15号"} {
			r := search1(search.Query{Text: q})
			if len(r.Hits) == 0 || r.Hits[0].ID != "d05" {
				t.Errorf("%s: hits %v, want d05 first", q, ids(r))
			}
		}
	})
	t.Run("docno of another year", func(t *testing.T) {
		r := search1(search.Query{Text: "示政办发〔2024〕15号"})
		if !contains(r.Suggestions, "示政办发〔2023〕15号") {
			t.Errorf("suggestions %v, notices %v: want the 2023 文号", r.Suggestions, r.Notices)
		}
	})
	t.Run("filters", func(t *testing.T) {
		r := search1(search.Query{Text: "标准", Org: "c00-d15"})
		for _, h := range r.Hits {
			if !strings.HasPrefix(h.URL, "/art/d") || h.OrgName != "示范市c00-d15" || h.OrgCode != "c00-d15" {
				t.Errorf("hit %s of org %s", h.ID, h.OrgName)
			}
		}
		if r.Total == 0 {
			t.Fatal("no results")
		}
		all := search1(search.Query{Org: "c00"}) // subtree of the root: everything
		if all.Total != 52 {
			t.Errorf("org subtree c00: total %d, want 52", all.Total)
		}
		r = search1(search.Query{Topic: "民政、扶贫、救灾", Validity: search.Valid})
		if diff := cmp.Diff([]string{"d01", "d15", "d16", "d17", "d33", "d34", "d35"}, sortedIDs(r, 50, ix)); diff != "" {
			t.Errorf("first-level topic filter mismatch (-want +got):\n%s", diff)
		}
		r = search1(search.Query{Year: 2021, Genre: "通知"})
		if diff := cmp.Diff([]string{"d06", "d30", "d45", "d46", "d47"}, sortedIDs(r, 50, ix)); diff != "" {
			t.Errorf("year+genre mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("facets", func(t *testing.T) {
		r := search1(search.Query{Text: "最低生活保障"})
		want := map[string]int{search.Valid: 0, search.Expired: 0, search.Repealed: 0}
		for _, h := range loadCorpus(t) {
			if strings.Contains(h.Title+h.Keywords+h.Summary+h.Body, "最低生活保障") {
				want[h.Validity]++
			}
		}
		got := map[string]int{}
		for _, fc := range r.Facets[search.FacetValidity] {
			got[fc.Value] = fc.Count
		}
		for k, v := range want {
			if v == 0 {
				delete(want, k)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("validity facet mismatch (-want +got):\n%s", diff)
		}
		if len(r.Facets[search.FacetOrg]) == 0 || len(r.Facets[search.FacetYear]) == 0 || len(r.Facets[search.FacetTopic]) == 0 {
			t.Errorf("missing facets: %v", r.Facets)
		}
	})
	t.Run("empty query lists the latest", func(t *testing.T) {
		r := search1(search.Query{})
		if r.Total != 52 || len(r.Hits) != search.DefaultPageSize {
			t.Fatalf("total %d, %d hits", r.Total, len(r.Hits))
		}
		if diff := cmp.Diff([]string{"d18", "d43", "d23"}, ids(r)[:3]); diff != "" {
			t.Errorf("latest mismatch (-want +got):\n%s", diff)
		}
		for i := 1; i < len(r.Hits); i++ {
			if r.Hits[i].PublishedAt.After(r.Hits[i-1].PublishedAt) {
				t.Errorf("not by date at %d", i)
			}
		}
	})
	t.Run("sort by date", func(t *testing.T) {
		r := search1(search.Query{Text: "住房公积金", Sort: search.SortDate})
		if diff := cmp.Diff([]string{"d07", "d05", "d06"}, ids(r)); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("long query", func(t *testing.T) {
		r := search1(search.Query{Text: strings.Repeat("低保", 500)})
		if len(r.Notices) == 0 || !strings.Contains(r.Notices[0], "检索词过长") {
			t.Errorf("notices %v", r.Notices)
		}
	})
	t.Run("only punctuation", func(t *testing.T) {
		r := search1(search.Query{Text: "，。！？……"})
		if r.Total != 52 || len(r.Notices) == 0 {
			t.Errorf("total %d, notices %v", r.Total, r.Notices)
		}
	})
	t.Run("unknown filters are ignored", func(t *testing.T) {
		r := search1(search.Query{Text: "低保", Org: "nope", Topic: "不存在", Validity: "永久", Year: 99999, SiteID: -3, Sort: "random"})
		if diff := cmp.Diff([]string{"site", "org", "topic", "validity", "year"}, r.IgnoredFilters); diff != "" {
			t.Errorf("ignored filters mismatch (-want +got):\n%s", diff)
		}
		if r.Total == 0 || len(r.Notices) < 6 {
			t.Errorf("total %d, notices %v", r.Total, r.Notices)
		}
	})
	t.Run("checked filters match nothing when absent", func(t *testing.T) {
		// an org that exists but has published nothing: no results, and
		// the filter is named as the one to drop
		r := search1(search.Query{Text: "低保", Org: "c09-d99", Checked: true})
		if r.Total != 0 || len(r.IgnoredFilters) != 0 || len(r.DroppableFilters) != 1 || r.DroppableFilters[0] != "org" {
			t.Errorf("total %d ignored %v droppable %v", r.Total, r.IgnoredFilters, r.DroppableFilters)
		}
		if n := strings.Join(r.Advice, ""); !strings.Contains(n, "取消“发布机构：c09-d99”") {
			t.Errorf("advice %v: want the filter named by its value", r.Advice)
		}
		// a label given by the caller names it as people read it
		r = search1(search.Query{Text: "低保", Org: "c09-d99", Checked: true, Labels: map[string]string{search.FacetOrg: "某县民政局"}})
		if n := strings.Join(r.Advice, ""); !strings.Contains(n, "取消“发布机构：某县民政局”") || strings.Contains(n, "c09-d99") {
			t.Errorf("advice %v: want the filter named by its label", r.Advice)
		}
		// the lists the index knows are still checked
		r = search1(search.Query{Text: "低保", Validity: "永久", Checked: true})
		if r.Total == 0 || len(r.IgnoredFilters) != 1 {
			t.Errorf("total %d ignored %v", r.Total, r.IgnoredFilters)
		}
	})
	t.Run("page beyond the end", func(t *testing.T) {
		// page 9999 is past the paging cap too, but with fewer results than
		// the cap the cap is not the reason nothing is shown
		for _, page := range []int{99, 9999} {
			r := search1(search.Query{Text: "低保", Page: page})
			if len(r.Hits) != 0 || r.Total == 0 || len(r.Notices) != 1 || !strings.Contains(r.Notices[0], fmt.Sprintf("页码超出范围，共%d页", r.Pages)) {
				t.Errorf("page %d: hits %d total %d notices %v", page, len(r.Hits), r.Total, r.Notices)
			}
		}
	})
	t.Run("pagination", func(t *testing.T) {
		var seen []string
		for p := 1; p <= 6; p++ {
			r := search1(search.Query{Page: p, PageSize: 10})
			seen = append(seen, ids(r)...)
		}
		if len(seen) != 52 || len(uniq(seen)) != 52 {
			t.Errorf("pages gave %d ids, %d distinct", len(seen), len(uniq(seen)))
		}
		a := search1(search.Query{Text: "通知", Page: 1, PageSize: 5})
		b := search1(search.Query{Text: "通知", Page: 2, PageSize: 5})
		if len(uniq(append(ids(a), ids(b)...))) != min(10, a.Total) || a.Total != b.Total {
			t.Errorf("relevance pages overlap: %v %v", ids(a), ids(b))
		}
	})
	t.Run("snippets are escaped", func(t *testing.T) {
		if err := ix.Index(search.Doc{ID: "x1", Kind: search.KindDocument, Title: `关于<script>alert(1)</script>的"通知"`, Body: `低保 <b>加粗</b> & "引号"`, PublishedAt: now}); err != nil {
			t.Fatal(err)
		}
		defer ix.Delete("x1")
		r := search1(search.Query{Text: `<script>"低保"`})
		var hit *search.Hit
		for i := range r.Hits {
			if r.Hits[i].ID == "x1" {
				hit = &r.Hits[i]
			}
		}
		if hit == nil {
			t.Fatalf("x1 not found: %v", ids(r))
		}
		for _, s := range []string{hit.Snippet, hit.TitleHTML} {
			rest := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
			if strings.ContainsAny(rest, `<>"`) {
				t.Errorf("unescaped: %q", s)
			}
		}
		if !strings.Contains(hit.Snippet, "<mark>低保</mark>") {
			t.Errorf("snippet %q lacks the mark", hit.Snippet)
		}
	})
	t.Run("no results suggests", func(t *testing.T) {
		r := search1(search.Query{Text: "低保", Year: 2019})
		if r.Total != 0 || !contains(r.DroppableFilters, "year") || r.DroppableTotals["year"] == 0 || len(r.Advice) == 0 {
			t.Errorf("total %d droppable %v %v advice %v", r.Total, r.DroppableFilters, r.DroppableTotals, r.Advice)
		}
		r = search1(search.Query{Text: "低保 火星基地"})
		if r.Total == 0 && len(r.Suggestions) == 0 {
			t.Errorf("no partial results and no suggestions: %v", r.Notices)
		}
		// every suggestion leads to results: a synonym's usual name finds
		// what the word finds, so it is not offered when that is nothing
		r = search1(search.Query{Text: "医保", Year: 2019})
		if r.Total != 0 || contains(r.Suggestions, "医疗保障") {
			t.Errorf("total %d suggestions %v: want no dead-end synonym", r.Total, r.Suggestions)
		}
		r = search1(search.Query{Text: "医保 火星 基地 宇航"})
		if r.Total != 0 || !contains(r.Suggestions, "医疗保障") || !contains(r.Suggestions, "医保") {
			t.Errorf("total %d suggestions %v notices %v: want the usual name of the word that has results", r.Total, r.Suggestions, r.Notices)
		}
		for _, s := range r.Suggestions {
			if n := search1(search.Query{Text: s}).Total; n == 0 {
				t.Errorf("suggestion %q finds nothing", s)
			}
		}
	})
}

func sortedIDs(r search.Result, _ int, _ *search.Index) []string {
	out := ids(r)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func uniq(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestWriteAndReopen: deletions (a withdrawn document) disappear at once,
// Apply records the outbox position with the batch, and a reopened index
// resumes from it.
func TestWriteAndReopen(t *testing.T) {
	for _, shards := range []int{1, 3} {
		t.Run(fmt.Sprintf("shards=%d", shards), func(t *testing.T) {
			dir := t.TempDir()
			ix, err := search.Open(dir, search.Options{Shards: shards})
			if err != nil {
				t.Fatal(err)
			}
			if got := ix.AppliedSeq(); got != 0 {
				t.Errorf("new index AppliedSeq = %d", got)
			}
			docs := loadCorpus(t)
			if err := ix.Apply(7, docs, nil); err != nil {
				t.Fatal(err)
			}
			if err := ix.Apply(8, nil, []string{"d01"}); err != nil { // withdrawn
				t.Fatal(err)
			}
			r, _ := ix.Search(search.Query{Text: "最低生活保障标准"})
			if contains(ids(r), "d01") {
				t.Errorf("withdrawn d01 still found: %v", ids(r))
			}
			revised := docs[1]
			revised.Title = "示范市民政局关于调整最低生活保障标准的通知（已撤回重发）"
			if err := ix.Apply(9, []search.Doc{revised}, nil); err != nil {
				t.Fatal(err)
			}
			if n, _ := ix.Count(); n != 51 {
				t.Errorf("Count = %d, want 51", n)
			}
			if err := ix.Close(); err != nil {
				t.Fatal(err)
			}
			ix, err = search.Open(dir, search.Options{Shards: 1}) // the shard count of the directory wins
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			if ix.Shards() != shards {
				t.Errorf("reopened with %d shards, want %d", ix.Shards(), shards)
			}
			if got := ix.AppliedSeq(); got != 9 {
				t.Errorf("AppliedSeq after reopen = %d, want 9", got)
			}
			r, _ = ix.Search(search.Query{Text: "撤回重发"})
			if diff := cmp.Diff([]string{"d02"}, ids(r)); diff != "" {
				t.Errorf("revised document mismatch (-want +got):\n%s", diff)
			}
			if err := ix.Apply(-1, nil, nil); err == nil {
				t.Error("negative sequence accepted")
			}
		})
	}
}

func TestSetSynonyms(t *testing.T) {
	ix := openCorpus(t, 1)
	r, _ := ix.Search(search.Query{Text: "救急钱"})
	if r.Total != 0 && !r.Partial {
		t.Fatalf("救急钱 found %v before it is a synonym", ids(r))
	}
	syn, err := analysisParse("临时救助 救急钱\n")
	if err != nil {
		t.Fatal(err)
	}
	ix.SetSynonyms(syn)
	r, _ = ix.Search(search.Query{Text: "救急钱"})
	if len(r.Hits) == 0 || r.Hits[0].ID != "d35" {
		t.Errorf("after SetSynonyms: %v", ids(r))
	}
}
