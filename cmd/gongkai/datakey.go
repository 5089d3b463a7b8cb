package main

import (
	"context"
	"fmt"

	"gongkai/internal/seal"
)

// datakey runs the data key subcommands.
func (m *Main) datakey(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usageError("用法：gongkai datakey rotate [--out FILE]")
	}
	fs, df := m.newFlags("datakey rotate", "datakey rotate [--out FILE]")
	var out string
	fs.StringVar(&out, "out", "", "新密钥写入的文件（仅当数据密钥来自 GONGKAI_DATA_KEY 时需要；使用数据目录中的密钥文件时新密钥写回该文件）")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.RotateDataKey(ctx, seal.NewKey(), out)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已更换数据密钥：指纹 %s → %s，重新加密了 %d 件申请的申请人信息和 %d 个附件。\n", r.OldFingerprint, r.NewFingerprint, r.Applications, r.Files)
	if r.OldKeyFile != "" {
		fmt.Fprintf(m.Stdout, "新密钥已写入 %s；旧密钥保存在 %s，恢复更换前的备份时需要它。请把两者与数据库分开备份。\n", r.KeyFile, r.OldKeyFile)
	} else {
		fmt.Fprintf(m.Stdout, "新密钥已写入 %s：请把 GONGKAI_DATA_KEY 改为该文件的内容（每台服务器都要改），并与数据库分开保管；旧密钥仍用于恢复更换前的备份。\n", r.KeyFile)
	}
	fmt.Fprintln(m.Stdout, "请重新启动所有 gongkai serve 进程：仍使用旧密钥的进程不能再读写申请人信息。")
	return nil
}
