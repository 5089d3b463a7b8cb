package check

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func TestDefaultDictionary(t *testing.T) {
	t.Parallel()
	d := DefaultDictionary()
	if d.Version == "" {
		t.Error("embedded dictionary has no @version")
	}
	if len(d.Entries) < 300 {
		t.Errorf("embedded dictionary has %d entries, want several hundred", len(d.Entries))
	}
	official := 0
	for _, e := range d.Entries {
		if e.Source == "" {
			t.Errorf("entry %q has no source", e.Wrong)
		}
		if e.Class == ClassOfficial {
			official++
		}
		// The right form must not itself contain the wrong form, or the
		// suggested fix would be flagged again.
		if first, _, _ := strings.Cut(e.Wrong, gap); e.Right != "" && strings.Contains(e.Right, first) && !strings.Contains(e.Wrong, gap) {
			t.Errorf("entry %q: right form %q contains the wrong form", e.Wrong, e.Right)
		}
	}
	t.Logf("dictionary %s: %d entries, %d official", d.Version, len(d.Entries), official)
}

func TestParseDictionary(t *testing.T) {
	t.Parallel()
	in := "\ufeff# 注释\n@version 7\n\n截止目前 | 截至目前 | common | 现汉\n象...一样|像...一样|common|简化字总表|对象 现象\n政治协商委员会 |  | official | 无此机构\n"
	want := &Dictionary{Version: "7", Entries: []Entry{
		{Wrong: "截止目前", Right: "截至目前", Class: ClassCommon, Source: "现汉"},
		{Wrong: "象...一样", Right: "像...一样", Class: ClassCommon, Source: "简化字总表", Except: []string{"对象", "现象"}},
		{Wrong: "政治协商委员会", Class: ClassOfficial, Source: "无此机构"},
	}}
	got, err := ParseDictionary(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("mismatch (-want +got):\n%s", diff)
	}
	// Round trip through the export format.
	var buf bytes.Buffer
	if err := EncodeDictionary(&buf, got); err != nil {
		t.Fatal(err)
	}
	again, err := ParseDictionary(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Fatalf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestParseDictionaryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, msg string }{
		{"截止目前 | 截至目前 | common", "第1行：应为“错误形式 | 正确形式 | 类别 | 来源或理由 | 例外”，以“|”分隔"},
		{"\n截止目前 | 截至目前 | severe | 现汉", "第2行：类别“severe”无效，应为 official 或 common"},
		{" | 截至目前 | common | 现汉", "第1行：错误形式不能为空"},
		{"其他 | 其他 | common | 现汉", "第1行：错误形式与正确形式相同"},
		{"...一样 | 像 | common | 现汉", "第1行：“...”只能出现一次，且不能在首尾"},
		{"既使 | 即使 | common | 现汉 | 又...既使", "第1行：例外“又...既使”含“...”时须以错误形式开头"},
		{"其它 | 其他 | common | a\n其它 | 其他 | common | b", "第2行：错误形式“其它”与第1行重复"},
	}
	for _, tt := range tests {
		_, err := ParseDictionary(strings.NewReader(tt.in))
		if got := gongkai.ErrorMessage(err); got != tt.msg {
			t.Errorf("ParseDictionary(%q) error %q, want %q", tt.in, got, tt.msg)
		}
	}
}

// TestDictionaryEntries checks every shipped entry against the checker: its
// wrong form, standing between neutral characters, is reported with the
// entry's rule and right form; its right form is not reported at all.
func TestDictionaryEntries(t *testing.T) {
	t.Parallel()
	c, err := New(Config{Rules: []string{RuleWordingOfficial, RuleWordingCommon}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range DefaultDictionary().Entries {
		wrong, right := e.Wrong, e.Right
		if strings.Contains(wrong, gap) {
			wrong = strings.Replace(wrong, gap, "甲乙", 1)
			right = strings.Replace(right, gap, "甲乙", 1)
		}
		fs := c.Check("　"+wrong+"　", Options{})
		if len(fs) != 1 || fs[0].Rule != e.Rule() || fs[0].Excerpt != wrong || fs[0].Suggestion != right {
			t.Errorf("entry %q: got %+v", e.Wrong, fs)
		}
		if right != "" {
			if fs := c.Check("　"+right+"　", Options{}); len(fs) != 0 {
				t.Errorf("right form %q of %q is flagged: %+v", right, e.Wrong, fs)
			}
		}
	}
}
