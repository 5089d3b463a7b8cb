package check_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/check"
)

// got is the part of a finding a rule test compares.
type got struct {
	Rule, Excerpt, Suggestion string
	Severity                  check.Severity
}

func mustChecker(t testing.TB, cfg check.Config) *check.Checker {
	t.Helper()
	c, err := check.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func short(fs []check.Finding) []got {
	var out []got
	for _, f := range fs {
		out = append(out, got{f.Rule, f.Excerpt, f.Suggestion, f.Severity})
	}
	return out
}

type ruleCase struct {
	text string
	want []got // nil: must not be flagged
}

func runRule(t *testing.T, rule string, cfg check.Config, opts check.Options, cases []ruleCase) {
	t.Helper()
	cfg.Rules = []string{rule}
	c := mustChecker(t, cfg)
	for _, tt := range cases {
		fs := c.Check(tt.text, opts)
		for _, f := range fs {
			if f.Excerpt != tt.text[f.Start:f.End] {
				t.Errorf("%q: excerpt %q does not match span [%d,%d)", tt.text, f.Excerpt, f.Start, f.End)
			}
		}
		if diff := cmp.Diff(tt.want, short(fs)); diff != "" {
			t.Errorf("%s on %q mismatch (-want +got):\n%s", rule, tt.text, diff)
		}
	}
}

const block, warn = check.SeverityBlock, check.SeverityWarn

func TestCitizenID(t *testing.T) {
	t.Parallel()
	// Check characters from statutes §12: 34052419800101001 → X,
	// 37010119010203997 → 3.
	r := check.RuleCitizenID
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"身份证号34052419800101001X。", []got{{r, "34052419800101001X", "34*************01X", block}}},
		{"身份证号34052419800101001x", []got{{r, "34052419800101001x", "34*************01X", block}}},
		{"370101190102039973", []got{{r, "370101190102039973", "37*************973", block}}},
		{"旧证号340524800101001，", []got{{r, "340524800101001", "34**********001", block}}},
		// Must not be flagged.
		{"34*************01X", nil},         // already masked
		{"34052419800101001 2", nil},        // 17 digits
		{"340524198001010011", nil},         // wrong check digit
		{"934052419800101001X", nil},        // inside a longer run
		{"No34052419800101001X", nil},       // part of a code
		{"99052419800101001X", nil},         // no such province
		{"340524801301001", nil},            // legacy number, month 13
		{"订单号3405241980010100123456", nil},  // longer digit run
		{"34052419800101001XY", nil},        // followed by a letter
		{"统一社会信用代码91340100MA2N0XXXXX", nil}, // not an ID
		{"王某某，男，1980年1月1日出生", nil},          // a birth date alone
	})
}

func TestMobile(t *testing.T) {
	t.Parallel()
	r := check.RuleMobile
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"电话13812345678", []got{{r, "13812345678", "138****5678", block}}},
		{"电话：+8613812345678。", []got{{r, "+8613812345678", "138****5678", block}}},
		{"138-1234-5678", []got{{r, "138-1234-5678", "138****5678", block}}},
		{"手机 199 1234 5678 联系", []got{{r, "199 1234 5678", "199****5678", block}}},
		// Must not be flagged.
		{"138****5678", nil},
		{"12812345678", nil},         // no 12x mobile numbers
		{"138123456789", nil},        // 12 digits
		{"1381234567", nil},          // 10 digits
		{"总投资15000000000元", nil},     // an amount
		{"ISO13812345678", nil},      // part of a code
		{"0591-87654321", nil},       // a landline
		{"138-1234-56789", nil},      // too long a last group
		{"编号13812345678A", nil},      // followed by a letter
		{"（2023）京0105民初13812号", nil}, // a case number
	})
}

func TestBankCard(t *testing.T) {
	t.Parallel()
	r := check.RuleBankCard
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		// 4111111111111111 is the well-known Luhn-valid test number.
		{"卡号4111111111111111。", []got{{r, "4111111111111111", "4111********1111", block}}},
		{"卡号 4111 1111 1111 1111 ", []got{{r, "4111 1111 1111 1111", "4111********1111", block}}},
		{"4111-1111-1111-1111", []got{{r, "4111-1111-1111-1111", "4111********1111", block}}},
		// Must not be flagged.
		{"4111111111111112", nil},     // fails the Luhn check
		{"4111********1111", nil},     // masked
		{"1111111111111117", nil},     // Luhn-valid but not a card issuer (MII 1)
		{"24111111111111111", nil},    // 17 digits, MII 2
		{"41111111111111110000", nil}, // 20 digits
		{"项目编号2023000100020003", nil},
	})
}

func TestDocNoFormat(t *testing.T) {
	t.Parallel()
	r := check.RuleDocNoFormat
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"根据国办发[2017]47号文件", []got{{r, "国办发[2017]47号", "国办发〔2017〕47号", block}}},
		{"国办发(2017)47号", []got{{r, "国办发(2017)47号", "国办发〔2017〕47号", block}}},
		{"国办发【2017】47号", []got{{r, "国办发【2017】47号", "国办发〔2017〕47号", block}}},
		{"国办发〔2017〕047号", []got{{r, "国办发〔2017〕047号", "国办发〔2017〕47号", block}}},
		{"见国办发〔2017〕47。", []got{{r, "国办发〔2017〕47", "国办发〔2017〕47号", block}}},
		// Must not be flagged.
		{"国办发〔2017〕47号", nil},
		{"2023年12月", nil},
		{"（2023）京0105民初12号", nil},
		{"国务院令第711号", nil},
		{"预算（2023）12.5亿元", nil},
	})
}

func TestDocNoDigits(t *testing.T) {
	t.Parallel()
	r := check.RuleDocNoDigits
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"示政发〔二〇二三〕5号", []got{{r, "〔二〇二三〕5号", "〔2023〕5号", warn}}},
		{"示政发〔2023〕十二号", []got{{r, "〔2023〕十二号", "〔2023〕12号", warn}}},
		{"国办发〔２０１７〕４７号", []got{{r, "国办发〔２０１７〕４７号", "国办发〔2017〕47号", warn}}},
		// Must not be flagged.
		{"国办发〔2017〕47号", nil},
		{"〔二〇二三〕年度", nil},
		{"示政发〔二〇二三〕", nil},
	})
}

func TestWording(t *testing.T) {
	t.Parallel()
	o, c := check.RuleWordingOfficial, check.RuleWordingCommon
	cases := []ruleCase{
		{"依据《中华人民共和国信息公开条例》", []got{{o, "中华人民共和国信息公开条例", "中华人民共和国政府信息公开条例", block}}},
		{"中国人民政治协商委员会", []got{{o, "中国人民政治协商委员会", "中国人民政治协商会议全国委员会", block}}},
		{"市政治协商委员会", []got{{o, "政治协商委员会", "", block}}},
		{"推进一带一路战略", []got{{o, "一带一路战略", "“一带一路”倡议", block}}},
		{"截止目前，", []got{{c, "截止目前", "截至目前", warn}}},
		{"要象春风一样温暖", []got{{c, "象春风一样", "像春风一样", warn}}},
		{"既使遇到困难，也不放弃", []got{{c, "既使", "即使", warn}}},
		{"其它事项", []got{{c, "其它", "其他", warn}}},
		{"再接再励，按步就班", []got{{c, "再接再励", "再接再厉", warn}, {c, "按步就班", "按部就班", warn}}},
		{"，，", []got{{c, "，，", "，", warn}}},
		// Must not be flagged.
		{"《中华人民共和国政府信息公开条例》", nil},
		{"中国人民政治协商会议全国委员会", nil},
		{"东北朝鲜族群众", nil},
		{"截至目前", nil},
		{"把服务对象一样看待", nil},
		{"发挥想象一样精彩", nil},
		{"这项政策既使企业受益，又使群众满意", nil},
		{"这样做为的是方便群众", nil},
		{"采取销售返利方式", nil},
		{"推进绿色采购", nil},
		{"建立健全台账", nil},
		{"象征着团结", nil},
	}
	runRule(t, o, check.Config{}, check.Options{}, filter(cases, o))
	runRule(t, c, check.Config{}, check.Options{}, filter(cases, c))
}

// filter keeps from cases the expectations for rule, and the texts that
// must not be flagged at all.
func filter(cases []ruleCase, rule string) []ruleCase {
	var out []ruleCase
	for _, tt := range cases {
		var want []got
		for _, w := range tt.want {
			if w.Rule == rule {
				want = append(want, w)
			}
		}
		out = append(out, ruleCase{tt.text, want})
	}
	return out
}

func TestWordingConfig(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{
		Rules:        []string{check.RuleWordingCommon, check.RuleWordingOfficial},
		AllowTerms:   []string{"其它", "截止目前为止"},
		ExtraEntries: []check.Entry{{Wrong: "示范县委员会", Right: "示范县委", Class: check.ClassOfficial, Source: "本站"}},
	})
	want := []got{{check.RuleWordingOfficial, "示范县委员会", "示范县委", block}}
	if diff := cmp.Diff(want, short(c.Check("其它事项，截止目前为止，示范县委员会", check.Options{}))); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := check.New(check.Config{ExtraEntries: []check.Entry{{Wrong: "甲", Right: "甲", Class: check.ClassCommon}}}); gongkai.ErrorMessage(err) != "第1条：错误形式与正确形式相同" {
		t.Errorf("bad extra entry: error %v", err)
	}
}

func TestDateStyle(t *testing.T) {
	t.Parallel()
	r := check.RuleDateStyle
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"于二零二三年三月五日召开", []got{{r, "二零二三年三月五日", "二〇二三年三月五日", warn}}},
		{"二○二三年工作", []got{{r, "二○二三年", "二〇二三年", warn}}},
		{"于2023年03月05日召开", []got{{r, "2023年03月05日", "2023年3月5日", warn}}},
		{"2023年3月05日", []got{{r, "2023年3月05日", "2023年3月5日", warn}}},
		{"示范市人民政府\n二〇二三年三月五日\n", []got{{r, "二〇二三年三月五日", "2023年3月5日", warn}}},
		// Must not be flagged.
		{"2023年3月5日", nil},
		{"于二〇二三年三月五日召开", nil},
		{"二〇〇八年", nil},
		{"03月", nil},
		{"2023年10月1日", nil},
	})
}

func TestSensitive(t *testing.T) {
	t.Parallel()
	r := check.RuleSensitive
	cfg := check.Config{SensitiveWords: check.SampleSensitiveWords()}
	runRule(t, r, cfg, check.Options{}, []ruleCase{
		{"含有测试敏感词的句子", []got{{r, "测试敏感词", "", block}}},
		{"測試敏感詞", []got{{r, "測試敏感詞", "", block}}},
		{"测 试 敏 感 词", []got{{r, "测 试 敏 感 词", "", block}}},
		{"测*试-敏_感·词", []got{{r, "测*试-敏_感·词", "", block}}},
		{"测\u200b试敏感词", []got{{r, "测\u200b试敏感词", "", block}}},
		{"ＳＡＭＰＬＥＷＯＲＤ", []got{{r, "ＳＡＭＰＬＥＷＯＲＤ", "", block}}},
		{"a SampleWord.", []got{{r, "SampleWord", "", block}}},
		// Must not be flagged.
		{"测试。敏感词", nil},
		{"测试\n敏感词", nil},
		{"samplewords", nil},
		{"测试敏感", nil},
	})
	// With no list, nothing is flagged.
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{{"测试敏感词", nil}})
}

func TestPlaceholder(t *testing.T) {
	t.Parallel()
	r := check.RulePlaceholder
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"示政发〔2023〕**号", []got{{r, "**", "", block}}},
		{"20XX年工作要点", []got{{r, "XX", "", block}}},
		{"××市人民政府", []got{{r, "××", "", block}}},
		{"于×月×日", []got{{r, "×", "", block}, {r, "×", "", block}}},
		{"【此处插入图表】", []got{{r, "【此处插入图表】", "", block}}},
		{"负责人：[待补充]", []got{{r, "[待补充]", "", block}}},
		{"（请填写单位名称）", []got{{r, "（请填写单位名称）", "", block}}},
		{"○○局", []got{{r, "○○", "", block}}},
		{"TODO: 补数据", []got{{r, "TODO", "", block}}},
		{"第**条", []got{{r, "**", "", block}}},
		// Must not be flagged.
		{"138****5678", nil},
		{"34*************01X", nil},
		{"王某某、张某", nil},
		{"张**", nil},
		{"www.xxgk.gov.cn", nil},
		{"XXL号", nil},
		{"3×4米", nil},
		{"二〇〇八年", nil},
		{"（一）总体要求", nil},
		{"TODOS", nil},
		{"统一社会信用代码：91350100MA2XXXXX0X", nil},
	})
}

func TestThirdParty(t *testing.T) {
	t.Parallel()
	r := check.RuleThirdParty
	cfg := check.Config{SiteAllowDomains: []string{"example.org"}}
	runRule(t, r, cfg, check.Options{}, []ruleCase{
		{"笔杆儿网www.bgzjy.cn", []got{{r, "笔杆儿网", "", block}, {r, "www.bgzjy.cn", "", block}}},
		{"详见https://shop.example.com/a?b=1。", []got{{r, "https://shop.example.com/a?b=1", "", block}}},
		{"来源：百度文库", []got{{r, "百度文库", "", block}}},
		{"访问 abc-def.top 领取", []got{{r, "abc-def.top", "", block}}},
		// Must not be flagged.
		{"https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm", nil},
		{"www.beijing.gov.cn", nil},
		{"http://gov.cn", nil},
		{"邮箱：abc@163.com", nil},
		{"附件：通知.docx", nil},
		{"增长3.5个百分点", nil},
		{"www.example.org/about", nil},
		{"docs.example.org", nil},
		{"report.pdf", nil},
		{"Mr.Wang和Co.Ltd以及U.S.和e.g.", nil},
		{"No.12、Fig.3、v1.2", nil},
	})
}

func TestYear(t *testing.T) {
	t.Parallel()
	r := check.RuleYear
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"印发《示范市2021年数字政府建设实施方案》（示政办发〔2023〕5号）", []got{{r, "2021年", "", warn}}},
		{"《示范市2019年工作总结》（示政办发〔2023〕5号）", []got{{r, "2019年", "", warn}}},
		{"《2021—2023年行动计划》（示政发〔2025〕1号）", []got{{r, "2021—2023年", "", warn}}},
		// Must not be flagged.
		{"《示范市2023年工作要点》（示政办发〔2023〕5号）", nil},
		{"《示范市2024年工作要点》（示政办发〔2023〕50号）", nil},
		{"《示范市2022年工作总结》（示政办发〔2023〕5号）", nil},
		{"《2021—2025年规划》（示政发〔2021〕3号）", nil},
		{"《关于做好有关工作的通知》（示政发〔2021〕3号）", nil},
	})
	opts := check.Options{Title: "示范市2023年政府信息公开工作年度报告"}
	runRule(t, r, check.Config{}, opts, []ruleCase{
		{"本报告由示范市人民政府办公室编制，所列数据的统计期限自2022年1月1日起至2022年12月31日止。", []got{{r, "2022年", "", warn}}},
		// Must not be flagged.
		{"统计期限自2023年1月1日起至2023年12月31日止，与2022年相比", nil},
		{"本报告没有提到年份。", nil},
	})
}

func TestDate(t *testing.T) {
	t.Parallel()
	r := check.RuleDate
	runRule(t, r, check.Config{}, check.Options{}, []ruleCase{
		{"2023年2月30日召开", []got{{r, "2023年2月30日", "", warn}}},
		{"2023年2月29日", []got{{r, "2023年2月29日", "", warn}}},
		{"于4月31日前", []got{{r, "4月31日", "", warn}}},
		{"13月1日", []got{{r, "13月1日", "", warn}}},
		{"2023-02-29", []got{{r, "2023-02-29", "", warn}}},
		{"二〇二三年二月三十日", []got{{r, "二〇二三年二月三十日", "", warn}}},
		{"2023年6月31号", []got{{r, "2023年6月31号", "", warn}}},
		// Must not be flagged.
		{"2024年2月29日", nil},
		{"2月29日", nil},
		{"12月31日", nil},
		{"2023—2025年", nil},
		{"2023-2025年", nil},
		{"0591-87654321", nil},
		{"二〇二四年二月二十九日", nil},
		{"第12月度", nil},
	})
}

func TestSignedAfterPublished(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{Rules: []string{check.RuleSignedAfterPublished}})
	d := func(y int, m time.Month, day int) gongkai.Date { return gongkai.Date{Year: y, Month: m, Day: day} }
	fs := c.Check("正文", check.Options{SignedOn: d(2023, 5, 6), PublishedOn: d(2023, 5, 1)})
	want := []check.Finding{{
		Rule: check.RuleSignedAfterPublished, Severity: warn, Source: "metadata",
		Excerpt: "成文日期 2023年5月6日", Message: "成文日期（2023年5月6日）晚于发布日期（2023年5月1日），请核对。",
		Reason: "政府信息应在形成之后发布，成文日期不应晚于发布日期",
	}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	for _, o := range []check.Options{
		{SignedOn: d(2023, 5, 1), PublishedOn: d(2023, 5, 1)},
		{SignedOn: d(2023, 5, 1)},
		{SignedOn: d(2023, 5, 6), PublishedOn: d(2023, 5, 1), Source: "title"},
	} {
		if fs := c.Check("正文", o); len(fs) != 0 {
			t.Errorf("%+v: got %v, want nothing", o, fs)
		}
	}
}

func TestRequiredDisclosure(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{})
	fs := c.Check("失信被执行人：王某，身份证号34052419800101001X", check.Options{RequiredDisclosure: true, DisclosureReason: "惩戒公示"})
	if len(fs) != 1 || fs[0].Severity != warn || fs[0].Reason != "本文件标注为依法公开（惩戒公示），个人信息按规定可以公开，请确认公开范围必要、适当" {
		t.Errorf("got %+v", fs)
	}
}

func TestFindingPosition(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{Rules: []string{check.RuleWordingCommon}})
	text := "第一行\n第二行，截止目前已完成全部工作任务的百分之九十。"
	fs := c.Check(text, check.Options{Source: "attachment:通知.docx"})
	want := []check.Finding{{
		Rule: check.RuleWordingCommon, Severity: warn, Start: 22, End: 34, Line: 2, Col: 5,
		Source: "attachment:通知.docx", Excerpt: "截止目前", Context: "第二行，截止目前已完成全部工作任务的百分之九十",
		Message: "“截止目前”应为“截至目前”。", Suggestion: "截至目前",
		Reason: "《现代汉语词典》第7版：“截至”后接时间，“截止”指到期停止、不带时间宾语",
	}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	_, err := check.New(check.Config{Rules: []string{"pii.citizen_id", "nope"}})
	if gongkai.ErrorMessage(err) != "没有名为“nope”的检查规则" {
		t.Errorf("error %v", err)
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	a := mustChecker(t, check.Config{}).Fingerprint()
	b := mustChecker(t, check.Config{}).Fingerprint()
	c := mustChecker(t, check.Config{AllowTerms: []string{"其它"}}).Fingerprint()
	if a != b || a == c || len(a) != 16 {
		t.Errorf("fingerprints %q %q %q", a, b, c)
	}
}

func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{})
	fs := c.Check("截止目前\xff\xfe", check.Options{})
	if len(fs) != 1 || !strings.HasPrefix(fs[0].Excerpt, "截止目前") {
		t.Errorf("got %+v", fs)
	}
}

// FuzzCheck runs every rule on arbitrary text: no panics, every span lies
// in the text on character boundaries and matches its excerpt, and
// positions are consistent with the span.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"截止目前，电话13812345678，身份证34052419800101001X，卡号4111 1111 1111 1111。",
		"示政发[2023]012号〔二〇二三〕5号《2021年实施方案》（示政办发〔2023〕5号）",
		"测 试 敏 感 詞 20XX年X月X日 ××市【此处】 www.bgzjy.cn 二零二三年二月三十日",
		"象春风一样，既使…又\n二〇二三年三月五日\n",
	} {
		f.Add(s)
	}
	c, err := check.New(check.Config{SensitiveWords: check.SampleSensitiveWords()})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		fs := c.Check(text, check.Options{Title: "2023年报告"})
		valid := strings.ToValidUTF8(text, "\uFFFD")
		for _, x := range fs {
			if x.Source == "metadata" {
				continue
			}
			if x.Start < 0 || x.End > len(valid) || x.Start > x.End || valid[x.Start:x.End] != x.Excerpt {
				t.Fatalf("bad span %+v in %q", x, valid)
			}
			if x.Line != strings.Count(valid[:x.Start], "\n")+1 {
				t.Fatalf("line %d for %+v in %q", x.Line, x, valid)
			}
		}
	})
}

func TestWordList(t *testing.T) {
	t.Parallel()
	words, err := check.ParseWordList(strings.NewReader("\ufeff# 注释\n测试敏感词\n\n  示例违禁词  \n测试敏感词\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"测试敏感词", "示例违禁词"}, words); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := check.EncodeWordList(&b, words); err != nil || b.String() != "测试敏感词\n示例违禁词\n" {
		t.Errorf("EncodeWordList = %q, %v", b.String(), err)
	}
	if got := check.SampleSensitiveWords(); len(got) == 0 || got[0] != "测试敏感词" {
		t.Errorf("SampleSensitiveWords = %q", got)
	}
}

// TestConcurrent runs one Checker from several goroutines (run with -race).
func TestConcurrent(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{SensitiveWords: check.SampleSensitiveWords(), AllowTerms: []string{"其它"}})
	text := "截止目前，电话13812345678，测 试 敏 感 词，其它，示政发[2023]012号。"
	want := c.Check(text, check.Options{Title: "2023年"})
	done := make(chan []check.Finding)
	for range 8 {
		go func() { done <- c.Check(text, check.Options{Title: "2023年"}) }()
	}
	for range 8 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("mismatch (-want +got):\n%s", diff)
		}
	}
}
