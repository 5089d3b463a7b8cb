// Package store keeps gongkai's data in SQLite (the embedded default) or
// PostgreSQL (for a platform serving a province). One set of SQL serves both:
// queries use $n placeholders, which both drivers accept, and the few real
// differences live in dialect.go. Exported methods open a transaction, check
// the actor's permission, make the change and append the audit record in
// that same transaction (wtf's BeginTx / unexported helper pattern).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"gongkai"
)

// Dialect names the database behind a DB.
type Dialect string

// The two dialects.
const (
	SQLite   = Dialect("sqlite")
	Postgres = Dialect("postgres")
)

// SQLiteFile is the name of the SQLite database in the data directory.
// Commands that can answer without a database (the working-day questions)
// look for it rather than create it.
const SQLiteFile = "gongkai.db"

// Config says which database to open.
type Config struct {
	// DatabaseURL selects PostgreSQL when it is a postgres:// or
	// postgresql:// URL. Empty means SQLite in DataDir.
	DatabaseURL string
	// DataDir holds gongkai.db (SQLite) and everything else kept on disk.
	DataDir string
	Logger  *slog.Logger
	// DataKey encrypts applicants' personal data (GONGKAI_DATA_KEY). Empty
	// means the key file data.key in DataDir, created on first start.
	DataKey []byte
}

// DB is an open database.
type DB struct {
	dialect Dialect
	// write has a single connection on SQLite: SQLite allows one writer,
	// and queueing writers in Go is cheaper than SQLITE_BUSY retries.
	write *sql.DB
	// read is a pool of read-only connections on SQLite; on PostgreSQL it is
	// the same pool as write.
	read *sql.DB
	pool *pgxpool.Pool
	path string

	// Now returns the current instant; tests replace it to fix the clock.
	Now    func() time.Time
	Logger *slog.Logger
	// Validators checks org identifiers (internal/ident), injected by main
	// so the store does not decide the rules.
	Validators gongkai.OrgValidators
	// Jobs enqueues background jobs inside store transactions; nil until
	// the job runner is set up.
	Jobs JobInserter
	// AppConfig holds the settings of applications (依申请公开).
	AppConfig ApplicationConfig

	apps appState
	// CheckDocument, when set, is the content check a document must pass
	// when it is submitted for review and again before it is published or
	// scheduled (the 三审 pre-publication gate). It runs inside the
	// transaction; an error refuses the step and is shown to the user.
	CheckDocument func(ctx context.Context, d *gongkai.Document) error
	// Checks, when set, runs the content checks (internal/checking): on
	// submission and at every approval, stored with the step, with block
	// findings refusing the last approval unless overridden; and the
	// rechecks of published documents (documentcheck.go).
	Checks ContentChecker

	public publicWatch
	stmts  stmtCache
	// searchWatch tells this process's search index about outbox rows it
	// committed (search.go).
	searchWatch searchWatch
}

// JobInserter enqueues a job in the caller's transaction, so the job exists
// if and only if the change that needs it commits.
type JobInserter interface {
	InsertTx(ctx context.Context, tx *sql.Tx, job Job) error
}

// Job is a background job request: its kind's arguments and when to run.
type Job struct {
	Args  any // a river.JobArgs value
	RunAt time.Time
}

// IsPostgresURL reports whether u selects PostgreSQL.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// Open opens the database cfg names. It does not migrate: call Migrate.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	db := &DB{Now: time.Now, Logger: logger, AppConfig: DefaultApplicationConfig()}
	if cfg.DatabaseURL != "" {
		if !IsPostgresURL(cfg.DatabaseURL) {
			return nil, gongkai.Errorf(gongkai.EINVALID, "数据库地址须以 postgres:// 开头：%s", redactURL(cfg.DatabaseURL))
		}
		if err := db.openPostgres(ctx, cfg.DatabaseURL); err != nil {
			return nil, err
		}
	} else if err := db.openSQLite(ctx, cfg.DataDir); err != nil {
		return nil, err
	}
	// After the database answers, so a failed start leaves no key file.
	if err := db.loadDataKey(cfg); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) openSQLite(ctx context.Context, dir string) error {
	if dir == "" {
		dir = "gongkai-data"
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法创建数据目录 %s：%v", dir, err)
	}
	// Probe writability: SQLite would only fail later, on the first write.
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "数据目录 %s 不可写：%v", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())

	db.dialect = SQLite
	db.path = filepath.Join(dir, SQLiteFile)
	// busy_timeout first so that the other pragmas wait for a lock instead
	// of failing while another process (a CLI command) writes.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=temp_store(MEMORY)"
	dsn := "file:" + filepath.ToSlash(db.path) + "?" + pragmas
	// _txlock=immediate takes the write lock at BEGIN, so a transaction never
	// fails half-way when it upgrades from reading to writing.
	db.write, err = sql.Open("sqlite", dsn+"&_txlock=immediate")
	if err != nil {
		return err
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)
	db.read, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)")
	if err != nil {
		return err
	}
	db.read.SetMaxOpenConns(8)
	if err := db.write.PingContext(ctx); err != nil {
		db.Close()
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法打开数据库 %s：%v", db.path, err)
	}
	return nil
}

func (db *DB) openPostgres(ctx context.Context, u string) error {
	db.dialect = Postgres
	cfg, err := pgxpool.ParseConfig(u)
	if err != nil {
		return gongkai.Errorf(gongkai.EINVALID, "PostgreSQL 地址格式不正确：%v", err)
	}
	if cfg.MaxConns < 8 {
		cfg.MaxConns = 8
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db.pool, err = pgxpool.NewWithConfig(pctx, cfg)
	if err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法连接 PostgreSQL（%s）：%v", redactURL(u), err)
	}
	if err := db.pool.Ping(pctx); err != nil {
		db.pool.Close()
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法连接 PostgreSQL（%s）：%v", redactURL(u), err)
	}
	db.write = stdlib.OpenDBFromPool(db.pool)
	db.read = db.write
	return nil
}

// redactURL hides a password in a database URL before it is logged.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(无法解析的地址)"
	}
	return p.Redacted()
}

// Close closes the database.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil && db.read != db.write {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if db.pool != nil {
		db.pool.Close()
	}
	return errors.Join(errs...)
}

// Dialect returns the database kind.
func (db *DB) Dialect() Dialect { return db.dialect }

// WriteDB returns the writer pool, for the job runner (River) which keeps
// its tables in the same database.
func (db *DB) WriteDB() *sql.DB { return db.write }

// Path returns the SQLite file, "" on PostgreSQL.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var one int
	if err := db.read.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "数据库无响应：%v", err)
	}
	return nil
}

// Tx is a transaction with a fixed "now", so every row it writes carries
// the same instant, and the actor it acts for.
type Tx struct {
	*sql.Tx
	db    *DB
	now   time.Time
	actor *gongkai.Actor
	write bool
	// afterCommit runs once the transaction has committed (cache
	// invalidation and other notices that must not fire for a rollback).
	afterCommit []func()
	// stmts are statements prepared in this transaction (Tx.prepared);
	// they close with it.
	stmts map[string]*sql.Stmt
	// search lists the items whose searchable state this transaction
	// changes; Commit writes them to the search outbox (search.go).
	search     []searchKey
	searchSeen map[searchKey]bool
}

// begin starts a transaction for the actor in ctx: on the writer when write
// is true, else on the read pool.
func (db *DB) begin(ctx context.Context, write bool) (*Tx, error) {
	pool := db.read
	opts := &sql.TxOptions{ReadOnly: !write}
	if write {
		pool = db.write
		opts = nil
	} else if db.dialect == SQLite {
		opts = nil // query_only connections are already read-only
	}
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.Now().UTC().Truncate(time.Microsecond), actor: gongkai.ActorFrom(ctx), write: write}, nil
}

// Now returns the instant the transaction runs at.
func (tx *Tx) Now() time.Time { return tx.now }

// Actor returns the acting user or system.
func (tx *Tx) Actor() *gongkai.Actor { return tx.actor }

// BeginTx starts a write transaction for other store-backed packages that
// need several changes in one unit (imports, seeding).
func (db *DB) BeginTx(ctx context.Context) (*Tx, error) { return db.begin(ctx, true) }

// inTx runs fn in a write transaction and commits when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, true)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Commit commits the transaction, then runs what was waiting for it.
func (tx *Tx) Commit() error {
	if err := tx.flushSearch(); err != nil {
		return err
	}
	if err := tx.Tx.Commit(); err != nil {
		return err
	}
	for _, f := range tx.afterCommit {
		f()
	}
	tx.afterCommit = nil
	return nil
}

// inReadTx runs fn in a read-only transaction (a consistent snapshot).
func (db *DB) inReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx, false)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// Enqueue adds a background job in this transaction.
func (tx *Tx) Enqueue(ctx context.Context, job Job) error {
	if tx.db.Jobs == nil {
		return gongkai.Errorf(gongkai.EINTERNAL, "后台任务尚未启动")
	}
	return tx.db.Jobs.InsertTx(ctx, tx.Tx, job)
}

// ts formats an instant for storage: UTC, microseconds, fixed width, so that
// on SQLite (which keeps it as text) instants sort correctly as strings, and
// PostgreSQL parses the same text into TIMESTAMPTZ.
func ts(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.000000+00:00")
}

// nullString stores "" as NULL, for optional unique columns.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
