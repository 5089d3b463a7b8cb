package check_test

import (
	"archive/zip"
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/check"
)

func docx(t *testing.T, paragraphs ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	for _, p := range paragraphs {
		w.Write([]byte(`<w:p><w:r><w:t>` + p + `</w:t></w:r></w:p>`))
	}
	w.Write([]byte(`</w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

func TestCheckDocument(t *testing.T) {
	t.Parallel()
	c := mustChecker(t, check.Config{})
	doc := check.Input{
		Title: "示范市2023年工作要点其它说明",
		DocNo: "示政发[2023]05号",
		BodyHTML: `<p>根据工作安排，2023年重点推进以下工作。</p><p>联系电话：13812345678</p>` +
			`<p><a href="https://www.gov.cn/zhengce/">政策</a><a href="/local">本站</a><a href="http://ad.example.com/x">点击 查看</a><img src="//cdn.example.net/a.png"></p>`,
		Fields: []check.Field{{Name: "内容概述", Value: "截止目前的进展"}, {Name: "空", Value: " "}},
		Attachments: []check.Attachment{
			{Name: "名单.docx", Data: docx(t, "王某某", "身份证号34052419800101001X")},
			{Name: "坏.xls", Data: []byte("\xd0\xcf\x11\xe0garbage")},
		},
	}
	type part struct {
		Source, Rule, Excerpt string
		Line, Col             int
	}
	var gotParts []part
	for _, f := range c.CheckDocument(doc) {
		gotParts = append(gotParts, part{f.Source, f.Rule, f.Excerpt, f.Line, f.Col})
	}
	want := []part{
		{"title", check.RuleWordingCommon, "其它", 1, 13},
		{"docNo", check.RuleDocNoFormat, "示政发[2023]05号", 1, 1},
		{"field:内容概述", check.RuleWordingCommon, "截止目前", 1, 1},
		{"", check.RuleMobile, "13812345678", 2, 6},
		{"link", check.RuleThirdParty, "http://ad.example.com/x", 0, 0},
		{"link", check.RuleThirdParty, "//cdn.example.net/a.png", 0, 0},
		{"attachment:名单.docx", check.RuleCitizenID, "34052419800101001X", 2, 5},
		{"attachment:坏.xls", check.RuleAttachment, "坏.xls", 0, 0},
	}
	if diff := cmp.Diff(want, gotParts); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
