package annualreport

// CellChange is one cell whose value differs between a published report and
// the same report compiled from the current data.
type CellChange struct {
	Cell      CellRef
	Decimals  int
	Published Value // not Valid when the published report has no such cell
	Current   Value // not Valid when the current report has no such cell
}

// Diff lists the cells whose values differ between the frozen snapshot of a
// published report and the report compiled now, in the current report's
// table order, so the staff screen can show a late correction instead of the
// published figures silently changing. Cells are matched by their labels, so
// reports of different formats can be compared too: a cell only one of them
// has appears with the other side not Valid. Prose is not compared.
func Diff(published, current *Report) []CellChange {
	type key struct{ section, heading, row, column string }
	keyOf := func(t *Table, i, j int) key {
		return key{t.Section, t.Heading, t.Rows[i].Label, t.Columns[j].Path()}
	}
	old := make(map[key]CellChange)
	var oldOrder []key
	for ti := range published.Tables {
		t := &published.Tables[ti]
		for i, row := range t.Rows {
			for j, v := range row.Values {
				k := keyOf(t, i, j)
				oldOrder = append(oldOrder, k)
				old[k] = CellChange{Cell: t.ref(i, j), Decimals: t.Columns[j].Decimals, Published: v}
			}
		}
	}
	var out []CellChange
	seen := make(map[key]bool)
	for ti := range current.Tables {
		t := &current.Tables[ti]
		for i, row := range t.Rows {
			for j, v := range row.Values {
				k := keyOf(t, i, j)
				seen[k] = true
				was := old[k].Published
				if was == v {
					continue // equal, or empty on both sides
				}
				out = append(out, CellChange{Cell: t.ref(i, j), Decimals: t.Columns[j].Decimals, Published: was, Current: v})
			}
		}
	}
	for _, k := range oldOrder {
		if !seen[k] && old[k].Published.Valid {
			out = append(out, old[k])
		}
	}
	return out
}
