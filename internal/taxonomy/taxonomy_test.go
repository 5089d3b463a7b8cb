package taxonomy

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func TestGenres(t *testing.T) {
	// 《党政机关公文处理工作条例》 Art. 8, in order (statutes §9), plus 其他.
	want := []string{"决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知",
		"通报", "报告", "请示", "批复", "议案", "函", "纪要", "其他"}
	var got []string
	codes := map[string]bool{}
	for _, g := range Genres() {
		got = append(got, g.Label)
		if !regexp.MustCompile(`^[a-z]+$`).MatchString(g.Code) {
			t.Errorf("genre %s: code %q is not lower-case ASCII", g.Label, g.Code)
		}
		if codes[g.Code] {
			t.Errorf("genre code %q used twice", g.Code)
		}
		codes[g.Code] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Genres mismatch (-want +got):\n%s", diff)
	}
	if g, ok := GenreByCode("qita"); !ok || g != GenreOther {
		t.Errorf("GenreByCode(qita) = %v, %v", g, ok)
	}
}

func TestParseGenre(t *testing.T) {
	tests := []struct {
		in, want string // want: the label, or "" for an error
	}{
		{"通知", "通知"},
		{"tongzhi", "通知"},
		{" 函 ", "函"},
		{"命令", "命令（令）"},
		{"令", "命令（令）"},
		{"命令(令)", "命令（令）"},
		{"mingling", "命令（令）"},
		{"其他", "其他"},
		{"公函", ""},      // not one of the 15
		{"规定", ""},      // a 1990s 公文 kind, no longer in Art. 8
		{"TONGZHI", ""}, // codes are case-sensitive
		{"", ""},
	}
	for _, tt := range tests {
		g, err := ParseGenre(tt.in)
		if tt.want == "" {
			if e := gongkai.AsError(err); e == nil || e.Field != "genre" {
				t.Errorf("ParseGenre(%q) = %v, %v; want an error on field genre", tt.in, g, err)
			}
			continue
		}
		if err != nil || g.Label != tt.want {
			t.Errorf("ParseGenre(%q) = %v, %v; want %s", tt.in, g, err, tt.want)
		}
	}
	_, err := ParseGenre("公函")
	want := "公文种类“公函”不存在，应为《党政机关公文处理工作条例》规定的15种公文之一或“其他”。"
	if diff := cmp.Diff(want, gongkai.ErrorMessage(err)); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
}

// topicTree is the 国务院公文主题分类 as the captured gov.cn facet tree lists
// it (statutes §9 [S94]), typed in by hand.
var topicTree = []struct {
	top  string
	subs []string
}{
	{"国务院组织机构", []string{"国务院", "国务院办公厅", "国务院组成部门", "国务院直属特设机构", "国务院直属机构", "国务院办事机构", "国务院直属事业单位", "国务院部委管理的国家局", "国务院议事协调机构", "其他"}},
	{"综合政务", []string{"政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"}},
	{"国民经济管理、国有资产监管", []string{"宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"}},
	{"财政、金融、审计", []string{"财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设", "审计", "其他"}},
	{"国土资源、能源", []string{"土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他"}},
	{"农业、林业、水利", []string{"农业、畜牧业、渔业", "林业", "水利", "其他"}},
	{"工业、交通", []string{"机械制造与重工业", "轻工纺织", "化工", "国防工业", "航天、航空", "信息产业（含电信）", "公路", "水运", "铁路", "民航", "邮政", "其他"}},
	{"商贸、海关、旅游", []string{"对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"}},
	{"市场监管、安全生产监管", []string{"工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"}},
	{"城乡建设、环境保护", []string{"城市规划", "城乡建设（含住房）", "环境监测、保护与治理", "节能与资源综合利用", "气象、水文、测绘、地震", "其他"}},
	{"科技、教育", []string{"科技", "教育", "知识产权", "其他"}},
	{"文化、广电、新闻出版", []string{"文化", "文物", "新闻出版", "广播、电影、电视", "其他"}},
	{"卫生、体育", []string{"卫生", "医药管理", "体育", "其他"}},
	{"人口与计划生育、妇女儿童工作", []string{"人口与计划生育", "妇女儿童", "其他"}},
	{"劳动、人事、监察", []string{"劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"}},
	{"公安、安全、司法", []string{"公安", "国家安全", "司法", "其他"}},
	{"民政、扶贫、救灾", []string{"减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"}},
	{"民族、宗教", []string{"民族事务", "宗教事务"}},
	{"对外事务", []string{"外交、外事", "国际条约、国际组织", "其他"}},
	{"港澳台侨工作", []string{"港澳工作", "对台工作", "侨务工作"}},
	{"国防", []string{"国防建设", "国防动员"}},
	{"其他", nil},
}

func TestTopics(t *testing.T) {
	if len(topicTree) != 22 {
		t.Fatalf("hand-written tree has %d top levels, want 22", len(topicTree))
	}
	tree := TopicTree()
	var gotTop, wantTop []string
	for _, b := range tree {
		gotTop = append(gotTop, b.Top)
	}
	for _, b := range topicTree {
		wantTop = append(wantTop, b.top)
	}
	// The statutes §9 list of the 22 top-level categories, in order.
	if diff := cmp.Diff(wantTop, gotTop); diff != "" {
		t.Fatalf("top levels mismatch (-want +got):\n%s", diff)
	}
	for i, b := range tree {
		var subs []string
		for _, c := range b.Children {
			subs = append(subs, c.Sub)
			if c.Top != b.Top {
				t.Errorf("%s: child %s has Top %s", b.Top, c.Sub, c.Top)
			}
			if !strings.HasPrefix(c.Code, b.Code) || len(c.Code) != 4 {
				t.Errorf("%s: child code %q does not extend %q", c, c.Code, b.Code)
			}
		}
		if diff := cmp.Diff(topicTree[i].subs, subs); diff != "" {
			t.Errorf("%s sub-levels mismatch (-want +got):\n%s", b.Top, diff)
		}
	}
	codes := map[string]bool{}
	for _, tp := range Topics() {
		if !regexp.MustCompile(`^[0-9]{2}([0-9]{2})?$`).MatchString(tp.Code) {
			t.Errorf("topic %s: bad code %q", tp, tp.Code)
		}
		if codes[tp.Code] {
			t.Errorf("topic code %q used twice", tp.Code)
		}
		codes[tp.Code] = true
	}
}

func TestParseTopic(t *testing.T) {
	tests := []struct {
		in   string
		code string // "" = must fail
		show string
	}{
		{`综合政务\政务公开`, "0201", `综合政务\政务公开`},
		{"0201", "0201", `综合政务\政务公开`},
		{`综合政务＼政务公开`, "0201", `综合政务\政务公开`},
		{`综合政务 / 政务公开`, "0201", `综合政务\政务公开`},
		{`财政、金融、审计\货币（含外汇）`, "0404", `财政、金融、审计\货币（含外汇）`},
		{`国防\国防动员`, "2102", `国防\国防动员`},
		{"其他", "22", "其他"},
		{"综合政务", "02", "综合政务"},
		{`综合政务\其他`, "0209", `综合政务\其他`},
		{`民族、宗教\其他`, "", ""},         // not in the captured tree
		{`综合政务\财政`, "", ""},          // a sub-level of another category
		{`财政、金融、审计\货币(含外汇)`, "", ""}, // ASCII parentheses are not the label
		{"2201", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		tp, err := ParseTopic(tt.in)
		if tt.code == "" {
			if e := gongkai.AsError(err); e == nil || e.Field != "topic" {
				t.Errorf("ParseTopic(%q) = %v, %v; want an error on field topic", tt.in, tp, err)
			}
			continue
		}
		if err != nil || tp.Code != tt.code || tp.String() != tt.show {
			t.Errorf("ParseTopic(%q) = %q %q, %v; want %q %q", tt.in, tp.Code, tp.String(), err, tt.code, tt.show)
		}
	}
	_, err := ParseTopic(`综合政务\财政`)
	want := "主题分类“综合政务\\财政”不存在，请从国务院公文主题分类中选择，格式如“综合政务\\政务公开”。"
	if diff := cmp.Diff(want, gongkai.ErrorMessage(err)); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	if tp, _ := TopicByCode("1003"); tp.TopCode() != "10" || tp.IsTop() {
		t.Errorf("TopicByCode(1003) = %+v", tp)
	}
}

func TestValidityAndDisclosure(t *testing.T) {
	var vs []string
	for _, v := range Validities() {
		vs = append(vs, string(v)+"="+v.Label())
	}
	wantV := []string{"valid=有效", "expired=失效", "repealed=废止", "amended=已修订"}
	if diff := cmp.Diff(wantV, vs); diff != "" {
		t.Errorf("Validities mismatch (-want +got):\n%s", diff)
	}
	var ds []string
	for _, d := range Disclosures() {
		ds = append(ds, string(d)+"="+d.Label())
	}
	wantD := []string{"proactive=主动公开", "on_request=依申请公开", "withheld=不予公开"}
	if diff := cmp.Diff(wantD, ds); diff != "" {
		t.Errorf("Disclosures mismatch (-want +got):\n%s", diff)
	}

	if !DisclosureProactive.Public() || DisclosureOnRequest.Public() || DisclosureWithheld.Public() {
		t.Error("only 主动公开 may reach the portal")
	}
	if DisclosureProactive.NeedsReason() || !DisclosureWithheld.NeedsReason() || !DisclosureOnRequest.NeedsReason() {
		t.Error("NeedsReason is wrong")
	}
	if !ValidityValid.InForce() || ValidityAmended.InForce() || ValidityRepealed.InForce() || ValidityExpired.InForce() {
		t.Error("only 有效 is in force")
	}
	if Validity("void").Valid() || Disclosure("").Valid() {
		t.Error("unknown values reported valid")
	}

	for in, want := range map[string]Validity{"废止": ValidityRepealed, "amended": ValidityAmended, " 有效 ": ValidityValid} {
		if got, err := ParseValidity(in); err != nil || got != want {
			t.Errorf("ParseValidity(%q) = %q, %v", in, got, err)
		}
	}
	for in, want := range map[string]Disclosure{"不予公开": DisclosureWithheld, "on_request": DisclosureOnRequest} {
		if got, err := ParseDisclosure(in); err != nil || got != want {
			t.Errorf("ParseDisclosure(%q) = %q, %v", in, got, err)
		}
	}
	_, err := ParseValidity("作废")
	if diff := cmp.Diff("有效性“作废”不正确，应为有效、失效、废止或已修订。", gongkai.ErrorMessage(err)); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	_, err = ParseDisclosure("公开")
	if e := gongkai.AsError(err); e == nil || e.Field != "disclosure" ||
		e.Message != "公开属性“公开”不正确，应为主动公开、依申请公开或不予公开。" {
		t.Errorf("ParseDisclosure(公开) error = %v", err)
	}
}

// flat renders a column tree one line per column: indentation, name, slug,
// path, kind, basis, frequency.
func flat(cs []ColumnSpec, depth int, out *[]string) {
	for _, c := range cs {
		var basis []string
		for _, p := range c.Basis {
			basis = append(basis, p.String())
		}
		*out = append(*out, strings.Repeat("  ", depth)+c.Name+" | "+c.Slug+" | "+c.Path+" | "+string(c.Kind)+" | "+strings.Join(basis, "、")+" | "+c.Freq.String())
		flat(c.Children, depth+1, out)
	}
}

// The Art. 20 columns every level gets, before and after 政策文件's
// children (statutes §1.3; issue 3, item 4).
const (
	head = `政府信息公开 | xxgk | /xxgk/ | group |  | 
  政府信息公开指南 | zn | /xxgk/zn/ | guide | 第十二条 | 
  政府信息公开制度 | zd | /xxgk/zd/ | system |  | 
  法定主动公开内容 | fdzdgknr | /xxgk/fdzdgknr/ | group | 第十九条、第二十条、第二十一条 | 
    机构职能 | jgzn | /xxgk/jgzn/ | list | 第二十条第（二）项 | 
    政策文件 | zcwj | /xxgk/zcwj/ | list | 第二十条第（一）项 | 6个月`
	rules = `      规章 | gz | /xxgk/zcwj/gz/ | list | 第二十条第（一）项 | `
	art20 = `      行政规范性文件 | gfxwj | /xxgk/zcwj/gfxwj/ | list | 第二十条第（一）项 | 
      其他文件 | qtwj | /xxgk/zcwj/qtwj/ | list | 第二十条第（一）项 | 
    规划信息 | ghxx | /xxgk/ghxx/ | list | 第二十条第（三）项 | 
    统计信息 | tjxx | /xxgk/tjxx/ | list | 第二十条第（四）项 | 
    行政许可、处罚和强制 | xzzf | /xxgk/xzzf/ | list | 第二十条第（五）项、第二十条第（六）项 | 
    财政预决算 | czyjs | /xxgk/czyjs/ | list | 第二十条第（七）项 | 
    行政事业性收费 | xzsyxsf | /xxgk/xzsyxsf/ | list | 第二十条第（八）项 | 
    政府采购 | zfcg | /xxgk/zfcg/ | list | 第二十条第（九）项 | 
    重大建设项目 | zdjsxm | /xxgk/zdjsxm/ | list | 第二十条第（十）项 | 
    民生领域 | msly | /xxgk/msly/ | list | 第二十条第（十一）项 | 
    突发事件 | tfsj | /xxgk/tfsj/ | list | 第二十条第（十二）项 | 
    监督检查 | jdjc | /xxgk/jdjc/ | list | 第二十条第（十三）项 | 
    公务员招考 | gwyzk | /xxgk/gwyzk/ | list | 第二十条第（十四）项 | `
	// Art. 21 ¶1, in its order: 市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助.
	art21city = `    市政建设 | szjs | /xxgk/szjs/ | list | 第二十一条第一款 | 
    公共服务 | ggfw | /xxgk/ggfw/ | list | 第二十一条第一款 | 
    公益事业 | gysy | /xxgk/gysy/ | list | 第二十一条第一款 | 
    土地征收 | tdzs | /xxgk/tdzs/ | list | 第二十一条第一款、第二十一条第二款 | 
    房屋征收 | fwzs | /xxgk/fwzs/ | list | 第二十一条第一款、第二十一条第二款 | 
    治安管理 | zagl | /xxgk/zagl/ | list | 第二十一条第一款 | 
    社会救助 | shjz | /xxgk/shjz/ | list | 第二十一条第一款、第二十一条第二款 | `
	// Art. 21 ¶2, in its order: 农业农村政策落实、农田水利工程建设运营、农村土地承包经营权流转、
	// 宅基地使用情况审核、土地征收、房屋征收、筹资筹劳、社会救助.
	art21township = `    农业农村政策落实 | nynczcls | /xxgk/nynczcls/ | list | 第二十一条第二款 | 
    农田水利工程建设运营 | ntslgc | /xxgk/ntslgc/ | list | 第二十一条第二款 | 
    农村土地承包经营权流转 | tdcbjyqlz | /xxgk/tdcbjyqlz/ | list | 第二十一条第二款 | 
    宅基地使用情况审核 | zjdsh | /xxgk/zjdsh/ | list | 第二十一条第二款 | 
    土地征收 | tdzs | /xxgk/tdzs/ | list | 第二十一条第一款、第二十一条第二款 | 
    房屋征收 | fwzs | /xxgk/fwzs/ | list | 第二十一条第一款、第二十一条第二款 | 
    筹资筹劳 | zzcl | /xxgk/zzcl/ | list | 第二十一条第二款 | 
    社会救助 | shjz | /xxgk/shjz/ | list | 第二十一条第一款、第二十一条第二款 | `
	tail = `  政府信息公开年报 | nb | /xxgk/nb/ | report | 第四十九条、第五十条 | 12个月
  依申请公开 | ysqgk | /xxgk/ysqgk/ | application | 第二十七条、第二十九条 | `
)

func TestStatutoryColumns(t *testing.T) {
	join := func(parts ...string) []string { return strings.Split(strings.Join(parts, "\n"), "\n") }
	tests := []struct {
		level OrgLevel
		want  []string
	}{
		{Province, join(head, rules, art20, tail)},
		{City, join(head, rules, art20, art21city, tail)},
		{County, join(head, art20, art21city, tail)},
		{Township, join(head, art20, art21township, tail)},
		{Department, join(head, art20, tail)},
	}
	for _, tt := range tests {
		t.Run(string(tt.level), func(t *testing.T) {
			var got []string
			flat(StatutoryColumns(tt.level), 0, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("StatutoryColumns mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if StatutoryColumns("village") != nil {
		t.Error("unknown level got columns")
	}
}

func TestColumnSlugsAndPaths(t *testing.T) {
	slugRE := regexp.MustCompile(`^[a-z][a-z0-9]{1,15}$`)
	for _, level := range OrgLevels() {
		slugs, paths := map[string]bool{}, map[string]bool{}
		var walk func([]ColumnSpec, string)
		walk = func(cs []ColumnSpec, parent string) {
			for _, c := range cs {
				if !slugRE.MatchString(c.Slug) {
					t.Errorf("%s: slug %q is not lower-case ASCII", level, c.Slug)
				}
				if slugs[c.Slug] || paths[c.Path] {
					t.Errorf("%s: slug %q or path %q used twice", level, c.Slug, c.Path)
				}
				slugs[c.Slug], paths[c.Path] = true, true
				if !strings.HasSuffix(c.Path, "/"+c.Slug+"/") || !strings.HasPrefix(c.Path, "/xxgk/") {
					t.Errorf("%s: path %q is not under /xxgk/ or does not end in its slug %q", level, c.Path, c.Slug)
				}
				if parent != "" && c.Path == parent {
					t.Errorf("%s: %q has its parent's path", level, c.Path)
				}
				switch c.Kind {
				case KindGroup, KindGuide, KindSystem, KindList, KindReport, KindApplication:
				default:
					t.Errorf("%s: %s has kind %q", level, c.Name, c.Kind)
				}
				walk(c.Children, c.Path)
			}
		}
		walk(StatutoryColumns(level), "")
	}
}

func TestStatutoryColumnsIsACopy(t *testing.T) {
	a := StatutoryColumns(City)
	a[0].Children[0].Name = "changed"
	a[0].Children[2].Children[0].Basis[0].Article = 99
	b := StatutoryColumns(City)
	if b[0].Children[0].Name != "政府信息公开指南" || b[0].Children[2].Children[0].Basis[0].Article != 20 {
		t.Error("changing a result changed the package's data")
	}
}

func TestFreq(t *testing.T) {
	d := func(s string) gongkai.Date {
		x, err := gongkai.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	tests := []struct {
		f         Freq
		last, due string
		str       string
	}{
		{FreqNews, "2024-01-10", "2024-01-24", "2周"},
		{FreqPolicy, "2024-01-10", "2024-07-10", "6个月"},
		{FreqPolicy, "2023-08-31", "2024-02-29", "6个月"}, // clamped to a leap February
		{FreqPolicy, "2024-08-31", "2025-02-28", "6个月"},
		{FreqAnnual, "2024-02-29", "2025-02-28", "12个月"},
		{Freq{Months: 1, Weeks: 1}, "2024-12-31", "2025-02-07", "1个月1周"},
	}
	for _, tt := range tests {
		if got := tt.f.Due(d(tt.last)); got != d(tt.due) {
			t.Errorf("%v.Due(%s) = %s, want %s", tt.f, tt.last, got, tt.due)
		}
		if tt.f.String() != tt.str {
			t.Errorf("String() = %q, want %q", tt.f.String(), tt.str)
		}
		if tt.f.Stale(d(tt.last), d(tt.due)) {
			t.Errorf("%v: stale on its due day %s", tt.f, tt.due)
		}
		if !tt.f.Stale(d(tt.last), d(tt.due).AddDays(1)) {
			t.Errorf("%v: not stale the day after %s", tt.f, tt.due)
		}
	}
	if (Freq{}).Stale(d("2000-01-01"), d("2024-01-01")) || !(Freq{}).Due(d("2024-01-01")).IsZero() || (Freq{}).String() != "" {
		t.Error("the zero Freq must never be due")
	}
}

func TestProvisionString(t *testing.T) {
	tests := map[Provision]string{
		{Article: 12}:           "第十二条",
		{Article: 20, Item: 1}:  "第二十条第（一）项",
		{Article: 20, Item: 10}: "第二十条第（十）项",
		{Article: 20, Item: 15}: "第二十条第（十五）项",
		{Article: 21, Para: 2}:  "第二十一条第二款",
		{Article: 50}:           "第五十条",
	}
	for p, want := range tests {
		if got := p.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", p, got, want)
		}
	}
}

func TestOrgLevels(t *testing.T) {
	var got []string
	for _, l := range OrgLevels() {
		got = append(got, string(l)+"="+l.Label())
	}
	want := []string{"province=省级人民政府", "city=设区的市级人民政府", "county=县级人民政府", "township=乡（镇）人民政府", "department=政府部门"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("OrgLevels mismatch (-want +got):\n%s", diff)
	}
}
