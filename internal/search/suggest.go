package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/internal/search/analysis"
)

// maxSuggestions bounds Result.Suggestions.
const maxSuggestions = 5

// suggest fills the "no results" help: filters whose removal gives results,
// 文号 with another year, synonyms' canonical names and parts of the query
// that have results on their own.
func (ix *Index) suggest(ctx context.Context, snap *snapshot, pq analysis.Query, filters []filter, res *Result) {
	// which filters, dropped one at a time, give results
	if len(filters) > 0 {
		var labels []string
		for i, f := range filters {
			rest := append(append([]filter(nil), filters[:i]...), filters[i+1:]...)
			if n := snap.match(matchExpr(pq, rest, res.Partial)).total; n > 0 {
				res.DroppableFilters = append(res.DroppableFilters, f.name)
				if res.DroppableTotals == nil {
					res.DroppableTotals = map[string]int{}
				}
				res.DroppableTotals[f.name] = n
				labels = append(labels, fmt.Sprintf("取消“%s：%s”可找到%d条", f.label, f.shown, n))
			}
		}
		if len(labels) > 0 {
			res.Advice = append(res.Advice, "当前筛选条件下没有找到结果；"+strings.Join(labels, "，")+"。")
		}
	}
	if pq.DocNo != "" {
		ix.suggestDocNoYears(ctx, pq, res)
	}
	seen := map[string]bool{pq.Text: true}
	add := func(s string) {
		if !seen[s] && len(res.Suggestions) < maxSuggestions {
			seen[s] = true
			res.Suggestions = append(res.Suggestions, s)
		}
	}
	// hasResults reports whether g alone, with the same filters, matches.
	hasResults := func(g analysis.Group) bool {
		one := pq
		one.Groups = []analysis.Group{g}
		one.Text = g.Text
		return snap.match(matchExpr(one, filters, false)).total > 0
	}
	// a related synonym: the canonical name of a word's group. A word is
	// already searched with every synonym of its group, so the usual name
	// finds exactly what the word finds: it is worth offering only when
	// the word has results on its own (the rest of the query had none),
	// never as a link to another empty page (医保 → 医疗保障 → nothing).
	syn := ix.syn.Load()
	for _, g := range pq.Groups {
		if grp := syn.Lookup(g.Text); len(grp) > 0 && grp[0] != g.Text && hasResults(g) {
			add(grp[0])
		}
	}
	// parts of the query that have results
	if len(pq.Groups) > 1 {
		for _, g := range pq.Groups {
			if hasResults(g) {
				add(g.Text)
			}
		}
	}
	if len(res.Suggestions) > 0 {
		res.Advice = append(res.Advice, "没有找到相关信息，您可以尝试下面的检索词。")
	} else if len(res.DroppableFilters) == 0 {
		res.Advice = append(res.Advice, "没有找到相关信息，请检查检索词是否有误，或换用更简短、更常用的词语。")
	}
}

// suggestDocNoYears suggests documents whose 文号 differs from the one
// typed only in the year.
func (ix *Index) suggestDocNoYears(ctx context.Context, pq analysis.Query, res *Result) {
	t := query.NewTermQuery(pq.DocNoAnyYear)
	t.SetField(fDocNoAny)
	req := bleve.NewSearchRequestOptions(t, maxSuggestions, 0, false)
	req.Fields = []string{"docno_text"}
	req.Score = "none"
	sr, err := ix.alias.SearchInContext(ctx, req)
	if err != nil || sr.Total == 0 {
		return
	}
	var found []string
	for _, h := range sr.Hits {
		d := fieldString(h, "docno_text")
		if d == "" || docNoFieldTerm(d) == pq.DocNo || contains(found, d) {
			continue
		}
		found = append(found, d)
		if len(res.Suggestions) < maxSuggestions && !contains(res.Suggestions, d) {
			res.Suggestions = append(res.Suggestions, d)
		}
	}
	if len(found) > 0 {
		res.Advice = append(res.Advice, fmt.Sprintf("未找到文号为“%s”的文件；年份不同的相近文号有：%s。", pq.DocNo, strings.Join(found, "、")))
	}
}
