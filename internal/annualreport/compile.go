package annualreport

import (
	"fmt"
	"time"

	"gongkai"
)

// FirstYear is the earliest year a report can be compiled for: the 条例 took
// effect on 1 May 2008.
const FirstYear = 2008

// Input is everything Compile needs, as plain facts the store provides. Only
// the records that can touch the year matter (applications received by 31
// December and not closed before 1 January, and so on); passing more is
// harmless.
type Input struct {
	Org  Org
	Year int
	// Today is the Asia/Shanghai date of compilation. A year after Today's
	// is refused; Today's own year compiles as a provisional report.
	Today gongkai.Date

	Applications []Application
	Appeals      []Appeal
	// Documents are the organ's issued 规章 and 行政规范性文件 of all years
	// (现行有效件数 needs the old ones too), drafts excluded.
	Documents []Document
	// Figures are the table 二 numbers kept in other systems.
	Figures Figures
	// Texts are the prose sections as staff last saved them; an empty one is
	// replaced by its computed draft.
	Texts Texts

	// Published counts the documents published on the portal in the year,
	// by column (栏目), for the draft of section 一.
	Published []ColumnCount
	// Interpretations is the number of 政策解读 published in the year.
	Interpretations int
	// FeeNotices are the 信息处理费 收费通知 issued by the organ, for the draft
	// of section 六.
	FeeNotices []FeeNotice
}

// Application is one 政府信息公开申请 as the report sees it.
type Application struct {
	Ref        string // the application's number, used in error messages
	Applicant  gongkai.ApplicantKind
	ReceivedOn gongkai.Date // 收到申请之日 (Art. 31)
	// DueOn is the statutory reply deadline including any extension; zero
	// when unknown. An application closed on or before it was answered on
	// time.
	DueOn    gongkai.Date
	ClosedOn gongkai.Date    // zero while still being handled
	Outcome  gongkai.Outcome // set exactly when ClosedOn is
}

// AppealKind is the column group of table 四 an appeal is counted in.
type AppealKind string

// The three kinds of appeal.
const (
	AppealReconsideration                = AppealKind("reconsideration")       // 行政复议
	AppealLitigationDirect               = AppealKind("direct")                // 行政诉讼：未经复议直接起诉
	AppealLitigationAfterReconsideration = AppealKind("after_reconsideration") // 行政诉讼：复议后起诉
)

// AppealResult is how an appeal ended.
type AppealResult string

// The results of table 四.
const (
	ResultUpheld    = AppealResult(resultUpheld)    // 结果维持
	ResultCorrected = AppealResult(resultCorrected) // 结果纠正
	ResultOther     = AppealResult(resultOther)     // 其他结果
	ResultPending   = AppealResult(resultPending)   // 尚未审结
)

// Appeal is one 行政复议 or 行政诉讼 arising from the organ's disclosure work.
type Appeal struct {
	Ref     string
	Kind    AppealKind
	FiledOn gongkai.Date
	// Result is ResultPending while undecided; ClosedOn is the date of the
	// decision or judgment and is set exactly when Result is not pending.
	Result   AppealResult
	ClosedOn gongkai.Date
}

// DocumentKind is the row of table 二 block （一） a document is counted in.
type DocumentKind string

// The two kinds of document counted in table 二.
const (
	DocumentRule      = DocumentKind("rule")      // 规章
	DocumentNormative = DocumentKind("normative") // 行政规范性文件
)

// Document is one issued 规章 or 行政规范性文件.
type Document struct {
	Ref  string
	Kind DocumentKind
	// SignedOn is the 成文日期. It decides the year a document was made
	// (本年制发); see docs/annual-report.md for why. When it is zero the
	// Asia/Shanghai date of PublishedAt is used instead.
	SignedOn    gongkai.Date
	PublishedAt time.Time
	// RepealedOn is the day the document ceased to be in force (废止, 失效, or
	// replaced by a revision); zero while it is in force.
	RepealedOn gongkai.Date
}

// Figures are the numbers of table 二 that come from other systems and are
// entered by staff. A nil pointer is a figure not entered yet; Check reports
// it (and negative figures) as a blocking problem.
type Figures struct {
	Licensing   *int64  // 行政许可 本年处理决定数量
	Penalty     *int64  // 行政处罚 本年处理决定数量
	Enforcement *int64  // 行政强制 本年处理决定数量
	Fees        *Amount // 行政事业性收费 本年收费金额, in hundredths of 万元
}

// ColumnCount is the number of documents published in one portal column.
type ColumnCount struct {
	Column string
	Count  int
}

// FeeNotice is one 信息处理费 收费通知.
type FeeNotice struct {
	Ref      string
	IssuedOn gongkai.Date
	Amount   Amount       // in hundredths of 元 (分)
	PaidOn   gongkai.Date // zero if not paid
}

// stats are the figures the prose drafts quote besides the tables.
type stats struct {
	closedWithDue, onTime int
	published             []ColumnCount
	interpretations       int
	notices               int
	noticeTotal, paid     Amount
}

// maxListed caps the problems one Compile error lists, so that a badly
// broken import does not produce a message of 100,000 lines.
const maxListed = 50

// Compile builds the report of in.Org for in.Year in the 2021 format. It
// returns a *gongkai.Error (EINVALID) listing the inconsistent facts when the
// input cannot be counted (an application closed before it was received, an
// unknown outcome, a year in the future …); figures that are merely missing
// or negative are left to Check, so that the staff screen can show them.
func Compile(in Input) (*Report, error) {
	var p gongkai.Problems
	if !in.Today.Valid() {
		return nil, fmt.Errorf("annualreport: Compile needs a valid Today, got %v", in.Today)
	}
	switch {
	case in.Year < FirstYear:
		p.Add("year", fmt.Sprintf("年度应不早于%d年（《条例》自%d年5月1日起施行）。", FirstYear, FirstYear))
	case in.Year > in.Today.Year:
		p.Add("year", fmt.Sprintf("%d年尚未到来，不能编制该年度的年度报告。", in.Year))
	}
	if in.Org.Code == "" || in.Org.Name == "" {
		p.Add("org", "请指定编制年度报告的机关。")
	}
	if !in.Org.Kind.Valid() {
		p.Add("org.kind", "机关类别应为人民政府或政府部门。")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}

	r := newReport(Format2021, in.Org, in.Year)
	if in.Year == in.Today.Year {
		r.AsOf = in.Today
	}
	jan1 := gongkai.NewDate(in.Year, time.January, 1)
	dec31 := gongkai.NewDate(in.Year, time.December, 31)
	y := yearSpan{jan1, dec31, in.Today}
	var st stats
	c := &collector{}

	compileDocuments(r, in.Documents, y, c)
	compileFigures(r, in.Figures)
	compileApplications(r, in.Applications, y, c, &st)
	compileAppeals(r, in.Appeals, y, c)
	compileDraftData(in, y, c, &st)
	if err := c.err(); err != nil {
		return nil, err
	}

	r.Drafts = drafts(r, &st)
	r.Texts = in.Texts
	if r.Texts.Overview == "" {
		r.Texts.Overview = r.Drafts.Overview
	}
	if r.Texts.Shortcomings == "" {
		r.Texts.Shortcomings = r.Drafts.Shortcomings
	}
	if r.Texts.Other == "" {
		r.Texts.Other = r.Drafts.Other
	}
	return r, nil
}

// yearSpan is the reporting year and the day of compilation.
type yearSpan struct{ jan1, dec31, today gongkai.Date }

func (y yearSpan) contains(d gongkai.Date) bool {
	return !d.IsZero() && !d.Before(y.jan1) && !d.After(y.dec31)
}

// collector gathers input problems up to maxListed.
type collector struct {
	p     gongkai.Problems
	extra int
}

func (c *collector) add(field, msg string) {
	if len(c.p) < maxListed {
		c.p.Add(field, msg)
	} else {
		c.extra++
	}
}

func (c *collector) err() error {
	if c.extra > 0 {
		c.p.Add("", fmt.Sprintf("另有%d处数据问题未逐一列出。", c.extra))
	}
	return c.p.Err()
}

// date checks that d is a real date not after today; it reports on field.
func (c *collector) date(field, what string, d gongkai.Date, today gongkai.Date) bool {
	if !d.Valid() {
		c.add(field, what+"不是有效日期。")
		return false
	}
	if d.After(today) {
		c.add(field, fmt.Sprintf("%s（%s）晚于今天。", what, d.Chinese()))
		return false
	}
	return true
}

// compileDocuments fills block （一） of table 二.
func compileDocuments(r *Report, docs []Document, y yearSpan, c *collector) {
	t := &r.Tables[tDocuments]
	spec := layouts[Format2021][tDocuments]
	made, repealed, inForce := spec.col(keyMade), spec.col(keyRepealed), spec.col(keyInForce)
	for i := range t.Rows {
		t.Rows[i].Values[made], t.Rows[i].Values[repealed], t.Rows[i].Values[inForce] = Num(0), Num(0), Num(0)
	}
	for i, d := range docs {
		f := fmt.Sprintf("documents[%d]", i)
		name := "文件" + d.Ref
		var row int
		switch d.Kind {
		case DocumentRule:
			row = spec.row(keyRules)
		case DocumentNormative:
			row = spec.row(keyNormative)
		default:
			c.add(f+".kind", name+"的类别应为规章或行政规范性文件。")
			continue
		}
		made0 := d.SignedOn
		if made0.IsZero() && !d.PublishedAt.IsZero() {
			made0 = gongkai.DateOf(d.PublishedAt)
		}
		if made0.IsZero() {
			c.add(f+".signed_on", name+"缺少成文日期。")
			continue
		}
		if !c.date(f+".signed_on", name+"的成文日期", made0, y.today) {
			continue
		}
		if !d.RepealedOn.IsZero() {
			if !c.date(f+".repealed_on", name+"的废止（失效）日期", d.RepealedOn, y.today) {
				continue
			}
			if d.RepealedOn.Before(made0) {
				c.add(f+".repealed_on", name+"的废止（失效）日期早于成文日期。")
				continue
			}
		}
		v := t.Rows[row].Values
		if y.contains(made0) {
			v[made].N++
		}
		if y.contains(d.RepealedOn) {
			v[repealed].N++
		}
		if !made0.After(y.dec31) && (d.RepealedOn.IsZero() || d.RepealedOn.After(y.dec31)) {
			v[inForce].N++
		}
	}
}

// compileFigures copies the staff-entered figures into table 二.
func compileFigures(r *Report, f Figures) {
	count := func(p *int64) Value {
		if p == nil {
			return Value{}
		}
		return Num(*p)
	}
	r.Tables[tLicensing].Rows[0].Values[0] = count(f.Licensing)
	r.Tables[tPenalty].Rows[0].Values[0] = count(f.Penalty)
	r.Tables[tPenalty].Rows[1].Values[0] = count(f.Enforcement)
	if f.Fees != nil {
		r.Tables[tFees].Rows[0].Values[0] = Num(int64(*f.Fees))
	}
}

// compileApplications fills table 三. Each application received by 31
// December and not closed before 1 January is counted once on the left of
// the 勾稽 rule (一 if received in the year, else 二) and once on the right
// (its outcome row if closed in the year, else 四), so the rule holds by
// construction for valid input.
func compileApplications(r *Report, apps []Application, y yearSpan, c *collector, st *stats) {
	t := &r.Tables[tApplications]
	spec := layouts[Format2021][tApplications]
	outcomeRow := make(map[gongkai.Outcome]int, len(gongkai.Outcomes))
	for _, o := range gongkai.Outcomes {
		outcomeRow[o] = spec.row(string(o))
	}
	newRow, carriedRow, totalRow, nextRow := spec.row(keyNew), spec.row(keyCarried), spec.row(keyTotal), spec.row(keyNext)
	// counts[row][col] for the six applicant columns; totals come after.
	counts := make([][6]int64, len(spec.rows))
	for i := range apps {
		a := &apps[i]
		col := applicantColumn(a.Applicant)
		row, ok := validApplication(a, y.today, outcomeRow)
		if col < 0 || !ok {
			reportApplication(c, i, *a, y.today)
			continue
		}
		if a.ReceivedOn.After(y.dec31) || !a.ClosedOn.IsZero() && a.ClosedOn.Before(y.jan1) {
			continue // outside the year
		}
		if a.ReceivedOn.Before(y.jan1) {
			counts[carriedRow][col]++
		} else {
			counts[newRow][col]++
		}
		if a.ClosedOn.IsZero() || a.ClosedOn.After(y.dec31) {
			counts[nextRow][col]++
			continue
		}
		counts[row][col]++
		counts[totalRow][col]++
		if !a.DueOn.IsZero() {
			st.closedWithDue++
			if !a.ClosedOn.After(a.DueOn) {
				st.onTime++
			}
		}
	}
	for i := range t.Rows {
		if t.Rows[i].Group {
			continue
		}
		var sum int64
		for j, n := range counts[i] {
			t.Rows[i].Values[j] = Num(n)
			sum += n
		}
		t.Rows[i].Values[6] = Num(sum)
	}
}

// validApplication reports whether a's dates and outcome are consistent;
// row is the table row of its outcome (-1 when it has none).
func validApplication(a *Application, today gongkai.Date, outcomeRow map[gongkai.Outcome]int) (row int, ok bool) {
	if !realDate(a.ReceivedOn) || a.ReceivedOn.After(today) {
		return -1, false
	}
	row = -1
	if a.ClosedOn.IsZero() {
		if a.Outcome != "" {
			return -1, false
		}
	} else {
		r, known := outcomeRow[a.Outcome]
		if !known || !realDate(a.ClosedOn) || a.ClosedOn.Before(a.ReceivedOn) || a.ClosedOn.After(today) {
			return -1, false
		}
		row = r
	}
	return row, a.DueOn.IsZero() || realDate(a.DueOn) && !a.DueOn.Before(a.ReceivedOn)
}

// realDate is gongkai.Date.Valid without building a time.Time, because
// Compile checks three dates of each of 100,000 applications.
func realDate(d gongkai.Date) bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 || d.Day > 31 {
		return false
	}
	switch d.Month {
	case time.April, time.June, time.September, time.November:
		return d.Day <= 30
	case time.February:
		leap := d.Year%4 == 0 && (d.Year%100 != 0 || d.Year%400 == 0)
		return d.Day <= 28 || d.Day == 29 && leap
	}
	return true
}

// reportApplication explains why application i cannot be counted. It is
// off the fast path: Compile only calls it for bad records.
func reportApplication(c *collector, i int, a Application, today gongkai.Date) {
	f := fmt.Sprintf("applications[%d]", i)
	name := "申请" + a.Ref
	switch {
	case applicantColumn(a.Applicant) < 0:
		c.add(f+".applicant", name+"的申请人类别无效。")
	case !c.date(f+".received_on", name+"的收到日期", a.ReceivedOn, today):
	case !a.ClosedOn.IsZero() && !c.date(f+".closed_on", name+"的办结日期", a.ClosedOn, today):
	case !a.ClosedOn.IsZero() && a.ClosedOn.Before(a.ReceivedOn):
		c.add(f+".closed_on", name+"的办结日期早于收到日期。")
	case a.ClosedOn.IsZero() && a.Outcome != "":
		c.add(f+".outcome", name+"尚未办结，不应有办理结果。")
	case !a.ClosedOn.IsZero() && a.Outcome == "":
		c.add(f+".outcome", name+"已办结，但缺少办理结果。")
	case !a.ClosedOn.IsZero() && !a.Outcome.Valid():
		c.add(f+".outcome", fmt.Sprintf("%s的办理结果“%s”不是年度报告表三中的情形。", name, a.Outcome))
	default:
		c.add(f+".due_on", name+"的答复期限无效或早于收到日期。")
	}
}

func applicantColumn(k gongkai.ApplicantKind) int {
	switch k {
	case gongkai.ApplicantNatural:
		return 0
	case gongkai.ApplicantCommercial:
		return 1
	case gongkai.ApplicantResearch:
		return 2
	case gongkai.ApplicantNonprofit:
		return 3
	case gongkai.ApplicantLegal:
		return 4
	case gongkai.ApplicantOtherOrg:
		return 5
	}
	return -1
}

// compileAppeals fills table 四. An appeal is counted in every year in which
// it was pending at some time: filed by 31 December and not decided before
// 1 January. Its column is its state on 31 December: the result if decided
// in the year, else 尚未审结. So a case filed in one year and decided in the
// next appears as 尚未审结 in the first report and with its result in the
// second: every result is reported exactly once, in the year it was reached,
// and no pending case drops out of sight (docs/annual-report.md).
func compileAppeals(r *Report, appeals []Appeal, y yearSpan, c *collector) {
	t := &r.Tables[tAppeals]
	spec := layouts[Format2021][tAppeals]
	v := t.Rows[0].Values
	for i := range v {
		v[i] = Num(0)
	}
	for i, a := range appeals {
		f := fmt.Sprintf("appeals[%d]", i)
		name := "复议诉讼案件" + a.Ref
		switch a.Kind {
		case AppealReconsideration, AppealLitigationDirect, AppealLitigationAfterReconsideration:
		default:
			c.add(f+".kind", name+"的类别应为行政复议、未经复议直接起诉或复议后起诉。")
			continue
		}
		if !c.date(f+".filed_on", name+"的立案（申请）日期", a.FiledOn, y.today) {
			continue
		}
		switch a.Result {
		case ResultPending:
			if !a.ClosedOn.IsZero() {
				c.add(f+".closed_on", name+"尚未审结，不应有审结日期。")
				continue
			}
		case ResultUpheld, ResultCorrected, ResultOther:
			if a.ClosedOn.IsZero() {
				c.add(f+".closed_on", name+"已有结果，但缺少审结日期。")
				continue
			}
			if !c.date(f+".closed_on", name+"的审结日期", a.ClosedOn, y.today) {
				continue
			}
			if a.ClosedOn.Before(a.FiledOn) {
				c.add(f+".closed_on", name+"的审结日期早于立案（申请）日期。")
				continue
			}
		default:
			c.add(f+".result", fmt.Sprintf("%s的结果“%s”无效，应为结果维持、结果纠正、其他结果或尚未审结。", name, a.Result))
			continue
		}
		if a.FiledOn.After(y.dec31) || !a.ClosedOn.IsZero() && a.ClosedOn.Before(y.jan1) {
			continue
		}
		result := a.Result
		if a.ClosedOn.IsZero() || a.ClosedOn.After(y.dec31) {
			result = ResultPending
		}
		v[spec.col(string(a.Kind)+"."+string(result))].N++
		v[spec.col(string(a.Kind)+"."+resultTotal)].N++
	}
}

// compileDraftData validates and sums the facts only the drafts use.
func compileDraftData(in Input, y yearSpan, c *collector, st *stats) {
	for i, p := range in.Published {
		if p.Count < 0 || p.Column == "" {
			c.add(fmt.Sprintf("published[%d]", i), "栏目发布数量无效。")
			continue
		}
		if p.Count > 0 {
			st.published = append(st.published, p)
		}
	}
	if in.Interpretations < 0 {
		c.add("interpretations", "政策解读数量不能为负数。")
	}
	st.interpretations = in.Interpretations
	for i, n := range in.FeeNotices {
		f := fmt.Sprintf("fee_notices[%d]", i)
		name := "收费通知" + n.Ref
		if n.Amount < 0 {
			c.add(f+".amount", name+"的金额不能为负数。")
			continue
		}
		if !c.date(f+".issued_on", name+"的发出日期", n.IssuedOn, y.today) {
			continue
		}
		if !n.PaidOn.IsZero() {
			if !c.date(f+".paid_on", name+"的缴费日期", n.PaidOn, y.today) {
				continue
			}
			if n.PaidOn.Before(n.IssuedOn) {
				c.add(f+".paid_on", name+"的缴费日期早于发出日期。")
				continue
			}
		}
		if y.contains(n.IssuedOn) {
			st.notices++
			st.noticeTotal += n.Amount
		}
		if y.contains(n.PaidOn) {
			st.paid += n.Amount
		}
	}
}
