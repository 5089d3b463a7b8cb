package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

type pingArgs struct{ N int }

func (pingArgs) Kind() string { return "test_ping" }

type pingWorker struct {
	river.WorkerDefaults[pingArgs]
	done chan int
}

func (w *pingWorker) Work(_ context.Context, j *river.Job[pingArgs]) error {
	w.done <- j.Args.N
	return nil
}

func TestJobsRunFromTransactions(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db := storetest.Open(t, d)
			ctx := context.Background()
			if err := jobs.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			r := jobs.New(db, nil)
			r.PollInterval = 100 * time.Millisecond
			w := &pingWorker{done: make(chan int, 4)}
			jobs.Register(r, w)
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Stop(context.Background()) })

			// A rolled-back transaction leaves no job; a committed one does.
			tx, err := db.BeginTx(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := r.InsertTx(ctx, tx.Tx, store.Job{Args: pingArgs{N: 1}}); err != nil {
				t.Fatal(err)
			}
			tx.Rollback()
			tx, _ = db.BeginTx(ctx)
			if err := r.InsertTx(ctx, tx.Tx, store.Job{Args: pingArgs{N: 2}, RunAt: time.Now().Add(300 * time.Millisecond)}); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			select {
			case n := <-w.done:
				if n != 2 {
					t.Fatalf("worked job %d, want 2 (the rolled-back job ran)", n)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("scheduled job did not run")
			}
			select {
			case n := <-w.done:
				t.Fatalf("unexpected job %d", n)
			case <-time.After(300 * time.Millisecond):
			}
		})
	}
}

// jobsDB opens an empty database of the dialect with River's tables and
// the store's fixture.
func jobsDB(t *testing.T, d store.Dialect) (*store.DB, *storetest.Fix) {
	t.Helper()
	db := storetest.Open(t, d)
	if err := jobs.Migrate(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return db, storetest.Fixture(t, db)
}
