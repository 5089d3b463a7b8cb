// Package searchbench measures 一网通查 at scale: it generates synthetic
// Chinese government documents, builds the Bleve index, times the query
// classes of the search issue (one client and 64 concurrent clients),
// measures publish-to-searchable, and measures SQLite FTS5 with the trigram
// tokenizer on the same documents in the same run as the baseline. The
// command-line tool exposes Run as `gongkai search bench`.
package searchbench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // FTS5 baseline

	"gongkai/internal/search"
)

// Options configure Run. Zero values take the defaults in brackets.
type Options struct {
	// Docs is the number of documents generated [1,000,000].
	Docs int
	// Dir holds the index and the FTS5 database; it must be empty or not
	// exist [a new temporary directory, removed afterwards].
	Dir string
	// Keep leaves Dir in place after the run.
	Keep bool
	// Seed for the generator [99].
	Seed uint64
	// Shards of the Bleve index [1].
	Shards int
	// Clients is the number of concurrent clients of the throughput test [64].
	Clients int
	// Duration of each throughput test [10s].
	Duration time.Duration
	// QueryTime bounds the latency measurement of one query class [4s]
	// (at most 300 iterations, at least 5).
	QueryTime time.Duration
	// SkipFTS5 skips the SQLite FTS5 trigram baseline.
	SkipFTS5 bool
	// Reuse queries an index already built in Dir by an earlier run with
	// Keep, instead of generating and building.
	Reuse bool
}

// queryClass is one class of the performance targets.
type queryClass struct {
	name  string
	q     search.Query
	limit time.Duration // the p99 target
}

func classes() []queryClass {
	return []queryClass{
		{"2char-common", search.Query{Text: "公开"}, 100 * time.Millisecond},
		{"4char-common", search.Query{Text: "政务公开"}, 100 * time.Millisecond},
		{"4char-mid", search.Query{Text: "营商环境"}, 100 * time.Millisecond},
		{"multi-term", search.Query{Text: "乡村振兴 高标准农田"}, 100 * time.Millisecond},
		{"filtered", search.Query{Text: "公开", Org: "c03", Validity: search.Valid, Year: 2024}, 100 * time.Millisecond},
		{"filtered-topic", search.Query{Text: "政务公开", Topic: "综合政务"}, 100 * time.Millisecond},
		{"rare-2char", search.Query{Text: "殡葬"}, 20 * time.Millisecond},
		{"rare-4char", search.Query{Text: "殡葬改革"}, 20 * time.Millisecond},
		{"docno", search.Query{Text: "示政发[2024]3号"}, 20 * time.Millisecond},
		{"empty-latest", search.Query{}, 100 * time.Millisecond},
		{"by-date", search.Query{Text: "营商环境", Sort: search.SortDate}, 100 * time.Millisecond},
	}
}

// Run executes the benchmark and writes a report to w.
func Run(ctx context.Context, opts Options, w io.Writer) (err error) {
	if opts.Docs <= 0 {
		opts.Docs = 1_000_000
	}
	if opts.Seed == 0 {
		opts.Seed = 99
	}
	if opts.Clients <= 0 {
		opts.Clients = 64
	}
	if opts.Duration <= 0 {
		opts.Duration = 10 * time.Second
	}
	if opts.QueryTime <= 0 {
		opts.QueryTime = 4 * time.Second
	}
	if opts.Dir == "" {
		if opts.Reuse {
			return errors.New("searchbench: Reuse needs Dir")
		}
		opts.Dir, err = os.MkdirTemp("", "searchbench-")
		if err != nil {
			return err
		}
	}
	if !opts.Keep {
		defer os.RemoveAll(opts.Dir)
	}
	idxDir := filepath.Join(opts.Dir, "bleve")
	fmt.Fprintf(w, "searchbench: %d documents, seed %d, %d shard(s), GOMAXPROCS %d, NumCPU %d, %s\n",
		opts.Docs, opts.Seed, max(opts.Shards, 1), runtime.GOMAXPROCS(0), runtime.NumCPU(), runtime.Version())
	fmt.Fprintf(w, "load average at start: %s\n", loadAvg())

	if !opts.Reuse {
		if err := build(ctx, opts, idxDir, w); err != nil {
			return err
		}
	}
	debug.FreeOSMemory()
	t0 := time.Now()
	ix, err := search.Open(idxDir, search.Options{CacheEntries: -1})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := ix.Close(); err == nil {
			err = cerr
		}
	}()
	n, err := ix.Count()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "OPEN docs=%d open_ms=%.1f rss_mb=%.0f\n", n, ms(time.Since(t0)), rssMB())

	mem := startRSSSampler()
	if err := latency(ctx, ix, opts, w); err != nil {
		return err
	}
	if err := throughput(ctx, ix, opts, w, "uncached"); err != nil {
		return err
	}
	if err := ix.Close(); err != nil {
		return err
	}
	// the same index with the result cache, as served
	if ix, err = search.Open(idxDir, search.Options{}); err != nil {
		return err
	}
	if err := throughput(ctx, ix, opts, w, "cached"); err != nil {
		return err
	}
	rss, anon := mem.stop()
	fmt.Fprintf(w, "MEM query phase: rss_max_mb=%.0f anon_max_mb=%.0f rss_now_mb=%.0f anon_now_mb=%.0f (rss includes the mmapped index files)\n", rss, anon, rssMB(), anonMB())
	if err := publishLatency(ix, w); err != nil {
		return err
	}
	if !opts.SkipFTS5 {
		if err := fts5(ctx, opts, w); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "load average at end: %s\n", loadAvg())
	return nil
}

// build generates the documents and indexes them.
func build(ctx context.Context, opts Options, dir string, w io.Writer) error {
	ix, err := search.Open(dir, search.Options{Shards: opts.Shards, CacheEntries: -1})
	if err != nil {
		return err
	}
	g := NewGenerator(opts.Seed)
	t0 := time.Now()
	cpu0 := cpuSeconds()
	var bytes int64
	const chunk = 2000
	docs := make([]search.Doc, 0, chunk)
	for i := 0; i < opts.Docs; i++ {
		d := g.Next()
		bytes += int64(len(d.Title) + len(d.DocNo) + len(d.Keywords) + len(d.Summary) + len(d.Body) + len(d.AttachmentText))
		docs = append(docs, d)
		if len(docs) == chunk || i == opts.Docs-1 {
			if err := ctx.Err(); err != nil {
				ix.Close()
				return err
			}
			if err := ix.Index(docs...); err != nil {
				ix.Close()
				return err
			}
			docs = docs[:0]
		}
		if (i+1)%100_000 == 0 {
			fmt.Fprintf(w, "  indexed %d in %.1fs (cpu %.1fs), rss %.0f MB, load %s\n", i+1, time.Since(t0).Seconds(), cpuSeconds()-cpu0, rssMB(), loadAvg())
		}
	}
	indexed := time.Since(t0)
	if err := ix.Close(); err != nil {
		return err
	}
	total := time.Since(t0)
	fmt.Fprintf(w, "BUILD docs=%d text_mb=%.1f avg_bytes=%d index_s=%.1f total_incl_close_s=%.1f docs_per_s=%.0f cpu_s=%.1f peak_rss_mb=%.0f load=%s\n",
		opts.Docs, float64(bytes)/1e6, bytes/int64(opts.Docs), indexed.Seconds(), total.Seconds(), float64(opts.Docs)/total.Seconds(), cpuSeconds()-cpu0, peakRSSMB(), loadAvg())
	fmt.Fprintf(w, "SIZE bleve_dir_mb=%.1f\n", float64(dirSize(dir))/1e6)
	return nil
}

// latency times each query class alone, as in the baseline: 2 warm-ups,
// then up to 300 runs or QueryTime (at least 5).
func latency(ctx context.Context, ix *search.Index, opts Options, w io.Writer) error {
	for _, c := range classes() {
		var ds []time.Duration
		var res search.Result
		cpu0 := cpuSeconds()
		for i := 0; i < 2; i++ {
			if _, err := ix.SearchContext(ctx, c.q); err != nil {
				return err
			}
		}
		start := time.Now()
		for len(ds) < 300 && (len(ds) < 5 || time.Since(start) < opts.QueryTime) {
			t := time.Now()
			r, err := ix.SearchContext(ctx, c.q)
			if err != nil {
				return err
			}
			ds = append(ds, time.Since(t))
			res = r
		}
		p50, p99 := pct(ds, 0.50), pct(ds, 0.99)
		verdict := "ok"
		if p99 > c.limit {
			verdict = "OVER TARGET " + c.limit.String()
		}
		fmt.Fprintf(w, "QUERY class=%s q=%q total=%d hits=%d iters=%d p50_ms=%.2f p99_ms=%.2f cpu_ms_per_query=%.2f target_p99_ms=%.0f %s\n",
			c.name, c.q.Text, res.Total, len(res.Hits), len(ds), ms(p50), ms(p99), (cpuSeconds()-cpu0)*1000/float64(len(ds)+2), ms(c.limit), verdict)
	}
	return nil
}

// throughput runs Clients goroutines for Duration. Uncached: the mix of
// query classes, then rare terms alone. Cached: a stream of distinct
// queries with skewed popularity (the head repeats, the tail does not), as
// a portal sees, through the result cache.
func throughput(ctx context.Context, ix *search.Index, opts Options, w io.Writer, mode string) error {
	run := func(label string, do func(i int) error) error {
		var n atomic.Int64
		var firstErr atomic.Value
		ctx, cancel := context.WithTimeout(ctx, opts.Duration)
		defer cancel()
		lat := make([][]time.Duration, opts.Clients)
		cpu0 := cpuSeconds()
		var wg sync.WaitGroup
		t0 := time.Now()
		for c := 0; c < opts.Clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := c; ctx.Err() == nil; i += opts.Clients {
					t := time.Now()
					if err := do(i); err != nil {
						firstErr.CompareAndSwap(nil, err)
						return
					}
					lat[c] = append(lat[c], time.Since(t))
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		el := time.Since(t0)
		if err, _ := firstErr.Load().(error); err != nil {
			return err
		}
		var all []time.Duration
		for _, l := range lat {
			all = append(all, l...)
		}
		fmt.Fprintf(w, "THROUGHPUT %s clients=%d seconds=%.1f queries=%d qps=%.0f p50_ms=%.1f p99_ms=%.1f cpu_s=%.1f rss_mb=%.0f load=%s\n",
			label, opts.Clients, el.Seconds(), n.Load(), float64(n.Load())/el.Seconds(), ms(pct(all, 0.5)), ms(pct(all, 0.99)), cpuSeconds()-cpu0, rssMB(), loadAvg())
		return nil
	}
	if mode == "cached" {
		pop := popularQueries()
		return run("popular-cached", func(i int) error {
			_, err := ix.SearchContext(ctx, pop[zipf(i, len(pop))])
			return err
		})
	}
	mix := classes()
	if err := run("mix-uncached", func(i int) error {
		_, err := ix.SearchContext(ctx, mix[i%len(mix)].q)
		return err
	}); err != nil {
		return err
	}
	return run("rare-uncached", func(i int) error {
		_, err := ix.SearchContext(ctx, search.Query{Text: rareTopics[i%len(rareTopics)]})
		return err
	})
}

// zipf maps the i-th request to a query index with popularity ~ 1/rank,
// deterministically (a multiplicative hash spreads i).
func zipf(i, n int) int {
	u := float64(uint32(uint64(i)*2654435761)) / (1 << 32) // uniform in [0,1)
	// inverse of the continuous 1/x distribution over [1, n+1)
	r := int(math.Pow(float64(n+1), u)) - 1
	return min(max(r, 0), n-1)
}

// popularQueries returns the queries of the cached throughput test.
func popularQueries() []search.Query {
	var out []search.Query
	for _, m := range matters {
		out = append(out, search.Query{Text: strings.Trim(m, "“”《》")})
	}
	for _, r := range rareTopics {
		out = append(out, search.Query{Text: r})
	}
	for _, p := range places {
		for _, m := range matters {
			out = append(out, search.Query{Text: p + " " + strings.Trim(m, "“”《》")})
		}
	}
	for _, m := range matters {
		for _, r := range rareTopics {
			out = append(out, search.Query{Text: strings.Trim(m, "“”《》") + " " + r})
		}
	}
	return out
}

// publishLatency applies single documents as the outbox consumer would and
// measures until a search finds each.
func publishLatency(ix *search.Index, w io.Writer) error {
	var ds []time.Duration
	seq := ix.AppliedSeq()
	for i := 0; i < 20; i++ {
		seq++
		word := "benchpublish" + strconv.FormatInt(seq, 10)
		d := search.Doc{ID: "bench-publish-" + strconv.Itoa(i), Kind: search.KindDocument, Title: "关于 " + word + " 的通知", Body: "正文",
			OrgCode: "c00", OrgPath: []string{"c00"}, SiteIDs: []int64{1}, Year: 2025, PublishedAt: time.Now()}
		t0 := time.Now()
		if err := ix.Apply(seq, []search.Doc{d}, nil); err != nil {
			return err
		}
		for {
			r, err := ix.Search(search.Query{Text: word})
			if err != nil {
				return err
			}
			if r.Total > 0 {
				break
			}
			if time.Since(t0) > 10*time.Second {
				return fmt.Errorf("searchbench: published document not searchable after 10s")
			}
			time.Sleep(time.Millisecond)
		}
		ds = append(ds, time.Since(t0))
	}
	fmt.Fprintf(w, "PUBLISH apply_to_searchable n=%d p50_ms=%.2f max_ms=%.2f applied_seq=%d\n", len(ds), ms(pct(ds, 0.5)), ms(pct(ds, 1)), ix.AppliedSeq())
	return nil
}

// fts5 builds the SQLite FTS5 trigram baseline over the same documents
// (title and body) and times the same query classes: MATCH ranked by bm25
// for terms of three or more characters, an unranked LIKE scan for shorter
// ones, which trigram cannot index.
func fts5(ctx context.Context, opts Options, w io.Writer) error {
	path := filepath.Join(opts.Dir, "fts5.db")
	os.Remove(path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, p := range []string{"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-262144",
		"CREATE VIRTUAL TABLE docs USING fts5(title, body, org UNINDEXED, year UNINDEXED, validity UNINDEXED, tokenize='trigram')"} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("fts5: %s: %w", p, err)
		}
	}
	g := NewGenerator(opts.Seed)
	t0 := time.Now()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	ins := `INSERT INTO docs(rowid, title, body, org, year, validity) VALUES(?, ?, ?, ?, ?, ?)`
	for i := 1; i <= opts.Docs; i++ {
		d := g.Next()
		org := d.OrgPath[min(1, len(d.OrgPath)-1)]
		if _, err := tx.ExecContext(ctx, ins, i, d.Title, d.Summary+"\n"+d.Body, org, d.Year, d.Validity); err != nil {
			tx.Rollback()
			return err
		}
		if i%10_000 == 0 {
			if err := tx.Commit(); err != nil {
				return err
			}
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	insert := time.Since(t0)
	t1 := time.Now()
	if _, err := db.ExecContext(ctx, `INSERT INTO docs(docs) VALUES('optimize')`); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return err
	}
	fi, _ := os.Stat(path)
	var size int64
	if fi != nil {
		size = fi.Size()
	}
	fmt.Fprintf(w, "FTS5-BUILD trigram docs=%d insert_s=%.1f optimize_s=%.1f file_mb=%.1f\n", opts.Docs, insert.Seconds(), time.Since(t1).Seconds(), float64(size)/1e6)

	type plan struct {
		sql, variant string
		args         []any
	}
	mk := func(c queryClass) (plan, bool) {
		terms := strings.Fields(c.q.Text)
		if len(terms) == 0 || c.name == "docno" {
			return plan{}, false
		}
		short := false
		for _, t := range terms {
			if len([]rune(t)) < 3 {
				short = true
			}
		}
		var where []string
		var args []any
		variant := "match-bm25"
		if short {
			variant = "like-scan-unranked"
			for _, t := range terms {
				where = append(where, "(title LIKE ? OR body LIKE ?)")
				args = append(args, "%"+t+"%", "%"+t+"%")
			}
		} else {
			var parts []string
			for _, t := range terms {
				parts = append(parts, `"`+t+`"`)
			}
			where = append(where, "docs MATCH ?")
			args = append(args, strings.Join(parts, " AND "))
		}
		if c.q.Org != "" {
			where = append(where, "org = ?")
			args = append(args, c.q.Org)
		}
		if c.q.Year != 0 {
			where = append(where, "year = ?")
			args = append(args, c.q.Year)
		}
		if c.q.Validity != "" {
			where = append(where, "validity = ?")
			args = append(args, c.q.Validity)
		}
		s := "SELECT rowid FROM docs WHERE " + strings.Join(where, " AND ")
		if !short {
			s += " ORDER BY rank"
		}
		return plan{s + " LIMIT 20", variant, args}, true
	}
	for _, c := range classes() {
		p, ok := mk(c)
		if !ok || c.q.Topic != "" {
			continue
		}
		run := func() (int, error) {
			rows, err := db.QueryContext(ctx, p.sql, p.args...)
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			return n, rows.Err()
		}
		for i := 0; i < 2; i++ {
			if _, err := run(); err != nil {
				return err
			}
		}
		var ds []time.Duration
		rows := 0
		start := time.Now()
		for len(ds) < 300 && (len(ds) < 5 || time.Since(start) < opts.QueryTime) {
			t := time.Now()
			n, err := run()
			if err != nil {
				return err
			}
			ds = append(ds, time.Since(t))
			rows = n
		}
		fmt.Fprintf(w, "FTS5-QUERY class=%s q=%q variant=%s rows=%d iters=%d p50_ms=%.2f p99_ms=%.2f\n",
			c.name, c.q.Text, p.variant, rows, len(ds), ms(pct(ds, 0.5)), ms(pct(ds, 0.99)))
	}
	return nil
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func procStatus(key string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			f := strings.Fields(l[len(key):])
			if len(f) > 0 {
				v, _ := strconv.ParseFloat(f[0], 64)
				return v / 1024
			}
		}
	}
	return 0
}

// cpuSeconds is the user and system CPU time of the process so far: on a
// shared machine it measures the work done, whatever the load.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func rssMB() float64     { return procStatus("VmRSS:") }
func peakRSSMB() float64 { return procStatus("VmHWM:") }

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}

// anonMB is the process's anonymous resident memory (heap, stacks): RSS
// without the pages of memory-mapped index files, which are page cache the
// kernel reclaims under pressure.
func anonMB() float64 { return procStatus("RssAnon:") }

// rssSampler records the largest RSS and anonymous RSS seen while running.
type rssSampler struct {
	stopc chan struct{}
	done  chan [2]float64
}

func startRSSSampler() *rssSampler {
	s := &rssSampler{stopc: make(chan struct{}), done: make(chan [2]float64)}
	go func() {
		hi := [2]float64{rssMB(), anonMB()}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-s.stopc:
				s.done <- hi
				return
			case <-t.C:
				hi[0], hi[1] = max(hi[0], rssMB()), max(hi[1], anonMB())
			}
		}
	}()
	return s
}

// stop returns the largest RSS and anonymous RSS seen, in MB.
func (s *rssSampler) stop() (rss, anon float64) {
	close(s.stopc)
	hi := <-s.done
	return hi[0], hi[1]
}

func dirSize(p string) int64 {
	var n int64
	filepath.Walk(p, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += fi.Size()
		}
		return nil
	})
	return n
}
