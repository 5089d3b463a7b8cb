package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/docx"
)

// parts unzips a document and returns its parts by name, failing if any
// XML part is not well-formed.
func parts(t *testing.T, d *docx.Document) map[string]string {
	t.Helper()
	var b bytes.Buffer
	if _, err := d.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: not well-formed: %v", f.Name, err)
			}
		}
		out[f.Name] = string(data)
	}
	return out
}

// texts returns the text of each w:p of document.xml, with w:br as "\n".
func texts(t *testing.T, doc string) []string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	var out []string
	var cur strings.Builder
	in := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "p":
				in = true
				cur.Reset()
			case "br":
				cur.WriteString("\n")
			}
		case xml.CharData:
			if in {
				cur.Write(e)
			}
		case xml.EndElement:
			if e.Name.Local == "p" {
				out = append(out, cur.String())
				in = false
			}
		}
	}
}

func TestParts(t *testing.T) {
	d := docx.New()
	d.SetProperties("关于某某申请的答复", "示例市交通运输局")
	d.Title("政府信息公开申请答复书")
	d.Para(docx.Para{Text: "张三：", Style: docx.StylePlain})
	d.Paragraph("本机关于2024年3月5日收到您的申请。\n\n现答复如下。")
	d.Heading(2, "（一）答复内容")
	d.Para(docx.Para{Text: "示例市交通运输局\n2024年3月20日", Style: docx.StylePlain, Align: docx.AlignRight})
	p := parts(t, d)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
		"word/_rels/document.xml.rels", "word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml"} {
		if _, ok := p[name]; !ok {
			t.Errorf("missing part %s", name)
		}
	}
	want := []string{"政府信息公开申请答复书", "张三：", "本机关于2024年3月5日收到您的申请。", "现答复如下。", "（一）答复内容", "示例市交通运输局\n2024年3月20日"}
	if diff := cmp.Diff(want, texts(t, p["word/document.xml"])); diff != "" {
		t.Errorf("paragraphs mismatch (-want +got):\n%s", diff)
	}
	for _, s := range []string{`<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098"`, `w:left="1587"`, `<w:jc w:val="right"/>`, `<w:pStyle w:val="Heading2"/>`} {
		if !strings.Contains(p["word/document.xml"], s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	if !strings.Contains(p["docProps/core.xml"], "<dc:title>关于某某申请的答复</dc:title>") {
		t.Errorf("core.xml = %s", p["docProps/core.xml"])
	}
}

func TestEscaping(t *testing.T) {
	d := docx.New()
	d.Paragraph("a<b>&\"c'\x00\x1b\tend\uFFFE")
	d.Table(docx.Table{Widths: []int{1}, Rows: []docx.Row{{Cells: []docx.Cell{{Text: "</w:t><w:evil/>"}}}}})
	got := texts(t, parts(t, d)["word/document.xml"])
	want := []string{"a<b>&\"c' end", "</w:t><w:evil/>", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("texts mismatch (-want +got):\n%s", diff)
	}
}

func TestTableMerges(t *testing.T) {
	d := docx.New()
	err := d.Table(docx.Table{
		Widths: []int{1, 2, 1},
		Rows: []docx.Row{
			{Header: true, Cells: []docx.Cell{{Text: "A", Merge: docx.MergeStart}, {Text: "B", Span: 2}}},
			{Header: true, Cells: []docx.Cell{{Merge: docx.MergeContinue}, {Text: "C"}, {Text: "D"}}},
			{Cells: []docx.Cell{{Text: "1"}, {Text: "2", Span: 2, Align: docx.AlignLeft}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := parts(t, d)["word/document.xml"]
	for _, s := range []string{
		`<w:gridCol w:w="2211"/><w:gridCol w:w="4422"/><w:gridCol w:w="2212"/>`, // 8845 twips split 1:2:1
		`<w:tcW w:w="2211" w:type="dxa"/><w:vMerge w:val="restart"/>`,
		`<w:tcW w:w="6634" w:type="dxa"/><w:gridSpan w:val="2"/>`,
		`<w:tcW w:w="2211" w:type="dxa"/><w:vMerge/>`,
		`<w:tblHeader/>`,
	} {
		if !strings.Contains(doc, s) {
			t.Errorf("document.xml lacks %s", s)
		}
	}
	if n := strings.Count(doc, "<w:tblHeader/>"); n != 2 {
		t.Errorf("%d header rows, want 2", n)
	}
}

func TestTableErrors(t *testing.T) {
	tests := []struct {
		name string
		t    docx.Table
	}{
		{"no columns", docx.Table{}},
		{"zero width", docx.Table{Widths: []int{1, 0}}},
		{"row too short", docx.Table{Widths: []int{1, 1}, Rows: []docx.Row{{Cells: []docx.Cell{{Text: "x"}}}}}},
		{"row too long", docx.Table{Widths: []int{1}, Rows: []docx.Row{{Cells: []docx.Cell{{Text: "x", Span: 2}}}}}},
		{"continue without start", docx.Table{Widths: []int{1}, Rows: []docx.Row{{Cells: []docx.Cell{{Merge: docx.MergeContinue}}}}}},
		{"continue with another span", docx.Table{Widths: []int{1, 1}, Rows: []docx.Row{
			{Cells: []docx.Cell{{Merge: docx.MergeStart}, {}}},
			{Cells: []docx.Cell{{Merge: docx.MergeContinue, Span: 2}}},
		}}},
		{"header after body", docx.Table{Widths: []int{1}, Rows: []docx.Row{{Cells: []docx.Cell{{}}}, {Header: true, Cells: []docx.Cell{{}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := docx.New()
			if err := d.Table(tt.t); err == nil {
				t.Fatal("Table accepted a malformed table")
			}
			if _, err := d.WriteTo(io.Discard); err == nil {
				t.Error("WriteTo wrote a document with a malformed table")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	build := func() []byte {
		d := docx.New()
		d.Title("标题")
		d.Paragraph("正文")
		var b bytes.Buffer
		if _, err := d.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(build(), build()) {
		t.Error("the same document produced different bytes")
	}
}

func FuzzParagraph(f *testing.F) {
	for _, s := range []string{"正文", "a<b>&", "\x00\x01", "行一\n行二", "\uFFFF", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := docx.New()
		d.Para(docx.Para{Text: s})
		d.Table(docx.Table{Widths: []int{1}, Rows: []docx.Row{{Cells: []docx.Cell{{Text: s}}}}})
		parts(t, d) // every part must stay well-formed XML
	})
}
