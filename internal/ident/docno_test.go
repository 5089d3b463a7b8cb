package ident_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/ident"
)

func TestDocNoString(t *testing.T) {
	tests := []struct {
		in   ident.DocNo
		want string
	}{
		{ident.DocNo{Prefix: "示政办发", Year: 2024, Seq: 15}, "示政办发〔2024〕15号"},
		{ident.DocNo{Prefix: "国办发", Year: 2017, Seq: 47}, "国办发〔2017〕47号"},
		{ident.DocNo{}, ""},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Fault messages, spelled out here so that a change of wording is a
// deliberate change of this test.
const (
	fSpace   = "发文字号中不应有空格"
	fWidth   = "发文字号中的数字应使用半角阿拉伯数字"
	fBracket = "发文字号的年份应使用六角括号“〔〕”"
	fNian    = "发文字号的年份应使用六角括号“〔〕”括入，不加“年”字"
	fDi      = "发文字号的顺序号前不加“第”字"
	fZero    = "发文字号的顺序号不编虚位（即1不编为01）"
	fHao     = "发文字号的顺序号后应加“号”字"
)

func TestParseDocNo(t *testing.T) {
	const sugg = "，建议改为：示政办发〔2023〕12号"
	tests := []struct {
		in   string
		want ident.DocNo
		err  string
	}{
		{in: "国办发〔2017〕47号", want: ident.DocNo{Prefix: "国办发", Year: 2017, Seq: 47}},
		{in: "示政办发〔2024〕15号", want: ident.DocNo{Prefix: "示政办发", Year: 2024, Seq: 15}},
		{in: "国办发明电〔2025〕7号", want: ident.DocNo{Prefix: "国办发明电", Year: 2025, Seq: 7}},
		{in: "XX政发〔2023〕1号", want: ident.DocNo{Prefix: "XX政发", Year: 2023, Seq: 1}},
		{in: "财税〔2019〕100000号", want: ident.DocNo{Prefix: "财税", Year: 2019, Seq: 100000}},

		// The common wrong forms, each with its correction.
		{in: "示政办发[2023]12号", err: fBracket + sugg},
		{in: "示政办发(2023)12号", err: fBracket + sugg},
		{in: "示政办发（2023）12号", err: fBracket + sugg},
		{in: "示政办发【2023】12号", err: fBracket + sugg},
		{in: "示政办发﹝2023﹞12号", err: fBracket + sugg},
		{in: "示政办发［2023］12号", err: fBracket + sugg},
		{in: "示政办发〖2023〗12号", err: fBracket + sugg},
		{in: "示政办发〔2023]12号", err: fBracket + sugg},
		{in: "示政办发〔2023〕012号", err: fZero + sugg},
		{in: "示政办发〔2023〕12", err: fHao + sugg},
		{in: "示政办发〔 2023 〕12号", err: fSpace + sugg},
		{in: "示政办发 〔2023〕12号", err: fSpace + sugg},
		{in: "示政办发〔2023〕12 号", err: fSpace + sugg},
		{in: " 示政办发〔2023〕12号 ", err: fSpace + sugg},
		{in: "示政 办发〔2023〕12号", err: fSpace + sugg},
		{in: "示政办发2023年12号", err: fNian + sugg},
		{in: "示政办发〔2023〕第12号", err: fDi + sugg},
		{in: "示政办发〔２０２３〕１２号", err: fWidth + sugg},
		{in: "示政办发[2023]012", err: fBracket + "；" + fZero + "；" + fHao + sugg},
		{in: "示政办发 ﹝ 2023 ﹞第 0012", err: fSpace + "；" + fBracket + "；" + fDi + "；" + fZero + "；" + fHao + sugg},

		// Not a 发文字号 at all.
		{in: "", err: "未填写发文字号。"},
		{in: "  ", err: "未填写发文字号。"},
		{in: "〔2023〕12号", err: "发文字号应以发文机关代字开头，例如“国办发〔2017〕47号”中的“国办发”。"},
		{in: "示政办发〔23〕12号", err: "发文字号的年份应写全四位数字，例如“国办发〔2017〕47号”中的“2017”。"},
		{in: "示政办发〔20233〕12号", err: "发文字号的年份应写全四位数字，例如“国办发〔2017〕47号”中的“2017”。"},
		{in: "示政办发〔1800〕12号", err: "发文字号“示政办发〔1800〕12号”中的年份不正确，请核对后重新填写。"},
		{in: "示政办发〔2023〕号", err: "发文字号缺少发文顺序号，例如“国办发〔2017〕47号”中的“47”。"},
		{in: "示政办发〔2023〕0号", err: "发文字号的发文顺序号应从1开始编排，不能为0。"},
		{in: "示政办发〔2023〕12号文", err: "“示政办发〔2023〕12号文”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
		{in: "示政办发", err: "“示政办发”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
		{in: "ABC〔2023〕12号", err: "“ABC〔2023〕12号”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
		{in: "示政办发〔2023〕1234567号", err: "“示政办发〔2023〕1234567号”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
		{in: "示政办发2023年", err: "发文字号缺少发文顺序号，例如“国办发〔2017〕47号”中的“47”。"},
		{in: "示政办发2023-12号", err: "“示政办发2023-12号”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
		{in: "国务院令第711号", err: "“国务院令第711号”不是规范的发文字号。发文字号由发文机关代字、年份和发文顺序号组成，例如“国办发〔2017〕47号”。"},
	}
	for _, tt := range tests {
		got, err := ident.ParseDocNo(tt.in)
		if diff := cmp.Diff(tt.err, errText(err)); diff != "" {
			t.Errorf("ParseDocNo(%q) error mismatch (-want +got):\n%s", tt.in, diff)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDocNo(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestSuggestDocNo(t *testing.T) {
	type result struct {
		Suggestion string
		Faults     []string
		OK         bool
	}
	tests := []struct {
		in   string
		want result
	}{
		{"国办发〔2017〕47号", result{"国办发〔2017〕47号", nil, true}},
		{"国办发[2017]47号", result{"国办发〔2017〕47号", []string{fBracket}, true}},
		{"国办发（2017）047", result{"国办发〔2017〕47号", []string{fBracket, fZero, fHao}, true}},
		{"国办发2017年第47号", result{"国办发〔2017〕47号", []string{fNian, fDi}, true}},
		{"国办发", result{}},
		{"47号", result{}},
	}
	for _, tt := range tests {
		var got result
		got.Suggestion, got.Faults, got.OK = ident.SuggestDocNo(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("SuggestDocNo(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestNormalizeDocNo(t *testing.T) {
	want := ident.DocNo{Prefix: "示政办发", Year: 2023, Seq: 12}
	for _, in := range []string{
		"示政办发〔2023〕12号",
		"示政办发[2023]12号",
		"示政办发(2023)12号",
		"示政办发（2023）12号",
		"示政办发【2023】12号",
		"示政办发〔2023〕012号",
		"示政办发〔2023〕12",
		"示政办发﹝2023﹞12号",
		"示政办发〔 2023 〕12号",
		"示政办发2023年12号",
		"示政办发〔２０２３〕１２号",
		"示政办发（２０２３）第０１２号",
	} {
		got, ok := ident.NormalizeDocNo(in)
		if !ok {
			t.Errorf("NormalizeDocNo(%q) failed", in)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("NormalizeDocNo(%q) mismatch (-want +got):\n%s", in, diff)
		}
	}
	for _, in := range []string{"", "示政办发", "〔2023〕12号", "示政办发〔2023〕", "示政办发2023年12月", "示政办发〔2023〕12号文"} {
		if got, ok := ident.NormalizeDocNo(in); ok {
			t.Errorf("NormalizeDocNo(%q) = %v, want failure", in, got)
		}
	}
}

func TestFindDocNos(t *testing.T) {
	type match struct {
		Raw, Canonical string
		Faults         []string
	}
	tests := []struct {
		text string
		want []match
	}{
		{
			"根据《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》（国办发〔2019〕54号）要求",
			[]match{{"国办发〔2019〕54号", "国办发〔2019〕54号", nil}},
		},
		{
			"依据国办发[2019]54号文件",
			[]match{{"国办发[2019]54号", "国办发〔2019〕54号", []string{fBracket}}},
		},
		{
			"市政府办公室印发示政办发(2023)12号，请遵照执行。",
			[]match{{"示政办发(2023)12号", "示政办发〔2023〕12号", []string{fBracket}}},
		},
		{
			"见示政办发（2023）12号和示政办发【2023】13号。",
			[]match{
				{"示政办发（2023）12号", "示政办发〔2023〕12号", []string{fBracket}},
				{"示政办发【2023】13号", "示政办发〔2023〕13号", []string{fBracket}},
			},
		},
		{
			"国办发〔2019〕54号、国办发〔2020〕1号及国发〔2023〕第5号",
			[]match{
				{"国办发〔2019〕54号", "国办发〔2019〕54号", nil},
				{"国办发〔2020〕1号", "国办发〔2020〕1号", nil},
				{"国发〔2023〕第5号", "国发〔2023〕5号", []string{fDi}},
			},
		},
		{
			// Verbs of repeal and amendment stand right before the 代字.
			"同时废止示政发〔2019〕3号，修订示政办函〔2020〕12号。",
			[]match{
				{"示政发〔2019〕3号", "示政发〔2019〕3号", nil},
				{"示政办函〔2020〕12号", "示政办函〔2020〕12号", nil},
			},
		},
		{
			"文件编号：示政办发〔2023〕012号。",
			[]match{{"示政办发〔2023〕012号", "示政办发〔2023〕12号", []string{fZero}}},
		},
		{
			"（示政办发〔2023〕12）",
			[]match{{"示政办发〔2023〕12", "示政办发〔2023〕12号", []string{fHao}}},
		},
		{
			"示政办发﹝2023﹞12号 示政办发〔 2023 〕13号",
			[]match{
				{"示政办发﹝2023﹞12号", "示政办发〔2023〕12号", []string{fBracket}},
				{"示政办发〔 2023 〕13号", "示政办发〔2023〕13号", []string{fSpace}},
			},
		},
		{
			"详见示政办发2023年12号。",
			[]match{{"示政办发2023年12号", "示政办发〔2023〕12号", []string{fNian}}},
		},
		{
			"按示政办发〔２０２３〕１２号执行",
			[]match{{"示政办发〔２０２３〕１２号", "示政办发〔2023〕12号", []string{fWidth}}},
		},
		{
			"示政办发 〔2023〕12号",
			[]match{{"示政办发 〔2023〕12号", "示政办发〔2023〕12号", []string{fSpace}}},
		},
		{
			// A year in round brackets without 号 counts when the prefix ends like a 代字.
			"示政办发（2023）12，示政办发（2023）13",
			[]match{
				{"示政办发（2023）12", "示政办发〔2023〕12号", []string{fBracket, fHao}},
				{"示政办发（2023）13", "示政办发〔2023〕13号", []string{fBracket, fHao}},
			},
		},
		{
			// The prefix is at most 12 characters (展和改革委员会发改办高技),
			// then cut after 和: a wrong guess here, but a bounded one.
			"中华人民共和国国家发展和改革委员会发改办高技〔2020〕1号",
			[]match{{"改革委员会发改办高技〔2020〕1号", "改革委员会发改办高技〔2020〕1号", nil}},
		},
		{"浙数据发〔2023〕3号", []match{{"浙数据发〔2023〕3号", "浙数据发〔2023〕3号", nil}}},

		// Texts that must not match.
		{"截至2023年12月31日，共受理申请12件。", nil},
		{"《2023年12号台风防御工作方案》", nil},
		{"定于2023年12号召开", nil},
		{"（2023）年度报告", nil},
		{"项目编号【2023】12万元", nil},
		{"全年收入（2023）12.5亿元", nil},
		{"（2023）京0105民初12号", nil},
		{"北京市朝阳区人民法院（2023）京0105民初12号民事判决书", nil},
		{"咨询电话（0591）87654321", nil},
		{"电话（2023）12345678", nil},
		{"国务院令第711号", nil},
		{"根据〔2023〕12号", nil},
		{"〔2023〕12号", nil},
		{"Report (2023) 12号", nil},
		{"GB/T 9704-2012", nil},
		{"预算[2023]12%", nil},
		{"共计[2023]12项", nil},
		{"12023年5号", nil},
		{"统计（2023）12", nil},
		{"2023年度第12号", nil},
		{"国办发〔1899〕1号", nil},
		{"国办发〔2019〕0号", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := ident.FindDocNos(tt.text)
		var gotm []match
		for _, m := range got {
			if m.Raw != tt.text[m.Start:m.End] {
				t.Errorf("FindDocNos(%q): Raw %q != text[%d:%d] %q", tt.text, m.Raw, m.Start, m.End, tt.text[m.Start:m.End])
			}
			if m.Canonical != m.DocNo.String() {
				t.Errorf("FindDocNos(%q): Canonical %q != DocNo.String() %q", tt.text, m.Canonical, m.DocNo.String())
			}
			gotm = append(gotm, match{m.Raw, m.Canonical, m.Faults})
		}
		if diff := cmp.Diff(tt.want, gotm); diff != "" {
			t.Errorf("FindDocNos(%q) mismatch (-want +got):\n%s", tt.text, diff)
		}
	}
}

// BenchmarkFindDocNos scans about 100 KB of policy text with a 文号 in
// every paragraph, the size of a long document checked before publication.
func BenchmarkFindDocNos(b *testing.B) {
	para := "根据《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》（国办发〔2019〕54号）要求，" +
		"截至2023年12月31日，全市共受理政府信息公开申请1234件，同比增长12.5%。示政办发[2023]012号同时废止。\n"
	var text string
	for len(text) < 100_000 {
		text += para
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(ident.FindDocNos(text)) == 0 {
			b.Fatal("no match")
		}
	}
}
