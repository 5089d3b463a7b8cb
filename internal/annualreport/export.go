package annualreport

import (
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/docx"
)

// provisionalNote is printed under the title of a report compiled before
// its year ended, so that a provisional printout is never mistaken for the
// report.
func (r *Report) provisionalNote() string {
	if r.AsOf.IsZero() {
		return ""
	}
	return fmt.Sprintf("（本稿为截至%s的临时统计数据，不得发布）", r.AsOf.Chinese())
}

// WriteDOCX writes r as a Word document in the official layout: the title,
// the six sections with their exact headings, the prose, and the three tables
// with their merged cells.
func (r *Report) WriteDOCX(w io.Writer) error {
	if _, err := r.specs(); err != nil {
		return err
	}
	d := docx.New()
	d.SetProperties(r.Title(), r.Org.Name)
	d.Title(r.Title())
	if note := r.provisionalNote(); note != "" {
		d.Para(docx.Para{Text: note, Style: docx.StylePlain, Align: docx.AlignCenter})
	}
	for i, num := range sectionNumbers {
		d.Heading(1, Headings()[i])
		if text, ok := r.text(num); ok {
			d.Paragraph(text)
			continue
		}
		if err := d.Table(docxTable(sectionGrid(r, num))); err != nil {
			return err
		}
	}
	_, err := d.WriteTo(w)
	return err
}

// docxTable turns a grid into a docx table: horizontal merges become
// gridSpan, vertical merges a vMerge start with continuations below.
func docxTable(g *grid) docx.Table {
	t := docx.Table{Widths: g.weights}
	inHead := true
	for r, cells := range g.physicalRows() {
		row := docx.Row{}
		hasData := false
		for _, pc := range cells {
			c := pc.cell
			cell := docx.Cell{Text: c.text, Span: c.colSpan}
			switch {
			case c.rowSpan > 1 && pc.start:
				cell.Merge = docx.MergeStart
			case c.rowSpan > 1:
				cell.Merge = docx.MergeContinue
			}
			if c.kind == kindRowHeader && c.rowSpan == 1 {
				cell.Align = docx.AlignLeft
			}
			if c.kind == kindData && c.row == r {
				hasData = true
			}
			row.Cells = append(row.Cells, cell)
		}
		// The column headers of tables 三 and 四 repeat on every page.
		inHead = inHead && !hasData && g.section != "二"
		row.Header = inHead
		t.Rows = append(t.Rows, row)
	}
	return t
}

// WriteXLSX writes r as a workbook with one sheet per table (named by the
// section heading), laid out and merged as in the official format. Amounts
// are numbers formatted with two decimals.
func (r *Report) WriteXLSX(w io.Writer) error {
	if _, err := r.specs(); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(&excelize.DocProperties{Title: r.Title(), Creator: r.Org.Name}); err != nil {
		return err
	}
	styles, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	for i, num := range tableSections {
		g := sectionGrid(r, num)
		sheet := sectionHeading(num)
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return err
		}
		if err := writeSheet(f, sheet, g, r, styles); err != nil {
			return fmt.Errorf("annualreport: sheet %s: %w", sheet, err)
		}
	}
	return f.Write(w)
}

type xlsxStyles struct {
	title, label, left, count, amount int
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	font := &excelize.Font{Family: "宋体", Size: 10.5}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	twoDecimals := "0.00"
	var s xlsxStyles
	var err error
	for _, x := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Family: "宋体", Size: 14, Bold: true}, Alignment: center}},
		{&s.label, &excelize.Style{Font: font, Alignment: center, Border: border}},
		{&s.left, &excelize.Style{Font: font, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true}, Border: border}},
		{&s.count, &excelize.Style{Font: font, Alignment: center, Border: border, NumFmt: 1}},
		{&s.amount, &excelize.Style{Font: font, Alignment: center, Border: border, CustomNumFmt: &twoDecimals}},
	} {
		if *x.id, err = f.NewStyle(x.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

// titleRows is the number of rows above the table on each sheet: the report
// title and the section heading.
const titleRows = 2

func writeSheet(f *excelize.File, sheet string, g *grid, r *Report, st xlsxStyles) error {
	name := func(row, col int) string {
		n, _ := excelize.CoordinatesToCellName(col+1, row+1)
		return n
	}
	title := r.Title() + r.provisionalNote()
	heading := sheet
	for i, text := range []string{title, heading} {
		if err := f.SetCellStr(sheet, name(i, 0), text); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, name(i, 0), name(i, g.width-1)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, name(i, 0), name(i, g.width-1), st.title); err != nil {
			return err
		}
	}
	// Border every grid cell first, so merged areas are framed too.
	if err := f.SetCellStyle(sheet, name(titleRows, 0), name(titleRows+g.rows-1, g.width-1), st.label); err != nil {
		return err
	}
	for _, c := range g.cells {
		top, bottom := name(titleRows+c.row, c.col), name(titleRows+c.row+c.rowSpan-1, c.col+c.colSpan-1)
		if c.rowSpan > 1 || c.colSpan > 1 {
			if err := f.MergeCell(sheet, top, bottom); err != nil {
				return err
			}
		}
		var err error
		switch {
		case c.kind == kindData:
			v := c.value
			switch {
			case !v.Valid:
			case c.decimals == 0:
				if err = f.SetCellInt(sheet, top, v.N); err == nil {
					err = f.SetCellStyle(sheet, top, bottom, st.count)
				}
			default:
				// Excel keeps numbers as doubles; the exact value is
				// formatted to its two decimals for display.
				if err = f.SetCellFloat(sheet, top, float64(v.N)/100, 2, 64); err == nil {
					err = f.SetCellStyle(sheet, top, bottom, st.amount)
				}
			}
		default:
			err = f.SetCellStr(sheet, top, c.text)
			if err == nil && c.kind == kindRowHeader && c.rowSpan == 1 {
				err = f.SetCellStyle(sheet, top, bottom, st.left)
			}
		}
		if err != nil {
			return err
		}
	}
	widths := make([]float64, g.width)
	for c, w := range g.weights {
		widths[c] = max(8, float64(w)/1.6)
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, col, col, widths[c]); err != nil {
			return err
		}
	}
	// Spreadsheet programs do not grow rows for wrapped text on opening:
	// estimate the lines each label needs (a Chinese character is about two
	// width units) and set the row heights.
	lines := make([]int, g.rows)
	for _, c := range g.cells {
		var w float64
		for k := c.col; k < c.col+c.colSpan; k++ {
			w += widths[k]
		}
		n := int(float64(2*utf8.RuneCountInString(c.text))/(w-1)) + 1
		per := (n + c.rowSpan - 1) / c.rowSpan
		for r := c.row; r < c.row+c.rowSpan; r++ {
			lines[r] = max(lines[r], per)
		}
	}
	for r, n := range lines {
		if n > 1 {
			if err := f.SetRowHeight(sheet, titleRows+r+1, 14*float64(n)); err != nil {
				return err
			}
		}
	}
	// Print on A4, one page wide (the 15 columns of table 四 in landscape).
	size, wide, tall, fit := 9, 1, 0, true
	orientation := "portrait"
	if g.width > 10 {
		orientation = "landscape"
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &wide, FitToHeight: &tall})
}
