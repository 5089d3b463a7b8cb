// Package jobs runs gongkai's durable background jobs with River, whose
// tables live in the same database as everything else: a job enqueued in a
// store transaction exists exactly when that transaction commits, survives
// restarts, and on PostgreSQL is spread over every node.
//
// Both databases are reached through database/sql (riversqlite and
// riverdatabasesql), so store transactions (*sql.Tx) can enqueue jobs on
// either. On SQLite River shares the single writer connection.
package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"gongkai/internal/store"
)

// Runner owns the River client. Build it with New, register workers with
// Register and periodic jobs with Periodic, then Open (to enqueue) and
// Start (to also work jobs).
type Runner struct {
	db       *store.DB
	logger   *slog.Logger
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	// MaxWorkers is the number of jobs worked at once on this node.
	MaxWorkers int
	// PollInterval is how often the node looks for due jobs; River's
	// database/sql drivers cannot LISTEN, so it polls.
	PollInterval time.Duration
}

var _ store.JobInserter = (*Runner)(nil)

// New returns a runner for db with the built-in jobs registered.
func New(db *store.DB, logger *slog.Logger) *Runner {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &Runner{db: db, logger: logger, workers: river.NewWorkers(), MaxWorkers: 4, PollInterval: time.Second}
	Register(r, &sessionCleanupWorker{db: db})
	r.Periodic(10*time.Minute, SessionCleanupArgs{})
	return r
}

// Register adds a worker for one job kind. Later modules call it for their
// own kinds (scheduled publishing, reminders, …).
func Register[T river.JobArgs](r *Runner, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
}

// Periodic runs a job every interval on one node (River elects a leader).
// It may be called before or after Open (but before Start).
func (r *Runner) Periodic(every time.Duration, args river.JobArgs) {
	r.PeriodicAt(river.PeriodicInterval(every), args)
}

// PeriodicAt runs a job on a schedule (such as Daily) on one node, and
// once at start. It may be called before or after Open (but before Start).
func (r *Runner) PeriodicAt(schedule river.PeriodicSchedule, args river.JobArgs) {
	job := river.NewPeriodicJob(schedule,
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
	if r.client != nil {
		r.client.PeriodicJobs().Add(job)
		return
	}
	r.periodic = append(r.periodic, job)
}

func driver(db *store.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect() == store.Postgres {
		return riverdatabasesql.New(db.WriteDB())
	}
	return riversqlite.New(db.WriteDB())
}

// Migrate creates or upgrades River's tables.
func Migrate(ctx context.Context, db *store.DB) error {
	m, err := rivermigrate.New(driver(db), nil)
	if err != nil {
		return err
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrations: %w", err)
	}
	return nil
}

// Open creates the client and connects it to the store, so store
// transactions can enqueue jobs. Call Start to also work them.
func (r *Runner) Open() error {
	cfg := &river.Config{
		Logger:            r.logger.With(slog.String("component", "river")),
		Workers:           r.workers,
		PeriodicJobs:      r.periodic,
		FetchPollInterval: r.PollInterval,
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: r.MaxWorkers}},
		JobTimeout:        10 * time.Minute,
	}
	c, err := river.NewClient(driver(r.db), cfg)
	if err != nil {
		return err
	}
	r.client = c
	r.db.Jobs = r
	return nil
}

// Start begins working jobs; jobs whose time passed while the server was
// down are due and run at once.
func (r *Runner) Start(ctx context.Context) error {
	if r.client == nil {
		if err := r.Open(); err != nil {
			return err
		}
	}
	return r.client.Start(ctx)
}

// Stop waits for running jobs to finish (or ctx to end).
func (r *Runner) Stop(ctx context.Context) error {
	if r.client == nil {
		return nil
	}
	return r.client.Stop(ctx)
}

// InsertTx enqueues a job in the caller's transaction.
func (r *Runner) InsertTx(ctx context.Context, tx *sql.Tx, job store.Job) error {
	args, ok := job.Args.(river.JobArgs)
	if !ok {
		return fmt.Errorf("jobs: %T is not a river.JobArgs", job.Args)
	}
	var opts *river.InsertOpts
	if !job.RunAt.IsZero() {
		opts = &river.InsertOpts{ScheduledAt: job.RunAt}
	}
	_, err := r.client.InsertTx(ctx, tx, args, opts)
	return err
}

// Client exposes the River client for tests and for modules that need to
// wait for or inspect jobs.
func (r *Runner) Client() *river.Client[*sql.Tx] { return r.client }

// SessionCleanupArgs is the periodic job that deletes expired sessions and
// old login failures.
type SessionCleanupArgs struct{}

// Kind names the job in River's table.
func (SessionCleanupArgs) Kind() string { return "session_cleanup" }

type sessionCleanupWorker struct {
	river.WorkerDefaults[SessionCleanupArgs]
	db *store.DB
}

func (w *sessionCleanupWorker) Work(ctx context.Context, _ *river.Job[SessionCleanupArgs]) error {
	_, err := w.db.DeleteExpiredSessions(ctx)
	return err
}
