package main

import (
	"context"
	"time"

	"gongkai/internal/search/searchbench"
)

// search runs the search subcommands.
func (m *Main) search(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai search bench [--docs N] [--dir DIR] …")
	}
	switch args[0] {
	case "bench":
		return m.searchBench(ctx, args[1:])
	}
	return usageError("未知的 search 子命令“%s”", args[0])
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
