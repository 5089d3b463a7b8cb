package store

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/sanitize"
	"gongkai/internal/taxonomy"
)

func TestSimpleMarkup(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`<p>第一条　为规范管理，制定本办法。</p>`, true},
		{`<h2>一、总则</h2><p class="ta-right">示例市人民政府</p><ul><li>甲</li><li>乙</li></ul>`, true},
		{`<table><tbody><tr><td class="ta-center">1</td><th>名称</th></tr></tbody></table>`, true},
		{`<p>A&amp;B&#12288;&nbsp;</p><br><hr>`, true},
		{``, true},
		// Must go through the sanitiser:
		{`<p onclick="x()">正文</p>`, false},
		{`<p style="color:red">正文</p>`, false},
		{`<script>alert(1)</script>`, false},
		{`<p>未闭合`, false},
		{`<p><b>错</p></b>`, false},
		{`<a href="javascript:x()">链接</a>`, false},
		{`<img src=x onerror=y>`, false},
		{`<h1>标题</h1>`, false},
		{"<p>换\n行</p>", false},
		{`<p>1 > 0</p>`, false},
		{`<p>&</p>`, false},
		{`<p>&#;</p>`, false},
		{`<p class="ta-left">x</p>`, false},
		{`<ul class="ta-center"><li>x</li></ul>`, false},
		{`<!-- 注释 --><p>x</p>`, false},
		{`<br/>`, false},
		{`</br>`, false},
	} {
		if got := simpleMarkup(tc.in); got != tc.want {
			t.Errorf("simpleMarkup(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// FuzzSimpleMarkup: whatever simpleMarkup lets through unsanitised, the
// real sanitiser finds nothing unsafe in.
func FuzzSimpleMarkup(f *testing.F) {
	for _, s := range []string{`<p>x</p>`, `<p class="ta-center">x</p>`, `<table><tr><td>1</td></tr></table>`, `<p onclick="x">y</p>`, `&amp;<b>x</b>`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !simpleMarkup(s) {
			return
		}
		for _, r := range sanitize.Body(s).Removed {
			if r.Unsafe {
				t.Fatalf("simpleMarkup passed %q, the sanitiser removes %s", s, r.What)
			}
		}
	})
}

// TestCheckDocument tables the metadata rules with today fixed at
// 2024-06-03, with hand-written expectations.
func TestCheckDocument(t *testing.T) {
	today := gongkai.NewDate(2024, 6, 3)
	cols := newColumnIndex([]*gongkai.Column{
		{ID: 1, Slug: "gfxwj", Path: "/xxgk/zcwj/gfxwj/", Name: "行政规范性文件", Kind: "list"},
		{ID: 2, Slug: "qtwj", Path: "/xxgk/zcwj/qtwj/", Name: "其他文件", Kind: "list"},
		{ID: 3, Slug: "zn", Path: "/xxgk/zn/", Name: "政府信息公开指南", Kind: "guide"},
	})
	complete := func(d gongkai.Document) *gongkai.Document {
		if d.Title == "" {
			d.Title = "关于印发某办法的通知"
		}
		if d.Body == "" {
			d.Body = "<p>正文</p>"
		}
		return &d
	}
	for _, tc := range []struct {
		name     string
		doc      *gongkai.Document
		complete bool
		want     []string // fields with problems, in order
	}{
		{"complete notice", complete(gongkai.Document{Genre: "通知", Topic: "0201", SignedOn: gongkai.NewDate(2024, 6, 1), Columns: []string{"qtwj"}}), true, nil},
		{"labels and paths are accepted", complete(gongkai.Document{Genre: "命令(令)", Topic: "综合政务/政务公开", SignedOn: gongkai.NewDate(2024, 6, 3), Columns: []string{"/xxgk/zcwj/qtwj/", "其他文件"}}), true, nil},
		{"规范性文件 needs 文号 and 成文日期", complete(gongkai.Document{Genre: "tongzhi", Topic: "0201", Columns: []string{"gfxwj"}}), true, []string{"docNo", "signedOn"}},
		{"公文 needs 成文日期", complete(gongkai.Document{Genre: "tongzhi", Topic: "0201", Columns: []string{"qtwj"}}), true, []string{"signedOn"}},
		{"其他 needs no 成文日期", complete(gongkai.Document{Genre: "qita", Topic: "0201", Columns: []string{"qtwj"}}), true, nil},
		{"signed tomorrow", complete(gongkai.Document{SignedOn: gongkai.NewDate(2024, 6, 4)}), false, []string{"signedOn"}},
		{"formed before signed", complete(gongkai.Document{SignedOn: gongkai.NewDate(2024, 6, 2), FormedOn: gongkai.NewDate(2024, 6, 1)}), false, []string{"formedOn"}},
		{"not a column for documents", complete(gongkai.Document{Columns: []string{"zn"}}), false, []string{"columns"}},
		{"missing everything for submission", &gongkai.Document{}, true, []string{"title", "body", "genre", "topic", "columns"}},
		{"依申请公开 cannot go to the portal", complete(gongkai.Document{Genre: "qita", Topic: "0201", Columns: []string{"qtwj"}, Disclosure: "依申请公开", DisclosureReason: "第十五条"}), true, []string{"disclosure"}},
		{"不予公开 needs a reason", complete(gongkai.Document{Disclosure: "withheld"}), false, []string{"disclosureReason"}},
		{"repealed needs its date when complete", complete(gongkai.Document{Genre: "qita", Topic: "0201", Columns: []string{"qtwj"}, Validity: "废止"}), true, []string{"validityOn"}},
		{"a revision needs a note", complete(gongkai.Document{Genre: "qita", Topic: "0201", Columns: []string{"qtwj"}, Version: 1}), true, []string{"revisionNote"}},
		{"eleven keywords", complete(gongkai.Document{Keywords: []string{"1,2,3,4,5,6,7,8,9,10,11"}}), false, []string{"keywords"}},
		{"unknown validity", complete(gongkai.Document{Validity: "作废"}), false, []string{"validity"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range checkDocument(tc.doc, cols, today, tc.complete) {
				got = append(got, p.Field)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
	}
	// Canonical codes are stored.
	d := complete(gongkai.Document{Genre: "通知", Topic: `国民经济管理、国有资产监管\物价`, Disclosure: "主动公开", Validity: "有效", Columns: []string{"行政规范性文件"}, Keywords: []string{"价格、认定", "价格"}})
	checkDocument(d, cols, today, false)
	if got := strings.Join([]string{d.Genre, d.Topic, d.Disclosure, d.Validity, strings.Join(d.Columns, ","), strings.Join(d.Keywords, ",")}, " "); got != "tongzhi 0304 proactive valid gfxwj 价格,认定" {
		t.Errorf("canonical form = %q", got)
	}
}

// FuzzImportLine: no line makes the import panic, and a line it accepts
// has a title, a canonical genre and topic, and a publication date.
func FuzzImportLine(f *testing.F) {
	for _, s := range []string{
		`{"title":"通知","body":"<p>x</p>","genre":"通知","topic":"0201","columns":["qtwj"],"signedOn":"2021-01-01","publishedAt":"2021-01-02T00:00:00Z"}`,
		`{"title":"x","interprets":["A/1",3],"publishedAt":"2021-01-02T00:00:00Z"}`,
		`{"title":1}`, `not json`, ``, `{}{}`,
	} {
		f.Add([]byte(s))
	}
	env := importEnv{org: &gongkai.Org{ID: 1, Code: "x", Name: "某局"}, siteID: 1, now: time.Date(2024, 6, 3, 0, 0, 0, 0, time.UTC),
		cols: newColumnIndex([]*gongkai.Column{{ID: 1, Slug: "qtwj", Path: "/xxgk/zcwj/qtwj/", Name: "其他文件", Kind: "list"}})}
	f.Fuzz(func(t *testing.T, line []byte) {
		it := prepareLine(env, line, 1)
		if it == nil || it.err != "" {
			return
		}
		d := it.doc
		if d.Title == "" || d.PublishedAt.IsZero() || it.key == "" {
			t.Fatalf("accepted %q as %+v", line, d)
		}
		if _, ok := taxonomy.GenreByCode(d.Genre); !ok {
			t.Fatalf("accepted genre %q", d.Genre)
		}
		if _, ok := taxonomy.TopicByCode(d.Topic); !ok {
			t.Fatalf("accepted topic %q", d.Topic)
		}
	})
}
