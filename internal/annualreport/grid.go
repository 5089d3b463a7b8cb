package annualreport

import "fmt"

// The exporters (HTML, DOCX, XLSX) draw the same official layout; grid
// computes it once: which text goes in which cell of the printed table and
// which cells are merged. Row labels nest through rowspans (三、本年度办理结果
// spans the 22 rows below it), column groups through colspans (行政诉讼 spans
// 10 columns), and the blocks of table 二 are stacked under full-width
// 第二十条第（…）项 rows.

// cellKind is the role of a printed cell.
type cellKind int

const (
	kindHeading   cellKind = iota // block heading of table 二, full width
	kindCorner                    // top-left cell above the row labels
	kindColHeader                 // column label or column group label
	kindRowHeader                 // row label or row group label
	kindData                      // a number
)

// gridCell is one printed (possibly merged) cell.
type gridCell struct {
	row, col         int // top-left position in the grid
	rowSpan, colSpan int
	kind             cellKind
	text             string
	id               string   // for header cells: a unique id
	headers          []string // for data cells: ids of every header cell that applies
	value            Value    // for data cells
	decimals         int      // for data cells
	// For data cells and leaf row labels: the position in the report's
	// tables (table, row, column; column -1 for a row label), which
	// CellID names.
	ti, ri, ci int
}

// grid is the printed table of one section.
type grid struct {
	section string
	rows    int
	width   int
	// weights are relative column widths, used by DOCX and XLSX.
	weights []int
	cells   []gridCell // in row-major order of their top-left corner
	owner   [][]int    // owner[r][c] is the index in cells covering (r, c)
}

// sections with tables, in order.
var tableSections = []string{"二", "三", "四"}

// sectionGrid lays out the tables of r belonging to section.
func sectionGrid(r *Report, section string) *grid {
	var blocks []*Table
	var indexes []int
	for i := range r.Tables {
		if r.Tables[i].Section == section {
			blocks = append(blocks, &r.Tables[i])
			indexes = append(indexes, i)
		}
	}
	g := &grid{section: section}
	if len(blocks) == 0 {
		return g
	}
	stub, w := 0, 1
	for _, t := range blocks {
		stub = max(stub, stubWidth(t))
		w = lcm(w, len(t.Columns))
	}
	g.width = stub + w
	g.weights = columnWeights(section, stub, w)
	for bi, t := range blocks {
		g.addBlock(t, indexes[bi], bi, stub, w)
	}
	g.owner = make([][]int, g.rows)
	for r := range g.owner {
		g.owner[r] = make([]int, g.width)
		for c := range g.owner[r] {
			g.owner[r][c] = -1
		}
	}
	for i, c := range g.cells {
		for r := c.row; r < c.row+c.rowSpan; r++ {
			for k := c.col; k < c.col+c.colSpan; k++ {
				g.owner[r][k] = i
			}
		}
	}
	return g
}

// stubWidth is the number of grid columns the row labels of t take.
func stubWidth(t *Table) int {
	depth, labelled := 0, false
	for _, r := range t.Rows {
		depth = max(depth, r.Level+1)
		labelled = labelled || r.Label != ""
	}
	if !labelled {
		return 0
	}
	return depth
}

func lcm(a, b int) int {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// columnWeights returns relative widths: on A4 portrait the official tables
// keep row labels readable and give the numbers narrow columns.
func columnWeights(section string, stub, w int) []int {
	var ws []int
	switch stub {
	case 3:
		ws = []int{10, 18, 44}
	case 1:
		ws = []int{48}
	}
	data := 108 // table 二: numbers take two thirds of the width
	switch section {
	case "三":
		data = 12 * w
	case "四":
		data = 156
	}
	for range w {
		ws = append(ws, data/w)
	}
	return ws
}

func (g *grid) add(c gridCell) int {
	g.cells = append(g.cells, c)
	return len(g.cells) - 1
}

// addBlock appends table t (r.Tables[ti], block number bi of the section)
// at the bottom.
func (g *grid) addBlock(t *Table, ti, bi, stub, w int) {
	id := func(kind string, n ...int) string {
		s := fmt.Sprintf("t%s-%d-%s", sectionSlug(g.section), bi, kind)
		for _, x := range n {
			s += fmt.Sprintf("-%d", x)
		}
		return s
	}
	var blockIDs []string
	if t.Heading != "" {
		hid := id("h")
		g.add(gridCell{row: g.rows, rowSpan: 1, colSpan: g.width, kind: kindHeading, text: t.Heading, id: hid})
		blockIDs = append(blockIDs, hid)
		g.rows++
	}

	// Column headers.
	depth := 1
	for _, c := range t.Columns {
		depth = max(depth, len(c.Groups)+1)
	}
	unit := w / len(t.Columns)
	top := g.rows
	if stub > 0 {
		g.add(gridCell{row: top, rowSpan: depth, colSpan: stub, kind: kindCorner, text: t.Corner, id: id("c")})
	}
	colIDs := make([][]string, len(t.Columns))
	for l := range depth {
		for j := 0; j < len(t.Columns); {
			c := t.Columns[j]
			switch {
			case len(c.Groups) > l:
				run := 1
				for j+run < len(t.Columns) && samePrefix(t.Columns[j+run].Groups, c.Groups, l+1) {
					run++
				}
				cid := id("g", l, j)
				g.add(gridCell{row: top + l, col: stub + j*unit, rowSpan: 1, colSpan: run * unit, kind: kindColHeader, text: c.Groups[l], id: cid})
				for k := j; k < j+run; k++ {
					colIDs[k] = append(colIDs[k], cid)
				}
				j += run
			case len(c.Groups) == l:
				cid := id("col", j)
				g.add(gridCell{row: top + l, col: stub + j*unit, rowSpan: depth - l, colSpan: unit, kind: kindColHeader, text: c.Label, id: cid})
				colIDs[j] = append(colIDs[j], cid)
				j++
			default:
				j++
			}
		}
	}
	g.rows += depth

	// Data rows. A group row becomes a cell on the first physical row below
	// it, spanning every non-group row nested under it.
	type open struct {
		level   int
		id      string
		pending bool
		label   string
		span    int
	}
	var stack []open
	for i, row := range t.Rows {
		for len(stack) > 0 && stack[len(stack)-1].level >= row.Level {
			stack = stack[:len(stack)-1]
		}
		if row.Group {
			span := 0
			for _, next := range t.Rows[i+1:] {
				if next.Level <= row.Level {
					break
				}
				if !next.Group {
					span++
				}
			}
			stack = append(stack, open{level: row.Level, id: id("r", i), pending: true, label: row.Label, span: span})
			continue
		}
		r := g.rows
		headers := append([]string(nil), blockIDs...)
		for k := range stack {
			o := &stack[k]
			if o.pending {
				g.add(gridCell{row: r, col: o.level, rowSpan: o.span, colSpan: 1, kind: kindRowHeader, text: o.label, id: o.id})
				o.pending = false
			}
			headers = append(headers, o.id)
		}
		if stub > 0 {
			rid := id("r", i)
			g.add(gridCell{row: r, col: row.Level, rowSpan: 1, colSpan: stub - row.Level, kind: kindRowHeader, text: row.Label, id: rid, ti: ti, ri: i, ci: -1})
			headers = append(headers, rid)
		}
		for j, v := range row.Values {
			hs := append(append([]string(nil), headers...), colIDs[j]...)
			g.add(gridCell{row: r, col: stub + j*unit, rowSpan: 1, colSpan: unit, kind: kindData, text: v.Format(t.Columns[j].Decimals), headers: hs, value: v, decimals: t.Columns[j].Decimals, ti: ti, ri: i, ci: j})
		}
		g.rows++
	}
}

func samePrefix(a, b []string, n int) bool {
	if len(a) < n || len(b) < n {
		return false
	}
	for i := range n {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sectionSlug turns a section numeral into an ASCII id fragment.
func sectionSlug(s string) string {
	switch s {
	case "二":
		return "2"
	case "三":
		return "3"
	case "四":
		return "4"
	}
	return "x"
}

// physicalRows returns, for each grid row, the cells as a word processor
// sees them: every grid position is either the top-left of a cell (start) or
// covered by a cell started above (continuation of a vertical merge);
// positions covered from the left are skipped.
func (g *grid) physicalRows() [][]physCell {
	out := make([][]physCell, g.rows)
	for r := range g.rows {
		for c := 0; c < g.width; {
			i := g.owner[r][c]
			if i < 0 {
				panic(fmt.Sprintf("annualreport: grid %s has a hole at row %d column %d", g.section, r, c))
			}
			cell := &g.cells[i]
			out[r] = append(out[r], physCell{cell: cell, start: cell.row == r})
			c = cell.col + cell.colSpan
		}
	}
	return out
}

// physCell is one grid position as a word processor writes it.
type physCell struct {
	cell  *gridCell
	start bool // false: continuation of a vertical merge
}
