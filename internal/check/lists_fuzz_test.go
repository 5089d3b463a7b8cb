package check_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/check"
)

// The dictionary and word-list formats are what administrators import
// through the workspace (/admin/check/lists) and `gongkai check
// --dictionary/--sensitive`: text from anywhere. These fuzz targets hold
// the parsers to their contract: no panic, a refusal is an EINVALID naming
// the line, an accepted list survives export and re-import unchanged, and
// whatever is accepted builds a checker that runs.

// FuzzParseDictionary: import → export → import is the identity, and an
// accepted dictionary builds a Checker (or is refused as EINVALID) that
// checks text without panicking.
func FuzzParseDictionary(f *testing.F) {
	for _, s := range []string{
		"截止目前 | 截至目前 | common | 《现代汉语词典》\n",
		"@version 2026.11-1\n# 注释\n象...一样 | 像...一样 | common | 《简化字总表》 | 象...形\n",
		"中华人民共和国信息公开条例 | 中华人民共和国政府信息公开条例 | official | 国务院令第711号\n其它 |  | common | 正式文本用“其他”\n",
		"\ufeffa | b | official | c | d e\n",
		"a | a | common | x\n",
		"a | b | bogus | x\n",
		"a | b\n",
		"...a | b | common | x\n",
		"a...b | c | common | x | a...b...c\n",
		"a | b | common | x\na | c | common | y\n",
		"\xff | b | common | x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := check.ParseDictionary(strings.NewReader(text))
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID || !strings.Contains(gongkai.ErrorMessage(err), "词典") && !strings.HasPrefix(gongkai.ErrorMessage(err), "第") {
				t.Fatalf("refusal %v (%s): want EINVALID naming the line", err, gongkai.ErrorCode(err))
			}
			return
		}
		var b strings.Builder
		if err := check.EncodeDictionary(&b, d); err != nil {
			t.Fatal(err)
		}
		again, err := check.ParseDictionary(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("export of an accepted dictionary refused: %v\n%s", err, b.String())
		}
		if diff := cmp.Diff(d, again); diff != "" {
			t.Fatalf("export and re-import changed the dictionary (-first +again):\n%s", diff)
		}
		c, err := check.New(check.Config{ExtraEntries: d.Entries})
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Fatalf("New: %v (%s): want EINVALID", err, gongkai.ErrorCode(err))
			}
			return
		}
		for _, e := range d.Entries {
			c.Check(e.Wrong+"，"+e.Right+"。", check.Options{})
		}
	})
}

// FuzzParseWordList: the sensitive-word list (and allow-lists in the same
// format) round-trips, and any accepted list builds a Checker that runs.
func FuzzParseWordList(f *testing.F) {
	for _, s := range []string{
		"\ufeff# 注释\n测试敏感词\n\n  示例违禁词  \n测试敏感词\n",
		"ass\nclass\n",
		"，，，\n",
		" \t\n#\n",
		"測試\r\nＴＥＳＴ\n",
		"\xff\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		words, err := check.ParseWordList(strings.NewReader(text))
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Fatalf("refusal %v (%s): want EINVALID", err, gongkai.ErrorCode(err))
			}
			return
		}
		var b strings.Builder
		if err := check.EncodeWordList(&b, words); err != nil {
			t.Fatal(err)
		}
		again, err := check.ParseWordList(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("export of an accepted list refused: %v", err)
		}
		if diff := cmp.Diff(words, again); diff != "" {
			t.Fatalf("export and re-import changed the list (-first +again):\n%s", diff)
		}
		c, err := check.New(check.Config{SensitiveWords: words, AllowTerms: words})
		if err != nil {
			if gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Fatalf("New: %v (%s): want EINVALID", err, gongkai.ErrorCode(err))
			}
			return
		}
		c.Check(strings.Join(words, "，")+"。", check.Options{})
		if _, err := check.New(check.Config{SensitiveWords: words}); err != nil && gongkai.ErrorCode(err) != gongkai.EINVALID {
			t.Fatalf("New: %v", err)
		}
	})
}
