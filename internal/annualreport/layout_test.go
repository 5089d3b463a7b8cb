package annualreport

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// The lists below are copied by hand from ../shared/reference/statutes.md
// §2.1–2.4 (2021) and §2.6 plus the 2019 report of the 上海市人民政府办公厅
// (2019), character for character: full-width parentheses （）, the curly
// quotes in 危及“三安全一稳定”, the Chinese comma 、 and the ASCII point after
// the sub-row numbers (1.属于国家秘密).

type labelTable struct {
	Section, Heading, Corner string
	Columns                  [][]string // groups…, label
	Rows                     []string   // "*" marks a group row
}

var want2021 = []labelTable{
	{"二", "第二十条第（一）项", "信息内容",
		[][]string{{"本年制发件数"}, {"本年废止件数"}, {"现行有效件数"}},
		[]string{"规章", "行政规范性文件"}},
	{"二", "第二十条第（五）项", "信息内容",
		[][]string{{"本年处理决定数量"}},
		[]string{"行政许可"}},
	{"二", "第二十条第（六）项", "信息内容",
		[][]string{{"本年处理决定数量"}},
		[]string{"行政处罚", "行政强制"}},
	{"二", "第二十条第（八）项", "信息内容",
		[][]string{{"本年收费金额（单位：万元）"}},
		[]string{"行政事业性收费"}},
	{"三", "", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
		[][]string{
			{"申请人情况", "自然人"},
			{"申请人情况", "法人或其他组织", "商业企业"},
			{"申请人情况", "法人或其他组织", "科研机构"},
			{"申请人情况", "法人或其他组织", "社会公益组织"},
			{"申请人情况", "法人或其他组织", "法律服务机构"},
			{"申请人情况", "法人或其他组织", "其他"},
			{"申请人情况", "总计"},
		},
		[]string{
			"一、本年新收政府信息公开申请数量",
			"二、上年结转政府信息公开申请数量",
			"*三、本年度办理结果",
			"（一）予以公开",
			"（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
			"*（三）不予公开",
			"1.属于国家秘密",
			"2.其他法律行政法规禁止公开",
			"3.危及“三安全一稳定”",
			"4.保护第三方合法权益",
			"5.属于三类内部事务信息",
			"6.属于四类过程性信息",
			"7.属于行政执法案卷",
			"8.属于行政查询事项",
			"*（四）无法提供",
			"1.本机关不掌握相关政府信息",
			"2.没有现成信息需要另行制作",
			"3.补正后申请内容仍不明确",
			"*（五）不予处理",
			"1.信访举报投诉类申请",
			"2.重复申请",
			"3.要求提供公开出版物",
			"4.无正当理由大量反复申请",
			"5.要求行政机关确认或重新出具已获取信息",
			"*（六）其他处理",
			"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
			"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
			"3.其他",
			"（七）总计",
			"四、结转下年度继续办理",
		}},
	{"四", "", "",
		[][]string{
			{"行政复议", "结果维持"}, {"行政复议", "结果纠正"}, {"行政复议", "其他结果"}, {"行政复议", "尚未审结"}, {"行政复议", "总计"},
			{"行政诉讼", "未经复议直接起诉", "结果维持"}, {"行政诉讼", "未经复议直接起诉", "结果纠正"}, {"行政诉讼", "未经复议直接起诉", "其他结果"}, {"行政诉讼", "未经复议直接起诉", "尚未审结"}, {"行政诉讼", "未经复议直接起诉", "总计"},
			{"行政诉讼", "复议后起诉", "结果维持"}, {"行政诉讼", "复议后起诉", "结果纠正"}, {"行政诉讼", "复议后起诉", "其他结果"}, {"行政诉讼", "复议后起诉", "尚未审结"}, {"行政诉讼", "复议后起诉", "总计"},
		},
		[]string{""}},
}

func TestLabels2021(t *testing.T) {
	if diff := cmp.Diff(want2021, labelsOf(Format2021)); diff != "" {
		t.Errorf("2021 labels mismatch (-want +got):\n%s", diff)
	}
}

func TestLabels2019(t *testing.T) {
	want := []labelTable{
		{"二", "第二十条第（一）项", "信息内容",
			[][]string{{"本年新制作数量"}, {"本年新公开数量"}, {"对外公开总数量"}},
			[]string{"规章", "规范性文件"}},
		{"二", "第二十条第（五）项", "信息内容",
			[][]string{{"上一年项目数量"}, {"本年增/减"}, {"处理决定数量"}},
			[]string{"行政许可", "其他对外管理服务事项"}},
		{"二", "第二十条第（六）项", "信息内容",
			[][]string{{"上一年项目数量"}, {"本年增/减"}, {"处理决定数量"}},
			[]string{"行政处罚", "行政强制"}},
		{"二", "第二十条第（八）项", "信息内容",
			[][]string{{"上一年项目数量"}, {"本年增/减"}},
			[]string{"行政事业性收费"}},
		{"二", "第二十条第（九）项", "信息内容",
			[][]string{{"采购项目数量"}, {"采购总金额"}},
			[]string{"政府集中采购"}},
	}
	// Tables 三 and 四 are those of 2021 except that （六）其他处理 has no
	// sub-rows (statutes.md §2.6).
	t3 := want2021[4]
	t3.Rows = append(append(append([]string(nil), t3.Rows[:24]...), "（六）其他处理"), "（七）总计", "四、结转下年度继续办理")
	want = append(want, t3, want2021[5])
	if diff := cmp.Diff(want, labelsOf(Format2019)); diff != "" {
		t.Errorf("2019 labels mismatch (-want +got):\n%s", diff)
	}
}

func TestHeadings(t *testing.T) {
	want := [6]string{
		"一、总体情况",
		"二、主动公开政府信息情况",
		"三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况",
		"五、存在的主要问题及改进情况",
		"六、其他需要报告的事项",
	}
	if diff := cmp.Diff(want, Headings()); diff != "" {
		t.Errorf("headings mismatch (-want +got):\n%s", diff)
	}
}

// TestOutcomeRows checks that the 21 outcomes are exactly the leaf rows of
// table 三, in order, so every closed application lands in one leaf.
func TestOutcomeRows(t *testing.T) {
	var got []gongkai.Outcome
	for _, r := range layouts[Format2021][tApplications].rows {
		if gongkai.Outcome(r.key).Valid() {
			got = append(got, gongkai.Outcome(r.key))
		}
	}
	if diff := cmp.Diff(gongkai.Outcomes, got); diff != "" {
		t.Errorf("outcome rows mismatch (-want +got):\n%s", diff)
	}
	var kinds []gongkai.ApplicantKind
	for _, c := range layouts[Format2021][tApplications].cols[:6] {
		kinds = append(kinds, gongkai.ApplicantKind(c.key))
	}
	if diff := cmp.Diff(gongkai.ApplicantKinds, kinds); diff != "" {
		t.Errorf("applicant columns mismatch (-want +got):\n%s", diff)
	}
}

func labelsOf(f Format) []labelTable {
	var out []labelTable
	for _, s := range layouts[f] {
		lt := labelTable{Section: s.section, Heading: s.heading, Corner: s.corner}
		for _, c := range s.cols {
			lt.Columns = append(lt.Columns, append(append([]string(nil), c.groups...), c.label))
		}
		for _, r := range s.rows {
			l := r.label
			if r.group {
				l = "*" + l
			}
			lt.Rows = append(lt.Rows, l)
		}
		out = append(out, lt)
	}
	return out
}

// TestOutcomeLabels checks the Chinese name of every outcome that staff,
// applicants, letters and the 台账 see (gongkai.Outcome.Label) against its row
// of table 三: the group row's name without its numeral, “：”, then the leaf's
// name without its number — so an outcome is never recorded in words the
// annual report does not use. The one shortening allowed is the counting
// note of （二）, which is an instruction to whoever fills in the table, not
// part of the outcome's name.
func TestOutcomeLabels(t *testing.T) {
	const partialNote = "（区分处理的，只计这一情形，不计其他情形）"
	strip := func(s string) string {
		// "（三）不予公开" → "不予公开"; "1.属于国家秘密" → "属于国家秘密".
		if i := strings.Index(s, "）"); strings.HasPrefix(s, "（") && i > 0 {
			return s[i+len("）"):]
		}
		if i := strings.Index(s, "."); i > 0 {
			return s[i+1:]
		}
		return s
	}
	group := ""
	n := 0
	for _, r := range layouts[Format2021][tApplications].rows {
		if r.group {
			if r.level == 1 {
				group = strip(r.label)
			}
			continue
		}
		o := gongkai.Outcome(r.key)
		if !o.Valid() {
			continue
		}
		n++
		want := strip(r.label)
		if r.level == 2 {
			want = group + "：" + want
		}
		want = strings.TrimSuffix(want, partialNote)
		if got := o.Label(); got != want {
			t.Errorf("%s.Label() = %q, want %q (row %q)", o, got, want, r.label)
		}
	}
	if n != len(gongkai.Outcomes) {
		t.Errorf("checked %d outcomes, want %d", n, len(gongkai.Outcomes))
	}
}
