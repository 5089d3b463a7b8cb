package indexno

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func TestFormatStatuteExamples(t *testing.T) {
	// The expected numbers are the real 索引号 quoted in statutes §4.
	tests := []struct {
		name     string
		template string
		v        Values
		want     string
		scope    string
	}{
		{"gov.cn 指引 page [S42]", "{org_code}/{yyyy}-{seq:05}",
			Values{OrgCode: "000014349", Year: 2017, Month: 6, Seq: 110},
			"000014349/2017-00110", "2017"},
		{"default with credit code [S50b]", Default,
			Values{CreditCode: "11441700007280420Y", Year: 2021, Month: 3, Seq: 50},
			"11441700007280420Y/2021-00050", "2021"},
		{"year and month [S12]", "{credit_code}/{yyyy}{mm}-{seq:05}",
			Values{CreditCode: "11341702486344515H", Year: 2021, Month: 10, Seq: 13},
			"11341702486344515H/202110-00013", "2021-10"},
		{"local code, seven digits [S55b]", "{code}/{yyyy}-{seq:07}",
			Values{Code: "hedongquhd0108", Year: 2021, Seq: 202},
			"hedongquhd0108/2021-0000202", "2021"},
		{"泰州 five-digit serial [S53b]", "{org_code}/{yyyy}-{seq:5}",
			Values{OrgCode: "014416330", Year: 2018, Seq: 4736},
			"014416330/2018-04736", "2018"},
		{"org code derived from credit code", "{org_code}/{yyyy}-{seq:05}",
			Values{CreditCode: "11441700007280420Y", Year: 2021, Seq: 1},
			"007280420/2021-00001", "2021"},
		{"hyphenated org code printed plain", "{org_code}/{yyyy}-{seq:05}",
			Values{OrgCode: "01427688-X", Year: 2022, Seq: 185},
			"01427688X/2022-00185", "2022"},
		{"two-digit year, region code, no padding", "{region_code}-{code}-{yy}-{seq}",
			Values{RegionCode: "341802", Code: "XZQ", Year: 2009, Seq: 7},
			"341802-XZQ-09-7", "2009"},
		{"sequence wider than its padding", Default,
			Values{CreditCode: "11370812004339255B", Year: 2020, Seq: 122849},
			"11370812004339255B/2020-122849", "2020"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := Parse(tt.template)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.template, err)
			}
			got, err := tpl.Format(tt.v)
			if err != nil {
				t.Fatalf("Format: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Format mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.scope, tpl.SeqScope(tt.v)); diff != "" {
				t.Errorf("SeqScope mismatch (-want +got):\n%s", diff)
			}
			if tpl.String() != tt.template {
				t.Errorf("String() = %q, want %q", tpl.String(), tt.template)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		template string
		want     string // the Chinese message, character for character
	}{
		{"", "索引号模板不能为空。"},
		{"   ", "索引号模板不能为空。"},
		{"{credit_code}/{yyyy}-{serial}", "索引号模板中的占位符 {serial} 无法识别，可用的占位符：{credit_code}、{org_code}、{region_code}、{code}、{yyyy}、{yy}、{mm}、{seq:N}。"},
		{"{credit_code}/{YYYY}-{seq:05}", "索引号模板中的占位符 {YYYY} 无法识别，是否应为 {yyyy}？可用的占位符：{credit_code}、{org_code}、{region_code}、{code}、{yyyy}、{yy}、{mm}、{seq:N}。"},
		{"{credit_code}/{yyyy}-{seq:05", "索引号模板中的“{seq:05”缺少右花括号“}”。"},
		{"{credit_code}}/{yyyy}-{seq:05}", "索引号模板中有多余的“}”。"},
		{"{credit_code}/{yyyy}-{seq:0}", "索引号模板中的 {seq:0} 位数不正确，流水号位数应为 1 至 10 之间的整数，例如 {seq:05}。"},
		{"{credit_code}/{yyyy}-{seq:11}", "索引号模板中的 {seq:11} 位数不正确，流水号位数应为 1 至 10 之间的整数，例如 {seq:05}。"},
		{"{credit_code}/{yyyy}-{seq:x}", "索引号模板中的 {seq:x} 位数不正确，流水号位数应为 1 至 10 之间的整数，例如 {seq:05}。"},
		{"{credit_code}/{yyyy}", "索引号模板必须包含流水号 {seq} 或 {seq:N}，否则无法保证索引号不重复。"},
		{"{credit_code}/{yyyy}-{seq}-{seq:3}", "索引号模板中流水号只能出现一次。"},
		{"{credit_code}/{mm}-{seq:05}", "索引号模板必须包含年份 {yyyy} 或 {yy}，流水号按年编排。"},
		{"{region_code}/{yyyy}-{seq:05}", "索引号模板必须包含机关标识 {credit_code}、{org_code} 或 {code} 之一，否则不同机关的索引号会重复。"},
		{"{code}{yyyy}-{seq:05}", "索引号模板中 {code} 的长度不固定，其后必须紧跟分隔符（- / _ .）或位于末尾，否则索引号可能重复。"},
		{"{credit_code}/{yyyy}-{seq:05}A", "索引号模板中 {seq:05} 的长度不固定，其后必须紧跟分隔符（- / _ .）或位于末尾，否则索引号可能重复。"},
		{"{credit_code} {yyyy}-{seq:05}", "索引号模板含有不允许的字符“ ”，模板中的固定文字只能使用英文字母、数字和 - / _ . 。"},
		{"{credit_code}／{yyyy}-{seq:05}", "索引号模板含有不允许的字符“／”，模板中的固定文字只能使用英文字母、数字和 - / _ . 。"},
		{"{credit_code}?{yyyy}-{seq:05}", "索引号模板含有不允许的字符“?”，模板中的固定文字只能使用英文字母、数字和 - / _ . 。"},
		{strings.Repeat("a", 190) + "{code}/{yyyy}-{seq}", "索引号模板过长，不能超过 200 个字符。"},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			_, err := Parse(tt.template)
			e := gongkai.AsError(err)
			if e == nil {
				t.Fatalf("Parse(%q) error = %v, want a *gongkai.Error", tt.template, err)
			}
			if e.Code != gongkai.EINVALID || e.Field != Field {
				t.Errorf("code, field = %q, %q; want %q, %q", e.Code, e.Field, gongkai.EINVALID, Field)
			}
			if diff := cmp.Diff(tt.want, e.Message); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	// Templates that must NOT be refused.
	for _, s := range []string{
		Default,
		"{org_code}/{yyyy}-{seq:5}",
		"{credit_code}/{yyyy}{mm}-{seq:05}",
		"{code}/{yyyy}-{seq}",
		"{code}.{yy}.{seq:3}",
		"GK_{code}_{yyyy}_{seq:10}",
		"{yyyy}/{credit_code}/{seq:1}", // fixed-width placeholders may touch
		"{seq:4}-{yyyy}-{org_code}",    // the sequence need not be last
		"{code}-{region_code}-{yyyy}-{seq:06}",
	} {
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}

func TestFormatErrors(t *testing.T) {
	def := MustParse(Default)
	tests := []struct {
		name string
		tpl  Template
		v    Values
		want string
	}{
		{"no credit code", def, Values{Year: 2024, Seq: 1},
			"本机关尚未填写统一社会信用代码，无法按模板 {credit_code}/{yyyy}-{seq:05} 生成索引号，请联系管理员补充。"},
		{"bad credit code", def, Values{CreditCode: "11441700007280420I", Year: 2024, Seq: 1},
			"本机关的统一社会信用代码“11441700007280420I”格式不正确（应为 18 位数字或大写字母），无法生成索引号。"},
		{"no org code", MustParse("{org_code}/{yyyy}-{seq:05}"), Values{Year: 2024, Seq: 1},
			"本机关尚未填写组织机构代码或统一社会信用代码，无法按模板 {org_code}/{yyyy}-{seq:05} 生成索引号，请联系管理员补充。"},
		{"code with a hyphen", MustParse("{code}/{yyyy}-{seq}"), Values{Code: "city-fgw", Year: 2024, Seq: 1},
			"本机关的机关代码“city-fgw”只能由英文字母和数字组成（不超过 32 个字符），无法按模板生成索引号。"},
		{"no region code", MustParse("{code}-{region_code}-{yyyy}-{seq}"), Values{Code: "A", Year: 2024, Seq: 1},
			"本机关尚未填写行政区划代码，无法按模板 {code}-{region_code}-{yyyy}-{seq} 生成索引号，请联系管理员补充。"},
		{"no month", MustParse("{code}/{yyyy}{mm}-{seq}"), Values{Code: "A", Year: 2024, Seq: 1},
			"月份 0 无效，无法生成索引号。"},
		{"seq zero", def, Values{CreditCode: "11441700007280420Y", Year: 2024},
			"流水号 0 无效，应从 1 开始。"},
		{"no year", def, Values{CreditCode: "11441700007280420Y", Seq: 3},
			"年份 0 无效，无法生成索引号。"},
		{"zero template", Template{}, Values{},
			"索引号模板未设置。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.tpl.Format(tt.v)
			if err == nil {
				t.Fatalf("Format = %q, want an error", got)
			}
			if diff := cmp.Diff(tt.want, gongkai.ErrorMessage(err)); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMonthlyAndNeeds(t *testing.T) {
	tpl := MustParse("{code}-{region_code}/{yyyy}{mm}-{seq:05}")
	if !tpl.Monthly() {
		t.Error("Monthly() = false for a template with {mm}")
	}
	if MustParse(Default).Monthly() {
		t.Error("Monthly() = true for the default template")
	}
	want := []string{"机关代码", "行政区划代码"}
	if diff := cmp.Diff(want, tpl.Needs()); diff != "" {
		t.Errorf("Needs mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("2024-01", tpl.SeqScope(Values{Year: 2024, Month: 1})); diff != "" {
		t.Errorf("SeqScope mismatch (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{Default, "{org_code}/{yyyy}{mm}-{seq:5}", "{code}.{yy}.{seq}",
		"{seq:4}-{yyyy}-{credit_code}", "{code}{seq}", "{", "}", "{seq:99}", "{code}-{region_code}-{yyyy}-{seq}"} {
		f.Add(s, "A1", "B2", int64(1), int64(11))
	}
	f.Fuzz(func(t *testing.T, s, code1, code2 string, seq1, seq2 int64) {
		tpl, err := Parse(s)
		if err != nil {
			if gongkai.AsError(err) == nil {
				t.Fatalf("Parse(%q) returned a non-domain error %v", s, err)
			}
			return
		}
		again, err := Parse(tpl.String())
		if err != nil || again.String() != s {
			t.Fatalf("Parse(String()) = %v, %v", again, err)
		}
		if !validCode(code1) || !validCode(code2) || seq1 < 1 || seq2 < 1 {
			return
		}
		// Two Orgs, each with its own counter: whatever their numbers, and
		// whatever the year, their 索引号 must differ when their codes do;
		// within one Org, two numbers of one scope must differ.
		v1 := Values{CreditCode: "11441700007280420Y", RegionCode: "341802", Code: code1, Year: 2021, Month: 10, Seq: seq1}
		v2 := v1
		v2.Code, v2.Seq = code2, seq2
		a, err1 := tpl.Format(v1)
		b, err2 := tpl.Format(v2)
		if err1 != nil || err2 != nil {
			t.Fatalf("Format: %v, %v", err1, err2)
		}
		if strings.ContainsAny(a, "{} ") {
			t.Fatalf("Format = %q, holds a brace or a space", a)
		}
		usesCode := strings.Contains(s, "{code}")
		if (usesCode && code1 != code2 || seq1 != seq2) && a == b {
			t.Fatalf("template %q: %+v and %+v both give %q", s, v1, v2, a)
		}
	})
}
