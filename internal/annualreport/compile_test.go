package annualreport_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"gongkai"
	"gongkai/internal/annualreport"
)

func mustCompile(t testing.TB, in annualreport.Input) *annualreport.Report {
	t.Helper()
	r, err := annualreport.Compile(in)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return r
}

func mustDecodeFile(t testing.TB, name string) *annualreport.Report {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := annualreport.Decode(f, d("2025-01-20"))
	if err != nil {
		t.Fatalf("Decode(%s): %v", name, err)
	}
	return r
}

// genericJSON parses JSON keeping numbers as written, so 12.50 stays "12.50".
func genericJSON(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, b)
	}
	return v
}

func encode(t testing.TB, r *annualreport.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := annualreport.Encode(&b, r); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return b.Bytes()
}

func TestCompileGolden(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	want, err := os.ReadFile("testdata/golden-2024.json")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(genericJSON(t, want), genericJSON(t, encode(t, r))); diff != "" {
		t.Errorf("compiled report mismatch (-want +got):\n%s", diff)
	}
	// The golden file decodes to the same report (the drafts are not part
	// of the JSON).
	back := mustDecodeFile(t, "golden-2024.json")
	if diff := cmp.Diff(back, r, cmpopts.IgnoreFields(annualreport.Report{}, "Drafts")); diff != "" {
		t.Errorf("decoded golden mismatch (-want +got):\n%s", diff)
	}
}

func TestCheckGolden(t *testing.T) {
	r := mustCompile(t, fixtureInput())
	prev := mustDecodeFile(t, "published-2023.json")
	if got := r.Check(prev); len(got) != 0 {
		t.Errorf("Check(published 2023) = %v, want no problems", got)
	}
	// Without last year's report only a warning remains.
	got := r.Check(nil)
	want := []annualreport.Problem{{
		Severity: annualreport.SeverityWarning,
		Cell:     annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量"},
		Cells:    []annualreport.CellRef{{Section: "三", Row: "二、上年结转政府信息公开申请数量"}},
		Message:  "未找到2023年已发布的年度报告，无法核对上年结转数，请与上一年度报告人工核对。",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check(nil) mismatch (-want +got):\n%s", diff)
	}
	if annualreport.Blocking(got) {
		t.Error("a missing previous report must not block publication")
	}
}

func TestDrafts(t *testing.T) {
	in := fixtureInput()
	in.Texts = annualreport.Texts{} // nothing saved yet: the drafts are used
	r := mustCompile(t, in)
	want := annualreport.Texts{
		Overview: strings.Join([]string{
			"2024年，示例市交通运输局认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、不公开为例外，扎实做好政府信息公开各项工作。现将本机关2024年政府信息公开工作情况报告如下。本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
			"（一）主动公开。全年在政府网站主动公开政府信息100条，其中“工作动态”栏目58条、“通知公告”栏目30条、“政策文件”栏目12条。本年制发规章0件、行政规范性文件4件，废止规章0件、行政规范性文件2件；截至2024年底，现行有效规章1件、行政规范性文件5件。发布政策解读3篇。",
			"（二）依申请公开。全年新收政府信息公开申请9件，上年结转3件；本年办结9件，结转下年度继续办理3件。办结的申请中，在法定期限内答复6件，按期答复率为75%。本年涉及政府信息公开的行政复议案件3件、行政诉讼案件2件。",
			"（三）政府信息管理。【待补充：政府信息公开属性认定、公开前保密审查、政策文件清理和动态更新等情况】",
			"（四）政府信息公开平台建设。【待补充：政府网站、政务新媒体、政府公报等平台建设和管理情况】",
			"（五）监督保障。【待补充：组织领导、制度建设、教育培训和监督考核等情况】",
		}, "\n"),
		Shortcomings: "（一）存在的主要问题。一是依申请公开办理时效有待提高，本年有2件申请未在法定期限内答复；二是依申请公开答复的规范性有待加强，本年有1件行政复议、行政诉讼案件结果被纠正。\n" +
			"（二）改进情况。【待补充：针对上述问题采取的改进措施和取得的成效】",
		Other: "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度发出信息处理费收费通知2件，总金额450.50元，实际收取信息处理费400元。\n" +
			"除上述事项外，本机关无其他需要报告的事项。",
	}
	if diff := cmp.Diff(want, r.Drafts); diff != "" {
		t.Errorf("drafts mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, r.Texts); diff != "" {
		t.Errorf("empty texts must take the drafts (-want +got):\n%s", diff)
	}
	// A draft cannot be published unread: sections 一 and 五 hold placeholders.
	got := r.Check(mustDecodeFile(t, "published-2023.json"))
	wantProblems := []annualreport.Problem{
		{annualreport.SeverityError, annualreport.CellRef{Section: "一"}, nil, "“一、总体情况”部分仍有“【待补充】”标记的内容，请补充完整后删除标记。"},
		{annualreport.SeverityError, annualreport.CellRef{Section: "五"}, nil, "“五、存在的主要问题及改进情况”部分仍有“【待补充】”标记的内容，请补充完整后删除标记。"},
	}
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("problems of a draft mismatch (-want +got):\n%s", diff)
	}
}

// TestDraftsQuietYear checks the sentences for a year with nothing to count
// and a government (whose 监督保障 includes 考核、评议、追究).
func TestDraftsQuietYear(t *testing.T) {
	r := mustCompile(t, annualreport.Input{
		Org:   annualreport.Org{Code: "G1", Name: "示例县人民政府", Kind: annualreport.OrgGovernment},
		Year:  2023,
		Today: d("2024-02-01"),
		Applications: []annualreport.Application{
			{Ref: "X", Applicant: gongkai.ApplicantNatural, ReceivedOn: d("2023-02-01"), DueOn: d("2023-03-01"), ClosedOn: d("2023-02-10"), Outcome: gongkai.OutcomeGranted},
		},
	})
	want := []string{
		"2023年，示例县人民政府认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、不公开为例外，扎实做好政府信息公开各项工作。现将本机关2023年政府信息公开工作情况报告如下。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
		"（一）主动公开。【待补充：本年在政府网站等平台主动公开政府信息的数量和主要栏目】本年未制发规章和行政规范性文件。",
		"（二）依申请公开。全年新收政府信息公开申请1件，上年结转0件；本年办结1件，结转下年度继续办理0件。办结的申请均在法定期限内答复。本年未发生因政府信息公开工作引起的行政复议、行政诉讼案件。",
		"（三）政府信息管理。【待补充：政府信息公开属性认定、公开前保密审查、政策文件清理和动态更新等情况】",
		"（四）政府信息公开平台建设。【待补充：政府网站、政务新媒体、政府公报等平台建设和管理情况】",
		"（五）监督保障。【待补充：组织领导、制度建设、教育培训等情况，以及工作考核、社会评议和责任追究结果】",
	}
	if diff := cmp.Diff(want, strings.Split(r.Drafts.Overview, "\n")); diff != "" {
		t.Errorf("overview mismatch (-want +got):\n%s", diff)
	}
	if want := "（一）存在的主要问题。【待补充：结合本机关实际写明存在的主要问题】\n（二）改进情况。【待补充：针对上述问题采取的改进措施和取得的成效】"; r.Drafts.Shortcomings != want {
		t.Errorf("shortcomings = %q, want %q", r.Drafts.Shortcomings, want)
	}
	if want := "本年度未发出信息处理费收费通知，未收取信息处理费。\n除上述事项外，本机关无其他需要报告的事项。"; r.Drafts.Other != want {
		t.Errorf("other = %q, want %q", r.Drafts.Other, want)
	}
}

func TestFiguresChecked(t *testing.T) {
	tests := []struct {
		name    string
		figures annualreport.Figures
		want    []annualreport.Problem
	}{
		{"all entered", annualreport.Figures{Licensing: ptr(int64(0)), Penalty: ptr(int64(0)), Enforcement: ptr(int64(0)), Fees: ptr(annualreport.Amount(0))}, nil},
		{"missing", annualreport.Figures{Penalty: ptr(int64(3)), Enforcement: ptr(int64(0))}, []annualreport.Problem{
			{annualreport.SeverityError, annualreport.CellRef{Section: "二", Heading: "第二十条第（五）项", Row: "行政许可", Column: "本年处理决定数量"}, []annualreport.CellRef{annualreport.CellRef{Section: "二", Heading: "第二十条第（五）项", Row: "行政许可", Column: "本年处理决定数量"}}, "“行政许可”行“本年处理决定数量”列尚未填写。"},
			{annualreport.SeverityError, annualreport.CellRef{Section: "二", Heading: "第二十条第（八）项", Row: "行政事业性收费", Column: "本年收费金额（单位：万元）"}, []annualreport.CellRef{annualreport.CellRef{Section: "二", Heading: "第二十条第（八）项", Row: "行政事业性收费", Column: "本年收费金额（单位：万元）"}}, "“行政事业性收费”行“本年收费金额（单位：万元）”列尚未填写。"},
		}},
		{"negative", annualreport.Figures{Licensing: ptr(int64(1)), Penalty: ptr(int64(-3)), Enforcement: ptr(int64(0)), Fees: ptr(annualreport.Amount(-5))}, []annualreport.Problem{
			{annualreport.SeverityError, annualreport.CellRef{Section: "二", Heading: "第二十条第（六）项", Row: "行政处罚", Column: "本年处理决定数量"}, []annualreport.CellRef{annualreport.CellRef{Section: "二", Heading: "第二十条第（六）项", Row: "行政处罚", Column: "本年处理决定数量"}}, "“行政处罚”行“本年处理决定数量”列不能为负数（现为-3）。"},
			{annualreport.SeverityError, annualreport.CellRef{Section: "二", Heading: "第二十条第（八）项", Row: "行政事业性收费", Column: "本年收费金额（单位：万元）"}, []annualreport.CellRef{annualreport.CellRef{Section: "二", Heading: "第二十条第（八）项", Row: "行政事业性收费", Column: "本年收费金额（单位：万元）"}}, "“行政事业性收费”行“本年收费金额（单位：万元）”列不能为负数（现为-0.05）。"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixtureInput()
			in.Figures = tt.figures
			got := mustCompile(t, in).Check(mustDecodeFile(t, "published-2023.json"))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileBadInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(*annualreport.Input)
		field  string
		msg    string
	}{
		{"future year", func(in *annualreport.Input) { in.Year = 2026 }, "year", "2026年尚未到来，不能编制该年度的年度报告。"},
		{"before the regulation", func(in *annualreport.Input) { in.Year = 2007 }, "year", "年度应不早于2008年（《条例》自2008年5月1日起施行）。"},
		{"no org", func(in *annualreport.Input) { in.Org.Code = "" }, "org", "请指定编制年度报告的机关。"},
		{"bad org kind", func(in *annualreport.Input) { in.Org.Kind = "bureau" }, "org.kind", "机关类别应为人民政府或政府部门。"},
		{"closed before received", func(in *annualreport.Input) { in.Applications[3].ClosedOn = d("2023-12-31") }, "applications[3].closed_on", "申请A4的办结日期早于收到日期。"},
		{"closed in the future", func(in *annualreport.Input) { in.Applications[3].ClosedOn = d("2025-02-01") }, "applications[3].closed_on", "申请A4的办结日期（2025年2月1日）晚于今天。"},
		{"received in the future", func(in *annualreport.Input) { in.Applications[8].ReceivedOn = d("2025-03-01") }, "applications[8].received_on", "申请A9的收到日期（2025年3月1日）晚于今天。"},
		{"unknown outcome", func(in *annualreport.Input) { in.Applications[1].Outcome = "refused" }, "applications[1].outcome", "申请A2的办理结果“refused”不是年度报告表三中的情形。"},
		{"open with outcome", func(in *annualreport.Input) { in.Applications[8].Outcome = gongkai.OutcomeGranted }, "applications[8].outcome", "申请A9尚未办结，不应有办理结果。"},
		{"closed without outcome", func(in *annualreport.Input) { in.Applications[1].Outcome = "" }, "applications[1].outcome", "申请A2已办结，但缺少办理结果。"},
		{"unknown applicant", func(in *annualreport.Input) { in.Applications[0].Applicant = "company" }, "applications[0].applicant", "申请A1的申请人类别无效。"},
		{"deadline before receipt", func(in *annualreport.Input) { in.Applications[1].DueOn = d("2023-01-01") }, "applications[1].due_on", "申请A2的答复期限无效或早于收到日期。"},
		{"pending appeal with date", func(in *annualreport.Input) { in.Appeals[2].ClosedOn = d("2024-12-01") }, "appeals[2].closed_on", "复议诉讼案件P3尚未审结，不应有审结日期。"},
		{"decided appeal without date", func(in *annualreport.Input) { in.Appeals[1].ClosedOn = gongkai.Date{} }, "appeals[1].closed_on", "复议诉讼案件P2已有结果，但缺少审结日期。"},
		{"unknown appeal result", func(in *annualreport.Input) { in.Appeals[1].Result = "won" }, "appeals[1].result", "复议诉讼案件P2的结果“won”无效，应为结果维持、结果纠正、其他结果或尚未审结。"},
		{"unknown appeal kind", func(in *annualreport.Input) { in.Appeals[0].Kind = "petition" }, "appeals[0].kind", "复议诉讼案件P1的类别应为行政复议、未经复议直接起诉或复议后起诉。"},
		{"document without dates", func(in *annualreport.Input) {
			in.Documents[5] = annualreport.Document{Ref: "D6", Kind: annualreport.DocumentNormative}
		}, "documents[5].signed_on", "文件D6缺少成文日期。"},
		{"repealed before made", func(in *annualreport.Input) { in.Documents[2].RepealedOn = d("2019-01-01") }, "documents[2].repealed_on", "文件D3的废止（失效）日期早于成文日期。"},
		{"unknown document kind", func(in *annualreport.Input) { in.Documents[0].Kind = "notice" }, "documents[0].kind", "文件D1的类别应为规章或行政规范性文件。"},
		{"negative fee notice", func(in *annualreport.Input) { in.FeeNotices[0].Amount = -1 }, "fee_notices[0].amount", "收费通知N1的金额不能为负数。"},
		{"paid before issued", func(in *annualreport.Input) { in.FeeNotices[0].PaidOn = d("2024-07-01") }, "fee_notices[0].paid_on", "收费通知N1的缴费日期早于发出日期。"},
		{"negative interpretations", func(in *annualreport.Input) { in.Interpretations = -1 }, "interpretations", "政策解读数量不能为负数。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := fixtureInput()
			tt.change(&in)
			r, err := annualreport.Compile(in)
			if err == nil {
				t.Fatalf("Compile succeeded (%d tables), want an error", len(r.Tables))
			}
			e := gongkai.AsError(err)
			if e == nil || e.Code != gongkai.EINVALID {
				t.Fatalf("error = %v, want a gongkai.EINVALID error", err)
			}
			if e.Field != tt.field || e.Message != tt.msg {
				t.Errorf("error = %s: %s, want %s: %s", e.Field, e.Message, tt.field, tt.msg)
			}
		})
	}
}

// TestCompileEdges lists inputs that must be accepted: same-day replies,
// records outside the year, the provisional current year.
func TestCompileEdges(t *testing.T) {
	in := fixtureInput()
	in.Applications = append(in.Applications, annualreport.Application{
		Ref: "same-day", Applicant: gongkai.ApplicantNatural, ReceivedOn: d("2024-07-01"), DueOn: d("2024-07-01"), ClosedOn: d("2024-07-01"), Outcome: gongkai.OutcomeGranted,
	})
	if _, err := annualreport.Compile(in); err != nil {
		t.Errorf("same-day reply refused: %v", err)
	}

	in = fixtureInput()
	in.Year = 2025 // the current year: provisional, never publishable
	r := mustCompile(t, in)
	if r.AsOf != d("2025-01-20") {
		t.Errorf("AsOf = %v, want 2025-01-20", r.AsOf)
	}
	var blocking []string
	for _, p := range r.Check(nil) {
		if p.Blocking() && p.Cell.Section == "" {
			blocking = append(blocking, p.Message)
		}
	}
	if diff := cmp.Diff([]string{"2025年尚未结束，报告数据为截至2025年1月20日的临时统计，年度结束后方可发布。"}, blocking); diff != "" {
		t.Errorf("provisional report problems mismatch (-want +got):\n%s", diff)
	}
}

// TestCarryOver compiles two consecutive years from the same records: what
// one year carries forward is what the next carries over, cell by cell.
func TestCarryOver(t *testing.T) {
	in := fixtureInput()
	in.Year = 2023
	r2023 := mustCompile(t, in)
	r2024 := mustCompile(t, fixtureInput())
	for _, col := range r2024.Tables[4].Columns {
		next, _ := r2023.Lookup(annualreport.CellRef{Section: "三", Row: "四、结转下年度继续办理", Column: col.Label, Groups: col.Groups})
		carried, _ := r2024.Lookup(annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: col.Label, Groups: col.Groups})
		if next != carried {
			t.Errorf("%s: 2023 结转下年度 %v, 2024 上年结转 %v", col.Label, next, carried)
		}
	}
	// By hand: A2, A3 and A11 were open on 31 December 2023.
	want := []annualreport.Value{annualreport.Num(2), annualreport.Num(1), annualreport.Num(0), annualreport.Num(0), annualreport.Num(0), annualreport.Num(0), annualreport.Num(3)}
	if diff := cmp.Diff(want, r2023.Tables[4].Rows[29].Values); diff != "" {
		t.Errorf("2023 结转下年度 mismatch (-want +got):\n%s", diff)
	}
	for _, p := range r2024.Check(r2023) {
		if p.Cell.Row == "二、上年结转政府信息公开申请数量" {
			t.Errorf("unexpected carry-over problem: %s", p.Message)
		}
	}

	// A late correction after publication: the published 2023 report said
	// 1 natural person was carried forward. The warning names the difference.
	published := mustDecodeFile(t, "published-2023.json")
	published.Tables[4].Rows[29].Values[0] = annualreport.Num(1)
	published.Tables[4].Rows[29].Values[6] = annualreport.Num(2)
	var got []annualreport.Problem
	for _, p := range r2024.Check(published) {
		if p.Cell.Row == "二、上年结转政府信息公开申请数量" {
			got = append(got, p)
		}
	}
	wantProblems := []annualreport.Problem{
		{annualreport.SeverityWarning, annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: "自然人", Groups: []string{"申请人情况"}}, []annualreport.CellRef{annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: "自然人", Groups: []string{"申请人情况"}}},
			"“自然人”列：上年结转2件，与2023年已发布年度报告的“结转下年度继续办理”1件不一致（相差+1件）。可能是已发布后更正了申请数据，请核实并在报告中说明。"},
		{annualreport.SeverityWarning, annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: "总计", Groups: []string{"申请人情况"}}, []annualreport.CellRef{annualreport.CellRef{Section: "三", Row: "二、上年结转政府信息公开申请数量", Column: "总计", Groups: []string{"申请人情况"}}},
			"“总计”列：上年结转3件，与2023年已发布年度报告的“结转下年度继续办理”2件不一致（相差+1件）。可能是已发布后更正了申请数据，请核实并在报告中说明。"},
	}
	if diff := cmp.Diff(wantProblems, got); diff != "" {
		t.Errorf("carry-over warnings mismatch (-want +got):\n%s", diff)
	}
}

// TestAppealsAcrossYears: a case filed in 2024 and decided in January 2025
// is 尚未审结 in 2024 and appears with its result in 2025, once.
func TestAppealsAcrossYears(t *testing.T) {
	in := fixtureInput()
	in.Today = d("2026-02-01")
	in.Year = 2025
	r := mustCompile(t, in)
	// By hand: P4 (direct, decided 其他结果 on 2025-01-10), P3 (复议, still
	// pending) and P7 (direct, filed 2025, pending).
	want := []annualreport.Value{
		annualreport.Num(0), annualreport.Num(0), annualreport.Num(0), annualreport.Num(1), annualreport.Num(1),
		annualreport.Num(0), annualreport.Num(0), annualreport.Num(1), annualreport.Num(1), annualreport.Num(2),
		annualreport.Num(0), annualreport.Num(0), annualreport.Num(0), annualreport.Num(0), annualreport.Num(0),
	}
	if diff := cmp.Diff(want, r.Tables[5].Rows[0].Values); diff != "" {
		t.Errorf("2025 table 四 mismatch (-want +got):\n%s", diff)
	}
}

func TestDeadline(t *testing.T) {
	if got := annualreport.Deadline(annualreport.OrgDepartment, 2024); got != d("2025-01-31") {
		t.Errorf("department deadline = %v, want 2025-01-31", got)
	}
	if got := annualreport.Deadline(annualreport.OrgGovernment, 2024); got != d("2025-03-31") {
		t.Errorf("government deadline = %v, want 2025-03-31", got)
	}
}

func TestSum(t *testing.T) {
	a := mustCompile(t, fixtureInput())
	b := mustCompile(t, fixtureInput())
	city := annualreport.Org{Code: "C1", Name: "示例市", Kind: annualreport.OrgGovernment}
	s, err := annualreport.Sum(city, []*annualreport.Report{a, b})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: twice the fixture.
	if got, want := s.Tables[4].Rows[0].Values[6], annualreport.Num(18); got != want {
		t.Errorf("sum of 一 总计 = %v, want %v", got, want)
	}
	if got, want := s.Tables[3].Rows[0].Values[0], annualreport.Num(2500); got != want {
		t.Errorf("sum of fees = %v, want %v", got, want)
	}
	if s.Org != city || s.Texts != (annualreport.Texts{}) {
		t.Errorf("sum org/texts = %v / %v", s.Org, s.Texts)
	}
	// A missing figure stays missing in the sum.
	in := fixtureInput()
	in.Figures.Licensing = nil
	c := mustCompile(t, in)
	s, err = annualreport.Sum(city, []*annualreport.Report{a, c})
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Tables[1].Rows[0].Values[0]; got.Valid {
		t.Errorf("sum with a missing figure = %v, want empty", got)
	}
	// Different years cannot be added.
	in = fixtureInput()
	in.Year = 2023
	if _, err := annualreport.Sum(city, []*annualreport.Report{a, mustCompile(t, in)}); gongkai.ErrorCode(err) != gongkai.EINVALID {
		t.Errorf("Sum of 2024 and 2023 = %v, want EINVALID", err)
	}
}

func TestDiff(t *testing.T) {
	published := mustDecodeFile(t, "golden-2024.json")
	if got := annualreport.Diff(published, mustCompile(t, fixtureInput())); len(got) != 0 {
		t.Errorf("Diff of identical reports = %v", got)
	}
	// After publication, A9 turns out to have been answered on 30 December.
	in := fixtureInput()
	in.Applications[8].ClosedOn = d("2024-12-30")
	in.Applications[8].Outcome = gongkai.OutcomeGranted
	got := annualreport.Diff(published, mustCompile(t, in))
	nat := func(row string) annualreport.CellRef {
		return annualreport.CellRef{Section: "三", Row: row, Column: "自然人", Groups: []string{"申请人情况"}}
	}
	total := func(row string) annualreport.CellRef {
		return annualreport.CellRef{Section: "三", Row: row, Column: "总计", Groups: []string{"申请人情况"}}
	}
	n := annualreport.Num
	want := []annualreport.CellChange{
		{Cell: nat("（一）予以公开"), Published: n(1), Current: n(2)},
		{Cell: total("（一）予以公开"), Published: n(2), Current: n(3)},
		{Cell: nat("（七）总计"), Published: n(5), Current: n(6)},
		{Cell: total("（七）总计"), Published: n(9), Current: n(10)},
		{Cell: nat("四、结转下年度继续办理"), Published: n(2), Current: n(1)},
		{Cell: total("四、结转下年度继续办理"), Published: n(3), Current: n(2)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Diff mismatch (-want +got):\n%s", diff)
	}
	if got, want := want[0].Cell.String(), "表三“（一）予以公开”行“申请人情况／自然人”列"; got != want {
		t.Errorf("CellRef.String() = %q, want %q", got, want)
	}
}

// TestDiffAcrossFormats compares a 2019 report with a 2021 one by labels:
// cells only one format has show up with the other side empty.
func TestDiffAcrossFormats(t *testing.T) {
	old := mustDecodeFile(t, "report-2019.json")
	cur := mustCompile(t, fixtureInput())
	changes := annualreport.Diff(old, cur)
	find := func(section, heading, row, col string) *annualreport.CellChange {
		for i, c := range changes {
			if c.Cell.Section == section && c.Cell.Heading == heading && c.Cell.Row == row && c.Cell.Column == col {
				return &changes[i]
			}
		}
		return nil
	}
	if c := find("二", "第二十条第（九）项", "政府集中采购", "采购总金额"); c == nil || c.Current.Valid || c.Published != annualreport.Num(25100000) {
		t.Errorf("2019-only cell = %+v, want published 251000.00 and no current", c)
	}
	if c := find("二", "第二十条第（五）项", "行政许可", "本年处理决定数量"); c == nil || c.Published.Valid || c.Current != annualreport.Num(120) {
		t.Errorf("2021-only cell = %+v, want current 120 and no published", c)
	}
	if c := find("三", "", "一、本年新收政府信息公开申请数量", "自然人"); c == nil || c.Published != annualreport.Num(20) || c.Current != annualreport.Num(5) {
		t.Errorf("shared cell = %+v, want 20 → 5", c)
	}
}
