// Package storetest opens fresh databases for tests, one per test, on SQLite
// and on PostgreSQL, so that one conformance suite runs against both.
//
// PostgreSQL tests need GONGKAI_TEST_DATABASE_URL (e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable). Without it they
// are skipped, unless GONGKAI_REQUIRE_POSTGRES=1 (set by .ci/run), which
// turns the skip into a failure so CI cannot pass without really testing
// PostgreSQL. Each test gets its own schema, dropped afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx" for schema set-up

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/password"
	"gongkai/internal/store"
)

func init() {
	// Tests create many users; full-cost argon2id would only slow them.
	store.PasswordParams = password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}
}

// Dialects lists the databases every store test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// PostgresURL returns the test database URL, skipping (or failing under
// GONGKAI_REQUIRE_POSTGRES=1) when there is none.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("GONGKAI_TEST_DATABASE_URL")
	if u == "" {
		if os.Getenv("GONGKAI_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("GONGKAI_REQUIRE_POSTGRES=1 but GONGKAI_TEST_DATABASE_URL is not set")
		}
		tb.Skip("PostgreSQL tests skipped: set GONGKAI_TEST_DATABASE_URL to run them")
	}
	return u
}

// NewSchemaURL creates an empty schema on the test server and returns a URL
// whose connections use it; the schema is dropped when the test ends.
func NewSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		if os.Getenv("GONGKAI_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("PostgreSQL at %s does not answer: %v", base, err)
		}
		tb.Skipf("PostgreSQL not reachable: %v", err)
	}
	tb.Cleanup(func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Config returns a store configuration for a fresh, empty database of the
// dialect.
func Config(tb testing.TB, d store.Dialect) store.Config {
	tb.Helper()
	if d == store.Postgres {
		return store.Config{DatabaseURL: NewSchemaURL(tb), DataDir: tb.TempDir()}
	}
	return store.Config{DataDir: tb.TempDir()}
}

// Open returns a migrated, empty database of the dialect, closed when the
// test ends.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), Config(tb, d))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	db.Validators = Validators
	return db
}

// Validators are the identifier checks the store uses in tests, the same as
// in production.
var Validators = gongkai.OrgValidators{CreditCode: ident.ValidateCreditCode, OrgCode: ident.ValidateOrgCode, RegionCode: ident.ValidateRegionCode}

// Each runs fn once per dialect as subtests "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// System returns a context acting as the operator.
func System() context.Context {
	return gongkai.WithActor(context.Background(), gongkai.SystemActor("test"))
}

// As returns a context acting as the user (with their grants).
func As(u *gongkai.User) context.Context {
	return gongkai.WithActor(context.Background(), &gongkai.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Grants: u.Grants})
}
