package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongkai"
	"gongkai/internal/mail"
	"gongkai/internal/store"
)

// Expiry of documents whose 有效期 ran out (store.ExpireDocuments): a
// document 有效期至 31 December is 失效 from 1 January, so the job runs just
// after midnight in Asia/Shanghai, and at start, which catches the days a
// server was down. Every run is idempotent.

// ExpireArgs is the periodic job that marks documents 失效.
type ExpireArgs struct{}

// Kind names the job in River's table.
func (ExpireArgs) Kind() string { return "document_expire" }

// ExpireAt is the time of day (Asia/Shanghai) the expiry job runs.
const ExpireAt = 5 * time.Minute

type expireWorker struct {
	river.WorkerDefaults[ExpireArgs]
	db     *store.DB
	mailer mail.Mailer
	logger *slog.Logger
}

// RegisterExpiry adds the expiry worker and schedules it daily at ExpireAt
// and at start. mailer may be nil: the notices stay in the workspace.
func RegisterExpiry(r *Runner, db *store.DB, mailer mail.Mailer) {
	Register(r, &expireWorker{db: db, mailer: mailer, logger: r.logger})
	r.PeriodicAt(Daily(ExpireAt), ExpireArgs{})
}

func (w *expireWorker) Work(ctx context.Context, _ *river.Job[ExpireArgs]) error {
	_, err := RunExpiry(ctx, w.db, w.mailer, w.logger)
	return err
}

// RunExpiry marks 失效 the documents whose 有效期 ran out and mails the
// notices to staff who gave an address. A failed e-mail is logged, not
// retried: the in-app notice exists.
func RunExpiry(ctx context.Context, db *store.DB, mailer mail.Mailer, logger *slog.Logger) (store.ExpireResult, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	res, err := db.ExpireDocuments(ctx)
	if err != nil {
		return res, err
	}
	if mailer != nil {
		for _, m := range res.Emails {
			if err := mailer.Send(ctx, m.To, m.Subject, m.Body); err != nil {
				logger.Warn("expiry e-mail failed", slog.Any("error", err))
			}
		}
	}
	logger.Info("document expiry", slog.Int("expired", res.Expired), slog.Int("notices", res.Notified))
	return res, nil
}

// Daily is a River schedule that fires once a day at the given time after
// midnight in Asia/Shanghai.
func Daily(at time.Duration) river.PeriodicSchedule { return daily(at) }

type daily time.Duration

// Next returns the first run strictly after t.
func (d daily) Next(t time.Time) time.Time {
	local := t.In(gongkai.Shanghai)
	next := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, gongkai.Shanghai).Add(time.Duration(d))
	for !next.After(t) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}
