package extract

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// openZip opens data as a zip archive within the entry and unpacked-size
// limits. Sizes come from the archive's directory; archive/zip refuses to
// decompress more than an entry declares, so the check is a real bound.
func openZip(data []byte, lim Limits) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if lim.MaxEntries > 0 && len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%w: %d zip entries", errTooLarge, len(zr.File))
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if lim.MaxUnpacked > 0 && total > uint64(lim.MaxUnpacked) {
		return nil, fmt.Errorf("%w: %d bytes unpacked", errTooLarge, total)
	}
	return zr, nil
}

// zipKind tells DOCX from XLSX by the part that holds the content.
func zipKind(data []byte) Kind {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return KindUnknown
	}
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			return KindDOCX
		case "xl/workbook.xml":
			return KindXLSX
		}
	}
	return KindUnknown
}

// WordprocessingML element names (namespace w).
const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// docxPart ranks the parts of a DOCX whose text a reader of the file sees:
// the body first, so that its lines and columns do not depend on the rest,
// then headers, footers, footnotes, endnotes and comments. Whatever is in
// them is published with the file: a phone number in a footer, or a
// reviewer's comment left in, leaks as surely as one in the body. ok is
// false for every other part.
func docxPart(name string) (rank int, ok bool) {
	switch {
	case name == "word/document.xml":
		return 0, true
	case strings.HasPrefix(name, "word/header") && strings.HasSuffix(name, ".xml"):
		return 1, true
	case strings.HasPrefix(name, "word/footer") && strings.HasSuffix(name, ".xml"):
		return 2, true
	case name == "word/footnotes.xml":
		return 3, true
	case name == "word/endnotes.xml":
		return 4, true
	case name == "word/comments.xml":
		return 5, true
	}
	return 0, false
}

// docxText returns the text of a DOCX: word/document.xml, then the other
// parts docxPart names, each starting on a new line; one line per
// paragraph, table cells separated by tabs and rows by line breaks.
// Deleted text of tracked changes (w:delText) is left out, as Word shows it
// struck through.
func docxText(ctx context.Context, data []byte, lim Limits) (string, error) {
	zr, err := openZip(data, lim)
	if err != nil {
		return "", err
	}
	var parts []*zip.File
	hasBody := false
	for _, f := range zr.File {
		if rank, ok := docxPart(f.Name); ok {
			parts = append(parts, f)
			hasBody = hasBody || rank == 0
		}
	}
	if !hasBody {
		return "", errors.New("extract: no word/document.xml")
	}
	// by rank, then header2 before header10
	slices.SortStableFunc(parts, func(a, b *zip.File) int {
		ra, _ := docxPart(a.Name)
		rb, _ := docxPart(b.Name)
		return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(len(a.Name), len(b.Name)), strings.Compare(a.Name, b.Name))
	})
	t := &textBuilder{max: lim.MaxText}
	for _, f := range parts {
		if err := wordPartText(ctx, f, lim, t); err != nil {
			return "", err
		}
		t.newline()
	}
	if t.err != nil {
		return "", t.err
	}
	return t.String(), nil
}

// wordPartText appends the text of one WordprocessingML part to t.
func wordPartText(ctx context.Context, f *zip.File, lim Limits, t *textBuilder) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return wordXMLText(ctx, io.LimitReader(rc, lim.MaxUnpacked+1), t)
}

func wordXMLText(ctx context.Context, r io.Reader, t *textBuilder) error {
	dec := xml.NewDecoder(r)
	inText, cell := false, 0
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Space != wordNS {
				continue
			}
			switch el.Name.Local {
			case "t":
				inText = true
			case "tc":
				cell++
			case "tab":
				t.write("\t")
			case "br", "cr":
				t.write("\n")
			}
		case xml.EndElement:
			if el.Name.Space != wordNS {
				continue
			}
			switch el.Name.Local {
			case "t":
				inText = false
			case "p":
				if cell > 0 {
					t.write(" ")
				} else {
					t.newline()
				}
			case "tc":
				cell = max(cell-1, 0)
				t.write("\t")
			case "tr":
				t.newline()
			}
		case xml.CharData:
			if inText {
				t.write(string(el))
			}
		}
		if t.err != nil {
			return t.err
		}
	}
	return nil
}
