package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gongkai/internal/blob"
	"gongkai/internal/search/replica"
	"gongkai/internal/search/searchbench"
	"gongkai/internal/store"
)

const searchUsage = "用法：gongkai search reindex | status | bench [--docs N] …"

// searchHelp answers `gongkai search --help`, which the top-level usage
// promises for every command; each subcommand's --help lists its flags.
const searchHelp = `用法：
  gongkai search reindex [--data DIR] [--database-url URL] [--shards 1] [--quiet]
        从数据库重建本机检索索引（服务运行时亦可，运行中的服务会自动切换到新索引）
  gongkai search status [--data DIR] [--database-url URL]
        本机检索索引的版本与变更队列位置
  gongkai search bench [--docs 1000000] [--dir DIR] …
        检索性能测试（含 SQLite FTS5 基线）

运行 gongkai search 子命令 --help 查看其参数。
`

// search runs the search subcommands.
func (m *Main) search(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError(searchUsage)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help": // more than the usage's lines: the flags
		fmt.Fprint(m.Stdout, searchHelp)
		return nil
	case "reindex":
		return m.searchReindex(ctx, args[1:])
	case "status":
		return m.searchStatus(ctx, args[1:])
	case "bench":
		return m.searchBench(ctx, args[1:])
	}
	return usageError("未知的 search 子命令“%s”。%s", args[0], searchUsage)
}

// searchRoot is where a node keeps its search index.
func searchRoot(data string) string { return filepath.Join(data, "search") }

// searchSources are the kinds of searchable items beyond documents (annual
// reports included) and the guide, by outbox kind; serve and reindex use
// the same. A module that makes something else searchable adds its source
// here and records its changes with searchChanged in its store
// transactions.
func searchSources(*store.DB) map[string]replica.Source { return nil }

// searchReindex rebuilds this node's search index from the database into a
// new generation and makes it current. A server running on the same data
// directory switches to it within a second or two and applies what changed
// during the rebuild; searches keep using the old index until then.
func (m *Main) searchReindex(ctx context.Context, args []string) error {
	fs, df := m.newFlags("search reindex", "search reindex [--data DIR] [--database-url URL] [--shards 1] [--quiet]")
	shards := fs.Int("shards", 1, "索引分片数")
	quiet := fs.Bool("quiet", false, "不显示进度")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("多余的参数：%v", fs.Args())
	}
	if *shards < 1 || *shards > 16 {
		return usageError("--shards 应为1至16")
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	blobs, err := blob.NewDir(filepath.Join(df.data, "blobs"))
	if err != nil {
		return err
	}
	tty := isTerminal(m.Stderr)
	var shown time.Time
	progress := func(p replica.Progress) {
		switch {
		case *quiet || p.Done:
		case tty && time.Since(shown) >= 200*time.Millisecond:
			fmt.Fprintf(m.Stderr, "\r\x1b[K%s", reindexProgressLine(p))
			shown = time.Now()
		case !tty && time.Since(shown) >= 10*time.Second:
			// logs get a line every ten seconds
			fmt.Fprintln(m.Stderr, reindexProgressLine(p))
			shown = time.Now()
		}
	}
	start := time.Now()
	root := searchRoot(df.data)
	gen, err := replica.Build(cli(ctx), db, blobs, root, replica.BuildOptions{Shards: *shards, Sources: searchSources(db), Progress: func(p replica.Progress) {
		progress(p)
		if p.Done && tty && !*quiet {
			fmt.Fprint(m.Stderr, "\r\x1b[K")
		}
	}})
	if err != nil {
		return err
	}
	st, err := replica.ReadGeneration(root, gen)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(m.Stdout, "检索索引已重建：%d 条，用时 %s（%.0f 条/秒），索引版本 %s。\n", st.Docs, elapsed.Round(time.Millisecond), float64(st.Docs)/elapsed.Seconds(), gen)
	fmt.Fprintln(m.Stdout, "使用同一数据目录运行中的服务将在数秒内自动切换到新索引，无需重启。")
	return nil
}

// reindexProgressLine is the one-line progress of a rebuild: count, rate,
// share and time left.
func reindexProgressLine(p replica.Progress) string {
	line := fmt.Sprintf("已索引 %d / %d 条，%.0f 条/秒", p.Indexed, p.Total, p.Rate())
	if p.Total > 0 && p.Indexed < p.Total && p.Indexed > 0 {
		line += fmt.Sprintf("，已完成 %.0f%%，预计还需 %s", float64(p.Indexed)*100/float64(p.Total), p.ETA().Round(time.Second))
	}
	return line
}

// searchStatus prints the node's index generation and the outbox position.
func (m *Main) searchStatus(ctx context.Context, args []string) error {
	fs, df := m.newFlags("search status", "search status [--data DIR] [--database-url URL]")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	head, pruned, err := db.SearchOutboxState(ctx)
	if err != nil {
		return err
	}
	var b strings.Builder
	root := searchRoot(df.data)
	if gen := replica.Current(root); gen == "" {
		fmt.Fprintf(&b, "索引：尚未建立（%s），服务启动时将自动建立。\n", root)
	} else if st, err := replica.ReadGeneration(root, gen); err != nil {
		fmt.Fprintf(&b, "索引：%s（无法读取：%v）\n", gen, err)
	} else {
		fmt.Fprintf(&b, "索引：%s，建立于 %s，建立时 %d 条、变更序号 %d。\n", gen, st.BuiltAt.Local().Format("2006-01-02 15:04:05"), st.Docs, st.Seq)
	}
	fmt.Fprintf(&b, "变更队列：最新序号 %d，已清理至 %d（保留 %d 天）。\n", head, pruned, 7)
	fmt.Fprint(m.Stdout, b.String())
	return nil
}

// searchBench measures the search engine at scale on generated documents,
// with SQLite FTS5 (trigram) measured in the same run as the baseline.
func (m *Main) searchBench(ctx context.Context, args []string) error {
	fs, _ := m.newFlags("search bench", "search bench [--docs 1000000] [--dir DIR] [--keep] [--reuse] [--shards 1] [--clients 64] [--duration 10s] [--skip-fts5]")
	var o searchbench.Options
	fs.IntVar(&o.Docs, "docs", 1_000_000, "生成的文件数")
	fs.StringVar(&o.Dir, "dir", "", "索引和 FTS5 数据库所在目录（须为空；默认临时目录，结束后删除）")
	fs.BoolVar(&o.Keep, "keep", false, "结束后保留目录")
	fs.BoolVar(&o.Reuse, "reuse", false, "直接查询 --dir 中此前用 --keep 保留的索引")
	fs.IntVar(&o.Shards, "shards", 1, "索引分片数")
	fs.IntVar(&o.Clients, "clients", 64, "吞吐量测试的并发客户端数")
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "每项吞吐量测试的时长")
	fs.DurationVar(&o.QueryTime, "query-time", 4*time.Second, "每类查询延迟测量的时长上限")
	fs.BoolVar(&o.SkipFTS5, "skip-fts5", false, "不测 SQLite FTS5 基线")
	if err := parse(fs, args); err != nil {
		return err
	}
	if o.Docs < 1 {
		return usageError("--docs 应为正整数")
	}
	return searchbench.Run(ctx, o, m.Stdout)
}
