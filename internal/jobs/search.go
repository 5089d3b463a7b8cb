package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongkai/internal/store"
)

// SearchOutboxPruneArgs is the periodic job that deletes search outbox rows
// older than store.SearchRetention. It is the one search chore that needs
// to run once for the whole platform, so River (which runs a periodic job
// on one elected node) does it; applying the outbox is every node's own
// work (internal/search/replica).
type SearchOutboxPruneArgs struct{}

// Kind names the job in River's table.
func (SearchOutboxPruneArgs) Kind() string { return "search_outbox_prune" }

// PruneEvery is how often the outbox is pruned.
const PruneEvery = time.Hour

type searchOutboxPruneWorker struct {
	river.WorkerDefaults[SearchOutboxPruneArgs]
	db     *store.DB
	logger *slog.Logger
}

// RegisterSearch adds the outbox pruning worker and schedules it.
func RegisterSearch(r *Runner, db *store.DB) {
	Register(r, &searchOutboxPruneWorker{db: db, logger: r.logger})
	r.Periodic(PruneEvery, SearchOutboxPruneArgs{})
}

func (w *searchOutboxPruneWorker) Work(ctx context.Context, _ *river.Job[SearchOutboxPruneArgs]) error {
	n, err := w.db.PruneSearchOutbox(ctx)
	if err == nil && n > 0 {
		w.logger.Info("search outbox pruned", slog.Int("rows", n))
	}
	return err
}
