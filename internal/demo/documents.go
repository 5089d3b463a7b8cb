package demo

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/store"
)

// The demo's documents are written by code from the templates below: a
// subject per department, title patterns per column and 公文种类, and body
// sentences assembled around the subject. None is copied from a real site.

// Subject is a field of work a department writes about, with its 主题分类.
type Subject struct {
	Name  string // e.g. 价格认定
	Topic string // 主题分类 code
}

// DocOrg is an org the generator writes documents for.
type DocOrg struct {
	Code, Name, Short string
	// Abbr is the 发文机关代字 stem: 示发改 gives 示发改规〔2024〕3号.
	Abbr     string
	Subjects []Subject
}

// DemoOrgs are the demo city's orgs with their subjects.
var DemoOrgs = []DocOrg{
	{"shili", "示例市人民政府", "市政府", "示政", []Subject{{"营商环境", "0301"}, {"政务公开", "0201"}, {"应急管理", "0203"}, {"数字政府", "0204"}}},
	{"shili-fgw", "示例市发展和改革委员会", "市发展改革委", "示发改", []Subject{{"价格认定", "0304"}, {"重大项目", "0306"}, {"节能降耗", "1004"}, {"社会信用体系建设", "0407"}}},
	{"shili-jyj", "示例市教育局", "市教育局", "示教", []Subject{{"义务教育招生", "1102"}, {"学前教育", "1102"}, {"校外培训监管", "1102"}}},
	{"shili-gaj", "示例市公安局", "市公安局", "示公", []Subject{{"户籍管理", "1601"}, {"道路交通安全", "1601"}, {"出入境服务", "1601"}}},
	{"shili-mzj", "示例市民政局", "市民政局", "示民", []Subject{{"最低生活保障", "1703"}, {"养老服务", "1703"}, {"社会组织管理", "1705"}}},
	{"shili-czj", "示例市财政局", "市财政局", "示财", []Subject{{"预算管理", "0401"}, {"政府采购", "0401"}, {"国有资产管理", "0305"}}},
	{"shili-rsj", "示例市人力资源和社会保障局", "市人力资源社会保障局", "示人社", []Subject{{"就业创业", "1501"}, {"社会保险", "1502"}, {"事业单位招聘", "1503"}}},
	{"shili-zrzyj", "示例市自然资源和规划局", "市自然资源规划局", "示自然资", []Subject{{"国土空间规划", "1001"}, {"土地征收", "0501"}, {"不动产登记", "0501"}}},
	{"shili-sthjj", "示例市生态环境局", "市生态环境局", "示环", []Subject{{"大气污染防治", "1003"}, {"水环境保护", "1003"}, {"环境影响评价", "1003"}}},
	{"chengdong", "示例市城东区人民政府", "城东区政府", "东政", []Subject{{"老旧小区改造", "1002"}, {"社区治理", "1705"}, {"招商引资", "0301"}}},
	{"chengdong-mzj", "示例市城东区民政局", "城东区民政局", "东民", []Subject{{"临时救助", "1703"}, {"婚姻登记", "1707"}, {"殡葬管理", "1707"}}},
}

// docKind is a title and body pattern for one column.
type docKind struct {
	column, genre string
	// noKind is the middle of the 发文字号 (规, 发, 函); "" for none.
	noKind string
	title  func(o DocOrg, s Subject, year int) string
	weight int
}

var docKinds = []docKind{
	{"gfxwj", "tongzhi", "规", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于印发《示例市%s》的通知", o.Name, rules(s.Name))
	}, 4},
	{"gfxwj", "yijian", "规", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于进一步加强%s工作的实施意见", o.Name, s.Name)
	}, 2},
	{"qtwj", "tongzhi", "发", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于做好%d年%s工作的通知", o.Name, y, s.Name)
	}, 4},
	{"qtwj", "han", "函", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于%s有关事项的复函", o.Name, s.Name)
	}, 2},
	{"qtwj", "tongbao", "发", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于%d年%s工作情况的通报", o.Name, y, s.Name)
	}, 2},
	{"ghxx", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("示例市%s“十四五”专项规划中期评估报告", s.Name)
	}, 1},
	{"tjxx", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%d年%s%s工作统计数据", y, o.Short, s.Name)
	}, 2},
	{"czyjs", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s%d年部门预算", o.Name, y)
	}, 1},
	{"xzzf", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s%s行政许可事项办理结果公示", o.Short, s.Name)
	}, 2},
	{"msly", "tonggao", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s关于%s政策落实情况的公告", o.Name, s.Name)
	}, 2},
	{"gwyzk", "gonggao", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s%d年公开遴选公务员公告", o.Name, y)
	}, 1},
	{"tfsj", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("示例市%s突发事件应急预案（%d年修订）", s.Name, y)
	}, 1},
	{"jgzn", "qita", "", func(o DocOrg, s Subject, y int) string {
		return fmt.Sprintf("%s主要职责和内设机构", o.Name)
	}, 1},
}

var bodyOpenings = []string{
	"为深入贯彻落实党中央、国务院和省委、省政府关于%s工作的决策部署，进一步提升工作的规范化、法治化水平，结合本市实际，制定本文件。",
	"为做好%s相关工作，切实保障人民群众合法权益，根据有关法律法规和上级文件精神，现就有关事项通知如下。",
	"近年来，全市%s工作取得积极进展，但仍存在制度不够健全、衔接不够顺畅等问题。为此，提出以下意见。",
}

var bodyPoints = []string{
	"明确工作职责。各有关单位要按照职责分工，落实主体责任，确保%s各项任务按时完成。",
	"规范办理程序。%s事项实行清单管理，公开办理依据、条件、程序和时限，接受社会监督。",
	"加强信息共享。依托全市一体化政务服务平台，推动%s数据互联互通，减少群众重复提交材料。",
	"强化监督检查。市级主管部门每季度对%s工作开展督导，对发现的问题限期整改。",
	"做好政策解读。各单位要通过政府网站、政务新媒体等渠道，及时解读%s相关政策，回应社会关切。",
	"加强组织保障。将%s工作纳入年度绩效考核，所需经费列入部门预算。",
}

// Generator writes demo documents for one org, deterministically for a
// seed: the same seed gives the same documents, so a re-run import of the
// generated file creates nothing new.
type Generator struct {
	Org DocOrg
	// From and To bound the publication instants.
	From, To time.Time
	r        *rand.Rand
	seq      map[string]int
	titles   map[string]int
	total    int
}

// NewGenerator returns a generator for org.
func NewGenerator(seed uint64, org DocOrg, from, to time.Time) *Generator {
	return &Generator{Org: org, From: from, To: to, r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)), seq: map[string]int{}, titles: map[string]int{}}
}

// Next returns the next document, published between From and To.
func (g *Generator) Next() gongkai.DocumentInput {
	g.total++
	var kind docKind
	sum := 0
	for _, k := range docKinds {
		sum += k.weight
	}
	n := g.r.IntN(sum)
	for _, k := range docKinds {
		if n -= k.weight; n < 0 {
			kind = k
			break
		}
	}
	subject := g.Org.Subjects[g.r.IntN(len(g.Org.Subjects))]
	span := g.To.Sub(g.From)
	published := g.From.Add(time.Duration(g.r.Int64N(int64(span)))).Truncate(time.Minute)
	pubDay := gongkai.DateOf(published)
	// Most documents go out within a couple of weeks of signing; a few
	// are late, so the timeliness figures have something to show.
	lag := g.r.IntN(14)
	if g.r.IntN(20) == 0 {
		lag = 35 + g.r.IntN(30)
	}
	signed := pubDay.AddDays(-lag)
	title := kind.title(g.Org, subject, signed.Year)
	if n := g.titles[title]; n > 0 {
		// A repeated title is numbered, as sites number batches.
		title = fmt.Sprintf("%s（第%s批）", title, chineseCount(n+1))
	}
	g.titles[kind.title(g.Org, subject, signed.Year)]++
	in := gongkai.DocumentInput{Title: &title}
	closing := "本文件自印发之日起施行。"
	if kind.column == "gfxwj" {
		// 行政规范性文件 state their term: 有效期5年 from the 施行日期,
		// the day of signing or, for one signed late in a month, the
		// first of the next. (No random draw: the rest of the file stays
		// as it was for a seed.)
		effective, until, text := policyTerm(signed, 5)
		in.EffectiveOn, in.ValidUntil = &effective, &until
		closing = "本" + policyNoun(kind.genre) + text
	}
	body := g.body(subject.Name, closing)
	summary := fmt.Sprintf("本文件就%s有关事项作出规定，明确工作职责、办理程序和监督措施。", subject.Name)
	genre, topic := kind.genre, subject.Topic
	columns := []string{kind.column}
	keywords := []string{subject.Name, g.Org.Short}
	issuers := []string{g.Org.Name}
	pub := published.UTC()
	in.Body, in.Summary, in.Genre, in.Topic, in.Columns, in.Keywords, in.Issuers, in.PublishedAt = &body, &summary, &genre, &topic, &columns, &keywords, &issuers, &pub
	if genre != "qita" || kind.column == "gfxwj" {
		in.SignedOn = &signed
	}
	if kind.noKind != "" {
		key := kind.noKind + fmt.Sprint(signed.Year)
		g.seq[key]++
		no := fmt.Sprintf("%s%s〔%d〕%d号", g.Org.Abbr, kind.noKind, signed.Year, g.seq[key])
		in.DocNo = &no
	}
	return in
}

// rules names a set of rules on a subject: 价格认定管理办法, but
// 应急管理办法 rather than 应急管理管理办法.
func rules(subject string) string {
	if strings.HasSuffix(subject, "管理") {
		return subject + "办法"
	}
	return subject + "管理办法"
}

// chineseCount writes 2…99 in Chinese numerals: 二, 十一, 二十三.
func chineseCount(n int) string {
	if n <= 10 {
		return chineseNumber(n)
	}
	if n < 20 {
		return "十" + chineseNumber(n%10)
	}
	if n < 100 {
		s := chineseNumber(n/10) + "十"
		if n%10 != 0 {
			s += chineseNumber(n % 10)
		}
		return s
	}
	return fmt.Sprint(n)
}

// policyTerm returns the 施行日期 and 有效期至 of a policy signed on signed
// with a term of years, and the closing sentence that states them:
// “自印发之日起施行，有效期5年。” or, signed after the 20th, from the first
// day of the next month.
func policyTerm(signed gongkai.Date, years int) (effective, until gongkai.Date, text string) {
	effective, text = signed, "自印发之日起施行"
	if signed.Day > 20 {
		effective = gongkai.DateOf(time.Date(signed.Year, signed.Month+1, 1, 12, 0, 0, 0, gongkai.Shanghai))
		text = "自" + effective.Chinese() + "起施行"
	}
	until = gongkai.DateOf(effective.Time().AddDate(years, 0, -1).Add(12 * time.Hour))
	return effective, until, fmt.Sprintf("%s，有效期%d年。", text, years)
}

// policyNoun is how a policy names itself in its closing article.
func policyNoun(genre string) string {
	if genre == "yijian" {
		return "意见"
	}
	return "办法"
}

func (g *Generator) body(subject, closing string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<p>"+bodyOpenings[g.r.IntN(len(bodyOpenings))]+"</p>", subject)
	points := g.r.Perm(len(bodyPoints))[:3+g.r.IntN(3)]
	for i, p := range points {
		fmt.Fprintf(&b, "<h2>%s、%s</h2><p>"+bodyPoints[p]+"</p>", chineseNumber(i+1), strings.SplitN(bodyPoints[p], "。", 2)[0], subject)
	}
	fmt.Fprintf(&b, `<p>%s</p><p class="ta-right">%s</p>`, closing, g.Org.Name)
	return b.String()
}

func chineseNumber(n int) string {
	return []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}[n%11]
}

// WriteJSONL writes n documents as an import file.
func (g *Generator) WriteJSONL(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for range n {
		if err := enc.Encode(g.Next()); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// seedDocuments gives the demo about 300 documents: archives of the last
// three years imported in bulk for every department (行政规范性文件 with a
// 施行日期 and 有效期5年, and three policies whose 有效期 ended shortly
// before the demo starts), then documents that go through the real
// workflow as the demo staff — published policies with an interpretation,
// an amendment and a repeal, withdrawn ones, and drafts waiting at each
// level of review.
func seedDocuments(ctx context.Context, db *store.DB, res *Result) error {
	now := db.Now()
	from, to := now.AddDate(-3, 0, 0), now.Add(-24*time.Hour)
	counts := map[string]int{"shili": 35, "shili-fgw": 45, "chengdong": 20, "chengdong-mzj": 15}
	for i, o := range DemoOrgs {
		n := counts[o.Code]
		if n == 0 {
			n = 24
		}
		var buf strings.Builder
		if err := NewGenerator(uint64(i+1), o, from, to).WriteJSONL(&buf, n); err != nil {
			return err
		}
		var bad []string
		if _, err := db.ImportDocuments(ctx, strings.NewReader(buf.String()), store.ImportOptions{OrgCode: o.Code,
			BadLine: func(e store.ImportError) { bad = append(bad, e.Error()) }}); err != nil {
			return fmt.Errorf("%s: %w", o.Code, err)
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s: %s", o.Code, strings.Join(bad, "; "))
		}
	}
	if err := seedLapsedPolicies(ctx, db); err != nil {
		return err
	}
	return seedWorkflow(ctx, db, res)
}

// lapsedPolicy is a policy of the archive whose 有效期 has run out.
type lapsedPolicy struct {
	org, title, docNo, subject, topic string
	// purpose is the first article's aim and summary the 内容概述.
	purpose, summary string
	years            int
	// ago is how many days before the demo's start its 有效期至 was.
	ago   int
	rules []string
}

// lapsedPolicies have 有效期至 a few days or weeks before the demo
// starts: two 暂行办法 of two years, the usual term of a 暂行 or 试行
// policy, and 若干政策措施 of three.
var lapsedPolicies = []lapsedPolicy{
	{"shili", "示例市人民政府关于印发《示例市促进数字经济高质量发展若干政策措施》的通知", "示政规〔%d〕19号", "数字经济", "0204",
		"加快数字经济发展，推动数字技术与实体经济深度融合", "明确对数字经济企业认定、上云用云等方面的支持措施。", 3, 1, []string{
			"对新认定的数字经济领域高新技术企业，按规定给予一次性奖励。",
			"支持企业上云用云，对购买云服务的中小企业按实际支出给予补助。",
			"本措施由市数字政府建设主管部门负责解释。"}},
	{"shili-fgw", "示例市发展和改革委员会关于印发《示例市重大项目前期工作经费管理暂行办法》的通知", "示发改规〔%d〕19号", "重大项目", "0306",
		"规范重大项目前期工作经费管理，提高资金使用效益", "明确重大项目前期工作经费的使用范围、下达程序和监督管理。", 2, 9, []string{
			"前期工作经费用于列入市级重大项目储备库的项目开展可行性研究、勘察设计等前期工作。",
			"项目单位应当在经费下达后六个月内完成相应前期工作，并报送经费使用情况。",
			"本办法由市发展和改革委员会负责解释。"}},
	{"shili-mzj", "示例市民政局关于印发《示例市居家养老服务补贴管理暂行办法》的通知", "示民规〔%d〕19号", "养老服务", "1703",
		"规范居家养老服务补贴管理，提升老年人生活质量", "明确居家养老服务补贴的对象、标准、发放方式和监督管理。", 2, 24, []string{
			"本市户籍、年满八十周岁且经评估需要照护的老年人，可以申请居家养老服务补贴。",
			"补贴以服务券形式发放，用于购买助餐、助洁、助浴等居家养老服务。",
			"本办法由市民政局负责解释。"}},
}

// seedLapsedPolicies imports lapsedPolicies as the archive stood before
// their terms ran out, with the clock set back to then: they are on the
// portal still 有效, and the expiry job, which runs when the server starts,
// marks them 失效 and gives the departments' editors the notice, as it
// would on a server that was down when the terms ended. Seed runs before
// the job runner starts, so nothing else reads the clock meanwhile.
func seedLapsedPolicies(ctx context.Context, db *store.DB) error {
	now := db.Now
	defer func() { db.Now = now }()
	today := gongkai.DateOf(now())
	// A week before the first of the terms ended.
	longest := 0
	for _, p := range lapsedPolicies {
		longest = max(longest, p.ago)
	}
	asOf := today.AddDays(-longest - 7).Time().Add(10 * time.Hour)
	db.Now = func() time.Time { return asOf }
	for _, p := range lapsedPolicies {
		until := today.AddDays(-p.ago)
		effective := gongkai.DateOf(until.Time().AddDate(-p.years, 0, 1).Add(12 * time.Hour))
		signed := effective.AddDays(-12)
		published := signed.AddDays(3).Time().Add(9*time.Hour + 30*time.Minute).UTC()
		var org DocOrg
		for _, o := range DemoOrgs {
			if o.Code == p.org {
				org = o
			}
		}
		name := strings.TrimSuffix(strings.SplitN(p.title, "《", 2)[1], "》的通知")
		noun := "办法"
		if strings.HasSuffix(name, "措施") {
			noun = "措施"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "<p>各有关单位：</p><p>现将《%s》印发给你们，请认真贯彻执行。</p><h2>%s</h2>", name, name)
		fmt.Fprintf(&b, "<p>第一条　为%s，根据有关法律法规和政策规定，结合本市实际，制定本%s。</p>", p.purpose, noun)
		for i, r := range p.rules {
			fmt.Fprintf(&b, "<p>第%s条　%s</p>", chineseNumber(i+2), r)
		}
		fmt.Fprintf(&b, "<p>第%s条　本%s自%s起施行，有效期%d年。</p><p class=\"ta-right\">%s</p>", chineseNumber(len(p.rules)+2), noun, effective.Chinese(), p.years, org.Name)
		title, body, docNo := p.title, b.String(), fmt.Sprintf(p.docNo, signed.Year)
		summary := fmt.Sprintf("%s有效期%d年。", p.summary, p.years)
		genre, topic := "tongzhi", p.topic
		in := gongkai.DocumentInput{Title: &title, Body: &body, Summary: &summary, Genre: &genre, Topic: &topic, DocNo: &docNo,
			Columns: &[]string{"gfxwj"}, Keywords: &[]string{p.subject, org.Short}, Issuers: &[]string{org.Name},
			SignedOn: &signed, EffectiveOn: &effective, ValidUntil: &until, PublishedAt: &published}
		line, err := json.Marshal(in)
		if err != nil {
			return err
		}
		var bad []string
		prog, err := db.ImportDocuments(ctx, strings.NewReader(string(line)), store.ImportOptions{OrgCode: p.org,
			BadLine: func(e store.ImportError) { bad = append(bad, e.Error()) }})
		if err != nil {
			return fmt.Errorf("%s: %w", p.org, err)
		}
		if len(bad) > 0 || prog.Created != 1 {
			return fmt.Errorf("%s: %s not imported: %s", p.org, title, strings.Join(bad, "; "))
		}
	}
	return nil
}

// as returns a context acting as a demo user.
func as(ctx context.Context, db *store.DB, username string) (context.Context, error) {
	u, err := db.FindUserByUsername(gongkai.WithActor(ctx, gongkai.SystemActor("demo")), username)
	if err != nil {
		return nil, err
	}
	return gongkai.WithActor(ctx, &gongkai.Actor{UserID: u.ID, Username: u.Username, Name: u.DisplayName, Grants: u.Grants}), nil
}

func seedWorkflow(ctx context.Context, db *store.DB, res *Result) error {
	users := map[string]context.Context{}
	for _, name := range []string{"fgw-editor", "fgw-chushen", "fgw-fushen", "fgw-zhongshen", "mzj-editor", "mzj-review"} {
		c, err := as(ctx, db, name)
		if err != nil {
			return err
		}
		users[name] = c
	}
	ed := users["fgw-editor"]
	today := gongkai.DateOf(db.Now())
	str := func(s string) *string { return &s }
	date := func(d gongkai.Date) *gongkai.Date { return &d }
	policy := func(title, docNo string, days int) gongkai.DocumentUpdate {
		return gongkai.DocumentUpdate{Title: str(title), Genre: str("通知"), Topic: str("0304"), DocNo: str(docNo), SignedOn: date(today.AddDays(-days)),
			Columns: &[]string{"gfxwj"}, Keywords: &[]string{"价格认定"}, Summary: str("规范价格认定的范围、程序和监督。"),
			Body: str("<p>第一条　为规范价格认定行为，保障当事人合法权益，根据有关规定，制定本办法。</p><p>第二条　本市行政区域内的价格认定工作，适用本办法。</p><p>第三条　价格认定应当遵循依法、公正、科学、效率的原则。</p>")}
	}
	approve := func(id int64, levels ...string) error {
		for _, u := range levels {
			if _, err := db.ReviewDocument(users[u], id, gongkai.Approve, "同意。"); err != nil {
				return fmt.Errorf("approve %d by %s: %w", id, u, err)
			}
		}
		return nil
	}
	create := func(c context.Context, u gongkai.DocumentUpdate, submit bool) (*gongkai.Document, error) {
		d, err := db.CreateDocument(c, "", u)
		if err != nil {
			return nil, err
		}
		if submit {
			if _, err := db.SubmitDocument(c, d.ID); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	all := []string{"fgw-chushen", "fgw-fushen", "fgw-zhongshen"}
	// A policy, its amended version with an interpretation, and a repeal.
	old, err := create(ed, policy("示例市价格认定办法", "示发改规〔2023〕9号", 400), true)
	if err != nil {
		return err
	}
	if err := approve(old.ID, all...); err != nil {
		return err
	}
	u := policy("示例市价格认定办法（修订）", fmt.Sprintf("示发改规〔%d〕21号", today.Year), 3)
	u.Amends = &[]int64{old.ID}
	amended, err := create(ed, u, true)
	if err != nil {
		return err
	}
	if err := approve(amended.ID, all...); err != nil {
		return err
	}
	interp, err := create(ed, gongkai.DocumentUpdate{Title: str("《示例市价格认定办法（修订）》政策解读"), Genre: str("其他"), Topic: str("0304"),
		Columns: &[]string{"qtwj"}, Interprets: &[]int64{amended.ID}, Keywords: &[]string{"政策解读"},
		Body: str("<h2>一、修订背景</h2><p>原办法施行以来，价格认定工作的范围和程序发生了变化，需要相应修订。</p><h2>二、主要内容</h2><p>修订后的办法明确了认定申请、受理、作出结论和复核的时限。</p>")}, true)
	if err != nil {
		return err
	}
	if err := approve(interp.ID, all...); err != nil {
		return err
	}
	u = policy("示例市价格调节基金征收管理办法", "示发改规〔2022〕4号", 700)
	toRepeal, err := create(ed, u, true)
	if err != nil {
		return err
	}
	if err := approve(toRepeal.ID, all...); err != nil {
		return err
	}
	u = policy("示例市发展和改革委员会关于废止《示例市价格调节基金征收管理办法》的决定", fmt.Sprintf("示发改规〔%d〕22号", today.Year), 2)
	u.Genre, u.Repeals = str("决定"), &[]int64{toRepeal.ID}
	repeal, err := create(ed, u, true)
	if err != nil {
		return err
	}
	if err := approve(repeal.ID, all...); err != nil {
		return err
	}
	// Withdrawn: once normally, once as published in error.
	for i, mode := range []gongkai.WithdrawMode{gongkai.WithdrawNormal, gongkai.WithdrawErroneous} {
		d, err := create(ed, policy(fmt.Sprintf("关于开展%d年重点商品价格监测的通知（已撤回%d）", today.Year, i+1), fmt.Sprintf("示发改规〔%d〕%d号", today.Year, 30+i), 5), true)
		if err != nil {
			return err
		}
		if err := approve(d.ID, all...); err != nil {
			return err
		}
		reason := "监测范围调整，本通知另行发布。"
		if mode == gongkai.WithdrawErroneous {
			reason = "误将征求意见稿作为正式文件发布。"
		}
		if _, err := db.WithdrawDocument(users["fgw-zhongshen"], d.ID, mode, reason); err != nil {
			return err
		}
	}
	// Waiting at each level, a rejected draft and a plain draft.
	for level := 1; level <= 3; level++ {
		d, err := create(ed, policy(fmt.Sprintf("示例市重大项目价格评审规则（待%s）", gongkai.ReviewLevelLabel(level, 3)), fmt.Sprintf("示发改规〔%d〕%d号", today.Year, 40+level), 1), true)
		if err != nil {
			return err
		}
		if err := approve(d.ID, all[:level-1]...); err != nil {
			return err
		}
	}
	rejected, err := create(ed, policy("示例市节能审查实施细则（退回修改）", fmt.Sprintf("示发改规〔%d〕50号", today.Year), 2), true)
	if err != nil {
		return err
	}
	if _, err := db.ReviewDocument(users["fgw-chushen"], rejected.ID, gongkai.Reject, "第五条的审查时限与上位法不一致，请核实后修改。"); err != nil {
		return err
	}
	if _, err := create(ed, gongkai.DocumentUpdate{Title: str("示例市社会信用体系建设工作要点（草稿）"), Topic: str("0407"), Columns: &[]string{"qtwj"}}, false); err != nil {
		return err
	}
	if db.Jobs != nil {
		u := policy("示例市价格认定复核办法（定时发布）", fmt.Sprintf("示发改规〔%d〕51号", today.Year), 1)
		at := today.AddDays(1).Time().Add(9 * time.Hour)
		u.PublishAt = &at
		d, err := create(ed, u, true)
		if err != nil {
			return err
		}
		if err := approve(d.ID, all...); err != nil {
			return err
		}
	}
	// The 民政局 has one reviewer for every level, so its document waits
	// at 复审: the same person may not approve twice.
	mu := gongkai.DocumentUpdate{Title: str("示例市最低生活保障审核确认办法"), Genre: str("通知"), Topic: str("1703"), DocNo: str(fmt.Sprintf("示民规〔%d〕3号", today.Year)),
		SignedOn: date(today.AddDays(-1)), Columns: &[]string{"gfxwj"}, Body: str("<p>为规范最低生活保障审核确认工作，制定本办法。</p>")}
	d, err := create(users["mzj-editor"], mu, true)
	if err != nil {
		return err
	}
	_, err = db.ReviewDocument(users["mzj-review"], d.ID, gongkai.Approve, "同意。")
	return err
}
