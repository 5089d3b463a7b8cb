package extract

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// pdfText returns the text of a PDF, one line per row of text on the page,
// pages separated by an empty line. It uses github.com/ledongthuc/pdf, a
// pure-Go reader that decodes fonts' ToUnicode maps (needed for Chinese
// text set in CID fonts); it recovers from malformed files itself, and a
// panic it lets through is turned into an error here.
func pdfText(ctx context.Context, data []byte, lim Limits) (text string, err error) {
	defer func() {
		if r := recover(); r != nil {
			text, err = "", fmt.Errorf("extract: pdf: %v", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	pages := r.NumPage()
	if lim.MaxPages > 0 && pages > lim.MaxPages {
		return "", fmt.Errorf("%w: %d pages", errTooLarge, pages)
	}
	t := &textBuilder{max: lim.MaxText}
	for i := 1; i <= pages; i++ {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			return "", err
		}
		for _, row := range rows {
			var line strings.Builder
			for _, w := range row.Content {
				line.WriteString(w.S)
			}
			if s := strings.TrimSpace(line.String()); s != "" {
				t.write(s)
				t.newline()
			}
		}
		if i < pages {
			t.write("\n")
		}
		if t.err != nil {
			return "", t.err
		}
	}
	return t.String(), nil
}
