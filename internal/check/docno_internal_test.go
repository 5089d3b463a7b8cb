package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/ident"
)

// windowedDocNos runs the number scan to collect candidates, then the
// windowed search.
func windowedDocNos(text string) []ident.DocNoMatch {
	c := &Checker{enabled: map[string]bool{}}
	st := &textState{}
	c.checkNumbers(&collector{text: text}, st)
	return findDocNos(text, st.docCandidates)
}

var docNoSamples = []string{
	"根据国办发〔2019〕54号和示政办发[2023]012号，",
	"《示范市2021年数字政府建设实施方案》（示政办发〔2023〕5号）",
	"国办发〔2017〕47号国办发〔2018〕1号",
	"示政发 (2023) 25号、示政发（２０２３）７号、浙数据发2023年3号",
	"2023年12月，（2023）年度，预算（2023）12.5亿元，（2023）京0105民初12号",
	"一二三四五六七八九十一二三四五六七八九十国办发〔2017〕47号",
	"国办发〔2017〕47",
	"第一行示政发\n〔2023〕5号",
}

// TestFindDocNosWindows checks that searching windows finds exactly what
// ident.FindDocNos finds in the whole text.
func TestFindDocNosWindows(t *testing.T) {
	t.Parallel()
	texts := append([]string(nil), docNoSamples...)
	files, _ := filepath.Glob("testdata/corpus/*.txt")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(b))
	}
	for _, text := range texts {
		if diff := cmp.Diff(ident.FindDocNos(text), windowedDocNos(text)); diff != "" {
			t.Errorf("%q mismatch (-whole +windows):\n%s", text[:min(len(text), 60)], diff)
		}
	}
}

func FuzzFindDocNosWindows(f *testing.F) {
	for _, s := range docNoSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if strings.Count(text, "\n") > 50 {
			return
		}
		if diff := cmp.Diff(ident.FindDocNos(text), windowedDocNos(text)); diff != "" {
			t.Errorf("%q mismatch (-whole +windows):\n%s", text, diff)
		}
	})
}
