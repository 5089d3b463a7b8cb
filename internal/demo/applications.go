package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/store"
)

// seedApplications creates about 150 applications over the last two
// years through the same services staff use, so every rule runs: all 21
// outcomes, every channel and applicant kind, 补正 (answered and lapsed),
// third-party and co-maker consultations, extensions, fees (paid and
// unpaid), late replies, appeals of each kind and result, and a queue of
// open ones (awaiting confirmation, on time, due soon, overdue, waiting for
// a correction, a consultation or a payment). Everything is invented; the
// random choices are seeded, so every demo has the same cases relative to
// its start date.
func seedApplications(ctx context.Context, db *store.DB, res *Result) error {
	cal, err := db.Calendar().Workdays(ctx)
	if err != nil {
		return err
	}
	today := gongkai.DateOf(db.Now())
	if _, err := cal.Add(today, 1); err != nil {
		// The calendar does not know this year yet: deadlines cannot be
		// computed, so the demo has no applications rather than wrong ones.
		return nil
	}
	g := &appGen{ctx: ctx, db: db, cal: cal, today: today, rnd: rand.New(rand.NewPCG(2024, 11)), res: res}
	return g.run()
}

type appGen struct {
	ctx   context.Context
	db    *store.DB
	cal   gongkai.Workdays
	today gongkai.Date
	rnd   *rand.Rand
	res   *Result
	n     int
	// Applications that failed because a deadline runs into a year the
	// calendar does not hold yet; skipped, not fatal.
	skipped int
}

// The orgs that receive applications, with what people ask them for.
var appOrgs = []struct {
	code     string
	subjects []string
}{
	{"shili", []string{"示例市人民政府2023年重大行政决策事项目录", "示例市人民政府常务会议纪要（涉及城市更新部分）", "示例市政府工作报告目标任务分解方案"}},
	{"shili-fgw", []string{"城市更新项目资金安排情况", "示例市国民经济和社会发展统计公报编制说明", "某工业园区项目立项批复文件", "居民用水阶梯价格调整听证会材料"}},
	{"shili-jyj", []string{"义务教育学校招生划片方案", "民办学校收费备案材料", "中小学校舍安全排查结果"}},
	{"shili-gaj", []string{"城区道路交通信号灯配时方案", "户籍迁入政策执行口径", "电动自行车登记管理办法起草说明"}},
	{"shili-mzj", []string{"最低生活保障标准调整文件", "养老机构运营补贴发放情况", "社会组织年检结果"}},
	{"shili-czj", []string{"部门预算执行情况", "政府采购项目合同", "财政专项资金分配明细"}},
	{"shili-rsj", []string{"事业单位公开招聘面试成绩复核规则", "社会保险基金年度收支情况"}},
	{"shili-zrzyj", []string{"城东片区控制性详细规划调整批复", "建设用地规划许可证", "征收土地公告及补偿安置方案"}},
	{"shili-sthjj", []string{"某企业环境影响评价报告书", "空气质量监测站点分布及数据", "排污许可证核发情况"}},
	{"chengdong", []string{"城东区老旧小区改造计划", "城东区2024年为民办实事项目清单"}},
	{"chengxi", []string{"城西区征收补偿方案", "城西区河道整治工程验收材料"}},
	{"huxian", []string{"湖县乡村振兴项目资金使用情况", "湖县地质灾害隐患点排查报告"}},
	{"chengdong-mzj", []string{"城东区低保审批程序", "城东区临时救助发放名单（去标识化）"}},
}

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
	given    = []string{"明", "芳", "伟", "秀英", "强", "丽", "军", "敏", "静", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "超", "霞", "平", "刚"}
	orgNames = map[gongkai.ApplicantKind][]string{
		gongkai.ApplicantCommercial: {"示例市恒远建材有限公司", "示例市青禾科技有限公司", "示例湖畔置业有限公司", "示例市通达物流有限公司"},
		gongkai.ApplicantResearch:   {"示例市城市发展研究院", "示例大学公共政策研究中心"},
		gongkai.ApplicantNonprofit:  {"示例市绿色家园环保志愿者协会", "示例市助老公益服务中心"},
		gongkai.ApplicantLegal:      {"示例明正律师事务所", "示例市法律援助中心"},
		gongkai.ApplicantOtherOrg:   {"示例市城东区东兴村村民委员会", "示例市湖县农业种植专业合作社"},
	}
	// registration prefixes of the 统一社会信用代码 per kind (GB 32100:
	// 91 enterprise, 12 public institution, 52 social organisation,
	// 31 law firm, 54 village committee).
	creditPrefix = map[gongkai.ApplicantKind]string{gongkai.ApplicantCommercial: "91", gongkai.ApplicantResearch: "12",
		gongkai.ApplicantNonprofit: "52", gongkai.ApplicantLegal: "31", gongkai.ApplicantOtherOrg: "54"}
)

// outcomeMix: granted and partial are the common results; every row of
// table 三 appears.
var outcomeMix = func() []gongkai.Outcome {
	var out []gongkai.Outcome
	add := func(o gongkai.Outcome, n int) {
		for range n {
			out = append(out, o)
		}
	}
	add(gongkai.OutcomeGranted, 40)
	add(gongkai.OutcomePartiallyGranted, 14)
	for _, o := range gongkai.Outcomes[2:] {
		add(o, 3)
	}
	add(gongkai.OutcomeUnavailableNotHeld, 9)
	return out
}()

func (g *appGen) pick(n int) int { return g.rnd.IntN(n) }

// forced are the rolls of closedCase that give, in turn, a 补正, a
// third-party consultation, a co-maker consultation, a paid fee, an
// extension and a late reply.
var forced = []int{5, 18, 24, 28, 45, 95}

func (g *appGen) add(d gongkai.Date, n int) gongkai.Date {
	out, err := g.cal.Add(d, n)
	if err != nil {
		return d.AddDays(n * 7 / 5)
	}
	return out
}

// back returns the day n working days before d.
func (g *appGen) back(d gongkai.Date, n int) gongkai.Date {
	x := d
	for k := 0; k < n; {
		x = x.AddDays(-1)
		if ok, err := g.cal.IsWorkday(x); err != nil || ok {
			k++
		}
	}
	return x
}

func (g *appGen) applicant(kind gongkai.ApplicantKind) gongkai.Applicant {
	g.n++
	phone := fmt.Sprintf("1380000%04d", g.n)
	if kind == gongkai.ApplicantNatural {
		name := string(surnames[g.pick(len(surnames))]) + given[g.pick(len(given))]
		birth := gongkai.NewDate(1950+g.pick(50), time.Month(1+g.pick(12)), 1+g.pick(28))
		first17 := fmt.Sprintf("369902%04d%02d%02d%03d", birth.Year, int(birth.Month), birth.Day, 100+g.n)
		check, _ := ident.CitizenIDCheckChar(first17)
		a := gongkai.Applicant{Kind: kind, Name: name, IDType: gongkai.IDCitizen, IDNumber: first17 + string(check), Phone: phone,
			Address: fmt.Sprintf("示例市城东区幸福路%d号", g.n), PostCode: "369902"}
		if g.n%3 == 0 {
			a.Email = fmt.Sprintf("citizen%d@example.cn", g.n)
		}
		return a
	}
	names := orgNames[kind]
	cc, _ := ident.ComposeCreditCode(creditPrefix[kind], "369900", fmt.Sprintf("MA%06d", g.n))
	return gongkai.Applicant{Kind: kind, Name: names[g.pick(len(names))], IDType: gongkai.IDCreditCode, IDNumber: cc,
		Contact: string(surnames[g.pick(len(surnames))]) + "先生", Phone: fmt.Sprintf("0000-6%07d", g.n),
		Email: fmt.Sprintf("office%d@example.cn", g.n), Address: fmt.Sprintf("示例市高新区创新大道%d号", g.n)}
}

func (g *appGen) kind(i int) gongkai.ApplicantKind {
	if i < len(gongkai.ApplicantKinds) {
		return gongkai.ApplicantKinds[i] // each kind at least once
	}
	if g.pick(10) < 7 {
		return gongkai.ApplicantNatural
	}
	return gongkai.ApplicantKinds[1+g.pick(5)]
}

func (g *appGen) request(subjects []string, year int, delivery gongkai.Delivery) gongkai.InfoRequest {
	s := subjects[g.pick(len(subjects))]
	r := gongkai.InfoRequest{Subject: s, Form: gongkai.FormElectronic, Delivery: delivery}
	if g.pick(3) == 0 && !strings.Contains(s, "年") {
		r.Subject = fmt.Sprintf("%d年%s", year-1, s)
	}
	if g.pick(4) == 0 {
		r.DocNo = fmt.Sprintf("示政办发〔%d〕%d号", year-1, 1+g.pick(60))
	}
	if g.pick(2) == 0 {
		r.Description = "请提供正式印发的文件全文及附件。"
	}
	switch delivery {
	case gongkai.DeliveryPost, gongkai.DeliveryPickup:
		r.Form = gongkai.FormPaper
	}
	return r
}

// create records one application received on the given day.
func (g *appGen) create(i int, received gongkai.Date, channel gongkai.Channel) (*gongkai.Application, error) {
	org := appOrgs[i%len(appOrgs)]
	a := g.applicant(g.kind(i))
	delivery := []gongkai.Delivery{gongkai.DeliveryEmail, gongkai.DeliveryPost, gongkai.DeliveryPickup, gongkai.DeliveryOnline}[g.pick(4)]
	if delivery == gongkai.DeliveryEmail && a.Email == "" {
		delivery = gongkai.DeliveryOnline
	}
	s := &gongkai.ApplicationSubmission{OrgCode: org.code, Channel: channel, ReceivedOn: received, Applicant: a,
		Request: g.request(org.subjects, received.Year, delivery)}
	app, _, err := g.db.CreateApplication(g.ctx, s)
	return app, err
}

func (g *appGen) event(app *gongkai.Application, ev gongkai.ApplicationEvent) (*gongkai.Application, error) {
	out, _, err := g.db.AddApplicationEvent(g.ctx, app.ID, ev)
	return out, err
}

// skippable reports an error caused by the calendar not knowing a year
// that a deadline runs into (the demo started late in the last known
// year): that case is left out.
func (g *appGen) skippable(err error) bool {
	if err != nil && strings.Contains(gongkai.ErrorMessage(err), "工作日历") {
		g.skipped++
		return true
	}
	return false
}

func (g *appGen) run() error {
	channels := gongkai.Channels
	const closed = 126
	for i := range closed {
		// Receipts spread over the last two years, oldest first, ending
		// about two months ago so every one of them can be closed.
		received := g.today.AddDays(-730 + i*670/closed)
		if ok, _ := g.cal.IsWorkday(received); !ok {
			received = g.add(received, 1)
		}
		outcome := outcomeMix[g.pick(len(outcomeMix))]
		if i < len(gongkai.Outcomes) {
			outcome = gongkai.Outcomes[i] // each outcome at least once
		} else if i < len(gongkai.Outcomes)+len(forced) {
			outcome = gongkai.OutcomeGranted // the forced ledgers below
		}
		err := g.closedCase(i, received, channels[i%len(channels)], outcome)
		if g.skippable(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("application %d (%s): %w", i, outcome, err)
		}
	}
	if err := g.openCases(closed); err != nil && !g.skippable(err) {
		return err
	}
	return nil
}

// closedCase handles one application to its reply with a plausible
// ledger for its outcome.
func (g *appGen) closedCase(i int, received gongkai.Date, channel gongkai.Channel, outcome gongkai.Outcome) error {
	app, err := g.create(i, received, channel)
	if err != nil {
		return err
	}
	d := received
	due := g.add(received, 20)
	roll := g.pick(100)
	// The first cases after one per outcome each get one kind of ledger,
	// so every kind of event occurs whatever the random rolls.
	if k := i - len(gongkai.Outcomes); k >= 0 && k < len(forced) {
		roll = forced[k]
	}
	switch {
	case outcome == gongkai.OutcomeOtherNoSupplement:
		on := g.add(received, 3)
		deadline := on.AddDays(15)
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: on, Items: "请写明所需信息的名称、文号或者形成时间", Deadline: deadline}); err != nil {
			return err
		}
		return g.reply(app, outcome, deadline.AddDays(1))
	case outcome == gongkai.OutcomeOtherFeeUnpaid:
		on := g.add(received, 6)
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: on,
			Fee: &gongkai.Fee{Method: gongkai.FeePerPage, Quantity: 80 + g.pick(200), Payment: "通过非税收入缴款码缴纳"}}); err != nil {
			return err
		}
		return g.reply(app, outcome, g.add(on, 21))
	case outcome == gongkai.OutcomeUnavailableUnclear || roll < 15:
		// 补正 within the 7 working days, answered; the period restarts.
		on := g.add(received, 1+g.pick(5))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: on, Items: "请明确所需信息的时间范围和具体项目", Deadline: g.add(on, 10)}); err != nil {
			return err
		}
		d = g.add(on, 2+g.pick(6))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventSupplementReceived, Date: d}); err != nil {
			return err
		}
		due = g.add(d, 20)
	}
	if outcome == gongkai.OutcomeWithheldThirdParty || outcome == gongkai.OutcomePartiallyGranted && roll%2 == 0 || roll >= 15 && roll < 22 {
		on := g.add(d, 2+g.pick(4))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyConsulted, Date: on, Party: "相关企业"}); err != nil {
			return err
		}
		back := g.add(on, 3+g.pick(10))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyReplied, Date: back, Party: "相关企业", Note: "不同意公开，认为涉及商业秘密"}); err != nil {
			return err
		}
		d, due = back, app.Clock.DueOn
	}
	if roll >= 22 && roll < 26 {
		on := g.add(d, 1+g.pick(3))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventCoMakerConsulted, Date: on, Party: "示例市财政局"}); err != nil {
			return err
		}
		back := g.add(on, 2+g.pick(8))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventCoMakerReplied, Date: back, Party: "示例市财政局"}); err != nil {
			return err
		}
		d, due = back, app.Clock.DueOn
	}
	if roll >= 26 && roll < 32 && outcome.Group() != "not_processed" {
		on := g.add(d, 1+g.pick(3))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: on,
			Fee: &gongkai.Fee{Method: gongkai.FeePerPage, Quantity: 40 + g.pick(180), Payment: "通过非税收入缴款码缴纳"}}); err != nil {
			return err
		}
		paid := g.add(on, 2+g.pick(8))
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventFeePaid, Date: paid}); err != nil {
			return err
		}
		d, due = paid, app.Clock.DueOn
	}
	if roll >= 40 && roll < 50 {
		// An extension, approved and notified a few days before the due date.
		on := g.back(due, 2+g.pick(3))
		if on.Before(d) {
			on = d
		}
		if app, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: on, Days: 10 + g.pick(11),
			ApprovedBy: "办公室主任 " + string(surnames[g.pick(len(surnames))]) + "某", NotifiedOn: on, Note: "所需信息涉及多个科室，需要调取档案核实"}); err != nil {
			return err
		}
		d, due = on, app.Clock.DueOn
	}
	// The reply: usually in time, sometimes a little late.
	var replyOn gongkai.Date
	if roll >= 90 {
		replyOn = g.add(due, 1+g.pick(3))
	} else {
		span, _ := g.cal.Between(d, due)
		replyOn = g.add(d, 1+g.pick(max(span, 1)))
	}
	if replyOn.After(g.today) {
		replyOn = g.today
	}
	if err := g.reply(app, outcome, replyOn); err != nil {
		return err
	}
	if outcome.Group() == "withheld" || outcome == gongkai.OutcomePartiallyGranted || outcome == gongkai.OutcomeUnavailableNotHeld {
		if g.pick(3) == 0 || i%37 == 0 {
			return g.appeal(app, replyOn, i)
		}
	}
	return nil
}

func (g *appGen) reply(app *gongkai.Application, outcome gongkai.Outcome, on gongkai.Date) error {
	r := gongkai.Reply{Outcome: outcome, Date: on, Basis: outcome.DefaultBasis()}
	subject := app.Request.Summary()
	switch group := outcome.Group(); {
	case outcome == gongkai.OutcomeGranted:
		r.Provided = []string{subject, fmt.Sprintf("https://www.shili.example/xxgk/%s.html", strings.ToLower(app.TrackingNo))}
	case outcome == gongkai.OutcomePartiallyGranted:
		r.Provided = []string{subject + "（删除第三方信息后的版本）"}
		r.Withheld = "文件附件中涉及企业报价和个人身份的信息"
		r.Reason = "该部分信息公开会损害第三方合法权益，第三方书面表示不同意公开"
		r.Basis = "《中华人民共和国政府信息公开条例》第十五条、第三十七条"
	case group == "withheld":
		r.Reason = map[gongkai.Outcome]string{
			gongkai.OutcomeWithheldStateSecret:   "该文件已依法定为国家秘密",
			gongkai.OutcomeWithheldProhibited:    "相关法律规定该类信息不得公开",
			gongkai.OutcomeWithheldThreeSecurity: "公开后可能危及社会稳定",
			gongkai.OutcomeWithheldThirdParty:    "第三方书面表示不同意公开且理由合理，不公开不会对公共利益造成重大影响",
			gongkai.OutcomeWithheldInternal:      "所申请信息为本机关内部人事管理信息",
			gongkai.OutcomeWithheldProcess:       "所申请信息为研究讨论过程中的讨论记录",
			gongkai.OutcomeWithheldEnforcement:   "所申请信息为行政执法案卷材料",
			gongkai.OutcomeWithheldAdminQuery:    "该信息应当依照不动产登记的有关规定查询",
		}[outcome]
	case outcome == gongkai.OutcomeUnavailableNotHeld:
		if g.pick(2) == 0 {
			r.NotHeld = gongkai.NotHeldNotExist
		} else {
			r.NotHeld, r.OtherOrgan, r.OtherOrganContact = gongkai.NotHeldOtherOrgan, "示例市城东区人民政府", "0000-22345678"
			r.Basis = "《中华人民共和国政府信息公开条例》第三十六条第（五）项"
		}
	case outcome == gongkai.OutcomeOtherNoSupplement:
		r.Reason = "申请人在补正期限内未补正"
	case outcome == gongkai.OutcomeOtherFeeUnpaid:
		r.Reason = "申请人在缴费期限内未缴纳信息处理费"
	default:
		r.Reason = map[gongkai.Outcome]string{
			gongkai.OutcomeUnavailableNeedsCreate:  "需要对多个年度的统计数据重新汇总分析",
			gongkai.OutcomeUnavailableUnclear:      "补正后仍无法确定所需信息",
			gongkai.OutcomeNotProcessedPetition:    "申请内容系对邻里纠纷处理结果的投诉",
			gongkai.OutcomeNotProcessedRepeated:    "本机关已于此前对相同内容作出答复",
			gongkai.OutcomeNotProcessedPublication: "所申请的年鉴已公开出版发行",
			gongkai.OutcomeNotProcessedExcessive:   "申请人在短期内提出大量内容相近的申请，且未说明理由",
			gongkai.OutcomeNotProcessedConfirm:     "申请人要求确认其已获取的文件是否真实",
			gongkai.OutcomeOtherOther:              "申请人书面撤回申请",
		}[outcome]
	}
	_, _, err := g.db.ReplyApplication(g.ctx, app.ID, r, nil)
	return err
}

var appealBodies = map[gongkai.AppealKind]string{
	gongkai.AppealReconsideration:      "示例市人民政府",
	gongkai.AppealLitigationDirect:     "示例市城东区人民法院",
	gongkai.AppealLitigationAfterRecon: "示例市中级人民法院",
}

func (g *appGen) appeal(app *gongkai.Application, replied gongkai.Date, i int) error {
	kind := gongkai.AppealKinds[i%3]
	filed := replied.AddDays(10 + g.pick(40))
	if filed.After(g.today) {
		filed = g.today
	}
	p := &gongkai.Appeal{Kind: kind, FiledOn: filed, Body: appealBodies[kind], Result: gongkai.AppealPending}
	if closedOn := filed.AddDays(60 + g.pick(60)); !closedOn.After(g.today) {
		p.Result, p.ClosedOn = []gongkai.AppealResult{gongkai.AppealUpheld, gongkai.AppealUpheld, gongkai.AppealCorrected, gongkai.AppealOther}[g.pick(4)], closedOn
	}
	return g.db.AddAppeal(g.ctx, app.ID, p)
}

// openCases fills the queue: applications still being handled today.
func (g *appGen) openCases(first int) error {
	t := g.today
	mk := func(i int, received gongkai.Date, ch gongkai.Channel) (*gongkai.Application, error) {
		return g.create(first+i, received, ch)
	}
	type step func() error
	var steps []step
	// On time, due soon and overdue, by receipt date.
	for k, wd := range []int{2, 6, 10, 16, 17, 18, 19, 22, 24, 28} {
		k, wd := k, wd
		steps = append(steps, func() error {
			_, err := mk(k, g.back(t, wd), gongkai.Channels[(k+1)%len(gongkai.Channels)])
			return err
		})
	}
	// Waiting for a correction.
	steps = append(steps, func() error {
		app, err := mk(10, g.back(t, 3), gongkai.ChannelEmail)
		if err != nil {
			return err
		}
		_, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: g.back(t, 1), Items: "请写明所需信息的形成年份", Deadline: t.AddDays(10)})
		return err
	})
	// A consultation under way.
	steps = append(steps, func() error {
		app, err := mk(11, g.back(t, 8), gongkai.ChannelPostRegistered)
		if err != nil {
			return err
		}
		_, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyConsulted, Date: g.back(t, 4), Party: "相关企业"})
		return err
	})
	// A fee notice awaiting payment.
	steps = append(steps, func() error {
		app, err := mk(12, g.back(t, 9), gongkai.ChannelInPerson)
		if err != nil {
			return err
		}
		_, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: g.back(t, 2),
			Fee: &gongkai.Fee{Method: gongkai.FeePerPage, Quantity: 150, Payment: "通过非税收入缴款码缴纳"}})
		return err
	})
	// Extended, running.
	steps = append(steps, func() error {
		app, err := mk(13, g.back(t, 21), gongkai.ChannelFax)
		if err != nil {
			return err
		}
		on := g.back(t, 3)
		_, err = g.event(app, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: on, Days: 15, ApprovedBy: "办公室主任 李某", NotifiedOn: on,
			Note: "所需信息数量较大，需要逐件审查"})
		return err
	})
	// Online applications the office has not confirmed yet.
	for k := range 3 {
		k := k
		steps = append(steps, func() error {
			org := appOrgs[k%len(appOrgs)]
			s := &gongkai.ApplicationSubmission{OrgCode: org.code, Applicant: g.applicant(gongkai.ApplicantNatural),
				Request: g.request(org.subjects, t.Year, gongkai.DeliveryOnline)}
			app, code, err := g.db.SubmitApplication(g.ctx, s)
			if err == nil && k == 0 {
				g.res.Sample = &SampleApplication{TrackingNo: app.TrackingNo, AccessCode: code[:5] + "-" + code[5:]}
			}
			return err
		})
	}
	for _, s := range steps {
		if err := s(); err != nil && !g.skippable(err) {
			return err
		}
	}
	return nil
}

// SampleApplication is one demo application a visitor can look up on the
// public tracking page.
type SampleApplication struct {
	TrackingNo, AccessCode string
}
