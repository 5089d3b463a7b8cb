// Package replica keeps one node's copy of the 一网通查 index in step with
// the database, which stays the source of truth.
//
// Every serve process owns a replica in <data>/search. On PostgreSQL with
// several nodes each node has its own directory and its own position in the
// search outbox (migration 0004): the last outbox seq it applied is stored
// inside the index, in the same Bleve batch as the changes
// (search.Index.Apply), so a restart resumes exactly where the index is.
//
// Why a loop per process and not a River job: River runs a job once, on one
// node, but every node's replica needs every change. So Run polls the
// outbox after the replica's position (once a second by default) and is
// woken at once by commits of its own process (store.DB.OnSearchChange). A
// change made through node A is therefore searchable on A as soon as it is
// applied, and on every other node within the poll interval. River does
// the one cluster-wide chore, pruning outbox rows older than
// store.SearchRetention (internal/jobs); a replica whose position is older
// than the oldest row left rebuilds from the database.
//
// Directory layout: <data>/search/CURRENT names the generation in use, a
// directory g-… beside it. A rebuild (at start when there is no usable
// index, when the replica fell behind the retention period, or by
// `gongkai search reindex` from another process while the server runs)
// writes a new generation under a .building name, renames it when complete
// and then replaces CURRENT. A running replica notices the new CURRENT
// within its poll interval, opens the generation, applies the outbox rows
// written since the rebuild started, swaps it in for new searches and
// deletes the old one. Searches never see a half-built index.
package replica

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"

	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/search"
	"gongkai/internal/search/analysis"
	"gongkai/internal/store"
)

// Options configure a replica. The zero value is usable.
type Options struct {
	// Shards is the number of shards of a new generation (default 1).
	Shards int
	// Poll is how often the outbox is read for changes made by other
	// processes (default 1 s).
	Poll time.Duration
	// Batch is the number of outbox rows applied in one Bleve batch
	// (default 1000).
	Batch int
	// Sources add kinds of outbox rows beyond documents and the guide
	// (annual reports), by kind.
	Sources map[string]Source
	// CacheEntries is search.Options.CacheEntries.
	CacheEntries int
	Logger       *slog.Logger
}

// Replica is a node's search index and the loop that keeps it current. It
// is safe for concurrent use; Run must be called once.
type Replica struct {
	db      *store.DB
	root    string
	opts    Options
	logger  *slog.Logger
	sources map[string]Source

	mu  sync.RWMutex // guards ix and gen; searches hold it for reading
	ix  *search.Index
	gen string
	// failed is a generation that could not be opened (damaged, or of an
	// older format): it is not tried again, and a rebuild replaces it.
	failed string

	syn   atomic.Pointer[analysis.Synonyms]
	wake  chan struct{}
	ready chan struct{}
	once  sync.Once

	stat struct {
		sync.Mutex
		building     bool
		built, total int
		lastErr      string
		lastApplied  time.Time
		rebuildCause string
	}
}

// ErrUnavailable is returned by Search while a replica has no index yet
// (the first build is running).
var ErrUnavailable = gongkai.Errorf(gongkai.EUNAVAILABLE, "检索服务正在建立索引，请稍后再试。")

// Open prepares the replica in root (<data>/search) and opens the current
// generation if there is a usable one. It registers with db to be woken
// by this process's commits. Call Run to keep it current.
func Open(ctx context.Context, db *store.DB, blobs blob.Store, root string, opts Options) (*Replica, error) {
	if opts.Poll <= 0 {
		opts.Poll = time.Second
	}
	if opts.Batch <= 0 {
		opts.Batch = 1000
	}
	if opts.Shards <= 0 {
		opts.Shards = 1
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, gongkai.Errorf(gongkai.EUNAVAILABLE, "无法创建检索索引目录 %s：%v", root, err)
	}
	r := &Replica{db: db, root: root, opts: opts, logger: opts.Logger.With(slog.String("component", "search")),
		wake: make(chan struct{}, 1), ready: make(chan struct{})}
	r.sources = map[string]Source{
		store.SearchKindDocument: &documentSource{db: db, blobs: blobs, logger: r.logger},
		store.SearchKindGuide:    &guideSource{db: db},
	}
	for k, s := range opts.Sources {
		r.sources[k] = s
	}
	if err := r.loadSynonyms(ctx); err != nil {
		return nil, err
	}
	cleanup(root, readCurrent(root), r.logger)
	if gen := readCurrent(root); gen != "" {
		ix, err := r.openGeneration(gen)
		if err != nil {
			// A damaged or outdated index is rebuilt by Run.
			r.logger.Warn("search index unusable, it will be rebuilt", slog.String("generation", gen), slog.Any("error", err))
			r.failed = gen
		} else {
			r.ix, r.gen = ix, gen
		}
	}
	db.OnSearchChange(r.Wake)
	return r, nil
}

// Close closes the index. Run must have returned.
func (r *Replica) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ix == nil {
		return nil
	}
	err := r.ix.Close()
	r.ix = nil
	return err
}

// Wake makes Run read the outbox now rather than at the next poll.
func (r *Replica) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Ready is closed once the replica has an index that has caught up with
// the outbox for the first time.
func (r *Replica) Ready() <-chan struct{} { return r.ready }

// Search runs a query on the current index.
func (r *Replica) Search(ctx context.Context, q search.Query) (search.Result, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.ix == nil {
		return search.Result{}, ErrUnavailable
	}
	return r.ix.SearchContext(ctx, q)
}

// Status describes a replica for the administrators' page.
type Status struct {
	Ready      bool
	Generation string
	// Docs is the number of entries in the index.
	Docs int
	// AppliedSeq is the replica's position in the outbox, HeadSeq the
	// last row written: the difference is what it has yet to apply.
	AppliedSeq, HeadSeq int64
	// Building is set while a rebuild runs, with its progress and cause.
	Building     bool
	Built, Total int
	Cause        string
	LastError    string
	LastApplied  time.Time
}

// Lag is the number of outbox rows not applied yet.
func (s Status) Lag() int64 { return max(0, s.HeadSeq-s.AppliedSeq) }

// Status reports where the replica stands.
func (r *Replica) Status(ctx context.Context) Status {
	var s Status
	select {
	case <-r.ready:
		s.Ready = true
	default:
	}
	r.mu.RLock()
	if r.ix != nil {
		s.Generation = r.gen
		s.Docs, _ = r.ix.Count()
		s.AppliedSeq = r.ix.AppliedSeq()
	}
	r.mu.RUnlock()
	s.HeadSeq, _, _ = r.db.SearchOutboxState(ctx)
	r.stat.Lock()
	s.Building, s.Built, s.Total, s.Cause = r.stat.building, r.stat.built, r.stat.total, r.stat.rebuildCause
	s.LastError, s.LastApplied = r.stat.lastErr, r.stat.lastApplied
	r.stat.Unlock()
	return s
}

// Run keeps the replica current until ctx ends: it builds an index when
// there is none, switches to generations built by other processes, and
// applies the outbox.
func (r *Replica) Run(ctx context.Context) {
	t := time.NewTicker(r.opts.Poll)
	defer t.Stop()
	for {
		err := r.step(ctx)
		if ctx.Err() != nil {
			return
		}
		r.stat.Lock()
		if err != nil {
			if r.stat.lastErr != err.Error() {
				r.logger.Error("search index update failed", slog.Any("error", err))
			}
			r.stat.lastErr = err.Error()
		} else {
			r.stat.lastErr = ""
		}
		r.stat.Unlock()
		if err == nil {
			r.once.Do(func() { close(r.ready) })
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.wake:
		}
	}
}

// step does one round of Run's work.
func (r *Replica) step(ctx context.Context) error {
	if gen := readCurrent(r.root); gen != "" && gen != r.gen && gen != r.failed {
		// Another process (gongkai search reindex) built a generation.
		if err := r.switchTo(ctx, gen); err != nil {
			r.logger.Warn("search index generation unusable", slog.String("generation", gen), slog.Any("error", err))
			r.failed = gen
		}
	}
	cause, err := r.rebuildNeeded(ctx)
	if err != nil {
		return err
	}
	if cause != "" {
		r.logger.Info("rebuilding the search index", slog.String("cause", cause))
		r.setRebuildCause(cause)
		gen, err := build(ctx, r.db, r.root, r.sourcesCopy(), BuildOptions{Shards: r.opts.Shards, Progress: r.progress})
		r.stat.Lock()
		r.stat.building = false
		r.stat.Unlock()
		if err != nil {
			return err
		}
		if err := r.switchTo(ctx, gen); err != nil {
			return err
		}
		r.setRebuildCause("")
	}
	return r.catchUp(ctx)
}

func (r *Replica) progress(p Progress) {
	r.stat.Lock()
	r.stat.building, r.stat.built, r.stat.total = !p.Done, p.Indexed, p.Total
	r.stat.Unlock()
}

func (r *Replica) setRebuildCause(c string) {
	r.stat.Lock()
	r.stat.rebuildCause = c
	r.stat.Unlock()
}

func (r *Replica) sourcesCopy() map[string]Source {
	out := make(map[string]Source, len(r.sources))
	for k, v := range r.sources {
		out[k] = v
	}
	return out
}

// rebuildNeeded says why the index must be built anew, or "".
func (r *Replica) rebuildNeeded(ctx context.Context) (string, error) {
	r.mu.RLock()
	ix, gen := r.ix, r.gen
	r.mu.RUnlock()
	if ix == nil {
		if r.failed != "" {
			return "索引无法打开（损坏或格式已更新）", nil
		}
		return "尚无检索索引", nil
	}
	head, pruned, err := r.db.SearchOutboxState(ctx)
	if err != nil {
		return "", err
	}
	applied := ix.AppliedSeq()
	switch {
	case applied < pruned:
		return fmt.Sprintf("索引落后于保留期（已应用 %d，最早保留 %d）", applied, pruned+1), nil
	case applied > head:
		return fmt.Sprintf("索引领先于数据库（已应用 %d，数据库仅到 %d），可能是数据库从备份恢复", applied, head), nil
	}
	id, err := r.databaseID(ctx)
	if err != nil {
		return "", err
	}
	if m, err := readMeta(filepath.Join(r.root, gen)); err == nil && m.Database != id {
		return "索引属于另一个数据库", nil
	}
	return "", nil
}

func (r *Replica) databaseID(ctx context.Context) (string, error) {
	return databaseID(ctx, r.db)
}

func databaseID(ctx context.Context, db *store.DB) (string, error) {
	b, err := db.Secret(ctx, "search-database")
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:8]), nil
}

// openGeneration opens a generation's index with the replica's synonyms.
func (r *Replica) openGeneration(gen string) (*search.Index, error) {
	ix, err := search.Open(filepath.Join(r.root, gen, "index"), search.Options{CacheEntries: r.opts.CacheEntries, Synonyms: r.syn.Load()})
	if err != nil {
		return nil, err
	}
	return ix, nil
}

// switchTo opens a generation, brings it up to date and swaps it in.
func (r *Replica) switchTo(ctx context.Context, gen string) error {
	ix, err := r.openGeneration(gen)
	if err != nil {
		return fmt.Errorf("search: opening generation %s: %w", gen, err)
	}
	if err := r.apply(ctx, ix); err != nil {
		ix.Close()
		return err
	}
	r.mu.Lock()
	old, oldGen := r.ix, r.gen
	r.ix, r.gen = ix, gen
	r.mu.Unlock()
	if old != nil {
		if err := old.Close(); err != nil {
			r.logger.Warn("closing the old search index", slog.Any("error", err))
		}
		if oldGen != gen {
			os.RemoveAll(filepath.Join(r.root, oldGen))
		}
	}
	if current := readCurrent(r.root); current != gen {
		if err := writeCurrent(r.root, gen); err != nil {
			return err
		}
	}
	r.logger.Info("search index generation in use", slog.String("generation", gen))
	return nil
}

// catchUp applies the outbox to the current index.
func (r *Replica) catchUp(ctx context.Context) error {
	r.mu.RLock()
	ix := r.ix
	r.mu.RUnlock()
	if ix == nil {
		return nil
	}
	// Only this goroutine writes or swaps the index, so it stays open.
	return r.apply(ctx, ix)
}

// apply reads the outbox after the index's position and applies it in
// batches until nothing is left.
func (r *Replica) apply(ctx context.Context, ix *search.Index) error {
	for {
		after := ix.AppliedSeq()
		changes, err := r.db.SearchChanges(ctx, after, r.opts.Batch)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		if changes[0].Seq != after+1 {
			if _, pruned, err := r.db.SearchOutboxState(ctx); err == nil && pruned > after {
				return nil // rebuildNeeded sees it next round
			}
			r.logger.Warn("gap in the search outbox", slog.Int64("after", after), slog.Int64("next", changes[0].Seq))
		}
		if err := r.applyChanges(ctx, ix, changes); err != nil {
			return err
		}
		if len(changes) < r.opts.Batch {
			return nil
		}
	}
}

func (r *Replica) applyChanges(ctx context.Context, ix *search.Index, changes []store.SearchChange) error {
	byKind := map[string][]int64{}
	seen := map[string]map[int64]bool{}
	var kinds []string
	for _, c := range changes {
		if seen[c.Kind] == nil {
			seen[c.Kind] = map[int64]bool{}
			kinds = append(kinds, c.Kind)
		}
		if !seen[c.Kind][c.ID] {
			seen[c.Kind][c.ID] = true
			byKind[c.Kind] = append(byKind[c.Kind], c.ID)
		}
	}
	var upserts []search.Doc
	var deletes []string
	for _, kind := range kinds {
		if kind == store.SearchKindSynonyms {
			if err := r.loadSynonyms(ctx); err != nil {
				return err
			}
			ix.SetSynonyms(r.syn.Load())
			continue
		}
		src := r.sources[kind]
		if src == nil {
			// A kind written by a newer version of the program, or one
			// whose module is not wired: skip rather than block the outbox.
			r.logger.Warn("search outbox rows of an unknown kind skipped", slog.String("kind", kind), slog.Int("count", len(byKind[kind])))
			continue
		}
		up, del, err := src.Load(ctx, byKind[kind])
		if err != nil {
			return fmt.Errorf("search: loading %s: %w", kind, err)
		}
		upserts, deletes = append(upserts, up...), append(deletes, del...)
	}
	last := changes[len(changes)-1]
	if err := ix.Apply(last.Seq, upserts, deletes); err != nil {
		return err
	}
	r.stat.Lock()
	r.stat.lastApplied = time.Now()
	r.stat.Unlock()
	r.logger.Debug("search outbox applied", slog.Int64("seq", last.Seq), slog.Int("upserts", len(upserts)), slog.Int("deletes", len(deletes)),
		slog.Duration("since_commit", time.Since(last.At)))
	return nil
}

// loadSynonyms reads the list in force into r.syn. A stored list that no
// longer parses (it was validated when saved) falls back to the default
// with a warning rather than stopping search.
func (r *Replica) loadSynonyms(ctx context.Context) error {
	s, err := r.db.FindSearchSynonyms(ctx)
	if err != nil {
		return err
	}
	syn, err := analysis.ParseSynonyms(s.Text)
	if err != nil {
		r.logger.Warn("stored synonym list invalid, using the default", slog.Any("error", err))
		syn = analysis.DefaultSynonyms()
	}
	r.syn.Store(syn)
	return nil
}

// The directory layout.
const (
	currentFile = "CURRENT"
	metaFile    = "replica.json"
	building    = ".building"
)

// Generation describes a built index generation (its replica.json).
type Generation struct {
	// Database identifies the database it was built from.
	Database string    `json:"database"`
	BuiltAt  time.Time `json:"builtAt"`
	// Seq is the outbox position the build started from; Docs the number
	// of entries it indexed.
	Seq  int64 `json:"seq"`
	Docs int   `json:"docs"`
}

// ReadGeneration reads what a generation's build recorded.
func ReadGeneration(root, gen string) (Generation, error) {
	return readMeta(filepath.Join(root, gen))
}

// Current returns the generation in use in root, or "" before the first
// build.
func Current(root string) string { return readCurrent(root) }

func readMeta(dir string) (Generation, error) {
	var m Generation
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// readCurrent returns the generation CURRENT names, or "".
func readCurrent(root string) string {
	b, err := os.ReadFile(filepath.Join(root, currentFile))
	if err != nil {
		return ""
	}
	gen := strings.TrimSpace(string(b))
	if gen == "" || strings.ContainsAny(gen, `/\`) || strings.HasPrefix(gen, ".") {
		return ""
	}
	return gen
}

// writeCurrent replaces CURRENT atomically.
func writeCurrent(root, gen string) error {
	tmp := filepath.Join(root, currentFile+".tmp")
	if err := os.WriteFile(tmp, []byte(gen+"\n"), 0o640); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(root, currentFile)); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// newGeneration names a generation by its build time.
func newGeneration() string {
	b := make([]byte, 3)
	rand.Read(b)
	return "g-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

// cleanup removes generations other than keep, and builds abandoned for a
// day (a crashed reindex); a build in progress is left alone.
func cleanup(root, keep string, logger *slog.Logger) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, "g-") || name == keep {
			continue
		}
		if strings.HasSuffix(name, building) {
			if info, err := e.Info(); err != nil || time.Since(info.ModTime()) < 24*time.Hour {
				continue
			}
		}
		if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
			logger.Warn("removing an old search index", slog.String("dir", name), slog.Any("error", err))
		}
	}
}
