package search

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/internal/search/analysis"
)

// Query is one search as a citizen or the API asks it. Empty filters do
// not filter.
type Query struct {
	// Text is what the user typed. Empty means "the latest documents".
	Text   string
	SiteID int64
	// Org is an org code: the org and its whole subtree.
	Org    string
	Column string
	// Topic is a 主题分类, either 一级 or 一级\二级.
	Topic    string
	Genre    string
	Validity string
	Kind     string
	Year     int
	// Checked says the caller has validated the filter values against what
	// exists (an org, a column of the site, a code of the vocabularies): a
	// value absent from the index then matches nothing. Otherwise such a
	// value is taken for a typo and ignored with a notice.
	Checked bool
	// Labels names filter values as people read them, by facet name
	// (FacetOrg: "示例市民政局"), for the notices that suggest dropping a
	// filter; the index knows only codes and ids. A filter without a label
	// is named by its value.
	Labels map[string]string
	// Sort is SortRelevance (default; empty text sorts by date) or SortDate.
	Sort string
	// Page counts from 1; PageSize defaults to DefaultPageSize and is at
	// most MaxPageSize.
	Page, PageSize int
}

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// Paging limits.
const (
	DefaultPageSize = 10
	MaxPageSize     = 50
	// MaxResults is how deep a query can be paged: beyond it nobody reads,
	// and deep pages cost memory.
	MaxResults = 1000
)

// Facet names in Result.Facets; they match the Query filter names and the
// API parameters.
const (
	FacetSite     = "site"
	FacetOrg      = "org"
	FacetColumn   = "column"
	FacetTopic    = "topic"
	FacetGenre    = "genre"
	FacetYear     = "year"
	FacetValidity = "validity"
	FacetKind     = "kind"
)

// facetFields maps facet names to index fields, in display order.
var facetFields = []struct{ name, field string }{
	{FacetSite, fSite}, {FacetOrg, fOrg}, {FacetColumn, fColumn}, {FacetTopic, fTopic},
	{FacetGenre, fGenre}, {FacetYear, fYear}, {FacetValidity, fValidity}, {FacetKind, fKind},
}

// facetSize bounds the values returned per facet.
const facetSize = 50

// Result is one page of results.
type Result struct {
	// Total is the number of matching documents.
	Total int
	// Page and PageSize are the ones actually used; Pages is the number of
	// pages that can be shown (bounded by MaxResults).
	Page, PageSize, Pages int
	// Facets holds the counts of every facet over all matching documents,
	// largest first.
	Facets map[string][]FacetCount
	Hits   []Hit
	// Notices are messages for the user in Chinese: a truncated query, an
	// ignored filter, a page beyond the end, partial matching.
	Notices []string
	// Advice explains, when nothing was found, the DroppableFilters and
	// Suggestions in words, for clients that show messages only (the API);
	// a page that renders those lists itself leaves it out.
	Advice []string
	// Suggestions are queries worth trying instead (a synonym's canonical
	// name, a part of the query that has results, a 文号 with another year).
	Suggestions []string
	// IgnoredFilters names the filters (as in Query and Facets) whose
	// values were not recognised and were ignored.
	IgnoredFilters []string
	// DroppableFilters names, when nothing was found, the filters whose
	// removal would give results; DroppableTotals says how many, by name.
	DroppableFilters []string
	DroppableTotals  map[string]int
	// Partial is set when no document matched every term and the hits
	// match only some of them.
	Partial bool
}

// FacetCount is one value of a facet.
type FacetCount struct {
	Value string
	Count int
}

// Hit is one result.
type Hit struct {
	ID    string
	Kind  string
	Title string
	// TitleHTML is the title as safe HTML with matches in <mark>.
	TitleHTML string
	URL       string
	DocNo     string
	// Snippet is safe HTML: escaped text with matches in <mark>.
	Snippet     string
	PublishedAt time.Time
	// OrgCode and OrgName are the publishing org's; the name is the one at
	// indexing time, so callers may prefer the current name by code.
	OrgCode  string
	OrgName  string
	Validity string
	Score    float64
}

// Ranking weights. The text field (title, 文号, keywords, summary and body
// together) carries every match; the other fields add to it, so a term in the
// title counts most, then a 文号, then keywords and summary, then the body
// alone, then attachments.
const (
	weightText   = 1.0
	weightAttach = 0.3
	weightTitle  = 2.5
	weightHead   = 0.8
	weightPhrase = 2.0
	weightDocNo  = 50.0
	// validity and recency multiply the relevance score
	factorNotValid  = 0.4 // 失效, 废止
	factorRevised   = 0.6 // 已修订
	recencyBonus    = 0.2 // a document published today; half after recencyHalfLife
	recencyHalfLife = 2 * 365 * 24 * time.Hour
	// rerankBlock is the size of the blocks of hits reordered by validity
	// and recency: a hit stays in its block, so pages are stable.
	rerankBlock  = 50
	snippetRunes = 120
)

var storedFields = []string{fTitle, fURL, fSnip, fOrg, fOrgName, fValidity, fPub, "docno_text", fKind}

// Search runs a query. Invalid input never fails: it is corrected and
// explained in Notices. Errors are internal (the index is closed or broken).
func (ix *Index) Search(q Query) (Result, error) {
	return ix.SearchContext(context.Background(), q)
}

// SearchContext is Search with a context for cancellation.
func (ix *Index) SearchContext(ctx context.Context, q Query) (Result, error) {
	var res Result
	q.Page = max(q.Page, 1)
	switch {
	case q.PageSize <= 0:
		q.PageSize = DefaultPageSize
	case q.PageSize > MaxPageSize:
		q.PageSize = MaxPageSize
	}
	res.Page, res.PageSize = q.Page, q.PageSize
	syn := ix.syn.Load()
	pq := analysis.ParseQuery(q.Text, syn, ix.opts.MaxQueryRunes)
	if pq.Truncated {
		res.Notices = append(res.Notices, fmt.Sprintf("检索词过长，已截取前%d个字进行检索。", utf8.RuneCountInString(pq.Text)))
	}
	if pq.TooManyTerms {
		res.Notices = append(res.Notices, fmt.Sprintf("检索词过多，仅使用前%d个词进行检索。", analysis.MaxGroups))
	}
	if strings.TrimSpace(q.Text) != "" && len(pq.Groups) == 0 {
		res.Notices = append(res.Notices, "检索词中没有可以检索的文字，以下为最新发布的信息。")
	}
	filters := ix.filters(q, &res)

	key := cacheKey(q, pq.Text, ix.gen.Load())
	if ix.cache != nil {
		if c, ok := ix.cache.get(key); ok {
			c.Notices = append(append([]string(nil), res.Notices...), c.Notices...)
			c.IgnoredFilters = res.IgnoredFilters
			return c, nil
		}
	}
	gen := ix.gen.Load()
	notices := res.Notices
	res.Notices = nil

	if err := ix.run(ctx, q, pq, filters, &res); err != nil {
		return Result{}, err
	}
	if ix.cache != nil && ix.gen.Load() == gen {
		ix.cache.put(key, res)
	}
	res.Notices = append(notices, res.Notices...)
	return res, nil
}

// filter is one recognised filter.
type filter struct {
	name, field, value string
	label              string // Chinese name for notices
	shown              string // the value as notices show it
}

// filters validates the filters of q; unknown values are ignored with a
// notice.
func (ix *Index) filters(q Query, res *Result) []filter {
	var out []filter
	check := func(name, label, field, value string, known bool) {
		if value == "" {
			return
		}
		if !known {
			res.IgnoredFilters = append(res.IgnoredFilters, name)
			res.Notices = append(res.Notices, fmt.Sprintf("未找到%s“%s”，已忽略该筛选条件。", label, value))
			return
		}
		shown := value
		if l := q.Labels[name]; l != "" {
			shown = l
		}
		out = append(out, filter{name: name, field: field, value: value, label: label, shown: shown})
	}
	exists := func(field, term string) bool { return q.Checked || ix.termExists(field, term) }
	if q.SiteID != 0 {
		v := strconv.FormatInt(q.SiteID, 10)
		check(FacetSite, "站点", fSite, v, q.SiteID > 0 && exists(fSite, v))
	}
	check(FacetOrg, "发布机构", fOrgPath, q.Org, exists(fOrgPath, q.Org))
	check(FacetColumn, "栏目", fColumn, q.Column, exists(fColumn, q.Column))
	check(FacetTopic, "主题分类", fTopicPath, q.Topic, exists(fTopicPath, q.Topic))
	check(FacetGenre, "公文种类", fGenre, q.Genre, exists(fGenre, q.Genre))
	check(FacetKind, "信息类别", fKind, q.Kind, q.Kind == KindDocument || q.Kind == KindInterpretation || q.Kind == KindAnnualReport || q.Kind == KindGuide)
	check(FacetValidity, "有效性", fValidity, q.Validity, q.Validity == Valid || q.Validity == Expired || q.Validity == Repealed || q.Validity == Revised)
	if q.Year != 0 {
		check(FacetYear, "年份", fYear, strconv.Itoa(q.Year), q.Year >= 1949 && q.Year <= 2200)
	}
	return out
}

// termExists reports whether any shard has the term in field.
func (ix *Index) termExists(field, term string) bool {
	if term == "" || len(term) > 512 {
		return false
	}
	for _, s := range ix.shards {
		d, err := s.FieldDictRange(field, []byte(term), []byte(term))
		if err != nil {
			continue
		}
		e, err := d.Next()
		d.Close()
		if err == nil && e != nil && e.Term == term {
			return true
		}
	}
	return false
}

func filterQueries(fs []filter) []query.Query {
	var out []query.Query
	for _, f := range fs {
		t := query.NewTermQuery(f.value)
		t.SetField(f.field)
		t.SetBoost(0) // filters select, they do not rank
		out = append(out, t)
	}
	return out
}

// run executes the parsed query and fills res. The total, the facets and
// every order that needs no score come from the postings bitmaps (bitmap.go);
// Bleve scores with BM25 only when at most maxScored documents match.
func (ix *Index) run(ctx context.Context, q Query, pq analysis.Query, filters []filter, res *Result) error {
	from := (q.Page - 1) * q.PageSize
	byDate := q.Sort == SortDate || len(pq.Groups) == 0
	if q.Sort != "" && q.Sort != SortDate && q.Sort != SortRelevance {
		res.Notices = append(res.Notices, "排序方式无法识别，已按相关度排序。")
	}
	snap, err := ix.snapshot()
	if err != nil {
		return err
	}
	defer snap.close()

	m := snap.match(matchExpr(pq, filters, false))
	if m.total == 0 && len(pq.Groups) > 0 && relaxable(pq) {
		if rm := snap.match(matchExpr(pq, filters, true)); rm.total > 0 {
			m = rm
			res.Partial = true
			res.Notices = append(res.Notices, "没有找到同时包含全部检索词的信息，以下为部分匹配的结果。")
		}
	}
	res.Total = m.total
	res.Pages = (min(res.Total, MaxResults) + q.PageSize - 1) / q.PageSize
	// A page past the last one gets one notice, and the right one: the cap
	// on paging is only worth mentioning when it is what hides results
	// (page 9999 of 175 results is simply beyond the end).
	switch {
	case res.Total == 0 || from < min(res.Total, MaxResults):
	case res.Total > MaxResults:
		res.Notices = append(res.Notices, fmt.Sprintf("最多显示前%d条结果，请增加检索词或筛选条件缩小范围。", MaxResults))
	default:
		res.Notices = append(res.Notices, fmt.Sprintf("页码超出范围，共%d页。", res.Pages))
	}
	res.Facets = m.facets()

	hl := analysis.NewHighlighter(pq)
	need := min(from+q.PageSize, MaxResults)
	switch {
	case res.Total == 0 || from >= min(res.Total, MaxResults):
	case byDate || m.total > ix.opts.MaxScored || snap.postingsWork(pq) > maxBM25Postings:
		tiers := tierList{n: 1, get: func(int) []*roaring.Bitmap { return m.bits }}
		if !byDate {
			tiers = m.tiers(pq)
		}
		refs := m.ordered(tiers, !byDate, need)
		for i := from; i < len(refs); i++ {
			h, snip, err := m.load(refs[i])
			if err != nil {
				return err
			}
			h.Score = float64(tiers.n - refs[i].tier)
			h.TitleHTML = hl.Mark(h.Title)
			h.Snippet = hl.Snippet(snip, snippetRunes)
			res.Hits = append(res.Hits, h)
		}
	default:
		req := ix.request(buildTextQuery(pq, res.Partial), filters, from, q.PageSize)
		sr, err := ix.alias.SearchInContext(ctx, req)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		hits := ix.rerank(sr.Hits)
		if from < len(hits) {
			for _, h := range hits[from:min(len(hits), from+q.PageSize)] {
				res.Hits = append(res.Hits, toHit(h, hl))
			}
		}
	}
	if res.Total == 0 {
		ix.suggest(ctx, snap, pq, filters, res)
	} else if pq.DocNo != "" && q.Page == 1 && (len(res.Hits) == 0 || docNoFieldTerm(res.Hits[0].DocNo) != pq.DocNo) {
		// a 文号 that is quoted somewhere but is not itself indexed
		ix.suggestDocNoYears(ctx, pq, res)
	}
	return nil
}

// maxBM25Postings bounds the postings Bleve would read to score a query:
// its searchers walk the whole postings list of every query term, so a few
// matches of a long query made of common bigrams (中华人民共和国政府信息公开条例
// 人才公寓: 2,400 matches, but 政府, 信息, 公开 … in nearly every document)
// cost 0.4 s at 1,000,000 documents. Such queries are ordered by tiers
// like large match sets.
const maxBM25Postings = 300_000

// DefaultMaxScored is the largest match set ranked by BM25. Larger sets (common
// words: 公开 is in almost every document) are ordered by tiers instead: the
// 文号, all words in the title, all in keywords and summary, all in the body,
// the rest (attachments); within a tier 有效 first, then newest. Scoring
// hundreds of thousands of near-equal BM25 scores costs more than the whole
// latency budget and changes little: the title tier is what BM25's field
// weights would put first.
const DefaultMaxScored = 5_000

// tierList is a ranking's tiers, computed when first asked for: an order
// usually fills its page from the first tiers and never needs the later
// ones (the body tier of a common word is its whole postings list).
type tierList struct {
	n   int
	get func(t int) []*roaring.Bitmap // one bitmap per segment
}

// tiers returns the ranking tiers of m (see DefaultMaxScored).
func (m *matchSet) tiers(pq analysis.Query) tierList {
	var docNos orExpr
	for _, g := range pq.Groups {
		for _, a := range g.Alternatives {
			if a.Kind == analysis.DocNo {
				docNos = append(docNos, termExpr{fDocNo, a.Terms[0]})
			}
		}
	}
	if whole := docNoFieldTerm(pq.Text); whole != "" {
		docNos = append(docNos, termExpr{fDocNo, whole})
	}
	exprs := []expr{docNos, fieldMatchExpr(pq, fTitle), fieldMatchExpr(pq, fHead), fieldMatchExpr(pq, fText)}
	return tierList{n: len(exprs) + 1, get: func(t int) []*roaring.Bitmap {
		if t == len(exprs) {
			return m.bits // the rest: every match (attachments only)
		}
		out := make([]*roaring.Bitmap, len(m.snap.segs))
		for i, sv := range m.snap.segs {
			if m.bits[i].IsEmpty() {
				out[i] = roaring.New()
				continue
			}
			out[i] = exprs[t].eval(sv)
		}
		return out
	}}
}

// request builds the Bleve request for the BM25 path: text and filters,
// the window of hits to rerank, the stored fields.
func (ix *Index) request(textQ query.Query, filters []filter, from, size int) *bleve.SearchRequest {
	musts := append([]query.Query{textQ}, filterQueries(filters)...)
	var q query.Query = textQ
	if len(musts) > 1 {
		q = query.NewConjunctionQuery(musts)
	}
	// fetch whole rerank blocks up to the requested page
	window := min(MaxResults, (from+size+rerankBlock-1)/rerankBlock*rerankBlock)
	req := bleve.NewSearchRequestOptions(q, window, 0, false)
	req.Fields = storedFields
	return req
}

// buildTextQuery turns the parsed query into Bleve's. Strict: every group
// must match (in the text or the attachments). Relaxed: most groups, and
// within a group of unknown words most of its bigrams.
func buildTextQuery(pq analysis.Query, relaxed bool) query.Query {
	var musts, shoulds []query.Query
	for _, g := range pq.Groups {
		m := query.NewDisjunctionQuery([]query.Query{
			groupQuery(g, fText, weightText, relaxed),
			groupQuery(g, fAttach, weightAttach, relaxed),
		})
		musts = append(musts, m)
		shoulds = append(shoulds, groupQuery(g, fTitle, weightTitle, relaxed), groupQuery(g, fHead, weightHead, relaxed))
		for _, a := range g.Alternatives {
			if a.Kind == analysis.DocNo {
				t := query.NewTermQuery(a.Terms[0])
				t.SetField(fDocNo)
				t.SetBoost(weightDocNo)
				shoulds = append(shoulds, t)
			}
		}
	}
	// the whole query typed as a 发文字号 that is not a recognisable 文号
	// (国务院令第722号) still matches the 文号 field exactly
	if whole := docNoFieldTerm(pq.Text); whole != "" && pq.DocNo == "" && utf8.RuneCountInString(whole) <= 40 {
		t := query.NewTermQuery(whole)
		t.SetField(fDocNo)
		t.SetBoost(weightDocNo)
		shoulds = append(shoulds, t)
	}
	// exact phrase in the title
	if len(pq.Groups) > 1 || (len(pq.Groups) == 1 && len(pq.Groups[0].Alternatives[0].Terms) > 1) {
		p := query.NewMatchPhraseQuery(pq.Text)
		p.SetField(fTitle)
		p.Analyzer = AnalyzerName
		p.SetBoost(weightPhrase)
		shoulds = append(shoulds, p)
	}
	var must query.Query
	if relaxed && len(musts) > 1 {
		d := query.NewDisjunctionQuery(musts)
		d.SetMin(float64((len(musts) + 1) / 2))
		must = d
	} else if len(musts) == 1 {
		must = musts[0]
	} else {
		must = query.NewConjunctionQuery(musts)
	}
	b := query.NewBooleanQuery([]query.Query{must}, shoulds, nil)
	return b
}

// relaxable reports whether a relaxed query can find more than the strict
// one: several groups, or a group of several bigrams.
func relaxable(pq analysis.Query) bool {
	if len(pq.Groups) > 1 {
		return true
	}
	for _, g := range pq.Groups {
		for _, a := range g.Alternatives {
			if len(a.Terms) > 2 && a.Kind == analysis.Bigram {
				return true
			}
		}
	}
	return false
}

// groupQuery matches any alternative of g in field.
func groupQuery(g analysis.Group, field string, boost float64, relaxed bool) query.Query {
	var alts []query.Query
	for _, a := range g.Alternatives {
		if a.Kind == analysis.DocNo && field != fText && field != fAttach {
			continue // 文号 terms are in the text field (and the docno field, scored apart)
		}
		alts = append(alts, altQuery(a, field, relaxed))
	}
	var q query.Query
	switch len(alts) {
	case 0:
		q = query.NewMatchNoneQuery()
	case 1:
		q = alts[0]
	default:
		q = query.NewDisjunctionQuery(alts)
	}
	if b, ok := q.(query.BoostableQuery); ok {
		b.SetBoost(boost)
	}
	return q
}

// altQuery matches one alternative in field: all its terms (strict) or at
// least two thirds of them (relaxed). A lone character also matches the
// bigrams it starts or ends.
func altQuery(a analysis.Alternative, field string, relaxed bool) query.Query {
	if a.Kind == analysis.Unigram {
		c := a.Terms[0]
		t := query.NewTermQuery(c)
		t.SetField(field)
		p := query.NewPrefixQuery(c)
		p.SetField(field)
		r := query.NewRegexpQuery("." + regexpQuote(c))
		r.SetField(field)
		return query.NewDisjunctionQuery([]query.Query{t, p, r})
	}
	ts := make([]query.Query, len(a.Terms))
	for i, term := range a.Terms {
		t := query.NewTermQuery(term)
		t.SetField(field)
		ts[i] = t
	}
	if len(ts) == 1 {
		return ts[0]
	}
	if relaxed && len(ts) > 2 {
		d := query.NewDisjunctionQuery(ts)
		d.SetMin(math.Ceil(float64(len(ts)) * 2 / 3))
		return d
	}
	return query.NewConjunctionQuery(ts)
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// rerank orders each block of rerankBlock hits by relevance times the
// validity and recency factors.
func (ix *Index) rerank(hits bsearch.DocumentMatchCollection) bsearch.DocumentMatchCollection {
	now := ix.opts.Now()
	for _, h := range hits {
		h.Score *= validityFactor(fieldString(h, fValidity)) * recencyFactor(now, fieldTime(h))
	}
	for s := 0; s < len(hits); s += rerankBlock {
		block := hits[s:min(len(hits), s+rerankBlock)]
		sort.SliceStable(block, func(i, j int) bool {
			if block[i].Score != block[j].Score {
				return block[i].Score > block[j].Score
			}
			return fieldTime(block[i]).After(fieldTime(block[j]))
		})
	}
	return hits
}

func validityFactor(v string) float64 {
	switch v {
	case Expired, Repealed:
		return factorNotValid
	case Revised:
		return factorRevised
	}
	return 1
}

func recencyFactor(now, published time.Time) float64 {
	if published.IsZero() {
		return 1
	}
	age := now.Sub(published)
	if age < 0 {
		age = 0
	}
	return 1 + recencyBonus*math.Exp2(-float64(age)/float64(recencyHalfLife))
}

func fieldString(h *bsearch.DocumentMatch, f string) string {
	switch v := h.Fields[f].(type) {
	case string:
		return v
	case []any:
		if len(v) > 0 {
			s, _ := v[0].(string)
			return s
		}
	}
	return ""
}

func fieldTime(h *bsearch.DocumentMatch) time.Time {
	if v, err := strconv.ParseInt(fieldString(h, fPub), 10, 64); err == nil && v != 0 {
		return time.Unix(v, 0).UTC()
	}
	return time.Time{}
}

func toHit(h *bsearch.DocumentMatch, hl *analysis.Highlighter) Hit {
	title := fieldString(h, fTitle)
	return Hit{
		ID:          h.ID,
		Kind:        fieldString(h, fKind),
		Title:       title,
		TitleHTML:   hl.Mark(title),
		URL:         fieldString(h, fURL),
		DocNo:       fieldString(h, "docno_text"),
		Snippet:     hl.Snippet(fieldString(h, fSnip), snippetRunes),
		PublishedAt: fieldTime(h),
		OrgCode:     fieldString(h, fOrg),
		OrgName:     fieldString(h, fOrgName),
		Validity:    fieldString(h, fValidity),
		Score:       h.Score,
	}
}
