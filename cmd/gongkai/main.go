// Command gongkai is the whole 政务公开 platform in one binary: the server
// (portal, staff workspace, API, background jobs) and the operator's
// commands. Run `gongkai help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checkcmd"
	"gongkai/internal/checking"
	"gongkai/internal/ident"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main runs one command line. Its streams and environment are fields so
// that tests run commands in-process.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, when set, receives the server's address once it listens.
	Ready func(addr string)
}

// exitError carries an exit status: 2 for usage errors.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, args...)}
}

const usage = `gongkai — 政务公开平台

用法：
  gongkai serve [--addr 127.0.0.1:8080] [--data ./gongkai-data] [--database-url URL] [--demo]
  gongkai migrate                       应用数据库结构升级
  gongkai org list | org add …          机构
  gongkai user add … | user reset-password …
  gongkai workday add DATE N | between A B | is DATE | set-year FILE | years
  gongkai audit verify                  校验审计日志哈希链
  gongkai backup --out FILE             在线备份（SQLite）
  gongkai datakey rotate [--out FILE]   更换加密申请人信息的数据密钥（重新加密全部申请人信息和附件）
  gongkai application sweep | export    依申请公开：到期提醒与逾期办结 | 导出台账
  gongkai search reindex | status       从数据库重建本机检索索引（服务运行时亦可）| 索引状态
  gongkai search bench [--docs N]       检索性能测试（含 SQLite FTS5 基线）
  gongkai check [--json] [--rules LIST] PATH|URL …
                                        检查文本、HTML、DOCX、XLSX、PDF 文件或网页中的差错
  gongkai recheck [--site CODE]         按当前词典和清单复查经审核发布的文件（服务运行时自动进行）
  gongkai expire                        将有效期已届满的文件标注为失效并提醒发布机关（服务运行时每日自动进行）
  gongkai import documents FILE.jsonl --org CODE   导入已发布的存档文件（JSON Lines）
  gongkai report annual --org CODE --year YYYY [--format json|docx|xlsx|html] [--out FILE] [--published]
                                        政府信息公开工作年度报告：按当前数据编制或输出已发布版本
  gongkai report figures --org CODE --year YYYY [--licensing N] [--penalty N] [--enforcement N] [--fees 万元]
                                        录入或导入表二中来自其他系统的数据（行政许可、处罚、强制，行政事业性收费）
  gongkai report import --org CODE FILE.json       导入此前年度的年度报告（2021年或2019年格式）
  gongkai bench portal | import         性能测试（见 docs/PERFORMANCE.md）
  gongkai version

每个命令都接受 --data 和 --database-url（或环境变量 GONGKAI_DATA、GONGKAI_DATABASE_URL）。
运行 gongkai COMMAND --help 查看命令的参数。
`

// Run executes a command and returns the exit status.
func (m *Main) Run(ctx context.Context, args []string) int {
	err := m.dispatch(ctx, args)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(m.Stderr, "gongkai:", ee.msg)
		}
		return ee.code
	}
	// One line naming the problem: the user-safe message when there is one.
	msg := err.Error()
	if e := gongkai.AsError(err); e != nil {
		msg = e.Message
		if e.Code == gongkai.EINTERNAL && e.Err != nil {
			msg += "：" + e.Err.Error()
		}
		if len(e.Problems) > 1 {
			msg = joinProblems(e.Problems)
		}
	}
	fmt.Fprintln(m.Stderr, "gongkai:", strings.ReplaceAll(msg, "\n", "；"))
	return 1
}

// joinProblems puts several field problems on one line. Each message is a
// sentence ending in 。, so the sentences are separated by ；and the line
// ends with one 。 (not "。；", which reads as a typo).
func joinProblems(problems []gongkai.Problem) string {
	parts := make([]string, 0, len(problems))
	for _, p := range problems {
		if m := strings.TrimRight(p.Message, "。；; "); m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, "；") + "。"
}

func (m *Main) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return &exitError{code: 2}
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && isHelp(rest[0]) && commandGroups[cmd] {
		fmt.Fprint(m.Stdout, groupUsage(cmd))
		return nil
	}
	switch cmd {
	case "serve":
		return m.serve(ctx, rest)
	case "migrate":
		return m.migrate(ctx, rest)
	case "org":
		return m.org(ctx, rest)
	case "user":
		return m.user(ctx, rest)
	case "workday":
		return m.workday(ctx, rest)
	case "audit":
		return m.audit(ctx, rest)
	case "backup":
		return m.backup(ctx, rest)
	case "datakey":
		return m.datakey(ctx, rest)
	case "application":
		return m.application(ctx, rest)
	case "search":
		return m.search(ctx, rest)
	case "check":
		// gongkai check has its own exit statuses: 0 clean, 1 a blocking
		// finding, 2 a usage or read error.
		if code := checkcmd.Run(ctx, rest, m.Stdout, m.Stderr); code != 0 {
			return &exitError{code: code}
		}
		return nil
	case "recheck":
		return m.recheck(ctx, rest)
	case "expire":
		return m.expire(ctx, rest)
	case "import":
		return m.importCmd(ctx, rest)
	case "report":
		return m.report(ctx, rest)
	case "bench":
		return m.bench(ctx, rest)
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "gongkai", gongkai.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	}
	fmt.Fprint(m.Stderr, usage)
	return usageError("未知命令“%s”", cmd)
}

// commandGroups are the commands that only choose a subcommand; their
// --help shows their lines of the top-level usage, so the list of
// subcommands is written once.
var commandGroups = map[string]bool{
	"org": true, "user": true, "workday": true, "audit": true, "application": true,
	"import": true, "report": true, "bench": true, "datakey": true,
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// groupUsage is the part of the top-level usage about one command group,
// with its continuation lines.
func groupUsage(cmd string) string {
	var b strings.Builder
	b.WriteString("用法：\n")
	in := false
	for _, line := range strings.Split(usage, "\n") {
		switch {
		case strings.HasPrefix(line, "  gongkai "+cmd+" "):
			in = true
		case !strings.HasPrefix(line, "    "):
			in = false
		}
		if in {
			b.WriteString(line + "\n")
		}
	}
	fmt.Fprintf(&b, "\n运行 gongkai %s 子命令 --help 查看其参数。\n", cmd)
	return b.String()
}

// dbFlags are the flags every database command takes.
type dbFlags struct {
	data, databaseURL string
}

func (m *Main) newFlags(name, synopsis string) (*flag.FlagSet, *dbFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	df := &dbFlags{}
	fs.StringVar(&df.data, "data", envOr(m.Getenv, "GONGKAI_DATA", "./gongkai-data"), "数据目录（SQLite 数据库和附件）")
	fs.StringVar(&df.databaseURL, "database-url", m.Getenv("GONGKAI_DATABASE_URL"), "PostgreSQL 地址 postgres://…；不填则使用数据目录中的 SQLite")
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "用法：gongkai %s\n\n参数：\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, df
}

// parse parses flags and turns flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2}
	}
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func (m *Main) logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: l}))
}

// openStore opens and migrates the database, and connects the job runner
// so that commands can enqueue jobs (the server works them).
func (m *Main) openStore(ctx context.Context, df *dbFlags, logger *slog.Logger) (*store.DB, *jobs.Runner, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	key, err := m.dataKey()
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, store.Config{DatabaseURL: df.databaseURL, DataDir: df.data, Logger: logger, DataKey: key})
	if err != nil {
		return nil, nil, err
	}
	db.Validators = gongkai.OrgValidators{CreditCode: ident.ValidateCreditCode, OrgCode: ident.ValidateOrgCode, RegionCode: ident.ValidateRegionCode}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := m.setupApplications(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := db.EnsureColumns(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	// The content checks of the 三审 review: every command that approves
	// documents passes the same gate as the server.
	blobs, err := blob.NewDir(filepath.Join(df.data, "blobs"))
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	db.Checks = &checking.Service{Lists: db, Sites: db, Blobs: blobs}
	runner := jobs.New(db, logger)
	jobs.Register(runner, &store.PublishWorker{DB: db})
	if err := runner.Open(); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, runner, nil
}

// cli is the context of an operator's command: the system actor.
func cli(ctx context.Context) context.Context {
	return gongkai.WithActor(ctx, gongkai.SystemActor("cli"))
}

func (m *Main) migrate(ctx context.Context, args []string) error {
	fs, df := m.newFlags("migrate", "migrate [--data DIR | --database-url URL]")
	if err := parse(fs, args); err != nil {
		return err
	}
	key, err := m.dataKey()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Config{DatabaseURL: df.databaseURL, DataDir: df.data, DataKey: key})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, db); err != nil {
		return err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(m.Stdout, "数据库结构已是最新（版本 %d）。\n", v)
	} else {
		fmt.Fprintf(m.Stdout, "已应用 %d 个升级，数据库结构版本 %d。\n", len(applied), v)
	}
	return nil
}
