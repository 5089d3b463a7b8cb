package store

import (
	"context"
	"testing"
)

// TestFailedMigrationLeavesSchema runs a migration whose second statement
// fails: the first statement's table must not exist afterwards and the
// version must not be recorded, on both databases.
func TestFailedMigrationLeavesSchema(t *testing.T) {
	for _, open := range testOpeners(t) {
		t.Run(open.name, func(t *testing.T) {
			db := open.fn(t)
			ctx := context.Background()
			bad := Migration{Version: 9000, Name: "9000_bad", SQL: "CREATE TABLE half_done (a INTEGER);\nCREATE TABLE broken (;"}
			if err := db.applyMigration(ctx, bad); err == nil {
				t.Fatal("a broken migration succeeded")
			}
			var n int
			if err := db.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = 9000`).Scan(&n); err != nil || n != 0 {
				t.Fatalf("version recorded: %d, %v", n, err)
			}
			if _, err := db.write.ExecContext(ctx, `SELECT a FROM half_done`); err == nil {
				t.Fatal("the failed migration's first table exists")
			}
		})
	}
}
