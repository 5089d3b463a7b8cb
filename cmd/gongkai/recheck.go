package main

import (
	"context"
	"fmt"

	"gongkai/internal/jobs"
	"gongkai/internal/mail"
)

// recheck runs the recheck of published documents once (what the server
// does when a site's check list is saved, or at start after an upgrade
// whose shipped dictionary differs), for one site or every site.
func (m *Main) recheck(ctx context.Context, args []string) error {
	fs, df := m.newFlags("recheck", "recheck [--site CODE]")
	code := fs.String("site", "", "只复查该站点（站点代码）；不填则复查所有站点")
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
	ctx = cli(ctx)
	sites, err := db.FindSites(ctx)
	if err != nil {
		return err
	}
	if *code != "" {
		site, err := db.FindSiteByCode(ctx, *code)
		if err != nil {
			return err
		}
		sites = sites[:0]
		sites = append(sites, site)
	}
	for _, site := range sites {
		res, err := jobs.RunRecheck(ctx, db, site.ID, mail.New(mailCfg), m.logger("warn"))
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s（%s）：按当前清单重新检查已发布文件 %d 个（另有 %d 个此前已按当前清单检查），其中 %d 个有发布时没有的问题，发出站内提醒 %d 条。\n",
			site.Name, site.Code, res.Checked, res.Unchanged, res.WithNew, res.Notified)
	}
	return nil
}
