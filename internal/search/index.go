// Package search is 一网通查: the Bleve (scorch) full-text index of
// everything public — documents, interpretations, annual reports and the
// 指南 — with filters, facets, ranking, snippets and suggestions.
//
// The database is the source of truth; this index is a replica kept beside
// the data and fed through an outbox (see Apply). An index is one directory,
// optionally split into shards searched in parallel behind a Bleve index
// alias. Text analysis is package analysis, registered with Bleve as the
// analyzer AnalyzerName.
package search

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"gongkai"
	"gongkai/internal/search/analysis"
)

// Doc is one searchable item, as the documents workflow hands it over. Only
// public items belong here: withdrawn and erroneous documents are deleted.
type Doc struct {
	// ID is the 索引号 or another stable key; indexing the same ID again
	// replaces the earlier version.
	ID string
	// Kind is document, interpretation, annual_report or guide.
	Kind    string
	SiteIDs []int64
	// OrgCode is the publishing org; OrgPath the codes of the org and all
	// its ancestors, so that filtering on an org finds its whole subtree.
	OrgCode string
	OrgPath []string
	OrgName string
	Columns []string
	// Topic is the 主题分类 shown 一级\二级.
	Topic    string
	Genre    string
	Year     int
	Validity string // 有效 / 失效 / 废止 / 已修订; empty counts as 有效
	Title    string
	DocNo    string
	Summary  string
	Keywords string
	Body     string
	// AttachmentText is the extracted text of DOCX/XLSX/PDF attachments.
	AttachmentText string
	PublishedAt    time.Time
	URL            string
}

// Kinds of Doc.
const (
	KindDocument       = "document"
	KindInterpretation = "interpretation"
	KindAnnualReport   = "annual_report"
	KindGuide          = "guide"
)

// Options configure Open. The zero value is usable.
type Options struct {
	// Shards splits a new index into this many Bleve indexes searched in
	// parallel (default 1). An existing index keeps the count it was built
	// with.
	Shards int
	// Synonyms expanded at query time; nil means analysis.DefaultSynonyms.
	// Replace them later with SetSynonyms.
	Synonyms *analysis.Synonyms
	// BatchSize is the number of documents per Bleve batch in Index
	// (default 1000).
	BatchSize int
	// CacheEntries is the number of search results kept in memory until
	// the next change to the index (default 512; negative disables).
	CacheEntries int
	// MaxQueryRunes cuts longer queries (default
	// analysis.DefaultMaxQueryRunes).
	MaxQueryRunes int
	// Now is the clock for ranking by recency (default time.Now).
	Now func() time.Time
	// MaxScored is the largest number of matches ranked by BM25; larger
	// match sets are ordered by tiers (see DefaultMaxScored).
	MaxScored int
}

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	dir    string
	shards []bleve.Index
	alias  bleve.IndexAlias
	opts   Options
	syn    atomic.Pointer[analysis.Synonyms]
	// writeMu serialises writes so that applied sequence numbers only grow.
	writeMu sync.Mutex
	// gen counts changes; cached results of an older generation are stale.
	gen   atomic.Uint64
	cache *resultCache
	segs  segCache
}

// meta is written once, when the index directory is created.
type meta struct {
	Version int `json:"version"`
	Shards  int `json:"shards"`
}

const (
	metaFile = "gongkai-search.json"
	// formatVersion 2 stores the publishing org's code for hits.
	formatVersion = 2
	// seqKey is the Bleve internal key holding the last applied outbox
	// sequence number; it is written in the same batch as the changes.
	seqKey = "gongkai.applied_seq"
)

// Open opens the index in dir, creating it when dir does not exist or is
// empty.
func Open(dir string, opts Options) (*Index, error) {
	if opts.Shards <= 0 {
		opts.Shards = 1
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if opts.CacheEntries == 0 {
		opts.CacheEntries = 512
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxScored <= 0 {
		opts.MaxScored = DefaultMaxScored
	}
	ix := &Index{dir: dir, opts: opts}
	syn := opts.Synonyms
	if syn == nil {
		syn = analysis.DefaultSynonyms()
	}
	ix.syn.Store(syn)
	if opts.CacheEntries > 0 {
		ix.cache = newResultCache(opts.CacheEntries)
	}

	var m meta
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("search: reading %s: %w", metaFile, err)
		}
		if m.Version != formatVersion {
			return nil, fmt.Errorf("search: index in %s has format %d, this program reads %d: rebuild it with the reindex command", dir, m.Version, formatVersion)
		}
	case errors.Is(err, os.ErrNotExist):
		m = meta{Version: formatVersion, Shards: opts.Shards}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		b, _ := json.Marshal(m)
		if err := writeFileAtomic(filepath.Join(dir, metaFile), b); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("search: %w", err)
	}
	ix.opts.Shards = m.Shards
	for i := 0; i < m.Shards; i++ {
		p := filepath.Join(dir, "shard-"+strconv.Itoa(i))
		var s bleve.Index
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			s, err = bleve.New(p, newMapping())
			if err != nil {
				ix.closeShards()
				return nil, fmt.Errorf("search: creating shard %d: %w", i, err)
			}
		} else {
			s, err = bleve.Open(p)
			if err != nil {
				ix.closeShards()
				return nil, fmt.Errorf("search: opening shard %d: %w", i, err)
			}
		}
		ix.shards = append(ix.shards, s)
	}
	ix.alias = bleve.NewIndexAlias(ix.shards...)
	return ix, nil
}

func (ix *Index) closeShards() error {
	var first error
	for _, s := range ix.shards {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
	}
	ix.shards = nil
	return first
}

// Close flushes and closes the index.
func (ix *Index) Close() error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	if err := ix.closeShards(); err != nil {
		return fmt.Errorf("search: closing: %w", err)
	}
	return nil
}

// Dir returns the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Shards returns the number of shards.
func (ix *Index) Shards() int { return len(ix.shards) }

// SetSynonyms replaces the synonym list for all later searches, e.g. after
// an administrator saved a new list. No reindexing is needed.
func (ix *Index) SetSynonyms(s *analysis.Synonyms) {
	if s == nil {
		s = analysis.DefaultSynonyms()
	}
	ix.syn.Store(s)
	ix.gen.Add(1)
}

// Synonyms returns the synonym list in use.
func (ix *Index) Synonyms() *analysis.Synonyms { return ix.syn.Load() }

// Count returns the number of documents in the index.
func (ix *Index) Count() (int, error) {
	n, err := ix.alias.DocCount()
	if err != nil {
		return 0, fmt.Errorf("search: counting: %w", err)
	}
	return int(n), nil
}

// Index adds or replaces documents, in batches. It does not move the
// applied outbox sequence (use Apply for changes that come from the
// outbox).
func (ix *Index) Index(docs ...Doc) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	for len(docs) > 0 {
		n := min(len(docs), ix.opts.BatchSize*len(ix.shards))
		if err := ix.apply(-1, docs[:n], nil); err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

// Delete removes documents by ID; unknown IDs are ignored.
func (ix *Index) Delete(ids ...string) error {
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	return ix.apply(-1, nil, ids)
}

// Apply applies one outbox entry (or a run of entries ending at seq): it
// indexes upserts, deletes deletes, and records seq as the last applied
// sequence number in the same Bleve batch, so a restart resumes after the
// last change that is really in the index. Each replica of a multi-node
// deployment has its own index directory and therefore its own position.
// Entries must be applied in sequence order; an entry at or below
// AppliedSeq is applied again (the operations are idempotent).
func (ix *Index) Apply(seq int64, upserts []Doc, deletes []string) error {
	if seq < 0 {
		return fmt.Errorf("search: negative outbox sequence %d", seq)
	}
	ix.writeMu.Lock()
	defer ix.writeMu.Unlock()
	return ix.apply(seq, upserts, deletes)
}

// apply writes one batch per shard, in parallel. seq < 0 leaves the stored
// sequence alone. A document deleted and upserted in the same call ends up
// indexed: deletes are applied first.
func (ix *Index) apply(seq int64, upserts []Doc, deletes []string) error {
	if len(ix.shards) == 0 {
		return errors.New("search: index is closed")
	}
	batches := make([]*bleve.Batch, len(ix.shards))
	for i, s := range ix.shards {
		batches[i] = s.NewBatch()
	}
	for _, id := range deletes {
		batches[ix.shardOf(id)].Delete(id)
	}
	for i := range upserts {
		d := &upserts[i]
		if d.ID == "" {
			return errors.New("search: document without ID")
		}
		if err := batches[ix.shardOf(d.ID)].Index(d.ID, bleveDoc(d)); err != nil {
			return fmt.Errorf("search: indexing %s: %w", d.ID, err)
		}
	}
	if seq >= 0 {
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], uint64(seq))
		for _, b := range batches {
			b.SetInternal([]byte(seqKey), v[:])
		}
	}
	errs := make([]error, len(ix.shards))
	var wg sync.WaitGroup
	for i, s := range ix.shards {
		if batches[i].Size() == 0 && seq < 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Batch(batches[i])
		}()
	}
	wg.Wait()
	ix.gen.Add(1)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("search: writing batch: %w", err)
	}
	return nil
}

// AppliedSeq returns the last outbox sequence number applied to every shard
// (0 for a new index). A consumer applies the entries after it.
func (ix *Index) AppliedSeq() int64 {
	var low int64 = -1
	for _, s := range ix.shards {
		v, err := s.GetInternal([]byte(seqKey))
		var n int64
		if err == nil && len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		if low < 0 || n < low {
			low = n
		}
	}
	return max(low, 0)
}

func (ix *Index) shardOf(id string) int {
	if len(ix.shards) == 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(len(ix.shards)))
}

// Field names in the Bleve mapping.
const (
	fText      = "text"   // title + 文号 + keywords + summary + body: what a query must match
	fAttach    = "attach" // attachment text, weighted below the body
	fTitle     = "title"
	fHead      = "head" // keywords and summary
	fDocNo     = "docno"
	fDocNoAny  = "docno_any" // 文号 without its year
	fSnip      = "snip"      // stored only: summary + body for snippets
	fKind      = "kind"
	fSite      = "site"
	fOrg       = "org"      // publishing org (facet)
	fOrgPath   = "org_path" // org and ancestors (filter)
	fOrgName   = "org_name"
	fColumn    = "column"
	fTopic     = "topic"      // full 一级\二级 (facet)
	fTopicPath = "topic_path" // 一级 and 一级\二级 (filter)
	fGenre     = "genre"
	fYear      = "year"
	fValidity  = "validity"
	fURL       = "url"
	fPub       = "pub" // stored only: Unix seconds, for hits read from segments
	fDay       = "day" // publication day 20060102 in Asia/Shanghai, for date order
)

// maxSnipBytes bounds the stored snippet source: long enough for any
// summary and the opening pages of a body, short enough to keep stored
// fields small.
const maxSnipBytes = 16 << 10

func newMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	im.ScoringModel = bindex.BM25Scoring
	im.DefaultAnalyzer = AnalyzerName
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	dm := bleve.NewDocumentStaticMapping()
	text := func(analyzer string, store, vectors bool) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = analyzer
		fm.Store = store
		fm.IncludeTermVectors = vectors
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	// facets and date order come from postings (bitmap.go), so no field
	// needs doc values
	kw := func(store, _ bool) *mapping.FieldMapping {
		return text(keyword.Name, store, false)
	}
	stored := func() *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Index = false
		fm.Store = true
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		fm.DocValues = false
		return fm
	}
	dm.AddFieldMappingsAt(fText, text(AnalyzerName, false, false))
	dm.AddFieldMappingsAt(fAttach, text(AnalyzerName, false, false))
	dm.AddFieldMappingsAt(fTitle, text(AnalyzerName, true, true))
	dm.AddFieldMappingsAt(fHead, text(AnalyzerName, false, false))
	dm.AddFieldMappingsAt(fDocNo, text(DocNoAnalyzerName, false, false))
	dm.AddFieldMappingsAt(fDocNoAny, kw(false, false))
	dm.AddFieldMappingsAt(fSnip, stored())
	dm.AddFieldMappingsAt("docno_text", stored())
	dm.AddFieldMappingsAt(fKind, kw(true, false))
	dm.AddFieldMappingsAt(fSite, kw(false, false))
	dm.AddFieldMappingsAt(fOrg, kw(true, false))
	dm.AddFieldMappingsAt(fOrgPath, kw(false, false))
	dm.AddFieldMappingsAt(fOrgName, stored())
	dm.AddFieldMappingsAt(fColumn, kw(false, false))
	dm.AddFieldMappingsAt(fTopic, kw(false, false))
	dm.AddFieldMappingsAt(fTopicPath, kw(false, false))
	dm.AddFieldMappingsAt(fGenre, kw(false, false))
	dm.AddFieldMappingsAt(fYear, kw(false, false))
	dm.AddFieldMappingsAt(fValidity, kw(true, false))
	dm.AddFieldMappingsAt(fURL, stored())
	dm.AddFieldMappingsAt(fPub, stored())
	dm.AddFieldMappingsAt(fDay, kw(false, false))
	im.DefaultMapping = dm
	return im
}

// bleveDoc turns a Doc into the field map Bleve indexes.
func bleveDoc(d *Doc) map[string]any {
	m := map[string]any{
		fText:     joinNonEmpty(d.Title, d.DocNo, d.Keywords, d.Summary, d.Body),
		fTitle:    d.Title,
		fHead:     joinNonEmpty(d.Keywords, d.Summary),
		fSnip:     truncateBytes(joinNonEmpty(d.Summary, d.Body), maxSnipBytes),
		fKind:     d.Kind,
		fOrg:      d.OrgCode,
		fOrgName:  d.OrgName,
		fValidity: validityOrDefault(d.Validity),
		fURL:      d.URL,
	}
	if !d.PublishedAt.IsZero() {
		m[fPub] = strconv.FormatInt(d.PublishedAt.Unix(), 10)
		m[fDay] = d.PublishedAt.In(gongkai.Shanghai).Format("20060102")
	}
	if d.AttachmentText != "" {
		m[fAttach] = d.AttachmentText
	}
	if d.DocNo != "" {
		m[fDocNo] = d.DocNo
		m["docno_text"] = d.DocNo
		m[fDocNoAny] = analysis.DocNoAnyYear(docNoFieldTerm(d.DocNo))
	}
	if len(d.SiteIDs) > 0 {
		sites := make([]string, len(d.SiteIDs))
		for i, s := range d.SiteIDs {
			sites[i] = strconv.FormatInt(s, 10)
		}
		m[fSite] = sites
	}
	path := d.OrgPath
	if d.OrgCode != "" && !contains(path, d.OrgCode) {
		path = append(append([]string(nil), path...), d.OrgCode)
	}
	if len(path) > 0 {
		m[fOrgPath] = path
	}
	if len(d.Columns) > 0 {
		m[fColumn] = d.Columns
	}
	if d.Topic != "" {
		m[fTopic] = d.Topic
		m[fTopicPath] = topicPath(d.Topic)
	}
	if d.Genre != "" {
		m[fGenre] = d.Genre
	}
	if d.Year > 0 {
		m[fYear] = strconv.Itoa(d.Year)
	}
	return m
}

// topicPath returns every level of a 主题分类 written 一级\二级, so a filter
// on the first level finds the second-level documents under it.
func topicPath(t string) []string {
	var out []string
	for i := 0; i < len(t); i++ {
		if t[i] == '\\' {
			out = append(out, t[:i])
		}
	}
	return append(out, t)
}

func validityOrDefault(v string) string {
	if v == "" {
		return Valid
	}
	return v
}

// Values of Doc.Validity.
const (
	Valid    = "有效"
	Expired  = "失效"
	Repealed = "废止"
	Revised  = "已修订"
)

func joinNonEmpty(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p) + 1
	}
	b := make([]byte, 0, n)
	for _, p := range parts {
		if p == "" {
			continue
		}
		if len(b) > 0 {
			b = append(b, '\n')
		}
		b = append(b, p...)
	}
	return string(b)
}

func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o640); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}
