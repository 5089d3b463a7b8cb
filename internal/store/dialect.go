package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// The few places where SQLite and PostgreSQL differ are kept here.

// isUniqueViolation reports whether err is a unique-constraint failure, and
// returns the constraint or column text the driver names.
func isUniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName + " " + pgErr.Detail, true
	}
	var sqErr *sqlite.Error
	if errors.As(err, &sqErr) && (sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || sqErr.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return sqErr.Error(), true
	}
	return "", false
}

// uniqueOn reports whether err is a unique violation mentioning column.
func uniqueOn(err error, column string) bool {
	what, ok := isUniqueViolation(err)
	return ok && strings.Contains(what, column)
}

// likePrefix escapes s for use as a LIKE prefix pattern with ESCAPE '\'.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

func itoa(v int) string { return strconv.Itoa(v) }

// jsonRaw marks text that is already JSON, for audit before/after values.
func jsonRaw(s string) json.RawMessage { return json.RawMessage(s) }

// stmtCache keeps prepared statements for the portal's hot reads on
// SQLite, whose driver parses every query text anew (the parse costs more
// than a short indexed read). PostgreSQL's driver already caches prepared
// statements per connection, so there the cache is not used.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// hot runs a read through a cached prepared statement on SQLite read
// transactions, and directly otherwise.
func (tx *Tx) hot(ctx context.Context, query string) (*sql.Stmt, bool) {
	if tx.db.dialect != SQLite || tx.write {
		return nil, false
	}
	c := &tx.db.stmts
	c.mu.Lock()
	st := c.m[query]
	c.mu.Unlock()
	if st == nil {
		var err error
		if st, err = tx.db.read.PrepareContext(ctx, query); err != nil {
			return nil, false
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]*sql.Stmt{}
		}
		if old := c.m[query]; old != nil {
			st.Close()
			st = old
		} else if len(c.m) < 500 {
			c.m[query] = st
		}
		c.mu.Unlock()
	}
	return tx.StmtContext(ctx, st), true
}

// prepared returns a statement prepared once per transaction on SQLite,
// where the import repeats the same multi-row INSERTs and parsing them
// costs as much as writing; nil on PostgreSQL, whose driver caches
// statements itself. (Preparing on the pool instead would wait forever
// for the single writer connection this transaction holds.)
func (tx *Tx) prepared(ctx context.Context, query string) *sql.Stmt {
	if tx.db.dialect != SQLite || !tx.write {
		return nil
	}
	if st := tx.stmts[query]; st != nil {
		return st
	}
	st, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if tx.stmts == nil {
		tx.stmts = map[string]*sql.Stmt{}
	}
	tx.stmts[query] = st
	return st
}

// hotQuery is QueryContext through the statement cache.
func (tx *Tx) hotQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, ok := tx.hot(ctx, query); ok {
		return st.QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// hotQueryRow is QueryRowContext through the statement cache.
func (tx *Tx) hotQueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := tx.hot(ctx, query); ok {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// lockDocument serialises writers of one document for the rest of the
// transaction: a row lock on PostgreSQL; SQLite has one writer anyway.
func (tx *Tx) lockDocument(ctx context.Context, id int64) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT id FROM documents WHERE id = $1 FOR UPDATE`, id)
	return err
}

// dateInt is an SQL expression reading a DATE column as the integer
// YYYYMMDD (NULL stays NULL): cheaper to carry and decode than a date when
// a query returns many rows. SQLite keeps dates as YYYY-MM-DD text.
func dateInt(d Dialect, col string) string {
	if d == Postgres {
		return `CAST(TO_CHAR(` + col + `, 'YYYYMMDD') AS INTEGER)`
	}
	return `CAST(REPLACE(SUBSTR(` + col + `, 1, 10), '-', '') AS INTEGER)`
}
