// Package docx writes simple Word documents (Office Open XML, .docx) in the
// layout of Chinese official documents: A4 pages with the margins of
// GB/T 9704—2012 (党政机关公文格式: 天头 37 mm, 订口 28 mm, a 156 × 225 mm text
// block), 仿宋 三号 body text at a fixed 28-point line pitch, 黑体 and 楷体
// headings, 宋体 tables, and page numbers in the footer.
//
// It supports what gongkai's documents need — paragraphs, headings, page
// breaks and tables with merged cells (gridSpan across, vMerge down) — and
// nothing else, so that every file it writes opens cleanly in Microsoft Word,
// WPS and LibreOffice. The annual report and the reply letters to applicants
// are written with it.
//
// Output is deterministic: the same calls produce the same bytes (zip times
// are fixed), so files can be compared in tests.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Page geometry in twentieths of a point (twips): A4 and the GB/T 9704
// margins (37 mm top, 35 mm bottom, 28 mm left, 26 mm right).
const (
	pageWidth    = 11906
	pageHeight   = 16838
	marginTop    = 2098
	marginBottom = 1984
	marginLeft   = 1587
	marginRight  = 1474
	// TextWidth is the width of the text block, 156 mm, in twips.
	TextWidth = pageWidth - marginLeft - marginRight
)

// Style is a paragraph style defined in the document's styles part.
type Style string

// The paragraph styles every document has.
const (
	StyleBody     = Style("Body")      // 仿宋 三号, first line indented two characters
	StylePlain    = Style("Normal")    // 仿宋 三号, no indent (salutations, signatures)
	StyleTitle    = Style("Title")     // 宋体 二号 bold, centred
	StyleHeading1 = Style("Heading1")  // 黑体 三号, indented like body text (一、…)
	StyleHeading2 = Style("Heading2")  // 楷体 三号 ((一)…)
	StyleTable    = Style("TableText") // 宋体 五号, single spacing, centred
)

// Align is a paragraph alignment.
type Align string

// Alignments ("" keeps the style's).
const (
	AlignLeft    = Align("left")
	AlignCenter  = Align("center")
	AlignRight   = Align("right")
	AlignJustify = Align("both")
)

// Para is one paragraph. A "\n" in Text is a line break inside it.
type Para struct {
	Text  string
	Style Style // default StyleBody
	Align Align
	Bold  bool
}

// Merge says how a table cell takes part in a vertical merge.
type Merge int

// Vertical merge states.
const (
	MergeNone     Merge = iota
	MergeStart          // the top cell of a vertically merged cell; holds the text
	MergeContinue       // a cell covered by the MergeStart cell above it
)

// Cell is one table cell. Span is the number of grid columns it covers (0
// means 1). A MergeContinue cell must sit below a MergeStart or MergeContinue
// cell with the same columns; its Text is ignored. A "\n" in Text starts a
// new paragraph.
type Cell struct {
	Text  string
	Span  int
	Merge Merge
	Align Align // default centred
	Bold  bool
}

// Row is one table row. Header rows are repeated at the top of each page the
// table runs onto (they must be the table's first rows).
type Row struct {
	Cells  []Cell
	Header bool
}

// Table is a bordered table that fills the text width. Widths are relative
// column widths of the grid; every row's spans must add up to len(Widths).
type Table struct {
	Widths []int
	Rows   []Row
}

// Document is a Word document being built. The zero value is not usable;
// call New.
type Document struct {
	title   string
	creator string
	body    bytes.Buffer
	err     error
}

// New returns an empty A4 document.
func New() *Document { return &Document{} }

// SetProperties sets the title and author shown in the file's properties.
func (d *Document) SetProperties(title, creator string) {
	d.title, d.creator = title, creator
}

// Title adds a centred title paragraph.
func (d *Document) Title(text string) {
	d.Para(Para{Text: text, Style: StyleTitle})
}

// Heading adds a heading of level 1 (黑体) or 2 (楷体).
func (d *Document) Heading(level int, text string) {
	s := StyleHeading1
	if level >= 2 {
		s = StyleHeading2
	}
	d.Para(Para{Text: text, Style: s})
}

// Paragraph adds one body paragraph per line of text (blank lines are
// skipped).
func (d *Document) Paragraph(text string) {
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) != "" {
			d.Para(Para{Text: line})
		}
	}
}

// Para adds p.
func (d *Document) Para(p Para) {
	if p.Style == "" {
		p.Style = StyleBody
	}
	writePara(&d.body, p)
}

// PageBreak starts a new page.
func (d *Document) PageBreak() {
	d.body.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
}

// Table adds t. A malformed table (spans that do not fill the grid, a merge
// continuation with nothing above it) is an error, reported here and again
// by WriteTo.
func (d *Document) Table(t Table) error {
	var b bytes.Buffer
	if err := writeTable(&b, t); err != nil {
		if d.err == nil {
			d.err = err
		}
		return err
	}
	d.body.Write(b.Bytes())
	// Word requires a paragraph between two tables and after the last one.
	d.body.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr></w:p>`)
	return nil
}

// WriteTo writes the .docx file.
func (d *Document) WriteTo(w io.Writer) (int64, error) {
	if d.err != nil {
		return 0, d.err
	}
	cw := &countWriter{w: w}
	z := zip.NewWriter(cw)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/core.xml", d.coreXML()},
		{"docProps/app.xml", appXML},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/document.xml", d.documentXML()},
		{"word/styles.xml", stylesXML},
		{"word/settings.xml", settingsXML},
		{"word/footer1.xml", footerXML},
	}
	for _, p := range parts {
		// A fixed time keeps the output reproducible; no clock is read.
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return cw.n, err
		}
	}
	err := z.Close()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (d *Document) documentXML() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:body>`)
	b.Write(d.body.Bytes())
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="rId3"/>`+
		`<w:pgSz w:w="%d" w:h="%d"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="992" w:gutter="0"/>`+
		`<w:cols w:space="425"/></w:sectPr>`,
		pageWidth, pageHeight, marginTop, marginRight, marginBottom, marginLeft)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

func (d *Document) coreXML() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	if d.title != "" {
		b.WriteString("<dc:title>" + escape(d.title) + "</dc:title>")
	}
	if d.creator != "" {
		b.WriteString("<dc:creator>" + escape(d.creator) + "</dc:creator>")
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

// writePara writes one paragraph; "\n" in the text becomes a line break.
func writePara(b *bytes.Buffer, p Para) {
	b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + string(p.Style) + `"/>`)
	if p.Align != "" {
		b.WriteString(`<w:jc w:val="` + string(p.Align) + `"/>`)
	}
	b.WriteString(`</w:pPr>`)
	for i, line := range strings.Split(p.Text, "\n") {
		b.WriteString(`<w:r>`)
		if p.Bold {
			b.WriteString(`<w:rPr><w:b/><w:bCs/></w:rPr>`)
		}
		if i > 0 {
			b.WriteString(`<w:br/>`)
		}
		if line != "" {
			b.WriteString(`<w:t xml:space="preserve">` + escape(line) + `</w:t>`)
		}
		b.WriteString(`</w:r>`)
	}
	b.WriteString(`</w:p>`)
}

// writeTable checks t's geometry and writes it.
func writeTable(b *bytes.Buffer, t Table) error {
	n := len(t.Widths)
	if n == 0 {
		return fmt.Errorf("docx: table without columns")
	}
	total := 0
	for _, w := range t.Widths {
		if w <= 0 {
			return fmt.Errorf("docx: column width %d is not positive", w)
		}
		total += w
	}
	// Column widths in twips, rounding so that they add up exactly.
	tw := make([]int, n)
	acc, done := 0, 0
	for i, w := range t.Widths {
		acc += w
		tw[i] = TextWidth*acc/total - done
		done += tw[i]
	}
	b.WriteString(`<w:tbl><w:tblPr>`)
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/>`, TextWidth)
	b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="000000"/>`)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/>`)
	b.WriteString(`<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for _, w := range tw {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString(`</w:tblGrid>`)

	// above[c] is the span of the merge-capable cell starting at grid column
	// c in the previous row (0: none), to validate MergeContinue.
	above := make([]int, n)
	inHeader := true
	for ri, row := range t.Rows {
		if row.Header && !inHeader {
			return fmt.Errorf("docx: row %d is a header row after a body row", ri)
		}
		inHeader = row.Header
		next := make([]int, n)
		b.WriteString(`<w:tr><w:trPr><w:cantSplit/>`)
		if row.Header {
			b.WriteString(`<w:tblHeader/>`)
		}
		b.WriteString(`</w:trPr>`)
		col := 0
		for ci, c := range row.Cells {
			span := max(c.Span, 1)
			if col+span > n {
				return fmt.Errorf("docx: row %d cell %d runs past the %d grid columns", ri, ci, n)
			}
			switch c.Merge {
			case MergeContinue:
				if above[col] != span {
					return fmt.Errorf("docx: row %d cell %d continues a vertical merge with no matching cell above", ri, ci)
				}
				next[col] = span
			case MergeStart:
				next[col] = span
			}
			width := 0
			for _, w := range tw[col : col+span] {
				width += w
			}
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width)
			if span > 1 {
				b.WriteString(`<w:gridSpan w:val="` + strconv.Itoa(span) + `"/>`)
			}
			switch c.Merge {
			case MergeStart:
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			case MergeContinue:
				b.WriteString(`<w:vMerge/>`)
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			align := c.Align
			if align == "" {
				align = AlignCenter
			}
			text := c.Text
			if c.Merge == MergeContinue {
				text = ""
			}
			for _, line := range strings.Split(text, "\n") {
				writePara(b, Para{Text: line, Style: StyleTable, Align: align, Bold: c.Bold})
			}
			b.WriteString(`</w:tc>`)
			col += span
		}
		if col != n {
			return fmt.Errorf("docx: row %d covers %d of %d grid columns", ri, col, n)
		}
		b.WriteString(`</w:tr>`)
		above = next
	}
	b.WriteString(`</w:tbl>`)
	return nil
}

// escape makes s safe as XML character data: it escapes markup and drops
// the characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF), which
// would otherwise make Word refuse the whole file.
func escape(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF || (r >= 0xD800 && r <= 0xDFFF):
			return -1
		}
		return r
	}, s)
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const rootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
	`</Relationships>`

const appXML = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongkai</Application></Properties>`

const settingsXML = xml.Header + `<w:settings xmlns:w="` + nsW + `">` +
	`<w:defaultTabStop w:val="420"/>` +
	`<w:characterSpacingControl w:val="compressPunctuation"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// footerXML centres the page number between dashes, as official documents do.
const footerXML = xml.Header + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` +
	`<w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>` +
	`<w:r><w:t xml:space="preserve">— </w:t></w:r>` +
	`<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>` +
	`<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`

// stylesXML defines the fonts: Latin text in Times New Roman, Chinese in
// 仿宋 (body), 黑体 and 楷体 (headings) and 宋体 (title, tables, footer) — the
// names Windows, WPS and common Linux font packages all resolve.
const stylesXML = xml.Header + `<w:styles xmlns:w="` + nsW + `">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` +
	`<w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>` +
	`<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
	`</w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="Body Text First Indent 2"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:before="0" w:after="560" w:line="700" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="宋体"/><w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Body"/><w:qFormat/>` +
	`<w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="楷体"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>` +
	`<w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>` +
	`<w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
	`</w:styles>`
