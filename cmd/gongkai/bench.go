package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/demo"
	"gongkai/internal/ident"
	"gongkai/internal/store"
	"gongkai/internal/web"
)

// bench runs the repeatable performance measurements of issue 3:
//
//	gongkai bench import [--docs 100000] [--database-url URL]
//	gongkai bench portal [--docs 100000] [--duration 10s]
//
// Both work on a fresh database in a temporary directory (or a fresh schema
// of the PostgreSQL database given) seeded with the demo city, so they can
// be rerun anywhere and leave nothing behind.
func (m *Main) bench(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai bench import|portal [参数]")
	}
	switch args[0] {
	case "import":
		return m.benchImport(ctx, args[1:])
	case "portal":
		return m.benchPortal(ctx, args[1:])
	}
	return usageError("未知的测试“%s”，可选 import、portal", args[0])
}

// benchDB opens a fresh, seeded database: SQLite in dir, or a new schema in
// the PostgreSQL database at pgURL (dropped by the returned cleanup).
func (m *Main) benchDB(ctx context.Context, dir, pgURL string) (*store.DB, func(), error) {
	cleanup := func() {}
	cfg := store.Config{DataDir: dir}
	if pgURL != "" {
		b := make([]byte, 6)
		rand.Read(b)
		schema := "bench_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", pgURL)
		if err != nil {
			return nil, nil, err
		}
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			admin.Close()
			return nil, nil, fmt.Errorf("create schema: %w", err)
		}
		cleanup = func() {
			admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			admin.Close()
		}
		u, _ := url.Parse(pgURL)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		cfg.DatabaseURL = u.String()
	}
	db, err := store.Open(ctx, cfg)
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	db.Validators = gongkai.OrgValidators{CreditCode: ident.ValidateCreditCode, OrgCode: ident.ValidateOrgCode, RegionCode: ident.ValidateRegionCode}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		cleanup()
		return nil, nil, err
	}
	if _, err := demo.Seed(ctx, db, io.Discard); err != nil {
		db.Close()
		cleanup()
		return nil, nil, err
	}
	return db, func() { db.Close(); cleanup() }, nil
}

// generate writes n generated documents of the 发展改革委 to a file.
func generate(dir string, n int) (string, error) {
	path := filepath.Join(dir, "documents.jsonl")
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	to := time.Now().Add(-time.Hour)
	g := demo.NewGenerator(42, demo.DemoOrgs[1], to.AddDate(-10, 0, 0), to)
	if err := g.WriteJSONL(f, n); err != nil {
		return "", err
	}
	return path, f.Close()
}

func (m *Main) benchImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench import", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	docs := fs.Int("docs", 100000, "导入的文件数")
	batch := fs.Int("batch", 1000, "每个事务的行数")
	pg := fs.String("database-url", "", "在该 PostgreSQL 数据库的临时 schema 中测试；不填则用临时目录中的 SQLite")
	profile := fs.String("cpuprofile", "", "把首次导入的 CPU 剖析写入该文件")
	if err := parse(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "gongkai-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, cleanup, err := m.benchDB(ctx, dir, *pg)
	if err != nil {
		return err
	}
	defer cleanup()
	file, err := generate(dir, *docs)
	if err != nil {
		return err
	}
	st, _ := os.Stat(file)
	fmt.Fprintf(m.Stdout, "数据库 %s，%d 件（%.0f MB），每批 %d 行，%d 个 CPU\n", db.Dialect(), *docs, float64(st.Size())/1e6, *batch, runtime.NumCPU())
	for _, run := range []string{"首次导入", "重复导入"} {
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		if *profile != "" && run == "首次导入" {
			pf, err := os.Create(*profile)
			if err != nil {
				return err
			}
			pprof.StartCPUProfile(pf)
		}
		start, cpu0 := time.Now(), cpuTime()
		res, err := db.ImportDocuments(cli(ctx), f, store.ImportOptions{OrgCode: "shili-fgw", BatchSize: *batch})
		f.Close()
		cpu := cpuTime() - cpu0
		if *profile != "" && run == "首次导入" {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return err
		}
		d := time.Since(start)
		fmt.Fprintf(m.Stdout, "%s：新增 %d，跳过 %d，有误 %d，用时 %s，%.0f 件/秒（本进程 CPU %.1f 秒，平均占用 %.0f%% 个 CPU）\n", run, res.Created, res.Skipped, res.Failed,
			d.Round(time.Millisecond), float64(res.Lines)/d.Seconds(), cpu.Seconds(), cpu.Seconds()*100/d.Seconds())
	}
	return nil
}

// cpuTime is the CPU time this process has used (user and system), to
// tell a slow run from a starved one on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// wrkResult is one load-test run.
type wrkResult struct {
	name    string
	rps     float64
	p99     time.Duration
	nonOK   string
	errText string
}

var (
	rpsRE    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99RE    = regexp.MustCompile(`(?m)^\s+99%\s+([0-9.]+)(us|ms|s)\b`)
	non2xxRE = regexp.MustCompile(`Non-2xx or 3xx responses:\s+(\d+)`)
)

func runWrk(ctx context.Context, wrk string, threads, conns int, d time.Duration, target string, gzip bool) wrkResult {
	args := []string{"-t" + strconv.Itoa(threads), "-c" + strconv.Itoa(conns), "-d" + strconv.Itoa(int(d.Seconds())) + "s", "--latency"}
	if gzip {
		args = append(args, "-H", "Accept-Encoding: gzip")
	}
	out, err := exec.CommandContext(ctx, wrk, append(args, target)...).CombinedOutput()
	r := wrkResult{}
	if err != nil {
		r.errText = err.Error() + ": " + string(out)
		return r
	}
	if m := rpsRE.FindSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	if m := p99RE.FindSubmatch(out); m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[string(m[2])]
		r.p99 = time.Duration(v * float64(unit))
	}
	if m := non2xxRE.FindSubmatch(out); m != nil {
		r.nonOK = string(m[1])
	}
	return r
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startServer serves the portal from db in this process.
func startServer(ctx context.Context, db *store.DB, dir string, cache int) (string, func(), error) {
	blobs, err := blob.NewDir(filepath.Join(dir, "blobs"))
	if err != nil {
		return "", nil, err
	}
	key, err := db.Secret(ctx, "csrf")
	if err != nil {
		return "", nil, err
	}
	srv := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping, CSRFKey: key,
		Documents: db, Portal: db, Blobs: blobs, PageCache: cache, Logger: slog.New(slog.DiscardHandler)}
	if err := srv.Init(); err != nil {
		return "", nil, err
	}
	db.OnPublicChange(srv.PublicChanged)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

// startBare serves the saved pages from memory with nothing but
// Content-Type, Content-Length and, for gzip, Content-Encoding.
func startBare(dir, root string, n int) (string, func(), error) {
	type page struct{ plain, gz []byte }
	pages := map[string]page{}
	for i := range n {
		name := fmt.Sprintf("/page%d.html", i)
		plain, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return "", nil, err
		}
		gz, err := os.ReadFile(filepath.Join(root, name+".gz"))
		if err != nil {
			return "", nil, err
		}
		pages[name] = page{plain, gz}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body := p.plain
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.Header().Set("Content-Encoding", "gzip")
			body = p.gz
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})}
	go hs.Serve(ln)
	return "http://" + ln.Addr().String(), func() { hs.Close() }, nil
}

func fetch(u string) ([]byte, error) {
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

func (m *Main) benchPortal(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench portal", flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	docs := fs.Int("docs", 100000, "已发布文件数")
	duration := fs.Duration("duration", 10*time.Second, "每轮压测时长")
	threads := fs.Int("threads", 2, "wrk 线程数")
	conns := fs.Int("connections", 64, "wrk 连接数")
	nginx := fs.String("nginx", "nginx", "nginx 程序")
	wrk := fs.String("wrk", "wrk", "wrk 程序")
	keep := fs.Bool("keep", false, "保留临时目录（数据库和 nginx 配置）")
	profile := fs.String("profile", "", "把每轮 gongkai 压测的 CPU 剖析写入该目录")
	if err := parse(fs, args); err != nil {
		return err
	}
	for _, p := range []string{*nginx, *wrk} {
		if _, err := exec.LookPath(p); err != nil {
			return gongkai.Errorf(gongkai.EUNAVAILABLE, "找不到 %s；Debian/Ubuntu 上可用 apt-get install -y nginx wrk 安装。", p)
		}
	}
	dir, err := os.MkdirTemp("", "gongkai-bench-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(m.Stdout, "临时目录：", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	os.Chmod(dir, 0o755)
	db, cleanup, err := m.benchDB(ctx, dir, "")
	if err != nil {
		return err
	}
	defer cleanup()
	file, err := generate(dir, *docs)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := db.ImportDocuments(cli(ctx), f, store.ImportOptions{OrgCode: "shili-fgw"})
	f.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已导入 %d 件（%.0f 件/秒）。\n", res.Created, float64(res.Created)/time.Since(start).Seconds())

	cached, stopCached, err := startServer(ctx, db, dir, 10000)
	if err != nil {
		return err
	}
	defer stopCached()
	uncached, stopUncached, err := startServer(ctx, db, dir, 0)
	if err != nil {
		return err
	}
	defer stopUncached()
	// The pages: a document in the middle of the archive and the first
	// page of the biggest column.
	site, err := db.FindSiteByCode(ctx, "shili")
	if err != nil {
		return err
	}
	list, _, err := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: site.ID, Offset: *docs / 2, Limit: 1})
	if err != nil || len(list) == 0 {
		return fmt.Errorf("no document to test: %v", err)
	}
	pages := []struct{ name, path string }{{"文件页", list[0].URL}, {"栏目列表页", "/xxgk/zcwj/gfxwj/"}}

	// nginx serves saved copies of the same pages, gzip_static for the
	// compressed runs.
	root := filepath.Join(dir, "www")
	os.MkdirAll(root, 0o755)
	for i, p := range pages {
		body, err := fetch(cached + p.path)
		if err != nil {
			return err
		}
		name := filepath.Join(root, fmt.Sprintf("page%d.html", i))
		os.WriteFile(name, body, 0o644)
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		os.WriteFile(name+".gz", gz.Bytes(), 0o644)
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;\n"
	}
	conf := fmt.Sprintf(`%sworker_processes auto;
pid %s/nginx.pid;
error_log %s/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  gzip_static on;
  default_type text/html;
  client_body_temp_path %s/tmp; proxy_temp_path %s/tmp; fastcgi_temp_path %s/tmp; uwsgi_temp_path %s/tmp; scgi_temp_path %s/tmp;
  server { listen 127.0.0.1:%d; root %s; }
}
`, user, dir, dir, dir, dir, dir, dir, dir, port, root)
	os.MkdirAll(filepath.Join(dir, "tmp"), 0o755)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		return err
	}
	ngx := exec.CommandContext(ctx, *nginx, "-c", confPath, "-p", dir, "-g", "daemon off;")
	ngx.Stderr = m.Stderr
	if err := ngx.Start(); err != nil {
		return err
	}
	defer func() { ngx.Process.Signal(os.Interrupt); ngx.Wait() }()
	nginxURL := fmt.Sprintf("http://127.0.0.1:%d", port)
	for range 50 {
		if _, err := fetch(nginxURL + "/page0.html"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The reference the issue names: a bare net/http server holding the
	// same page in memory, measured in the same run.
	bare, stopBare, err := startBare(dir, root, len(pages))
	if err != nil {
		return err
	}
	defer stopBare()

	fmt.Fprintf(m.Stdout, "wrk -t%d -c%d -d%s，%d 个 CPU（与 wrk、nginx 共用），Go %s\n\n", *threads, *conns, *duration, runtime.NumCPU(), runtime.Version())
	fmt.Fprintln(m.Stdout, "| 页面 | 服务 | 压缩 | 请求/秒 | p99 | 与 nginx 之比 |")
	fmt.Fprintln(m.Stdout, "|---|---|---|---:|---:|---:|")
	var failed []string
	for i, p := range pages {
		for _, gz := range []bool{false, true} {
			enc := "无"
			if gz {
				enc = "gzip"
			}
			static := runWrk(ctx, *wrk, *threads, *conns, *duration, fmt.Sprintf("%s/page%d.html", nginxURL, i), gz)
			profiled := func(name, target string) wrkResult {
				if *profile != "" {
					f, err := os.Create(filepath.Join(*profile, fmt.Sprintf("page%d-%s-gzip%v.prof", i, name, gz)))
					if err == nil {
						pprof.StartCPUProfile(f)
						defer func() { pprof.StopCPUProfile(); f.Close() }()
					}
				}
				return runWrk(ctx, *wrk, *threads, *conns, *duration, target, gz)
			}
			baseline := runWrk(ctx, *wrk, *threads, *conns, *duration, fmt.Sprintf("%s/page%d.html", bare, i), gz)
			runs := []wrkResult{static, baseline, profiled("cached", cached+p.path)}
			runs[0].name, runs[1].name, runs[2].name = "nginx（静态副本）", "net/http 裸服务（内存中的副本）", "gongkai（缓存）"
			if !gz {
				r := profiled("uncached", uncached+p.path)
				r.name = "gongkai（不缓存）"
				runs = append(runs, r)
			}
			for _, r := range runs {
				if r.errText != "" {
					return errors.New(r.errText)
				}
				ratio := ""
				if static.rps > 0 && r.name != runs[0].name {
					ratio = fmt.Sprintf("%.2f×", r.rps/static.rps)
				}
				note := ""
				if r.nonOK != "" {
					note = "（非 2xx：" + r.nonOK + "）"
					failed = append(failed, r.name)
				}
				fmt.Fprintf(m.Stdout, "| %s | %s | %s | %.0f%s | %s | %s |\n", p.name, r.name, enc, r.rps, note, r.p99.Round(10*time.Microsecond), ratio)
			}
		}
	}
	fmt.Fprintf(m.Stdout, "\n文件页 %s，栏目列表页 %s，共 %d 件已发布文件。\n", pages[0].path, pages[1].path, res.Created)
	if len(failed) > 0 {
		return fmt.Errorf("有请求失败：%s", strings.Join(failed, "、"))
	}
	return nil
}
