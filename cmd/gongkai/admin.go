package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"gongkai"
)

func (m *Main) org(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai org list | gongkai org add --code CODE --name 名称 --kind government|department …")
	}
	switch args[0] {
	case "list":
		return m.orgList(ctx, args[1:])
	case "add":
		return m.orgAdd(ctx, args[1:])
	}
	return usageError("未知的 org 子命令“%s”，可用：list、add", args[0])
}

// orgList prints code, name, kind and parent code as TSV, in tree order.
func (m *Main) orgList(ctx context.Context, args []string) error {
	fs, df := m.newFlags("org list", "org list")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	orgs, err := db.FindOrgs(cli(ctx), gongkai.OrgFilter{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		fmt.Fprintf(m.Stdout, "%s\t%s\t%s\t%s\n", o.Code, o.Name, o.Kind, o.ParentCode)
	}
	return nil
}

func (m *Main) orgAdd(ctx context.Context, args []string) error {
	fs, df := m.newFlags("org add", "org add --code CODE --name 名称 --kind government|department [--level city] [--parent CODE] --credit-code 代码|--org-code 代码 --region-code 代码")
	var o gongkai.Org
	var kind, level string
	fs.StringVar(&o.Code, "code", "", "机构代码（英文，用于网址和命令行）")
	fs.StringVar(&o.Name, "name", "", "机构全称")
	fs.StringVar(&o.ShortName, "short-name", "", "简称")
	fs.StringVar(&kind, "kind", "", "government（人民政府）或 department（部门）")
	fs.StringVar(&level, "level", "", "人民政府的层级：province、city、county、township")
	fs.StringVar(&o.ParentCode, "parent", "", "上级机构代码（顶级机构不填）")
	fs.StringVar(&o.CreditCode, "credit-code", "", "统一社会信用代码（18位）")
	fs.StringVar(&o.OrgCode, "org-code", "", "组织机构代码（9位）")
	fs.StringVar(&o.RegionCode, "region-code", "", "行政区划代码（6位）")
	fs.IntVar(&o.Sort, "sort", 0, "排序")
	if err := parse(fs, args); err != nil {
		return err
	}
	o.Kind, o.Level = gongkai.OrgKind(kind), gongkai.OrgLevel(level)
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateOrg(cli(ctx), &o); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已添加机构 %s（%s）。\n", o.Name, o.Code)
	return nil
}

func (m *Main) user(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai user add … | gongkai user reset-password …")
	}
	switch args[0] {
	case "add":
		return m.userAdd(ctx, args[1:])
	case "reset-password":
		return m.userResetPassword(ctx, args[1:])
	}
	return usageError("未知的 user 子命令“%s”，可用：add、reset-password", args[0])
}

// readPassword reads the password from stdin (first line), so it never
// appears in the shell history or the process list.
func (m *Main) readPassword() (string, error) {
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	fs, df := m.newFlags("user add", "user add --org CODE --role ROLE[,ROLE…] --username NAME [--name 姓名] --password-stdin")
	var org, roles, username, name string
	var stdin bool
	fs.StringVar(&org, "org", "", "机构代码")
	fs.StringVar(&roles, "role", "", "角色，多个用逗号分隔：editor、reviewer1、reviewer2、reviewer3、officer、supervisor、admin")
	fs.StringVar(&username, "username", "", "用户名")
	fs.StringVar(&name, "name", "", "姓名")
	fs.BoolVar(&stdin, "password-stdin", false, "从标准输入读取密码（必需）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !stdin {
		return usageError("请用 --password-stdin 从标准输入提供密码，例如：echo '密码' | gongkai user add …")
	}
	if org == "" || roles == "" {
		return usageError("请指定 --org 和 --role")
	}
	u := &gongkai.User{Username: username, DisplayName: name}
	for _, r := range strings.Split(roles, ",") {
		u.Grants = append(u.Grants, gongkai.Grant{OrgCode: org, Role: gongkai.Role(strings.TrimSpace(r))})
	}
	pw, err := m.readPassword()
	if err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(cli(ctx), u, pw); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已创建用户 %s。\n", u.Username)
	return nil
}

func (m *Main) userResetPassword(ctx context.Context, args []string) error {
	fs, df := m.newFlags("user reset-password", "user reset-password --username NAME --password-stdin")
	var username string
	var stdin bool
	fs.StringVar(&username, "username", "", "用户名")
	fs.BoolVar(&stdin, "password-stdin", false, "从标准输入读取新密码（必需）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !stdin || username == "" {
		return usageError("用法：echo '新密码' | gongkai user reset-password --username NAME --password-stdin")
	}
	pw, err := m.readPassword()
	if err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.FindUserByUsername(cli(ctx), username)
	if err != nil {
		return err
	}
	if err := db.SetPassword(cli(ctx), u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已重置 %s 的密码，其所有登录会话已结束。\n", u.Username)
	return nil
}

func (m *Main) audit(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usageError("用法：gongkai audit verify")
	}
	fs, df := m.newFlags("audit verify", "audit verify")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if v.BrokenSeq != 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("审计链在第 %d 条记录处断开：%s（已检查 %d 条）", v.BrokenSeq, v.Reason, v.Checked)}
	}
	fmt.Fprintf(m.Stdout, "审计链完整：共 %d 条记录。\n", v.Checked)
	return nil
}

func (m *Main) backup(ctx context.Context, args []string) error {
	fs, df := m.newFlags("backup", "backup --out FILE")
	var out string
	fs.StringVar(&out, "out", "", "备份文件路径")
	if err := parse(fs, args); err != nil {
		return err
	}
	if out == "" {
		return usageError("请用 --out 指定备份文件")
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, out); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "已备份到 %s。恢复时停止服务，把该文件放到数据目录中命名为 gongkai.db 即可。\n", out)
	return nil
}
