package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/checking"
	"gongkai/internal/demo"
	"gongkai/internal/jobs"
	"gongkai/internal/mail"
	"gongkai/internal/search/replica"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// serveConfig is everything `gongkai serve` can be told, from flags or
// GONGKAI_* environment variables (flags win).
type serveConfig struct {
	addr        string
	demo        bool
	trustProxy  bool
	logLevel    string
	sessionIdle time.Duration
	pageCache   int
	maxUpload   int64
	// searchWait is how long start-up waits for the search index to catch
	// up before listening.
	searchWait time.Duration
}

func (m *Main) serve(ctx context.Context, args []string) error {
	started := time.Now()
	fs, df := m.newFlags("serve", "serve [--addr 127.0.0.1:8080] [--data ./gongkai-data] [--database-url URL] [--demo]")
	var cfg serveConfig
	fs.StringVar(&cfg.addr, "addr", envOr(m.Getenv, "GONGKAI_ADDR", "127.0.0.1:8080"), "监听地址")
	fs.BoolVar(&cfg.demo, "demo", false, "在空数据库中生成示例市的示例数据")
	fs.BoolVar(&cfg.trustProxy, "trust-proxy", m.Getenv("GONGKAI_TRUST_PROXY") == "1", "信任反向代理的 X-Forwarded-For / X-Forwarded-Proto")
	fs.StringVar(&cfg.logLevel, "log-level", envOr(m.Getenv, "GONGKAI_LOG_LEVEL", "info"), "日志级别：debug、info、warn、error")
	idle := envOr(m.Getenv, "GONGKAI_SESSION_IDLE", "30m")
	fs.StringVar(&idle, "session-idle", idle, "登录会话空闲超时")
	pageCache, _ := strconv.Atoi(envOr(m.Getenv, "GONGKAI_PAGE_CACHE", "10000"))
	fs.IntVar(&cfg.pageCache, "page-cache", pageCache, "内存中缓存的公开页面数，0 表示不缓存")
	maxUpload := envOr(m.Getenv, "GONGKAI_MAX_UPLOAD", "50")
	fs.StringVar(&maxUpload, "max-upload", maxUpload, "单个附件大小上限（MB）")
	if err := parse(fs, args); err != nil {
		return err
	}
	d, err := time.ParseDuration(idle)
	if err != nil || d < time.Minute || d > 24*time.Hour {
		return usageError("--session-idle 应为1分钟至24小时之间的时长，例如 30m")
	}
	cfg.sessionIdle = d
	mb, err := strconv.Atoi(strings.TrimSuffix(strings.ToUpper(maxUpload), "MB"))
	if err != nil || mb < 1 || mb > 4096 {
		return usageError("--max-upload 应为1至4096之间的整数（单位 MB），例如 50")
	}
	cfg.maxUpload = int64(mb) << 20
	cfg.searchWait = 20 * time.Second
	store.SessionIdle = d
	logger := m.logger(cfg.logLevel)

	mailCfg, err := mail.FromEnv(m.Getenv)
	if err != nil {
		return usageError("%v", err)
	}
	db, runner, err := m.openStore(ctx, df, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	// Before the demo, the jobs and the search index: a second server on
	// this data directory stops here with a clear message.
	unlock, err := lockDataDir(df.data)
	if err != nil {
		return err
	}
	defer unlock()
	// Listen before anything is written: a busy port must stop the start
	// before --demo seeds the database and prints the passwords it will
	// never show again. Connections wait in the backlog until Serve.
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return gongkai.Errorf(gongkai.EUNAVAILABLE, "无法监听 %s：%v", cfg.addr, err)
	}
	defer ln.Close()
	mailer := mail.New(mailCfg)
	jobs.RegisterApplications(runner, db, mailer)
	jobs.RegisterRechecks(runner, db, mailer)
	jobs.RegisterAnnualReports(runner, db)
	jobs.RegisterSearch(runner, db)
	jobs.RegisterExpiry(runner, db, mailer)
	if cfg.demo {
		if _, err := demo.Seed(ctx, db, m.Stdout); err != nil {
			return fmt.Errorf("生成示例数据失败：%w", err)
		}
	}
	if err := runner.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		runner.Stop(stopCtx)
	}()

	csrfKey, err := db.Secret(ctx, "csrf")
	if err != nil {
		return err
	}
	// One checker service for the review gate, the recheck job and the
	// screens, so a list saved here is forgotten by all of them at once.
	checks, ok := db.Checks.(*checking.Service)
	if !ok {
		return errors.New("content checks are not set up")
	}
	blobs := checks.Blobs
	// This node's search index: caught up from the outbox (or built) before
	// the server listens when that is quick, as for the demo; a long first
	// build goes on in the background while search answers 503.
	searchIndex, err := replica.Open(ctx, db, blobs, searchRoot(df.data), replica.Options{Logger: logger, Sources: searchSources(db)})
	if err != nil {
		return err
	}
	searchCtx, stopSearch := context.WithCancel(ctx)
	searchDone := make(chan struct{})
	go func() { searchIndex.Run(searchCtx); close(searchDone) }()
	defer func() {
		stopSearch()
		<-searchDone
		searchIndex.Close()
	}()
	select {
	case <-searchIndex.Ready():
	case <-time.After(cfg.searchWait):
		logger.Info("search index still being built; search answers 503 until it is ready")
	case <-ctx.Done():
		return nil
	}
	srv := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping,
		CheckLists: db, Checkers: checks, DocumentChecks: db,
		CSRFKey: csrfKey, TrustProxy: cfg.trustProxy, Logger: logger, Applications: db,
		Documents: db, Portal: db, Blobs: blobs, UploadLimit: cfg.maxUpload, PageCache: cfg.pageCache, AnnualReports: db,
		Search: searchIndex, SearchSettings: db}
	if err := srv.Init(); err != nil {
		return err
	}
	db.OnPublicChange(srv.PublicChanged)
	go db.WatchPublic(ctx, 2*time.Second) // changes by other nodes and commands
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 5 * time.Minute,
		WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(m.Stdout, "gongkai %s 已启动：%s （工作平台 %sadmin/）\n", gongkai.Version, url, url)
	logger.Info("server started", slog.String("addr", ln.Addr().String()), slog.String("database", string(db.Dialect())),
		slog.Duration("startup", time.Since(started)))
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		logger.Info("shutting down")
		shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := hs.Shutdown(shutCtx); err != nil {
			return err
		}
	}
	return nil
}
