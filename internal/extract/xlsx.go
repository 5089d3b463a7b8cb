package extract

import (
	"bytes"
	"context"
	"strings"

	"github.com/xuri/excelize/v2"
)

// xlsxText returns the cells of every sheet, one row per line with cells
// separated by tabs; when the workbook has several sheets each starts with
// a line holding the sheet's name.
func xlsxText(ctx context.Context, data []byte, lim Limits) (string, error) {
	if _, err := openZip(data, lim); err != nil {
		return "", err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    lim.MaxUnpacked,
		UnzipXMLSizeLimit: min(lim.MaxUnpacked, 16<<20),
	})
	if err != nil {
		return "", err
	}
	defer f.Close()
	t := &textBuilder{max: lim.MaxText}
	sheets := f.GetSheetList()
	for _, sheet := range sheets {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if len(sheets) > 1 {
			t.write(sheet)
			t.newline()
		}
		rows, err := f.Rows(sheet)
		if err != nil {
			return "", err
		}
		for n := 0; rows.Next(); n++ {
			if n%1024 == 0 && ctx.Err() != nil {
				rows.Close()
				return "", ctx.Err()
			}
			cells, err := rows.Columns()
			if err != nil {
				rows.Close()
				return "", err
			}
			line := strings.TrimRight(strings.Join(cells, "\t"), "\t")
			if line != "" {
				t.write(line)
				t.newline()
			}
			if t.err != nil {
				rows.Close()
				return "", t.err
			}
		}
		if err := rows.Close(); err != nil {
			return "", err
		}
	}
	return t.String(), nil
}
