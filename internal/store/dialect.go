package store

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

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
