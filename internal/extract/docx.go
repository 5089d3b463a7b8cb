package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
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

// docxText returns the text of word/document.xml: one line per paragraph,
// table cells separated by tabs and rows by line breaks. Deleted text of
// tracked changes (w:delText) is left out, as Word shows it struck through.
func docxText(ctx context.Context, data []byte, lim Limits) (string, error) {
	zr, err := openZip(data, lim)
	if err != nil {
		return "", err
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errors.New("extract: no word/document.xml")
	}
	rc, err := doc.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	return wordXMLText(ctx, io.LimitReader(rc, lim.MaxUnpacked+1), lim)
}

func wordXMLText(ctx context.Context, r io.Reader, lim Limits) (string, error) {
	dec := xml.NewDecoder(r)
	t := &textBuilder{max: lim.MaxText}
	inText, cell := false, 0
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
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
			return "", t.err
		}
	}
	return t.String(), nil
}
