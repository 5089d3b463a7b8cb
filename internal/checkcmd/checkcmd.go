// Package checkcmd implements `gongkai check`: the content checks of the
// review, run on files and web pages from the command line.
package checkcmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/check"
	"gongkai/internal/extract"
)

// Exit statuses.
const (
	ExitClean = 0 // no block findings
	ExitBlock = 1 // at least one block finding
	ExitUsage = 2 // bad arguments, or a file or page could not be read
)

// fetchTimeout bounds the download of one web page.
const fetchTimeout = 30 * time.Second

const usage = `用法：gongkai check [--json] [--rules 规则,…] [--sensitive 词表文件]
                     [--dictionary 词典文件] [--allow-domains 域名,…] 文件或网址 …

检查文本、HTML、DOCX、XLSX、PDF 文件或网页中不应公开的内容：个人信息、不规范的
发文字号、错误表述、敏感词、未替换的占位符、第三方网站内容和前后不一致的日期。
文件类型按内容识别；“-”表示从标准输入读取。

每处问题输出一行：文件:行:列  级别  规则  原文 → 建议
  --json            每处问题输出一个 JSON 对象（一行一个）
  --rules 列表      只运行这些规则（以逗号分隔），默认全部
  --sensitive 文件  敏感词表，每行一个词
  --dictionary 文件 补充的表述词典条目（与后台导入导出的格式相同）
  --allow-domains 列表  除 gov.cn 外允许出现的域名（以逗号分隔）

退出状态：0 没有阻止发布（block）级别的问题；1 有；2 参数错误或文件无法读取。

规则：
`

// Run runs `gongkai check` with args (the arguments after "check") and
// returns the exit status.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gongkai check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	rules := fs.String("rules", "", "")
	sensitive := fs.String("sensitive", "", "")
	dictionary := fs.String("dictionary", "", "")
	domains := fs.String("allow-domains", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return ExitClean
		}
		fmt.Fprintf(stderr, "gongkai check: %v\n（用 --help 查看用法）\n", err)
		return ExitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gongkai check: 请指定要检查的文件或网址（用 --help 查看用法）")
		return ExitUsage
	}
	cfg := check.Config{Rules: splitList(*rules), SiteAllowDomains: splitList(*domains)}
	if *sensitive != "" {
		words, err := readList(*sensitive, check.ParseWordList)
		if err != nil {
			fmt.Fprintf(stderr, "gongkai check: %s\n", message(err))
			return ExitUsage
		}
		cfg.SensitiveWords = words
	}
	if *dictionary != "" {
		d, err := readList(*dictionary, check.ParseDictionary)
		if err != nil {
			fmt.Fprintf(stderr, "gongkai check: %s\n", message(err))
			return ExitUsage
		}
		cfg.ExtraEntries = d.Entries
	}
	checker, err := check.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "gongkai check: %s\n", message(err))
		return ExitUsage
	}

	status := ExitClean
	total, blocks := 0, 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, arg := range fs.Args() {
		text, err := load(ctx, arg)
		if err != nil {
			fmt.Fprintf(stderr, "gongkai check: %s\n", message(err))
			status = ExitUsage
			continue
		}
		for _, f := range checker.Check(text, check.Options{}) {
			total++
			if f.Severity == check.SeverityBlock {
				blocks++
			}
			if *asJSON {
				enc.Encode(struct {
					File string `json:"file"`
					check.Finding
				}{arg, f})
				continue
			}
			line := fmt.Sprintf("%s:%d:%d  %s  %s  %s", arg, f.Line, f.Col, f.Severity, f.Rule, oneLine(f.Excerpt))
			if f.Suggestion != "" {
				line += " → " + oneLine(f.Suggestion)
			}
			fmt.Fprintln(stdout, line)
		}
	}
	if !*asJSON && total > 0 {
		fmt.Fprintf(stderr, "共发现 %d 处问题，其中 %d 处须修改后才能发布。\n", total, blocks)
	}
	if status == ExitClean && blocks > 0 {
		status = ExitBlock
	}
	return status
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, usage)
	for _, r := range check.Rules() {
		fmt.Fprintf(w, "  %-36s %-5s  %s\n", r.ID, r.Severity, r.Title)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func readList[T any](path string, parse func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, gongkai.Errorf(gongkai.EINVALID, "无法打开文件“%s”。", path)
	}
	defer f.Close()
	v, err := parse(f)
	if err != nil {
		return zero, gongkai.Errorf(gongkai.EINVALID, "%s：%s", path, gongkai.ErrorMessage(err))
	}
	return v, nil
}

// message returns the user-facing text of err.
func message(err error) string {
	if e := gongkai.AsError(err); e != nil {
		return e.Message
	}
	return err.Error()
}

func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
}

// load reads a file, standard input ("-") or a web page and returns its
// text.
func load(ctx context.Context, arg string) (string, error) {
	lim := extract.DefaultLimits()
	var (
		data []byte
		err  error
	)
	switch {
	case strings.HasPrefix(arg, "http://") || strings.HasPrefix(arg, "https://"):
		data, err = fetch(ctx, arg, lim.MaxInput)
	case arg == "-":
		data, err = readLimited(os.Stdin, lim.MaxInput, "标准输入")
	default:
		data, err = readFile(arg, lim.MaxInput)
	}
	if err != nil {
		return "", err
	}
	return extract.TextContext(ctx, arg, data, lim)
}

func readFile(path string, limit int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, gongkai.Errorf(gongkai.ENOTFOUND, "文件“%s”不存在。", path)
		}
		return nil, gongkai.Errorf(gongkai.EINVALID, "无法打开文件“%s”。", path)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, gongkai.Errorf(gongkai.EINVALID, "“%s”是目录，请指定文件。", path)
	}
	return readLimited(f, limit, path)
}

func readLimited(r io.Reader, limit int, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, gongkai.Errorf(gongkai.EINVALID, "读取“%s”失败。", name)
	}
	if len(data) > limit {
		return nil, &gongkai.Error{Code: gongkai.ETOOLARGE, Message: fmt.Sprintf("“%s”超过%d MB，无法检查。", name, limit>>20)}
	}
	return data, nil
}

// fetch downloads a web page with a timeout and a size limit.
func fetch(ctx context.Context, url string, limit int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, gongkai.Errorf(gongkai.EINVALID, "网址“%s”无效。", url)
	}
	req.Header.Set("User-Agent", "gongkai-check/"+gongkai.Version)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, &gongkai.Error{Code: gongkai.EUNAVAILABLE, Message: fmt.Sprintf("无法访问“%s”。", url), Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &gongkai.Error{Code: gongkai.EUNAVAILABLE, Message: fmt.Sprintf("访问“%s”失败：服务器返回 %s。", url, resp.Status)}
	}
	data, err := readLimited(resp.Body, limit, url)
	if err != nil {
		return nil, err
	}
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}
