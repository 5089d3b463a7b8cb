package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"gongkai/internal/store"
)

// importCmd: gongkai import documents FILE.jsonl --org CODE.
func (m *Main) importCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "documents" {
		return usageError("用法：gongkai import documents FILE.jsonl --org CODE")
	}
	fs, df := m.newFlags("import documents", "import documents FILE.jsonl --org CODE [--batch 1000] [--data DIR | --database-url URL]")
	org := fs.String("org", "", "文件所属机构的代码（必填）")
	batch := fs.Int("batch", 1000, "每个事务导入的行数")
	quiet := fs.Bool("quiet", false, "不显示进度")
	// The file may come before or after the flags.
	rest := args[1:]
	var file string
	if len(rest) > 0 && len(rest[0]) > 0 && rest[0][0] != '-' {
		file, rest = rest[0], rest[1:]
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return usageError("多余的参数：%v", fs.Args())
	}
	if file == "" || *org == "" {
		fs.Usage()
		return usageError("请指定导入文件（JSON Lines，“-”为标准输入）和 --org 机构代码")
	}
	if *batch < 1 || *batch > 20000 {
		return usageError("--batch 应为1至20000")
	}
	var in io.Reader = m.Stdin
	var size int64
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return usageError("无法打开 %s：%v", file, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()

	tty := !*quiet && isTerminal(m.Stderr)
	start := time.Now()
	var lastShown time.Time
	progress := func(p store.ImportProgress) {
		if !tty || time.Since(lastShown) < 200*time.Millisecond {
			return
		}
		lastShown = time.Now()
		fmt.Fprintf(m.Stderr, "\r\x1b[K%s", progressLine(p, size, time.Since(start)))
	}
	var failed int
	res, err := db.ImportDocuments(cli(ctx), in, store.ImportOptions{OrgCode: *org, BatchSize: *batch, Progress: progress,
		BadLine: func(e store.ImportError) {
			failed++
			if tty {
				fmt.Fprint(m.Stderr, "\r\x1b[K")
			}
			fmt.Fprintln(m.Stderr, e.Error())
		}})
	if tty {
		fmt.Fprint(m.Stderr, "\r\x1b[K")
	}
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(m.Stdout, "共 %d 行：新增 %d 件，已导入过 %d 件，有误 %d 行；用时 %s（%.0f 件/秒）。\n",
		res.Lines, res.Created, res.Skipped, res.Failed, elapsed.Round(time.Millisecond), float64(res.Created+res.Skipped)/elapsed.Seconds())
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("有 %d 行未能导入，原因见上。修改后可重新运行，已导入的文件不会重复导入。", failed)}
	}
	return nil
}

// progressLine is the one-line progress report: count, rate, and an ETA
// from the share of the file read.
func progressLine(p store.ImportProgress, size int64, elapsed time.Duration) string {
	rate := float64(p.Lines) / elapsed.Seconds()
	line := fmt.Sprintf("已处理 %d 行（新增 %d，跳过 %d，有误 %d），%.0f 行/秒", p.Lines, p.Created, p.Skipped, p.Failed, rate)
	if size > 0 && p.Bytes > 0 && p.Bytes < size {
		left := time.Duration(float64(elapsed) * float64(size-p.Bytes) / float64(p.Bytes))
		line += fmt.Sprintf("，已完成 %.0f%%，预计还需 %s", float64(p.Bytes)*100/float64(size), left.Round(time.Second))
	}
	return line
}

// isTerminal reports whether w is a character device (a terminal), so that
// progress is drawn only for people, not into log files.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
