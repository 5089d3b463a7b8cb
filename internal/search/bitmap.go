package search

import (
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	vregexp "github.com/blevesearch/vellum/regexp"

	"gongkai/internal/search/analysis"
)

// This file answers what Bleve's collector is slow at when a query matches
// a large part of the index: the total, the facet counts, and an order that
// does not need a score for every match. It works on the postings of each
// scorch segment as roaring bitmaps: a query is boolean algebra over
// postings, a facet count is the cardinality of an intersection, and date
// order is a walk over the day terms from the newest. At 1,000,000
// documents Bleve needs about 2 µs per match to visit doc values for facets
// and 0.5 µs to score a match; the bitmaps cost microseconds per segment.

// snapshot is a consistent view of every shard's segments.
type snapshot struct {
	readers []bindex.IndexReader
	segs    []*segView
	days    []string // the day terms of every segment, newest first (dayList)
}

// dayList returns the day terms of all segments, newest first, merged once
// per snapshot.
func (s *snapshot) dayList() []string {
	if s.days != nil {
		return s.days
	}
	switch len(s.segs) {
	case 0:
	case 1:
		s.days = s.segs[0].load().days
	default:
		lists := make([][]string, len(s.segs))
		for i, sv := range s.segs {
			lists[i] = sv.load().days
		}
		for {
			best := ""
			for _, l := range lists {
				if len(l) > 0 && l[0] > best {
					best = l[0]
				}
			}
			if best == "" {
				break
			}
			s.days = append(s.days, best)
			for i, l := range lists {
				if len(l) > 0 && l[0] == best {
					lists[i] = l[1:]
				}
			}
		}
	}
	if s.days == nil {
		s.days = []string{}
	}
	return s.days
}

// segView is one segment of one shard.
type segView struct {
	shard   int
	seg     segment.Segment
	deleted *roaring.Bitmap
	live    *roaring.Bitmap // computed on demand
	info    *segInfo
}

// segInfo holds what is read once per segment: segments never change, so
// the facet postings and the day terms are kept until the segment is merged
// away.
type segInfo struct {
	once   sync.Once
	facets map[string][]termBits // facet field → its terms with postings
	// cols holds each facet field as a column (document → term), for
	// counting facets in time proportional to the matches.
	cols map[string]*facetColumn
	days []string // day terms, newest first
	// dayOf is each document's publication day as yyyymmdd (0: none),
	// for ordering small candidate sets without walking the days.
	dayOf []uint32
}

// facetColumn maps a segment's documents to their values of one facet
// field. A single-valued field is an array: vals[doc] is the index of the
// document's term in the field's termBits plus one (0: no value). A field
// where some document has several values (sites, columns) is in CSR form:
// the term indexes of doc are list[offs[doc]:offs[doc+1]]. full counts
// every document of the segment per term, deleted ones included, so that a
// count can also be taken from the documents that do not match.
type facetColumn struct {
	vals []uint16
	offs []uint32
	list []uint16
	full []int
}

// newFacetColumn builds the column of a field from its postings, or
// returns nil when the field has too many terms for uint16 indexes.
func newFacetColumn(terms []termBits, docs uint64) *facetColumn {
	if len(terms) >= 0xFFFF {
		return nil
	}
	c := &facetColumn{full: make([]int, len(terms))}
	per := make([]uint16, docs) // values per document
	multi := false
	buf := make([]uint32, 256)
	each := func(f func(ti int, d uint32)) {
		for ti, tb := range terms {
			it := tb.bits.ManyIterator()
			for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
				for _, d := range buf[:n] {
					if uint64(d) < docs {
						f(ti, d)
					}
				}
			}
		}
	}
	each(func(ti int, d uint32) {
		c.full[ti]++
		if per[d]++; per[d] > 1 {
			multi = true
		}
	})
	if !multi {
		c.vals = make([]uint16, docs)
		each(func(ti int, d uint32) { c.vals[d] = uint16(ti + 1) })
		return c
	}
	c.offs = make([]uint32, docs+1)
	for d, n := range per {
		c.offs[d+1] = c.offs[d] + uint32(n)
	}
	c.list = make([]uint16, c.offs[docs])
	fill := make([]uint32, docs)
	each(func(ti int, d uint32) {
		c.list[c.offs[d]+fill[d]] = uint16(ti)
		fill[d]++
	})
	return c
}

type termBits struct {
	term string
	bits *roaring.Bitmap
}

// segCache maps live segments to their segInfo.
type segCache struct {
	mu sync.Mutex
	m  map[segment.Segment]*segInfo
}

// infos returns the segInfo of each segment and forgets segments that are
// no longer in the index.
func (c *segCache) infos(segs []*segView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[segment.Segment]*segInfo{}
	}
	changed := false
	for _, sv := range segs {
		in, ok := c.m[sv.seg]
		if !ok {
			in = &segInfo{}
			c.m[sv.seg] = in
			changed = true
		}
		sv.info = in
	}
	if changed && len(c.m) > len(segs) {
		live := make(map[segment.Segment]bool, len(segs))
		for _, sv := range segs {
			live[sv.seg] = true
		}
		for k := range c.m {
			if !live[k] {
				delete(c.m, k)
			}
		}
	}
}

// load reads the facet postings (copied to the heap, since persisted
// segments are memory-mapped and unmapped once merged away) and the days.
func (sv *segView) load() *segInfo {
	in := sv.info
	in.once.Do(func() {
		in.facets = map[string][]termBits{}
		in.cols = map[string]*facetColumn{}
		for _, f := range facetFields {
			sv.eachTerm(f.field, nil, nil, nil, func(t string, _ uint64) {
				in.facets[f.field] = append(in.facets[f.field], termBits{t, sv.postings(f.field, t).Clone()})
			})
			if c := newFacetColumn(in.facets[f.field], sv.seg.Count()); c != nil {
				in.cols[f.field] = c
			}
		}
		sv.eachTerm(fDay, nil, nil, nil, func(t string, _ uint64) { in.days = append(in.days, t) })
		sort.Sort(sort.Reverse(sort.StringSlice(in.days)))
		in.dayOf = make([]uint32, sv.seg.Count())
		buf := make([]uint32, 256)
		for _, d := range in.days {
			day, err := strconv.Atoi(d)
			if err != nil {
				continue
			}
			it := sv.postings(fDay, d).ManyIterator()
			for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
				for _, doc := range buf[:n] {
					if int(doc) < len(in.dayOf) {
						in.dayOf[doc] = uint32(day)
					}
				}
			}
		}
	})
	return in
}

// facetBits returns the postings of term in a facet field, or an empty
// bitmap.
func (sv *segView) facetBits(field, term string) *roaring.Bitmap {
	for _, tb := range sv.load().facets[field] {
		if tb.term == term {
			return tb.bits
		}
	}
	return roaring.New()
}

// postingsWork estimates the postings a BM25 search of pq reads: the
// number of documents of each of its terms in the text field, summed over
// segments. A lone character (matched with its bigrams too) counts as the
// whole segment.
func (s *snapshot) postingsWork(pq analysis.Query) int {
	n := 0
	for _, sv := range s.segs {
		d, err := sv.seg.Dictionary(fText)
		if err != nil || d == nil {
			continue
		}
		for _, g := range pq.Groups {
			for _, a := range g.Alternatives {
				if a.Kind == analysis.Unigram {
					n += int(sv.seg.Count())
					continue
				}
				for _, t := range a.Terms {
					if pl, err := d.PostingsList([]byte(t), nil, nil); err == nil && pl != nil {
						n += int(pl.Count())
					}
				}
			}
		}
	}
	return n
}

// orIntoer is implemented by zap postings lists.
type orIntoer interface {
	OrInto(*roaring.Bitmap)
}

func (ix *Index) snapshot() (*snapshot, error) {
	s := &snapshot{}
	for i, sh := range ix.shards {
		adv, err := sh.Advanced()
		if err != nil {
			s.close()
			return nil, fmt.Errorf("search: %w", err)
		}
		r, err := adv.Reader()
		if err != nil {
			s.close()
			return nil, fmt.Errorf("search: %w", err)
		}
		s.readers = append(s.readers, r)
		is, ok := r.(*scorch.IndexSnapshot)
		if !ok {
			s.close()
			return nil, fmt.Errorf("search: shard %d is not a scorch index", i)
		}
		for _, ss := range is.Segments() {
			s.segs = append(s.segs, &segView{shard: i, seg: ss.Segment(), deleted: ss.Deleted()})
		}
	}
	ix.segs.infos(s.segs)
	return s, nil
}

func (s *snapshot) close() {
	for _, r := range s.readers {
		r.Close()
	}
	s.readers = nil
}

// liveDocs returns every document of the segment that is not deleted.
func (sv *segView) liveDocs() *roaring.Bitmap {
	if sv.live == nil {
		b := roaring.New()
		b.AddRange(0, sv.seg.Count())
		if sv.deleted != nil {
			b.AndNot(sv.deleted)
		}
		sv.live = b
	}
	return sv.live
}

// postings returns a new bitmap of the documents containing term in field.
func (sv *segView) postings(field, term string) *roaring.Bitmap {
	b := roaring.New()
	sv.orPostings(b, field, term)
	return b
}

func (sv *segView) orPostings(dst *roaring.Bitmap, field, term string) {
	d, err := sv.seg.Dictionary(field)
	if err != nil || d == nil {
		return
	}
	pl, err := d.PostingsList([]byte(term), nil, nil)
	if err != nil || pl == nil {
		return
	}
	if o, ok := pl.(orIntoer); ok {
		o.OrInto(dst)
		return
	}
	// any other segment type: iterate
	it := pl.Iterator(false, false, false, nil)
	for p, err := it.Next(); err == nil && p != nil; p, err = it.Next() {
		dst.Add(uint32(p.Number()))
	}
}

// eachTerm calls f for every term of field in the segment whose bytes are
// in [start, end) (nil for no bound) and that a (if not nil) accepts.
func (sv *segView) eachTerm(field string, a segment.Automaton, start, end []byte, f func(term string, count uint64)) {
	d, err := sv.seg.Dictionary(field)
	if err != nil || d == nil {
		return
	}
	it := d.AutomatonIterator(a, start, end)
	for e, err := it.Next(); err == nil && e != nil; e, err = it.Next() {
		f(e.Term, e.Count)
	}
}

// expr is a boolean query over postings.
type expr interface {
	eval(sv *segView) *roaring.Bitmap
}

type termExpr struct{ field, term string }

func (e termExpr) eval(sv *segView) *roaring.Bitmap { return sv.postings(e.field, e.term) }

type andExpr []expr

func (e andExpr) eval(sv *segView) *roaring.Bitmap {
	if len(e) == 0 {
		return sv.liveDocs().Clone()
	}
	out := e[0].eval(sv)
	for _, x := range e[1:] {
		if out.IsEmpty() {
			return out
		}
		out.And(x.eval(sv))
	}
	return out
}

type orExpr []expr

func (e orExpr) eval(sv *segView) *roaring.Bitmap {
	bs := make([]*roaring.Bitmap, len(e))
	for i, x := range e {
		bs[i] = x.eval(sv)
	}
	return roaring.FastOr(bs...)
}

// atLeastExpr matches documents matching at least k of its parts.
type atLeastExpr struct {
	k     int
	parts []expr
}

func (e atLeastExpr) eval(sv *segView) *roaring.Bitmap {
	if e.k <= 1 {
		return orExpr(e.parts).eval(sv)
	}
	counts := make([]uint8, sv.seg.Count())
	for _, p := range e.parts {
		it := p.eval(sv).Iterator()
		for it.HasNext() {
			d := it.Next()
			if counts[d] < 255 {
				counts[d]++
			}
		}
	}
	out := roaring.New()
	for d, c := range counts {
		if int(c) >= e.k {
			out.Add(uint32(d))
		}
	}
	return out
}

// charExpr matches a lone CJK character: its unigram and every bigram that
// starts or ends with it.
type charExpr struct{ field, char string }

func (e charExpr) eval(sv *segView) *roaring.Bitmap {
	out := sv.postings(e.field, e.char)
	end := []byte(e.char)
	end[len(end)-1]++
	sv.eachTerm(e.field, nil, []byte(e.char), end, func(t string, _ uint64) { sv.orPostings(out, e.field, t) })
	if re, err := vregexp.New("." + regexpQuote(e.char)); err == nil {
		sv.eachTerm(e.field, re, nil, nil, func(t string, _ uint64) { sv.orPostings(out, e.field, t) })
	}
	return out
}

// allExpr matches every live document.
type allExpr struct{}

func (allExpr) eval(sv *segView) *roaring.Bitmap { return sv.liveDocs().Clone() }

// matchExpr mirrors buildTextQuery: every group in the text or the
// attachments, plus the filters.
func matchExpr(pq analysis.Query, filters []filter, relaxed bool) expr {
	var parts []expr
	var groups []expr
	for _, g := range pq.Groups {
		groups = append(groups, orExpr{groupExpr(g, fText, relaxed), groupExpr(g, fAttach, relaxed)})
	}
	switch {
	case len(groups) == 0:
	case relaxed && len(groups) > 1:
		parts = append(parts, atLeastExpr{k: (len(groups) + 1) / 2, parts: groups})
	default:
		parts = append(parts, groups...)
	}
	for _, f := range filters {
		parts = append(parts, termExpr{f.field, f.value})
	}
	if len(parts) == 0 {
		return allExpr{}
	}
	return andExpr(parts)
}

// fieldMatchExpr matches documents with every group in one field (the
// ranking tiers: all words in the title, all in keywords and summary).
func fieldMatchExpr(pq analysis.Query, field string) expr {
	var parts andExpr
	for _, g := range pq.Groups {
		parts = append(parts, groupExpr(g, field, false))
	}
	return parts
}

func groupExpr(g analysis.Group, field string, relaxed bool) expr {
	var alts orExpr
	for _, a := range g.Alternatives {
		switch {
		case a.Kind == analysis.Unigram:
			alts = append(alts, charExpr{field, a.Terms[0]})
		case relaxed && len(a.Terms) > 2:
			var ts []expr
			for _, t := range a.Terms {
				ts = append(ts, termExpr{field, t})
			}
			alts = append(alts, atLeastExpr{k: (2*len(a.Terms) + 2) / 3, parts: ts})
		default:
			var ts andExpr
			for _, t := range a.Terms {
				ts = append(ts, termExpr{field, t})
			}
			alts = append(alts, ts)
		}
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return alts
}

// matchSet is the result of a query: one bitmap per segment view.
type matchSet struct {
	snap  *snapshot
	bits  []*roaring.Bitmap
	total int
}

func (s *snapshot) match(e expr) *matchSet {
	m := &matchSet{snap: s, bits: make([]*roaring.Bitmap, len(s.segs))}
	for i, sv := range s.segs {
		b := e.eval(sv)
		if sv.deleted != nil && !sv.deleted.IsEmpty() {
			b.AndNot(sv.deleted)
		}
		m.bits[i] = b
		m.total += int(b.GetCardinality())
	}
	return m
}

// facets counts, for every facet field, the matches per term. Per segment
// there are two ways. When few documents match, or few do not, the counts
// come from the facet columns, visiting those documents (and subtracting
// from the full counts in the second case): work proportional to the
// smaller side. Otherwise each term's postings are intersected with the
// matches, which for dense match sets is a cheap AND of bitmap words.
func (m *matchSet) facets() map[string][]FacetCount {
	out := make(map[string][]FacetCount, len(facetFields))
	counts := make([]map[string]int, len(facetFields))
	for fi := range facetFields {
		counts[fi] = map[string]int{}
	}
	buf := make([]uint32, 512)
	for i, sv := range m.snap.segs {
		mb := m.bits[i]
		if mb.IsEmpty() {
			continue
		}
		in := sv.load()
		size := sv.seg.Count()
		card := mb.GetCardinality()
		complement := card > size/2
		if min(card, size-card) > size/8 {
			for fi, f := range facetFields {
				for _, tb := range in.facets[f.field] {
					if n := int(mb.AndCardinality(tb.bits)); n > 0 {
						counts[fi][tb.term] += n
					}
				}
			}
			continue
		}
		visit := mb
		if complement {
			visit = roaring.Flip(mb, 0, size)
		}
		// per field: term index → count in this segment
		local := make([][]int, len(facetFields))
		for fi, f := range facetFields {
			c := in.cols[f.field]
			switch {
			case c == nil:
				// too many terms for a column: intersect per term
				for _, tb := range in.facets[f.field] {
					if n := int(mb.AndCardinality(tb.bits)); n > 0 {
						counts[fi][tb.term] += n
					}
				}
			case complement:
				local[fi] = append([]int(nil), c.full...)
			default:
				local[fi] = make([]int, len(c.full))
			}
		}
		delta := 1
		if complement {
			delta = -1
		}
		it := visit.ManyIterator()
		for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
			for fi, f := range facetFields {
				c, l := in.cols[f.field], local[fi]
				switch {
				case c == nil:
				case c.vals != nil:
					for _, d := range buf[:n] {
						if int(d) < len(c.vals) {
							if v := c.vals[d]; v != 0 {
								l[v-1] += delta
							}
						}
					}
				default:
					for _, d := range buf[:n] {
						if int(d)+1 < len(c.offs) {
							for _, x := range c.list[c.offs[d]:c.offs[d+1]] {
								l[x] += delta
							}
						}
					}
				}
			}
		}
		for fi, f := range facetFields {
			for ti, n := range local[fi] {
				if n > 0 {
					counts[fi][in.facets[f.field][ti].term] += n
				}
			}
		}
	}
	for fi, f := range facetFields {
		fc := make([]FacetCount, 0, len(counts[fi]))
		for t, n := range counts[fi] {
			fc = append(fc, FacetCount{Value: t, Count: n})
		}
		sort.Slice(fc, func(i, j int) bool {
			if fc[i].Count != fc[j].Count {
				return fc[i].Count > fc[j].Count
			}
			return fc[i].Value < fc[j].Value
		})
		if len(fc) > facetSize {
			fc = fc[:facetSize]
		}
		out[f.name] = fc
	}
	return out
}

// docRef is one document of a segment view.
type docRef struct {
	seg  int
	num  uint32
	tier int
}

// ordered returns the first n matches in tier order (each tier a bitmap per
// segment, earlier tiers first; a document counts in its first tier), then
// by validity class (有效, 已修订, 失效 and 废止) when byValidity, then by
// publication day, newest first, then by document number, newest first.
func (m *matchSet) ordered(tiers tierList, byValidity bool, n int) []docRef {
	var out []docRef
	if n <= 0 {
		return nil
	}
	classes := [][]string{nil}
	if byValidity {
		classes = [][]string{{Valid}, {Revised}, {Expired, Repealed}}
	}
	seen := make([]*roaring.Bitmap, len(m.snap.segs))
	for i := range seen {
		seen[i] = roaring.New()
	}
	for ti := range tiers.n {
		tier := tiers.get(ti)
		for _, class := range classes {
			cand := make([]*roaring.Bitmap, len(m.snap.segs))
			size := 0
			for i, sv := range m.snap.segs {
				c := roaring.And(m.bits[i], tier[i])
				c.AndNot(seen[i])
				if class != nil {
					vb := roaring.New()
					for _, v := range class {
						vb.Or(sv.facetBits(fValidity, v))
					}
					c.And(vb)
				}
				cand[i] = c
				size += int(c.GetCardinality())
			}
			if size == 0 {
				continue
			}
			refs := m.byDay(cand, size, n-len(out), ti)
			for _, r := range refs {
				seen[r.seg].Add(r.num)
			}
			out = append(out, refs...)
			if len(out) >= n {
				return out[:n]
			}
		}
	}
	return out
}

// byDay returns up to n of the candidates, newest publication day first.
func (m *matchSet) byDay(cand []*roaring.Bitmap, size, n, tier int) []docRef {
	if size <= smallCandidates {
		return m.byDayColumn(cand, n, tier)
	}
	var out []docRef
	days := m.snap.dayList()
	remaining := size
	tmp := roaring.New()
	for _, d := range days {
		var dayRefs []docRef
		for i, sv := range m.snap.segs {
			if cand[i].IsEmpty() {
				continue
			}
			tmp.Clear()
			sv.orPostings(tmp, fDay, d)
			hit := roaring.And(cand[i], tmp)
			if hit.IsEmpty() {
				continue
			}
			cand[i].AndNot(hit)
			it := hit.Iterator()
			for it.HasNext() {
				dayRefs = append(dayRefs, docRef{seg: i, num: it.Next(), tier: tier})
			}
		}
		// within a day: later segments and higher numbers were indexed later
		sort.Slice(dayRefs, func(a, b int) bool {
			if dayRefs[a].seg != dayRefs[b].seg {
				return dayRefs[a].seg > dayRefs[b].seg
			}
			return dayRefs[a].num > dayRefs[b].num
		})
		out = append(out, dayRefs...)
		remaining -= len(dayRefs)
		if len(out) >= n || remaining <= 0 {
			break
		}
	}
	// documents without a day (no publication time) come last
	if len(out) < n {
		for i := range cand {
			it := cand[i].Iterator()
			for it.HasNext() && len(out) < n {
				out = append(out, docRef{seg: i, num: it.Next(), tier: tier})
			}
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// smallCandidates is the size up to which candidates are ordered by reading
// their days from the day column; larger sets walk the days from the
// newest, which stops as soon as enough are found.
const smallCandidates = 4096

// byDayColumn orders candidates as byDay does, from the day column: newest
// day first, then later segments and higher numbers first; documents
// without a day last, in segment and number order.
func (m *matchSet) byDayColumn(cand []*roaring.Bitmap, n, tier int) []docRef {
	type dated struct {
		day uint32
		ref docRef
	}
	var all []dated
	buf := make([]uint32, 256)
	for i, sv := range m.snap.segs {
		if cand[i].IsEmpty() {
			continue
		}
		dayOf := sv.load().dayOf
		it := cand[i].ManyIterator()
		for k := it.NextMany(buf); k > 0; k = it.NextMany(buf) {
			for _, doc := range buf[:k] {
				var day uint32
				if int(doc) < len(dayOf) {
					day = dayOf[doc]
				}
				all = append(all, dated{day, docRef{seg: i, num: doc, tier: tier}})
			}
		}
	}
	sort.Slice(all, func(a, b int) bool {
		x, y := all[a], all[b]
		switch {
		case x.day != y.day:
			if x.day == 0 || y.day == 0 {
				return y.day == 0
			}
			return x.day > y.day
		case x.day == 0:
			if x.ref.seg != y.ref.seg {
				return x.ref.seg < y.ref.seg
			}
			return x.ref.num < y.ref.num
		case x.ref.seg != y.ref.seg:
			return x.ref.seg > y.ref.seg
		}
		return x.ref.num > y.ref.num
	})
	out := make([]docRef, 0, min(n, len(all)))
	for _, d := range all[:min(n, len(all))] {
		out = append(out, d.ref)
	}
	return out
}

// load reads the stored fields of a document into a Hit (without
// highlighting).
func (m *matchSet) load(r docRef) (Hit, string, error) {
	sv := m.snap.segs[r.seg]
	id, err := sv.seg.DocID(uint64(r.num))
	if err != nil {
		return Hit{}, "", fmt.Errorf("search: %w", err)
	}
	h := Hit{ID: string(id)}
	var snip string
	err = sv.seg.VisitStoredFields(uint64(r.num), func(field string, _ byte, value []byte, _ []uint64) bool {
		switch field {
		case fTitle:
			h.Title = string(value)
		case fURL:
			h.URL = string(value)
		case fSnip:
			snip = string(value)
		case fOrg:
			h.OrgCode = string(value)
		case fOrgName:
			h.OrgName = string(value)
		case fValidity:
			h.Validity = string(value)
		case fPub:
			if s, err := strconv.ParseInt(string(value), 10, 64); err == nil && s != 0 {
				h.PublishedAt = time.Unix(s, 0).UTC()
			}
		case "docno_text":
			h.DocNo = string(value)
		case fKind:
			h.Kind = string(value)
		}
		return true
	})
	if err != nil {
		return Hit{}, "", fmt.Errorf("search: %w", err)
	}
	return h, snip, nil
}
