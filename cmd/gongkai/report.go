package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"gongkai"
	"gongkai/internal/annualreport"
)

const reportUsage = "用法：gongkai report annual --org CODE --year YYYY [--format json|docx|xlsx|html] [--out FILE] [--published]\n" +
	"      gongkai report figures --org CODE --year YYYY [--licensing N] [--penalty N] [--enforcement N] [--fees 万元]\n" +
	"      gongkai report import --org CODE FILE.json"

// report: the 政府信息公开工作年度报告 (issue 5) — export a report, or import
// an earlier year's report as history.
func (m *Main) report(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("%s", reportUsage)
	}
	switch args[0] {
	case "annual":
		return m.reportAnnual(ctx, args[1:])
	case "figures":
		return m.reportFigures(ctx, args[1:])
	case "import":
		return m.reportImport(ctx, args[1:])
	}
	return usageError("未知的 report 子命令“%s”：可用 annual、figures、import\n%s", args[0], reportUsage)
}

// reportAnnual writes an org's report of a year, compiled from the current
// data or (--published) as published, in one of the export formats.
func (m *Main) reportAnnual(ctx context.Context, args []string) error {
	fs, df := m.newFlags("report annual", "report annual --org CODE --year YYYY [--format json|docx|xlsx|html] [--out FILE] [--published]")
	org := fs.String("org", "", "机构代码")
	year := fs.Int("year", 0, "报告年度，例如 2025")
	format := fs.String("format", "json", "输出格式：json、docx、xlsx 或 html")
	out := fs.String("out", "", "输出文件；不填则写到标准输出（仅 json、html）")
	published := fs.Bool("published", false, "输出已发布报告的固定版本（或导入的历史报告），而不是按当前数据编制")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := orgYearArgs(fs, *org, *year); err != nil {
		return err
	}
	switch *format {
	case "json", "html":
	case "docx", "xlsx":
		if *out == "" {
			return usageError("%s 格式请用 --out 指定输出文件", *format)
		}
	default:
		return usageError("--format 应为 json、docx、xlsx 或 html，而不是“%s”", *format)
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cli(ctx)
	var rep *annualreport.Report
	if *published {
		rep, err = db.FindAnnualReportSnapshot(ctx, *org, *year)
	} else {
		rep, err = db.CompileAnnualReport(ctx, *org, *year)
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	switch *format {
	case "json":
		err = annualreport.Encode(&b, rep)
	case "html":
		err = rep.WriteHTML(&b)
	case "docx":
		err = rep.WriteDOCX(&b)
	case "xlsx":
		err = rep.WriteXLSX(&b)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = m.Stdout.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("写入 %s 失败：%w", *out, err)
	}
	what := "按当前数据编制的"
	if *published {
		what = "已发布的"
	}
	fmt.Fprintf(m.Stdout, "已将%s《%s》写入 %s。\n", what, rep.Title(), *out)
	if !rep.AsOf.IsZero() {
		fmt.Fprintf(m.Stdout, "注意：%d年尚未结束，这是截至%s的临时统计，不能发布。\n", rep.Year, rep.AsOf.Chinese())
	}
	return nil
}

// reportFigures enters the figures of table 二 that come from other systems
// (行政许可, 行政处罚, 行政强制 and 行政事业性收费; issue 5: "entered by staff on
// the report, or imported"), so a script can carry them over from the
// licensing, penalty or finance system. Only the flags given change; an empty
// value clears a figure. The values are checked as on the report screen: a
// negative or non-numeric one is refused, naming the figure, and nothing is
// saved.
func (m *Main) reportFigures(ctx context.Context, args []string) error {
	fs, df := m.newFlags("report figures", "report figures --org CODE --year YYYY [--licensing N] [--penalty N] [--enforcement N] [--fees 万元]")
	org := fs.String("org", "", "机构代码")
	year := fs.Int("year", 0, "报告年度，例如 2025")
	var u gongkai.AnnualReportUpdate
	figures := []struct {
		name, usage string
		dst         **string
	}{
		{"licensing", "行政许可本年处理决定数量（件）", &u.Licensing},
		{"penalty", "行政处罚本年处理决定数量（件）", &u.Penalty},
		{"enforcement", "行政强制本年处理决定数量（件）", &u.Enforcement},
		{"fees", "行政事业性收费本年收费金额（万元，最多两位小数）", &u.Fees},
	}
	values := make([]*string, len(figures))
	for i, f := range figures {
		values[i] = fs.String(f.name, "", f.usage+"；空值表示清除")
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	fs.Visit(func(fl *flag.Flag) {
		for i, f := range figures {
			if fl.Name == f.name {
				*f.dst = values[i]
			}
		}
	})
	if err := orgYearArgs(fs, *org, *year); err != nil {
		return err
	}
	if u.Licensing == nil && u.Penalty == nil && u.Enforcement == nil && u.Fees == nil {
		return usageError("请至少给出一项数据：--licensing、--penalty、--enforcement 或 --fees")
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	rec, err := db.SaveAnnualReport(cli(ctx), *org, *year, u)
	if err != nil {
		return err
	}
	show := func(v *int64, amount bool) string {
		switch {
		case v == nil:
			return "未填"
		case amount:
			return annualreport.Amount(*v).String() + "万元"
		}
		return fmt.Sprintf("%d", *v)
	}
	fmt.Fprintf(m.Stdout, "已保存%d年年度报告表二的数据：行政许可 %s，行政处罚 %s，行政强制 %s，行政事业性收费 %s。\n", *year,
		show(rec.Licensing, false), show(rec.Penalty, false), show(rec.Enforcement, false), show(rec.Fees, true))
	return nil
}

// reportImport reads an earlier year's report (2021 or 2019 format) for
// year-on-year comparison; "-" reads standard input.
func (m *Main) reportImport(ctx context.Context, args []string) error {
	fs, df := m.newFlags("report import", "report import --org CODE FILE.json")
	org := fs.String("org", "", "机构代码（须与文件中的 org.code 一致）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *org == "" {
		return usageError("请用 --org 指定机构代码")
	}
	if fs.NArg() != 1 {
		return usageError("请指定一个要导入的 JSON 文件（- 表示标准输入）")
	}
	var r io.Reader = m.Stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("无法打开 %s：%w", name, err)
		}
		defer f.Close()
		r = f
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.ImportAnnualReport(cli(ctx), *org, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已导入《%s》（%s年格式），可用于同比对照。\n", rep.Title(), rep.Format)
	return nil
}

// orgYearArgs checks the --org and --year every report command needs, and
// that nothing else follows the flags.
func orgYearArgs(fs *flag.FlagSet, org string, year int) error {
	switch {
	case org == "":
		return usageError("请用 --org 指定机构代码")
	case year == 0:
		return usageError("请用 --year 指定报告年度，例如 --year 2025")
	case fs.NArg() > 0:
		return usageError("多余的参数：%v", fs.Args())
	}
	return nil
}
