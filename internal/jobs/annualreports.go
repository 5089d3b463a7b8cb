package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"gongkai/internal/store"
)

// ReportRemindEvery is how often the annual-report sweep runs. Reminders
// change with the date only and are deduplicated per org, year and kind,
// so a few runs a day are enough and cost little.
const ReportRemindEvery = 6 * time.Hour

type annualReportRemindWorker struct {
	river.WorkerDefaults[store.AnnualReportRemindArgs]
	db     *store.DB
	logger *slog.Logger
}

// RegisterAnnualReports adds the worker of annual-report reminders and
// schedules the periodic sweep (store.AnnualReportRemindArgs{}): orgs whose
// report for last year is not published are reminded in the workspace from
// 15 days before the statutory deadline and once it has passed. The same
// worker sends the reminders a 政务公开办 asks for.
func RegisterAnnualReports(r *Runner, db *store.DB) {
	Register(r, &annualReportRemindWorker{db: db, logger: r.logger})
	r.Periodic(ReportRemindEvery, store.AnnualReportRemindArgs{})
}

func (w *annualReportRemindWorker) Work(ctx context.Context, j *river.Job[store.AnnualReportRemindArgs]) error {
	n, err := w.db.RemindAnnualReports(ctx, j.Args)
	if err != nil {
		return err
	}
	// Year 0 is the periodic sweep over last year's reports; a year is a
	// 政务公开办's request.
	if j.Args.Year == 0 {
		w.logger.Info("annual report reminders", slog.String("year", "last"), slog.Int("notices", n))
	} else {
		w.logger.Info("annual report reminders", slog.Int("year", j.Args.Year), slog.Int("notices", n))
	}
	return nil
}
