package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongkai/internal/mail"
	"gongkai/internal/store"
)

// Rechecks of published documents (issue 7): store.RecheckArgs jobs are
// enqueued when a site's check list is saved; the fingerprint sweep
// enqueues them at start (and daily) for every site whose checker differs
// from the one that last rechecked it, which is how a release with a new
// shipped dictionary reaches documents already published.

// CheckSweepArgs is the periodic job that compares each site's checker
// with the one that last rechecked its documents.
type CheckSweepArgs struct{}

// Kind names the job in River's table.
func (CheckSweepArgs) Kind() string { return "check_sweep" }

// CheckSweepEvery is how often the sweep runs; it also runs at start.
// List changes enqueue their recheck at once, so the sweep is only for
// releases and changes made without a job runner.
const CheckSweepEvery = 24 * time.Hour

// RecheckTimeout bounds one run of a site's recheck. A recheck that is cut
// short is retried by River and carries on where it stopped, since
// documents already checked with the current checker are skipped.
const RecheckTimeout = time.Hour

type recheckWorker struct {
	river.WorkerDefaults[store.RecheckArgs]
	db     *store.DB
	mailer mail.Mailer
	logger *slog.Logger
}

type checkSweepWorker struct {
	river.WorkerDefaults[CheckSweepArgs]
	db     *store.DB
	logger *slog.Logger
}

// RegisterRechecks adds the recheck and sweep workers and schedules the
// sweep. db.Checks must be set. mailer may be nil: the notices stay in the
// workspace.
func RegisterRechecks(r *Runner, db *store.DB, mailer mail.Mailer) {
	Register(r, &recheckWorker{db: db, mailer: mailer, logger: r.logger})
	Register(r, &checkSweepWorker{db: db, logger: r.logger})
	r.Periodic(CheckSweepEvery, CheckSweepArgs{})
}

func (w *recheckWorker) Timeout(*river.Job[store.RecheckArgs]) time.Duration { return RecheckTimeout }

func (w *recheckWorker) Work(ctx context.Context, j *river.Job[store.RecheckArgs]) error {
	_, err := RunRecheck(ctx, w.db, j.Args.SiteID, w.mailer, w.logger)
	return err
}

func (w *checkSweepWorker) Work(ctx context.Context, _ *river.Job[CheckSweepArgs]) error {
	sites, err := w.db.StaleCheckSites(ctx)
	if err != nil {
		return err
	}
	w.logger.Info("check sweep", slog.Int("stale_sites", len(sites)))
	return w.db.EnqueueRechecks(ctx, sites)
}

// RunRecheck rechecks a site's published documents and mails the notices
// to staff who gave an address. A failed e-mail is logged, not retried:
// the in-app notice exists.
func RunRecheck(ctx context.Context, db *store.DB, siteID int64, mailer mail.Mailer, logger *slog.Logger) (store.RecheckResult, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	res, err := db.RecheckSite(ctx, siteID)
	if err != nil {
		return res, err
	}
	if mailer != nil {
		for _, m := range res.Emails {
			if err := mailer.Send(ctx, m.To, m.Subject, m.Body); err != nil {
				logger.Warn("recheck e-mail failed", slog.Any("error", err))
			}
		}
	}
	logger.Info("recheck", slog.Int64("site", siteID), slog.String("fingerprint", res.Fingerprint), slog.Int("checked", res.Checked),
		slog.Int("unchanged", res.Unchanged), slog.Int("with_new", res.WithNew), slog.Int("notices", res.Notified))
	return res, nil
}
