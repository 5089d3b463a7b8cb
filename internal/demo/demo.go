// Package demo seeds a fictional city, 示例市, so that a new user can try
// gongkai at once: `gongkai serve --demo` on an empty database. Everything
// here is invented (names, codes, people); identifiers are valid in form so
// the validators accept them. Nothing here runs without --demo.
//
// Later modules add their demo content as further steps of Seed, through
// the same services the product uses, so the demo also exercises the rules.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
	"text/tabwriter"

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/store"
)

// Account is a demo staff account with its one-time password.
type Account struct {
	Username, Name, Password, Roles string
}

// Result is what Seed created.
type Result struct {
	Seeded   bool // false when the database already had data
	City     *gongkai.Org
	Orgs     map[string]*gongkai.Org // by code
	Accounts []Account
	// Sample is a demo application to try the tracking page with.
	Sample *SampleApplication
}

// Seed creates the demo city on an empty database and prints the staff
// accounts and their random passwords to out, once. On a database that
// already has orgs it does nothing: demo data never mixes with real data.
func Seed(ctx context.Context, db *store.DB, out io.Writer) (*Result, error) {
	ctx = gongkai.WithActor(ctx, gongkai.SystemActor("demo"))
	existing, err := db.FindOrgs(ctx, gongkai.OrgFilter{})
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		fmt.Fprintln(out, "数据库中已有机构数据，未再生成示例数据。")
		return &Result{}, nil
	}
	res := &Result{Seeded: true, Orgs: map[string]*gongkai.Org{}}
	if err := seedOrgs(ctx, db, res); err != nil {
		return nil, fmt.Errorf("demo orgs: %w", err)
	}
	if err := seedSites(ctx, db); err != nil {
		return nil, fmt.Errorf("demo sites: %w", err)
	}
	if err := seedStaff(ctx, db, res); err != nil {
		return nil, fmt.Errorf("demo staff: %w", err)
	}
	if err := seedDocuments(ctx, db, res); err != nil {
		return nil, fmt.Errorf("demo documents: %w", err)
	}
	if err := seedApplications(ctx, db, res); err != nil {
		return nil, fmt.Errorf("demo applications: %w", err)
	}
	if err := seedChecks(ctx, db); err != nil {
		return nil, fmt.Errorf("demo checks: %w", err)
	}
	if err := seedAnnualReports(ctx, db, res); err != nil {
		return nil, fmt.Errorf("demo annual reports: %w", err)
	}
	printAccounts(out, res.Accounts)
	if s := res.Sample; s != nil {
		fmt.Fprintf(out, "示例依申请公开申请：查询编号 %s，查询码 %s（在门户“依申请公开—进度查询”中查看）。\n", s.TrackingNo, s.AccessCode)
	}
	return res, nil
}

type orgSpec struct {
	code, name, short, parent string
	kind                      gongkai.OrgKind
	level                     gongkai.OrgLevel
	region, orgBody           string
}

// The city: 369900 is a valid-format 行政区划代码 under province code 36
// that no real city uses (real cities there end at 3611).
var orgSpecs = []orgSpec{
	{"shili", "示例市人民政府", "示例市", "", gongkai.OrgGovernment, gongkai.LevelCity, "369900", "KL000001"},
	{"shili-fgw", "示例市发展和改革委员会", "市发展改革委", "shili", gongkai.OrgDepartment, "", "369900", "KL000101"},
	{"shili-jyj", "示例市教育局", "市教育局", "shili", gongkai.OrgDepartment, "", "369900", "KL000102"},
	{"shili-gaj", "示例市公安局", "市公安局", "shili", gongkai.OrgDepartment, "", "369900", "KL000103"},
	{"shili-mzj", "示例市民政局", "市民政局", "shili", gongkai.OrgDepartment, "", "369900", "KL000104"},
	{"shili-czj", "示例市财政局", "市财政局", "shili", gongkai.OrgDepartment, "", "369900", "KL000105"},
	{"shili-rsj", "示例市人力资源和社会保障局", "市人力资源社会保障局", "shili", gongkai.OrgDepartment, "", "369900", "KL000106"},
	{"shili-zrzyj", "示例市自然资源和规划局", "市自然资源规划局", "shili", gongkai.OrgDepartment, "", "369900", "KL000107"},
	{"shili-sthjj", "示例市生态环境局", "市生态环境局", "shili", gongkai.OrgDepartment, "", "369900", "KL000108"},
	{"chengdong", "示例市城东区人民政府", "城东区", "shili", gongkai.OrgGovernment, gongkai.LevelCounty, "369902", "KL000201"},
	{"chengxi", "示例市城西区人民政府", "城西区", "shili", gongkai.OrgGovernment, gongkai.LevelCounty, "369903", "KL000301"},
	{"huxian", "示例市湖县人民政府", "湖县", "shili", gongkai.OrgGovernment, gongkai.LevelCounty, "369921", "KL000401"},
	{"chengdong-mzj", "示例市城东区民政局", "城东区民政局", "chengdong", gongkai.OrgDepartment, "", "369902", "KL000202"},
}

func seedOrgs(ctx context.Context, db *store.DB, res *Result) error {
	for i, s := range orgSpecs {
		cc, err := ident.ComposeCreditCode("11", s.region, s.orgBody)
		if err != nil {
			return fmt.Errorf("%s: %w", s.code, err)
		}
		o := &gongkai.Org{Code: s.code, Name: s.name, ShortName: s.short, ParentCode: s.parent, Kind: s.kind, Level: s.level,
			CreditCode: cc, RegionCode: s.region, Sort: i}
		if err := db.CreateOrg(ctx, o); err != nil {
			return fmt.Errorf("%s: %w", s.code, err)
		}
		res.Orgs[o.Code] = o
	}
	res.City = res.Orgs["shili"]
	return nil
}

func seedSites(ctx context.Context, db *store.DB) error {
	sites := []*gongkai.Site{
		{OrgCode: "shili", Code: "shili", Name: "示例市人民政府门户网站", IsDefault: true, Hosts: []string{"localhost", "127.0.0.1", "www.shili.example"},
			Footer: gongkai.SiteFooter{SiteIDCode: "3699000001", Sponsor: "示例市人民政府办公室", Operator: "示例市政务服务数据管理局",
				ICP: "示ICP备00000001号", PoliceRecord: "示公网安备36990002000001号", Address: "示例市人民大道1号", Phone: "0000-12345678"}},
		{OrgCode: "chengdong", Code: "chengdong", Name: "示例市城东区人民政府网站", Hosts: []string{"chengdong.localhost"},
			Footer: gongkai.SiteFooter{SiteIDCode: "3699020001", Sponsor: "示例市城东区人民政府办公室", ICP: "示ICP备00000002号", Address: "示例市城东区东大街8号", Phone: "0000-22345678"}},
		{OrgCode: "chengxi", Code: "chengxi", Name: "示例市城西区人民政府网站", Hosts: []string{"chengxi.localhost"},
			Footer: gongkai.SiteFooter{SiteIDCode: "3699030001", Sponsor: "示例市城西区人民政府办公室", ICP: "示ICP备00000003号"}},
		{OrgCode: "huxian", Code: "huxian", Name: "示例市湖县人民政府网站", Hosts: []string{"huxian.localhost"},
			Footer: gongkai.SiteFooter{SiteIDCode: "3699210001", Sponsor: "示例市湖县人民政府办公室", ICP: "示ICP备00000004号"}},
	}
	for _, s := range sites {
		if err := db.CreateSite(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s.Code, err)
		}
	}
	return nil
}

type staffSpec struct {
	username, name string
	grants         []gongkai.Grant
}

func g(org string, roles ...gongkai.Role) []gongkai.Grant {
	var out []gongkai.Grant
	for _, r := range roles {
		out = append(out, gongkai.Grant{OrgCode: org, Role: r})
	}
	return out
}

func join(gs ...[]gongkai.Grant) []gongkai.Grant {
	var out []gongkai.Grant
	for _, x := range gs {
		out = append(out, x...)
	}
	return out
}

var staffSpecs = []staffSpec{
	{"admin", "系统管理员", g("shili", gongkai.RoleAdmin, gongkai.RoleSupervisor)},
	{"gkb", "市政务公开办（监督）", g("shili", gongkai.RoleSupervisor)},
	{"shizf-editor", "市政府办公室编辑", g("shili", gongkai.RoleEditor)},
	{"shizf-officer", "市政府依申请公开经办人", g("shili", gongkai.RoleOfficer)},
	{"shizf-review", "市政府办公室审核人", join(g("shili", gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3))},
	{"fgw-editor", "发改委编辑", g("shili-fgw", gongkai.RoleEditor)},
	{"fgw-chushen", "发改委初审", g("shili-fgw", gongkai.RoleReviewer1)},
	{"fgw-fushen", "发改委复审", g("shili-fgw", gongkai.RoleReviewer2)},
	{"fgw-zhongshen", "发改委终审", g("shili-fgw", gongkai.RoleReviewer3)},
	{"fgw-officer", "发改委依申请公开经办人", g("shili-fgw", gongkai.RoleOfficer)},
	{"mzj-editor", "民政局编辑", g("shili-mzj", gongkai.RoleEditor, gongkai.RoleOfficer)},
	{"mzj-review", "民政局审核人", g("shili-mzj", gongkai.RoleReviewer1, gongkai.RoleReviewer2, gongkai.RoleReviewer3)},
	{"chengdong-admin", "城东区管理员", g("chengdong", gongkai.RoleAdmin, gongkai.RoleSupervisor)},
}

func seedStaff(ctx context.Context, db *store.DB, res *Result) error {
	for _, s := range staffSpecs {
		pw, err := randomPassword()
		if err != nil {
			return err
		}
		u := &gongkai.User{Username: s.username, DisplayName: s.name, Grants: s.grants}
		if err := db.CreateUser(ctx, u, pw); err != nil {
			return fmt.Errorf("%s: %w", s.username, err)
		}
		roles := ""
		for i, gr := range u.Grants {
			if i > 0 {
				roles += "、"
			}
			roles += gr.OrgName + "·" + gr.Role.Label()
		}
		res.Accounts = append(res.Accounts, Account{Username: u.Username, Name: u.DisplayName, Password: pw, Roles: roles})
	}
	return nil
}

// randomPassword returns 14 characters from an alphabet without look-alikes
// (no 0/O, 1/l/I), easy to type from the console.
func randomPassword() (string, error) {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 14)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			return "", err
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b), nil
}

func printAccounts(out io.Writer, accounts []Account) {
	fmt.Fprintln(out, "已生成示例市（示例数据）。以下账号的密码是随机生成的，只显示这一次，请妥善记录：")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "用户名\t密码\t角色")
	for _, a := range accounts {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", a.Username, a.Password, a.Roles)
	}
	tw.Flush()
}
