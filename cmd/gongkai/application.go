package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"gongkai"
	"gongkai/internal/export"
	"gongkai/internal/jobs"
	"gongkai/internal/mail"
	"gongkai/internal/seal"
	"gongkai/internal/store"
)

// dataKey reads GONGKAI_DATA_KEY (nil when unset: the key file in the
// data directory is used).
func (m *Main) dataKey() ([]byte, error) {
	v := m.Getenv("GONGKAI_DATA_KEY")
	if v == "" {
		return nil, nil
	}
	key, err := seal.ParseKey(v)
	if err != nil {
		return nil, usageError("GONGKAI_DATA_KEY 无效：%v", err)
	}
	return key, nil
}

// setupApplications checks the data key against the database and applies
// the 依申请公开 settings from the environment.
func (m *Main) setupApplications(ctx context.Context, db *store.DB) error {
	if err := db.CheckDataKey(ctx); err != nil {
		return err
	}
	if file, created, fp := db.DataKeyInfo(); created {
		fmt.Fprintf(m.Stderr, "gongkai: 已生成数据密钥文件 %s（指纹 %s），用于加密申请人个人信息。请把它与数据库分开备份：丢失后个人信息无法恢复。\n", file, fp)
	}
	cfg := &db.AppConfig
	switch v := m.Getenv("GONGKAI_FEE_PAUSES_CLOCK"); v {
	case "", "1", "true":
		cfg.Clock.PauseWhileFeeUnpaid = true
	case "0", "false":
		cfg.Clock.PauseWhileFeeUnpaid = false
	default:
		return usageError("GONGKAI_FEE_PAUSES_CLOCK 应为 1 或 0")
	}
	for _, s := range []struct {
		env string
		dst *int
	}{{"GONGKAI_SUBMIT_PER_HOUR", &cfg.SubmitPerHour}, {"GONGKAI_SUBMIT_PER_DAY", &cfg.SubmitPerDay}} {
		if v := m.Getenv(s.env); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return usageError("%s 应为不小于0的整数（0 表示不限制）", s.env)
			}
			*s.dst = n
		}
	}
	return nil
}

func (m *Main) application(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai application sweep | export --out FILE [--year Y] [--org CODE]")
	}
	switch args[0] {
	case "sweep":
		return m.applicationSweep(ctx, args[1:])
	case "export":
		return m.applicationExport(ctx, args[1:])
	}
	return usageError("未知的 application 子命令“%s”：可用 sweep、export", args[0])
}

// applicationSweep runs the reminder job once (what `serve` does hourly).
func (m *Main) applicationSweep(ctx context.Context, args []string) error {
	fs, df := m.newFlags("application sweep", "application sweep")
	if err := parse(fs, args); err != nil {
		return err
	}
	mailCfg, err := mail.FromEnv(m.Getenv)
	if err != nil {
		return usageError("%v", err)
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	res, sent, err := jobs.RunApplicationSweep(ctx, db, mail.New(mailCfg), m.logger("warn"))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "检查在办申请 %d 件：逾期不补正或不缴费自动办结 %d 件，发出站内提醒 %d 条、邮件 %d 封。\n", res.Checked, res.Closed, res.Notified, sent)
	return nil
}

// applicationExport writes the 台账 as XLSX.
func (m *Main) applicationExport(ctx context.Context, args []string) error {
	fs, df := m.newFlags("application export", "application export --out FILE [--year Y] [--org CODE]")
	out := fs.String("out", "", "输出的 .xlsx 文件")
	year := fs.Int("year", 0, "只导出该年度收到的申请")
	org := fs.String("org", "", "只导出该机构及其下级的申请")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("请用 --out 指定输出文件")
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = cli(ctx)
	var f gongkai.ApplicationFilter
	title := "依申请公开工作台账"
	if *year != 0 {
		f.Year = year
		title = fmt.Sprintf("依申请公开工作台账（%d年）", *year)
	}
	if *org != "" {
		o, err := db.FindOrgByCode(ctx, *org)
		if err != nil {
			return err
		}
		f.Within = &o.ID
		title = o.Name + title
	}
	apps, _, err := db.FindApplications(ctx, f)
	if err != nil {
		return err
	}
	file, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := export.WriteLedger(file, title, apps); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已导出 %d 件申请到 %s。\n", len(apps), *out)
	return nil
}
