package analysis

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＡＢＣ１２３", "abc123"},                 // full-width Latin and digits
		{"ＩＰｖ６改造", "ipv6改造"},                 // mixed
		{"國務院辦公廳", "国务院办公厅"},                 // traditional
		{"關於", "关於"},                         // 於 is also in the simplified standard list: kept
		{"醫療保險", "医疗保险"},                     // traditional service terms
		{"後來", "后来"},                         // 後 has one simplified form
		{"乾坤", "乾坤"},                         // 乾 is also a simplified character: kept
		{"著作權", "著作权"},                       // 著 kept, 權 converted
		{"政务公开", "政务公开"},                     // already simplified
		{"一\u3000二", "一 二"},                  // ideographic space
		{"Öffentlichkeit", "öffentlichkeit"}, // case folding beyond ASCII
		{"〔2024〕", "〔2024〕"},                 // brackets are left to the 文号 parser
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

type tok struct {
	Term       string
	Kind       Kind
	Start, End int
}

func toks(ts []Token) []tok {
	var out []tok
	for _, t := range ts {
		out = append(out, tok{t.Term, t.Kind, t.Start, t.End})
	}
	return out
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		in   string
		want []tok
	}{
		{"政务公开", []tok{{"政务", Bigram, 0, 6}, {"务公", Bigram, 3, 9}, {"公开", Bigram, 6, 12}}},
		{"市", []tok{{"市", Unigram, 0, 3}}},
		{"市、县", []tok{{"市", Unigram, 0, 3}, {"县", Unigram, 6, 9}}},
		{"IPv6改造", []tok{{"ipv6", Word, 0, 4}, {"改造", Bigram, 4, 10}}},
		{"2024年", []tok{{"2024", Word, 0, 4}, {"年", Unigram, 4, 7}}},
		{"ＩＰｖ６", []tok{{"ipv6", Word, 0, 12}}}, // offsets stay in the original text
		{"國務院", []tok{{"国务", Bigram, 0, 6}, {"务院", Bigram, 3, 9}}},
		{"<b>低保</b>", []tok{{"b", Word, 1, 2}, {"低保", Bigram, 3, 9}, {"b", Word, 11, 12}}},
		{"，。！", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, toks(Analyze(tt.in))); diff != "" {
			t.Errorf("Analyze(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestDocNoVariants: every way of writing one 文号 yields the same token,
// and things that only look like a number do not.
func TestDocNoVariants(t *testing.T) {
	const want = "示政办发〔2024〕15号"
	same := []string{
		"示政办发〔2024〕15号",
		"示政办发[2024]15号",
		"示政办发（2024）15号",
		"示政办发(2024)15号",
		"示政办发2024年15号",
		"示政办发【2024】15号",
		"示政办发［2024］15号",
		"示政办发〔２０２４〕１５号",
		"示政办发〔2024〕015号",
		"示政办发〔2024〕第15号",
		"示政办發〔2024〕15號",
		"示政办发 〔2024〕 15 号",
	}
	for _, s := range same {
		term, anyYear, ok := ParseDocNo(s)
		if !ok || term != want || anyYear != "示政办发〔〕15号" {
			t.Errorf("ParseDocNo(%q) = %q, %q, %v; want %q", s, term, anyYear, ok, want)
		}
		var found []string
		for _, tk := range Analyze("根据" + s + "文件精神") {
			if tk.Kind == DocNo {
				found = append(found, tk.Term)
			}
		}
		if diff := cmp.Diff([]string{want}, found); diff != "" {
			t.Errorf("DocNo tokens in text with %q mismatch (-want +got):\n%s", s, diff)
		}
	}
	not := []string{"15号", "第15号台风", "2024年15号楼", "示政办发", "示政办发〔2024〕", "门牌号码", "2024年"}
	for _, s := range not {
		if term, _, ok := ParseDocNo(s); ok {
			t.Errorf("ParseDocNo(%q) = %q, want no 文号", s, term)
		}
	}
	// two 文号 in one sentence are both found
	var found []string
	for _, tk := range Analyze("废止示政发〔2019〕3号和示政办函〔2020〕12号两个文件") {
		if tk.Kind == DocNo {
			found = append(found, tk.Term)
		}
	}
	if diff := cmp.Diff([]string{"示政发〔2019〕3号", "示政办函〔2020〕12号"}, found); diff != "" {
		t.Errorf("two 文号 mismatch (-want +got):\n%s", diff)
	}
}

type grp struct {
	Text string
	Alts []string
}

func groups(q Query) []grp {
	var out []grp
	for _, g := range q.Groups {
		gg := grp{Text: g.Text}
		for _, a := range g.Alternatives {
			gg.Alts = append(gg.Alts, a.Text)
		}
		out = append(out, gg)
	}
	return out
}

func TestParseQuery(t *testing.T) {
	syn := DefaultSynonyms()
	tests := []struct {
		in   string
		want []grp
	}{
		{"政务公开", []grp{{"政务公开", []string{"政务公开"}}}},
		{"低保标准是多少", []grp{{"低保", []string{"低保", "最低生活保障"}}, {"标准", []string{"标准"}}}},
		{"医保怎么缴费", []grp{{"医保", []string{"医保", "医疗保障", "医疗保险"}}, {"缴费", []string{"缴费"}}}},
		{"办理居住证", []grp{{"办理", []string{"办理"}}, {"居住证", []string{"居住证", "暂住证"}}}},
		{"社保卡丢了怎么办", []grp{{"社保卡", []string{"社保卡", "社会保障卡"}}}},
		{"公積金", []grp{{"公积金", []string{"公积金", "住房公积金"}}}},
		{"ＩＰｖ６", []grp{{"ipv6", []string{"ipv6"}}}},
		{"税", []grp{{"税", []string{"税"}}}}, // a lone character is kept when it is all there is
		{"示政办发[2024]15号", []grp{{"示政办发〔2024〕15号", []string{"示政办发〔2024〕15号"}}}},
		{`"政务 公开"`, []grp{{"政务 公开", []string{"政务 公开"}}}},
		{"！！！", nil},
		{"", nil},
	}
	for _, tt := range tests {
		q := ParseQuery(tt.in, syn, 0)
		if diff := cmp.Diff(tt.want, groups(q)); diff != "" {
			t.Errorf("ParseQuery(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
	q := ParseQuery("示政办发〔2024〕15号", syn, 0)
	if q.DocNo != "示政办发〔2024〕15号" || q.DocNoAnyYear != "示政办发〔〕15号" {
		t.Errorf("DocNo = %q, %q", q.DocNo, q.DocNoAnyYear)
	}
	long := strings.Repeat("政务公开", 250) // 1,000 characters
	q = ParseQuery(long, syn, 0)
	if !q.Truncated || utf8.RuneCountInString(q.Text) != DefaultMaxQueryRunes {
		t.Errorf("1,000-character query: Truncated=%v, %d runes", q.Truncated, utf8.RuneCountInString(q.Text))
	}
}

func TestParseSynonyms(t *testing.T) {
	s, err := ParseSynonyms("# 注释\n社保 社会保险\n医保/医疗保险、医疗保障 # 行尾注释\n\n公積金，住房公积金\n")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"社保", "社会保险"}, {"医保", "医疗保险", "医疗保障"}, {"公积金", "住房公积金"}}
	if diff := cmp.Diff(want, s.Groups()); diff != "" {
		t.Errorf("groups mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"医保", "医疗保险", "医疗保障"}, s.Lookup("醫療保險")); diff != "" {
		t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
	}
	bad := map[string]string{
		"社保\n": "第1行：每组至少需要两个不同的词。",
		"社保 社会保险\n社保 社会保障": "第2行：“社保”已在“社保”一组中出现，同一个词只能属于一组。",
		"社保 ！！": "第1行：“！！”不含可检索的文字。",
	}
	for in, msg := range bad {
		_, err := ParseSynonyms(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseSynonyms(%q) error = %v, want %q", in, err, msg)
		}
	}
	if got := len(DefaultSynonyms().Groups()); got < 40 {
		t.Errorf("default list has %d groups, want a few dozen", got)
	}
}

func TestSnippet(t *testing.T) {
	h := NewHighlighter(ParseQuery("医保 缴费", DefaultSynonyms(), 0))
	tests := []struct {
		text string
		max  int
		want string
	}{
		{`<b>城乡居民医疗保险</b>缴费 & "通知"`, 100, `&lt;b&gt;城乡居民<mark>医疗保险</mark>&lt;/b&gt;<mark>缴费</mark> &amp; &#34;通知&#34;`},
		{"没有相关的词", 100, "没有相关的词"},
		{"一二三四五六七八九十。请及时完成医保缴费，逾期不再受理。", 10, "…请及时完成<mark>医保缴费</mark>，…"},
	}
	for _, tt := range tests {
		if got := h.Snippet(tt.text, tt.max); got != tt.want {
			t.Errorf("Snippet(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	// a query with HTML in it is just text
	h = NewHighlighter(ParseQuery(`<script>alert("x")</script>`, nil, 0))
	if got := h.Mark(`<script>alert("x")</script>`); strings.Contains(got, "<script") || strings.Contains(got, `"`) {
		t.Errorf("Mark escaped badly: %q", got)
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"政务公开", "示政办发〔2024〕15号", "ＩＰｖ６改造 國務院", "a\u0301b", "\xff\xfe", "号号号2024号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		last := 0
		for _, tk := range Analyze(s) {
			if tk.Term == "" || tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
				t.Fatalf("bad token %+v in %q", tk, s)
			}
			if tk.Position < last {
				t.Fatalf("positions go back at %+v in %q", tk, s)
			}
			last = tk.Position
			if utf8.ValidString(s) && !utf8.ValidString(tk.Term) {
				t.Fatalf("invalid UTF-8 term %q from %q", tk.Term, s)
			}
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"低保标准是多少", `"政务 公开" 12345热线`, "示政办发[2024]15号", "！！", strings.Repeat("税", 200), "“”「", "\x00\x01"} {
		f.Add(s)
	}
	syn := DefaultSynonyms()
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s, syn, 20)
		if utf8.RuneCountInString(q.Text) > 20 {
			t.Fatalf("Text %q longer than 20 runes", q.Text)
		}
		if len(q.Groups) > MaxGroups {
			t.Fatalf("%d groups", len(q.Groups))
		}
		for _, g := range q.Groups {
			if len(g.Alternatives) == 0 {
				t.Fatalf("group %q without alternatives", g.Text)
			}
			for _, a := range g.Alternatives {
				if len(a.Terms) == 0 {
					t.Fatalf("alternative %q without terms", a.Text)
				}
			}
		}
		h := NewHighlighter(q)
		out := h.Snippet(s, 30)
		rest := strings.ReplaceAll(strings.ReplaceAll(out, "<mark>", ""), "</mark>", "")
		if strings.ContainsAny(rest, "<>\"") {
			t.Fatalf("unescaped snippet %q", out)
		}
	})
}

func BenchmarkAnalyze(b *testing.B) {
	text := strings.Repeat("根据工作安排，市人民政府办公室全面推进政务公开工作，主动公开政府信息1234条，示政办发〔2024〕15号。", 12)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Analyze(text)
	}
}
