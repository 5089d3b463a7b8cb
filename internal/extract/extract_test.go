package extract_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
	"gongkai/internal/extract"
)

// makeDOCX builds a minimal DOCX whose word/document.xml has the given body.
func makeDOCX(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`,
	}
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeDOCXParts builds a DOCX from WordprocessingML parts given by name:
// each body is wrapped in a root element that declares the w namespace.
func makeDOCXParts(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{"[Content_Types].xml"}
	for name := range parts {
		names = append(names, name)
	}
	slices.Sort(names[1:])
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "[Content_Types].xml" {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
			continue
		}
		w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><w:root xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` + parts[name] + `</w:root>`))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func makeXLSX(t testing.TB, sheets map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	first := true
	for _, name := range []string{"名单", "说明"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else {
			f.NewSheet(name)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makePDF builds a one-page PDF that shows lines of text in a Type0 font
// with Identity-H encoding and a ToUnicode map, the way Chinese PDFs made
// by office software carry their text. No font program is embedded: the
// text is recoverable from the ToUnicode map alone.
func makePDF(t testing.TB, lines []string) []byte {
	t.Helper()
	cid := map[rune]int{}
	var order []rune
	var content strings.Builder
	content.WriteString("BT /F1 12 Tf\n")
	for i, line := range lines {
		fmt.Fprintf(&content, "1 0 0 1 72 %d Tm <", 760-30*i)
		for _, r := range line {
			if _, ok := cid[r]; !ok {
				cid[r] = len(order) + 1
				order = append(order, r)
			}
			fmt.Fprintf(&content, "%04X", cid[r])
		}
		content.WriteString("> Tj\n")
	}
	content.WriteString("ET\n")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapName /T def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(order); i += 100 {
		chunk := order[i:min(i+100, len(order))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for _, r := range chunk {
			fmt.Fprintf(&cmap, "<%04X> <%04X>\n", cid[r], r)
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMapName defineresource pop\nend\nend\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", cmap.Len(), cmap.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func gb18030(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		kind extract.Kind
		want string
	}{
		{
			name: "page.html",
			data: []byte(`<!DOCTYPE html><html><head><title>标题不算正文</title><style>p{color:red}</style>
<script>var phone = "13812345678";</script></head>
<body><h1>关于做好  2024年
春节工作的通知</h1><p>各单位：<br>请按时报送。</p>
<table><tr><td>姓名</td><td>电话</td></tr><tr><th>王某某</th><td>138****1234</td></tr></table>
<pre>第一行
  第二行</pre><p>&lt;附件&gt;&nbsp;略</p></body></html>`),
			kind: extract.KindHTML,
			want: "关于做好 2024年 春节工作的通知\n各单位：\n请按时报送。\n姓名\t电话\n王某某\t138****1234\n第一行\n第二行\n<附件>\u00a0略\n",
		},
		{
			// what a reader of the file sees beyond the body is checked too,
			// after it, in a fixed order; other parts (settings, glossary)
			// are not
			name: "页眉页脚.docx",
			data: makeDOCXParts(t, map[string]string{
				"word/document.xml":          `<w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body>`,
				"word/header10.xml":          `<w:p><w:r><w:t>页眉十</w:t></w:r></w:p>`,
				"word/header2.xml":           `<w:p><w:r><w:t>页眉二</w:t></w:r></w:p>`,
				"word/footer1.xml":           `<w:p><w:r><w:t>联系电话13812345678</w:t></w:r></w:p>`,
				"word/footnotes.xml":         `<w:footnote><w:p><w:r><w:t>脚注</w:t></w:r></w:p></w:footnote>`,
				"word/endnotes.xml":          `<w:endnote><w:p><w:r><w:t>尾注</w:t></w:r></w:p></w:endnote>`,
				"word/comments.xml":          `<w:comment><w:p><w:r><w:t>批注：请核实身份证号</w:t></w:r></w:p></w:comment>`,
				"word/settings.xml":          `<w:p><w:r><w:t>设置</w:t></w:r></w:p>`,
				"word/glossary/document.xml": `<w:p><w:r><w:t>构建基块</w:t></w:r></w:p>`,
			}),
			kind: extract.KindDOCX,
			want: "正文\n页眉二\n页眉十\n联系电话13812345678\n脚注\n尾注\n批注：请核实身份证号\n",
		},
		{
			name: "fragment.htm",
			data: []byte("<p>截止目前，</p><div>已完成<span>任务</span>。</div>"),
			kind: extract.KindHTML,
			want: "截止目前，\n已完成任务。\n",
		},
		{
			name: "通知.docx",
			data: makeDOCX(t, `<w:p><w:r><w:t>关于</w:t></w:r><w:r><w:t xml:space="preserve">印发 </w:t></w:r><w:r><w:t>方案的通知</w:t></w:r></w:p>`+
				`<w:p><w:r><w:t>第一条</w:t><w:tab/><w:t>内容</w:t><w:br/><w:t>续行</w:t></w:r><w:del><w:r><w:delText>删除的字</w:delText></w:r></w:del></w:p>`+
				`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>身份证号</w:t></w:r></w:p></w:tc></w:tr>`+
				`<w:tr><w:tc><w:p><w:r><w:t>王某某</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>11**************14</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`+
				`<w:p><w:r><w:t>完</w:t></w:r></w:p>`),
			kind: extract.KindDOCX,
			want: "关于印发 方案的通知\n第一条\t内容\n续行\n姓名 \t身份证号 \t\n王某某 \t11**************14 \t\n完\n",
		},
		{
			name: "名单.xlsx",
			data: makeXLSX(t, map[string][][]any{
				"名单": {{"姓名", "手机号码", "金额"}, {"王某某", "13812345678", 12.5}, {}, {"李某", nil, "备注"}},
				"说明": {{"截止目前共2人"}},
			}),
			kind: extract.KindXLSX,
			want: "名单\n姓名\t手机号码\t金额\n王某某\t13812345678\t12.5\n李某\t\t备注\n说明\n截止目前共2人\n",
		},
		{
			name: "报告.pdf",
			data: makePDF(t, []string{"政府信息公开工作年度报告", "截止目前，联系电话13812345678。"}),
			kind: extract.KindPDF,
			want: "政府信息公开工作年度报告\n截止目前，联系电话13812345678。\n",
		},
		{
			name: "utf8.txt",
			data: []byte("\ufeff第一行\r\n第二行\r\n"),
			kind: extract.KindText,
			want: "第一行\n第二行\n",
		},
		{
			name: "gbk.txt",
			data: gb18030(t, "关于印发方案的通知\n截止目前"),
			kind: extract.KindText,
			want: "关于印发方案的通知\n截止目前",
		},
		{
			name: "gbk.html",
			data: append([]byte(`<html><head><meta charset="gbk"></head><body><p>`), append(gb18030(t, "截止目前"), []byte("</p></body></html>")...)...),
			kind: extract.KindHTML,
			want: "截止目前\n",
		},
		{
			// The name says .pdf but the content is HTML: content wins.
			name: "misnamed.pdf",
			data: []byte("<html><body><p>正文</p></body></html>"),
			kind: extract.KindHTML,
			want: "正文\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := extract.Sniff(tt.data); got != tt.kind {
				t.Errorf("Sniff = %q, want %q", got, tt.kind)
			}
			got, err := extract.Text(tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Text mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTextErrors(t *testing.T) {
	t.Parallel()
	small := extract.DefaultLimits()
	small.MaxUnpacked = 1 << 20
	// A zip bomb in miniature: 4 MB of zeros compress to a few KB.
	bomb := makeDOCX(t, "<w:p><w:r><w:t>"+strings.Repeat("0", 4<<20)+"</w:t></w:r></w:p>")
	tiny := extract.DefaultLimits()
	tiny.MaxInput = 10
	tests := []struct {
		name string
		data []byte
		lim  extract.Limits
		code string
		msg  string
	}{
		{"炸弹.docx", bomb, small, gongkai.ETOOLARGE, "文件“炸弹.docx”解压后的内容过大，无法检查。"},
		{"大.txt", []byte("01234567890"), tiny, gongkai.ETOOLARGE, "文件“大.txt”超过0 MB，无法检查。"},
		{"旧版.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), extract.DefaultLimits(), gongkai.EINVALID, "文件“旧版.doc”的格式无法识别，仅支持 HTML、DOCX、XLSX、PDF 和纯文本文件。"},
		{"坏.pdf", []byte("%PDF-1.4\ngarbage"), extract.DefaultLimits(), gongkai.EINVALID, "文件“坏.pdf”已损坏或格式不正确，无法读取其中的文字。"},
		{"坏.docx", []byte("PK\x03\x04garbage"), extract.DefaultLimits(), gongkai.EINVALID, "文件“坏.docx”的格式无法识别，仅支持 HTML、DOCX、XLSX、PDF 和纯文本文件。"},
		{"二进制.bin", []byte{0x00, 0x01, 0x02, 0xff}, extract.DefaultLimits(), gongkai.EINVALID, "文件“二进制.bin”的格式无法识别，仅支持 HTML、DOCX、XLSX、PDF 和纯文本文件。"},
	}
	for _, tt := range tests {
		_, err := extract.TextContext(context.Background(), tt.name, tt.data, tt.lim)
		if gongkai.ErrorCode(err) != tt.code || gongkai.ErrorMessage(err) != tt.msg {
			t.Errorf("%s: error %v, want %s %q", tt.name, err, tt.code, tt.msg)
		}
	}
}

func TestTextCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := extract.TextContext(ctx, "a.html", []byte("<p>正文</p>"), extract.DefaultLimits())
	if gongkai.ErrorCode(err) != gongkai.EUNAVAILABLE {
		t.Errorf("error %v, want %s", err, gongkai.EUNAVAILABLE)
	}
}

func FuzzHTMLText(f *testing.F) {
	f.Add([]byte("<p>截止目前</p><script>x</script><table><tr><td>a</td></tr></table>"))
	f.Add([]byte("<html><body><pre>a\nb</pre><br/><div>c</div>"))
	f.Add([]byte("<p>&lt;&amp;&#x4e2d;<b>粗</b></p><!-- c --><style>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = append([]byte("<p>"), data...) // make it sniff as HTML
		s, err := extract.Text("f.html", data)
		if err != nil {
			return
		}
		if strings.Contains(s, "\n\n\n") {
			t.Errorf("runs of empty lines in %q", s)
		}
	})
}

func FuzzDOCXText(f *testing.F) {
	f.Add(`<w:p><w:r><w:t>截止目前</w:t></w:r></w:p>`)
	f.Add(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	f.Add(`<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r><w:del><w:r><w:delText>x</w:delText></w:r></w:del></w:p>`)
	f.Fuzz(func(t *testing.T, body string) {
		data := makeDOCX(t, body)
		s, err := extract.Text("f.docx", data)
		if err != nil {
			return
		}
		if !strings.HasSuffix(s, "\n") && s != "" {
			t.Errorf("text %q does not end with a line break", s)
		}
	})
}

func TestHTMLLinks(t *testing.T) {
	t.Parallel()
	got := extract.HTMLLinks(`<p>见<a href="https://www.gov.cn/a">中国政府网  <b>政策</b></a>、<a href="/rel">本站</a>、` +
		`<a href="mailto:a@b.cn">邮箱</a><img src="http://img.example.com/x.png"><iframe src="HTTPS://v.example.com/"></iframe></p>`)
	want := []extract.Link{
		{URL: "https://www.gov.cn/a", Text: "中国政府网 政策"},
		{URL: "http://img.example.com/x.png"},
		{URL: "HTTPS://v.example.com/"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestTextTimeout(t *testing.T) {
	t.Parallel()
	lim := extract.DefaultLimits()
	lim.Timeout = time.Nanosecond
	_, err := extract.TextContext(context.Background(), "大.html", []byte("<p>"+strings.Repeat("正文", 1<<20)+"</p>"), lim)
	if gongkai.ErrorCode(err) != gongkai.EUNAVAILABLE || gongkai.ErrorMessage(err) != "读取文件“大.html”超时。" {
		t.Errorf("error %v", err)
	}
}
