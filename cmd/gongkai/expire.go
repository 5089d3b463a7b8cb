package main

import (
	"context"
	"fmt"

	"gongkai/internal/jobs"
	"gongkai/internal/mail"
)

// expire runs the expiry of documents once (what the server does at start
// and every day at 00:05): documents whose 有效期至 has passed are marked
// 失效 and their orgs' editors and admins are told.
func (m *Main) expire(ctx context.Context, args []string) error {
	fs, df := m.newFlags("expire", "expire")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("多余的参数：%v", fs.Args())
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
	res, err := jobs.RunExpiry(cli(ctx), db, mail.New(mailCfg), m.logger("warn"))
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "有效期届满、标注为失效的文件 %d 个，发出站内提醒 %d 条。\n", res.Expired, res.Notified)
	return nil
}
