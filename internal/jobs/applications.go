package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongkai/internal/mail"
	"gongkai/internal/store"
)

// ApplicationSweepArgs is the periodic job of 依申请公开: it closes
// applications whose 补正 or fee deadline lapsed, and reminds officers of
// applications that became due soon or overdue (store.SweepApplications).
type ApplicationSweepArgs struct{}

// Kind names the job in River's table.
func (ApplicationSweepArgs) Kind() string { return "application_sweep" }

// SweepEvery is how often the sweep runs. Statuses change once a day, but
// running hourly means a restart or a new day is picked up quickly; the
// work is idempotent.
const SweepEvery = time.Hour

type applicationSweepWorker struct {
	river.WorkerDefaults[ApplicationSweepArgs]
	db     *store.DB
	mailer mail.Mailer
	logger *slog.Logger
}

// RegisterApplications adds the sweep worker and schedules it. mailer may
// be nil (no SMTP configured): reminders then stay in the workspace.
func RegisterApplications(r *Runner, db *store.DB, mailer mail.Mailer) {
	Register(r, &applicationSweepWorker{db: db, mailer: mailer, logger: r.logger})
	r.Periodic(SweepEvery, ApplicationSweepArgs{})
}

func (w *applicationSweepWorker) Work(ctx context.Context, _ *river.Job[ApplicationSweepArgs]) error {
	_, _, err := RunApplicationSweep(ctx, w.db, w.mailer, w.logger)
	return err
}

// RunApplicationSweep runs the sweep once and sends its e-mails, returning
// what it did and how many e-mails went out. A failed e-mail is logged, not
// retried: the in-app notice exists.
func RunApplicationSweep(ctx context.Context, db *store.DB, mailer mail.Mailer, logger *slog.Logger) (store.SweepResult, int, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	res, err := db.SweepApplications(ctx)
	if err != nil {
		return res, 0, err
	}
	sent := 0
	if mailer != nil {
		for _, m := range res.Emails {
			if err := mailer.Send(ctx, m.To, m.Subject, m.Body); err != nil {
				logger.Warn("reminder e-mail failed", slog.Any("error", err))
				continue
			}
			sent++
		}
	}
	logger.Info("application sweep", slog.Int("checked", res.Checked), slog.Int("closed", res.Closed),
		slog.Int("notices", res.Notified), slog.Int("emails", sent))
	return res, sent, nil
}
