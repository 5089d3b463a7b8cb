package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
)

type opener struct {
	name string
	fn   func(t *testing.T) *DB
}

// testOpeners opens migrated databases for internal tests (storetest
// cannot be imported here: it imports this package).
func testOpeners(t *testing.T) []opener {
	return []opener{
		{"sqlite", func(t *testing.T) *DB {
			db, err := Open(context.Background(), Config{DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			return db
		}},
		{"postgres", func(t *testing.T) *DB {
			u := os.Getenv("GONGKAI_TEST_DATABASE_URL")
			if u == "" {
				if os.Getenv("GONGKAI_REQUIRE_POSTGRES") == "1" {
					t.Fatal("GONGKAI_REQUIRE_POSTGRES=1 but GONGKAI_TEST_DATABASE_URL is not set")
				}
				t.Skip("PostgreSQL tests skipped: set GONGKAI_TEST_DATABASE_URL to run them")
			}
			admin, err := Open(context.Background(), Config{DatabaseURL: u, DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			// Work in a private schema so the real tables are not touched;
			// admin stays open to drop it when the test ends.
			schema := "t_mig_" + randomHex(6)
			if _, err := admin.write.ExecContext(context.Background(), `CREATE SCHEMA `+schema); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				admin.write.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
				admin.Close()
			})
			db, err := Open(context.Background(), Config{DatabaseURL: withSearchPath(u, schema), DataDir: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			return db
		}},
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func withSearchPath(u, schema string) string {
	p, _ := url.Parse(u)
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String()
}
