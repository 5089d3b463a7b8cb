package replica

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"gongkai/internal/blob"
	"gongkai/internal/search"
	"gongkai/internal/store"
)

// BuildOptions configure Build.
type BuildOptions struct {
	// Shards is the number of shards of the new index (default 1).
	Shards int
	// Sources add kinds beyond documents and the guide (see Options).
	Sources map[string]Source
	// Progress, when set, is called as documents are indexed and once at
	// the end with Done set.
	Progress func(Progress)
}

// Progress reports a rebuild.
type Progress struct {
	Indexed, Total int
	Elapsed        time.Duration
	Done           bool
}

// Rate is the documents indexed per second so far.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.Indexed) / p.Elapsed.Seconds()
}

// ETA estimates the time left from the rate so far.
func (p Progress) ETA() time.Duration {
	if p.Indexed == 0 || p.Total <= p.Indexed {
		return 0
	}
	return time.Duration(float64(p.Elapsed) * float64(p.Total-p.Indexed) / float64(p.Indexed))
}

// Build writes a complete index of everything public in the database as a
// new generation in root and makes it the current one; it returns the
// generation's name. It runs beside a serving process: that process
// switches to the new generation within its poll interval (see the package
// comment). blobs holds the attachments whose text is indexed.
func Build(ctx context.Context, db *store.DB, blobs blob.Store, root string, opts BuildOptions) (string, error) {
	sources := map[string]Source{
		store.SearchKindDocument: &documentSource{db: db, blobs: blobs},
		store.SearchKindGuide:    &guideSource{db: db},
	}
	for k, s := range opts.Sources {
		sources[k] = s
	}
	if err := os.MkdirAll(root, 0o750); err != nil {
		return "", fmt.Errorf("search: %w", err)
	}
	return build(ctx, db, root, sources, opts)
}

func build(ctx context.Context, db *store.DB, root string, sources map[string]Source, opts BuildOptions) (string, error) {
	start := time.Now()
	// The position is read before anything else: every change after it is
	// in the outbox and is applied on top, and every change before it is
	// in the rows read below.
	seq, _, err := db.SearchOutboxState(ctx)
	if err != nil {
		return "", err
	}
	dbID, err := databaseID(ctx, db)
	if err != nil {
		return "", err
	}
	kinds := make([]string, 0, len(sources))
	for k := range sources {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	total := 0
	for _, k := range kinds {
		n, err := sources[k].Count(ctx)
		if err != nil {
			return "", err
		}
		total += n
	}
	gen := newGeneration()
	dir := filepath.Join(root, gen+building)
	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{Shards: opts.Shards, CacheEntries: -1, BatchSize: 2000})
	if err != nil {
		return "", err
	}
	fail := func(err error) (string, error) {
		ix.Close()
		os.RemoveAll(dir)
		return "", err
	}
	indexed := 0
	report := func(done bool) {
		if opts.Progress != nil {
			opts.Progress(Progress{Indexed: indexed, Total: max(total, indexed), Elapsed: time.Since(start), Done: done})
		}
	}
	report(false)
	for _, k := range kinds {
		// Reading and converting (HTML to text, attachments) overlaps
		// with indexing: one goroutine each.
		batches := make(chan []search.Doc, 2)
		errc := make(chan error, 1)
		rctx, cancel := context.WithCancel(ctx)
		go func() {
			defer close(batches)
			errc <- sources[k].All(rctx, func(docs []search.Doc) error {
				select {
				case batches <- docs:
					return nil
				case <-rctx.Done():
					return rctx.Err()
				}
			})
		}()
		var ierr error
		for docs := range batches {
			if ierr != nil {
				continue
			}
			if ierr = ix.Index(docs...); ierr == nil {
				indexed += len(docs)
				report(false)
			} else {
				cancel()
			}
		}
		cancel()
		if err := <-errc; err != nil && ierr == nil {
			ierr = err
		}
		if ierr != nil {
			return fail(ierr)
		}
	}
	if err := ix.Apply(seq, nil, nil); err != nil {
		return fail(err)
	}
	if err := ix.Close(); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	b, _ := json.Marshal(Generation{Database: dbID, BuiltAt: time.Now().UTC(), Seq: seq, Docs: indexed})
	if err := os.WriteFile(filepath.Join(dir, metaFile), b, 0o640); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("search: %w", err)
	}
	if err := os.Rename(dir, filepath.Join(root, gen)); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("search: %w", err)
	}
	previous := readCurrent(root)
	if err := writeCurrent(root, gen); err != nil {
		return "", err
	}
	// Older generations go; the previous one may still be open in a
	// running server, which deletes it when it switches.
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if n := e.Name(); e.IsDir() && n != gen && n != previous && filepath.Ext(n) != building && len(n) > 2 && n[:2] == "g-" {
			os.RemoveAll(filepath.Join(root, n))
		}
	}
	report(true)
	return gen, nil
}
