package annualreport

import "gongkai"

// Format is the edition of the national report format a report follows.
type Format string

// The formats gongkai knows. Reports are compiled only in Format2021;
// Format2019 exists so that the reports of 2019 and 2020 can be imported for
// year-on-year comparison.
const (
	Format2021 = Format("2021") // 国办公开办函〔2021〕30号, reports for 2021 onwards
	Format2019 = Format("2019") // 国办公开办函〔2019〕60号 (trial), reports for 2019–2020
)

// Valid reports whether f is a known format.
func (f Format) Valid() bool { return f == Format2021 || f == Format2019 }

// Headings returns the six section headings, in order. Both formats use the
// same six headings (statutes.md §2.1; §2.6 lists no difference in them).
func Headings() [6]string {
	return [6]string{
		"一、总体情况",
		"二、主动公开政府信息情况",
		"三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况",
		"五、存在的主要问题及改进情况",
		"六、其他需要报告的事项",
	}
}

// sectionNumbers are the numerals that open the headings; tables and
// problems name their section by them.
var sectionNumbers = [6]string{"一", "二", "三", "四", "五", "六"}

// tableSpec is the fixed shape of one table (or, for section 二, one block of
// the table: the official table 二 is four blocks stacked, each under its own
// full-width 第二十条第（…）项 row).
type tableSpec struct {
	section string // "二", "三" or "四"
	heading string // block heading in section 二, "" elsewhere
	corner  string // text of the top-left cell above the row labels
	stub    int    // number of grid columns taken by row labels
	cols    []colSpec
	rows    []rowSpec
}

// colSpec is one numeric column. groups are the header cells above the leaf
// label, outermost first; adjacent columns with equal groups share (merge)
// those header cells.
type colSpec struct {
	key      string
	label    string
	groups   []string
	decimals int  // 2 for amounts (万元), 0 for counts
	signed   bool // the value may be negative (2019: 本年增/减)
}

// rowSpec is one row. A group row (group == true) carries no numbers: it is
// drawn as a cell spanning the rows below it with a greater level.
type rowSpec struct {
	key   string
	label string
	level int
	group bool
}

// Row keys of table 三 other than the outcome rows, whose key is the
// gongkai.Outcome code.
const (
	keyNew     = "new"     // 一、本年新收
	keyCarried = "carried" // 二、上年结转
	keyTotal   = "total"   // （七）总计
	keyNext    = "next"    // 四、结转下年度继续办理
	keyOther   = "other"   // 2019: （六）其他处理, a leaf
)

// Row and column keys of table 二 (2021).
const (
	keyRules       = "rules"       // 规章
	keyNormative   = "normative"   // 行政规范性文件
	keyLicensing   = "licensing"   // 行政许可
	keyPenalty     = "penalty"     // 行政处罚
	keyEnforcement = "enforcement" // 行政强制
	keyFees        = "fees"        // 行政事业性收费

	keyMade      = "made"      // 本年制发件数
	keyRepealed  = "repealed"  // 本年废止件数
	keyInForce   = "in_force"  // 现行有效件数
	keyDecisions = "decisions" // 本年处理决定数量
	keyAmount    = "amount"    // 本年收费金额（单位：万元）
)

// Column keys of table 四: the group ("reconsideration", "direct",
// "after_reconsideration") and the result, joined by a dot.
const (
	resultUpheld    = "upheld"
	resultCorrected = "corrected"
	resultOther     = "other"
	resultPending   = "pending"
	resultTotal     = "total"
)

// table3Note is the merged top-left cell of table 三, which prints its
// consistency rule.
const table3Note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

// infoContent heads the row labels of every block of table 二.
const infoContent = "信息内容"

// Positions of the tables in the 2021 layout.
const (
	tDocuments    = 0 // 二 第二十条第（一）项
	tLicensing    = 1 // 二 第二十条第（五）项
	tPenalty      = 2 // 二 第二十条第（六）项
	tFees         = 3 // 二 第二十条第（八）项
	tApplications = 4 // 三
	tAppeals      = 5 // 四
)

// layouts holds every table of every format, in document order. It is the
// only place where labels are written; tests compare it with the reference
// lists written out by hand.
var layouts = map[Format][]*tableSpec{
	Format2021: {
		{
			section: "二", heading: "第二十条第（一）项", corner: infoContent, stub: 1,
			cols: []colSpec{
				{key: keyMade, label: "本年制发件数"},
				{key: keyRepealed, label: "本年废止件数"},
				{key: keyInForce, label: "现行有效件数"},
			},
			rows: []rowSpec{
				{key: keyRules, label: "规章"},
				{key: keyNormative, label: "行政规范性文件"},
			},
		},
		{
			section: "二", heading: "第二十条第（五）项", corner: infoContent, stub: 1,
			cols: []colSpec{{key: keyDecisions, label: "本年处理决定数量"}},
			rows: []rowSpec{{key: keyLicensing, label: "行政许可"}},
		},
		{
			section: "二", heading: "第二十条第（六）项", corner: infoContent, stub: 1,
			cols: []colSpec{{key: keyDecisions, label: "本年处理决定数量"}},
			rows: []rowSpec{
				{key: keyPenalty, label: "行政处罚"},
				{key: keyEnforcement, label: "行政强制"},
			},
		},
		{
			section: "二", heading: "第二十条第（八）项", corner: infoContent, stub: 1,
			cols: []colSpec{{key: keyAmount, label: "本年收费金额（单位：万元）", decimals: 2}},
			rows: []rowSpec{{key: keyFees, label: "行政事业性收费"}},
		},
		table3(true),
		table4(),
	},
	Format2019: {
		{
			section: "二", heading: "第二十条第（一）项", corner: infoContent, stub: 1,
			cols: []colSpec{
				{key: "new_made", label: "本年新制作数量"},
				{key: "new_published", label: "本年新公开数量"},
				{key: "total_published", label: "对外公开总数量"},
			},
			rows: []rowSpec{
				{key: keyRules, label: "规章"},
				{key: keyNormative, label: "规范性文件"},
			},
		},
		{
			section: "二", heading: "第二十条第（五）项", corner: infoContent, stub: 1,
			cols: cols2019Items(true),
			rows: []rowSpec{
				{key: keyLicensing, label: "行政许可"},
				{key: "other_services", label: "其他对外管理服务事项"},
			},
		},
		{
			section: "二", heading: "第二十条第（六）项", corner: infoContent, stub: 1,
			cols: cols2019Items(true),
			rows: []rowSpec{
				{key: keyPenalty, label: "行政处罚"},
				{key: keyEnforcement, label: "行政强制"},
			},
		},
		{
			section: "二", heading: "第二十条第（八）项", corner: infoContent, stub: 1,
			cols: cols2019Items(false),
			rows: []rowSpec{{key: keyFees, label: "行政事业性收费"}},
		},
		{
			section: "二", heading: "第二十条第（九）项", corner: infoContent, stub: 1,
			cols: []colSpec{
				{key: "procurement_items", label: "采购项目数量"},
				// The 2019 format gives no unit; published reports wrote 元
				// or 万元 by hand. The amount is kept as written, to 0.01.
				{key: "procurement_amount", label: "采购总金额", decimals: 2},
			},
			rows: []rowSpec{{key: "procurement", label: "政府集中采购"}},
		},
		table3(false),
		table4(),
	},
}

// cols2019Items are the 2019 columns of blocks （五）（六）（八）; （八） has no
// 处理决定数量 column.
func cols2019Items(decisions bool) []colSpec {
	c := []colSpec{
		{key: "prev_items", label: "上一年项目数量"},
		{key: "change", label: "本年增/减", signed: true},
	}
	if decisions {
		c = append(c, colSpec{key: keyDecisions, label: "处理决定数量"})
	}
	return c
}

// table3 returns table 三. The 2019 trial format has the same rows except
// that （六）其他处理 is a leaf without sub-rows (statutes.md §2.6).
func table3(with2021Other bool) *tableSpec {
	const applicants, legal = "申请人情况", "法人或其他组织"
	t := &tableSpec{
		section: "三", corner: table3Note, stub: 3,
		cols: []colSpec{
			{key: string(gongkai.ApplicantNatural), label: "自然人", groups: []string{applicants}},
			{key: string(gongkai.ApplicantCommercial), label: "商业企业", groups: []string{applicants, legal}},
			{key: string(gongkai.ApplicantResearch), label: "科研机构", groups: []string{applicants, legal}},
			{key: string(gongkai.ApplicantNonprofit), label: "社会公益组织", groups: []string{applicants, legal}},
			{key: string(gongkai.ApplicantLegal), label: "法律服务机构", groups: []string{applicants, legal}},
			{key: string(gongkai.ApplicantOtherOrg), label: "其他", groups: []string{applicants, legal}},
			{key: keyTotal, label: "总计", groups: []string{applicants}},
		},
	}
	leaf := func(o gongkai.Outcome, label string) rowSpec { return rowSpec{key: string(o), label: label, level: 2} }
	t.rows = []rowSpec{
		{key: keyNew, label: "一、本年新收政府信息公开申请数量"},
		{key: keyCarried, label: "二、上年结转政府信息公开申请数量"},
		{label: "三、本年度办理结果", group: true},
		{key: string(gongkai.OutcomeGranted), label: "（一）予以公开", level: 1},
		{key: string(gongkai.OutcomePartiallyGranted), label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", level: 1},
		{label: "（三）不予公开", level: 1, group: true},
		leaf(gongkai.OutcomeWithheldStateSecret, "1.属于国家秘密"),
		leaf(gongkai.OutcomeWithheldProhibited, "2.其他法律行政法规禁止公开"),
		leaf(gongkai.OutcomeWithheldThreeSecurity, "3.危及“三安全一稳定”"),
		leaf(gongkai.OutcomeWithheldThirdParty, "4.保护第三方合法权益"),
		leaf(gongkai.OutcomeWithheldInternal, "5.属于三类内部事务信息"),
		leaf(gongkai.OutcomeWithheldProcess, "6.属于四类过程性信息"),
		leaf(gongkai.OutcomeWithheldEnforcement, "7.属于行政执法案卷"),
		leaf(gongkai.OutcomeWithheldAdminQuery, "8.属于行政查询事项"),
		{label: "（四）无法提供", level: 1, group: true},
		leaf(gongkai.OutcomeUnavailableNotHeld, "1.本机关不掌握相关政府信息"),
		leaf(gongkai.OutcomeUnavailableNeedsCreate, "2.没有现成信息需要另行制作"),
		leaf(gongkai.OutcomeUnavailableUnclear, "3.补正后申请内容仍不明确"),
		{label: "（五）不予处理", level: 1, group: true},
		leaf(gongkai.OutcomeNotProcessedPetition, "1.信访举报投诉类申请"),
		leaf(gongkai.OutcomeNotProcessedRepeated, "2.重复申请"),
		leaf(gongkai.OutcomeNotProcessedPublication, "3.要求提供公开出版物"),
		leaf(gongkai.OutcomeNotProcessedExcessive, "4.无正当理由大量反复申请"),
		leaf(gongkai.OutcomeNotProcessedConfirm, "5.要求行政机关确认或重新出具已获取信息"),
	}
	if with2021Other {
		t.rows = append(t.rows,
			rowSpec{label: "（六）其他处理", level: 1, group: true},
			leaf(gongkai.OutcomeOtherNoSupplement, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
			leaf(gongkai.OutcomeOtherFeeUnpaid, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
			leaf(gongkai.OutcomeOtherOther, "3.其他"),
		)
	} else {
		t.rows = append(t.rows, rowSpec{key: keyOther, label: "（六）其他处理", level: 1})
	}
	t.rows = append(t.rows,
		rowSpec{key: keyTotal, label: "（七）总计", level: 1},
		rowSpec{key: keyNext, label: "四、结转下年度继续办理"},
	)
	return t
}

// appealGroups are the three column groups of table 四 with their keys.
var appealGroups = []struct {
	kind   AppealKind
	groups []string
}{
	{AppealReconsideration, []string{"行政复议"}},
	{AppealLitigationDirect, []string{"行政诉讼", "未经复议直接起诉"}},
	{AppealLitigationAfterReconsideration, []string{"行政诉讼", "复议后起诉"}},
}

// table4 returns table 四: one unlabelled data row of 15 columns.
func table4() *tableSpec {
	t := &tableSpec{section: "四", rows: []rowSpec{{key: "cases", label: ""}}}
	results := []struct{ key, label string }{
		{resultUpheld, "结果维持"}, {resultCorrected, "结果纠正"}, {resultOther, "其他结果"},
		{resultPending, "尚未审结"}, {resultTotal, "总计"},
	}
	for _, g := range appealGroups {
		for _, r := range results {
			t.cols = append(t.cols, colSpec{key: string(g.kind) + "." + r.key, label: r.label, groups: g.groups})
		}
	}
	return t
}

// row returns the index of the row with key k, or -1.
func (t *tableSpec) row(k string) int {
	for i, r := range t.rows {
		if r.key == k {
			return i
		}
	}
	return -1
}

// col returns the index of the column with key k, or -1.
func (t *tableSpec) col(k string) int {
	for i, c := range t.cols {
		if c.key == k {
			return i
		}
	}
	return -1
}
