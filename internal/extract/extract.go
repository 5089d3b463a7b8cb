// Package extract turns the files attached to government documents (HTML,
// DOCX, XLSX, PDF and plain text) into plain text for the content checks.
//
// The type is sniffed from the content, never trusted from the name. Every
// format is read under limits (input size, unpacked size, number of zip
// entries, pages, output size) so that a zip bomb or a pathological PDF
// costs a bounded amount of memory; a context lets the caller add a
// deadline, checked between units of work (entries, pages, XML tokens).
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"gongkai"
)

// Kind is a file type that extract understands.
type Kind string

// Kinds.
const (
	KindHTML    Kind = "html"
	KindDOCX    Kind = "docx"
	KindXLSX    Kind = "xlsx"
	KindPDF     Kind = "pdf"
	KindText    Kind = "text"
	KindUnknown Kind = ""
)

// Limits bound the work done on one file.
type Limits struct {
	// MaxInput is the largest file accepted, in bytes.
	MaxInput int
	// MaxUnpacked bounds the bytes decompressed from a DOCX or XLSX.
	MaxUnpacked int64
	// MaxEntries bounds the number of files inside a DOCX or XLSX.
	MaxEntries int
	// MaxPages bounds the pages read from a PDF.
	MaxPages int
	// MaxText bounds the extracted text, in bytes.
	MaxText int
	// Timeout bounds the wall-clock time of one extraction (0: none). The
	// caller gets an error when it passes, even if a parser is stuck inside
	// one call; the abandoned work stops at its next check or finishes
	// within the size limits.
	Timeout time.Duration
}

// DefaultLimits suit attachments of government documents: 50 MB files,
// 200 MB unpacked, 10 000 zip entries, 2 000 PDF pages, 20 MB of text, one
// minute.
func DefaultLimits() Limits {
	return Limits{
		MaxInput:    50 << 20,
		MaxUnpacked: 200 << 20,
		MaxEntries:  10000,
		MaxPages:    2000,
		MaxText:     20 << 20,
		Timeout:     time.Minute,
	}
}

// Text returns the text of a file under DefaultLimits. name is used only in
// error messages. Errors are *gongkai.Error with Chinese messages.
func Text(name string, data []byte) (string, error) {
	return TextContext(context.Background(), name, data, DefaultLimits())
}

// TextContext is Text with a context and explicit limits.
func TextContext(ctx context.Context, name string, data []byte, lim Limits) (string, error) {
	if lim.MaxInput > 0 && len(data) > lim.MaxInput {
		return "", tooLarge(name, fmt.Sprintf("超过%d MB", lim.MaxInput>>20))
	}
	if lim.Timeout <= 0 {
		return extractText(ctx, name, data, lim)
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	go func() {
		text, err := extractText(ctx, name, data, lim)
		done <- result{text, err}
	}()
	select {
	case r := <-done:
		return r.text, r.err
	case <-ctx.Done():
		return "", timeout(name, ctx.Err())
	}
}

func timeout(name string, err error) error {
	return &gongkai.Error{Code: gongkai.EUNAVAILABLE, Message: fmt.Sprintf("读取文件“%s”超时。", name), Err: err}
}

func extractText(ctx context.Context, name string, data []byte, lim Limits) (string, error) {
	var (
		text string
		err  error
	)
	switch kind := Sniff(data); kind {
	case KindHTML:
		text, err = htmlText(ctx, data, lim)
	case KindDOCX:
		text, err = docxText(ctx, data, lim)
	case KindXLSX:
		text, err = xlsxText(ctx, data, lim)
	case KindPDF:
		text, err = pdfText(ctx, data, lim)
	case KindText:
		text, err = plainText(data)
	default:
		return "", gongkai.Errorf(gongkai.EINVALID, "文件“%s”的格式无法识别，仅支持 HTML、DOCX、XLSX、PDF 和纯文本文件。", name)
	}
	if err != nil {
		var ge *gongkai.Error
		switch {
		case errors.As(err, &ge):
			return "", err
		case errors.Is(err, errTooLarge):
			return "", tooLarge(name, "解压后的内容过大")
		case ctx.Err() != nil:
			return "", timeout(name, err)
		}
		return "", &gongkai.Error{Code: gongkai.EINVALID, Message: fmt.Sprintf("文件“%s”已损坏或格式不正确，无法读取其中的文字。", name), Err: err}
	}
	if lim.MaxText > 0 && len(text) > lim.MaxText {
		return "", tooLarge(name, "其中的文字过多")
	}
	return text, nil
}

var errTooLarge = errors.New("extract: limit exceeded")

func tooLarge(name, why string) error {
	return &gongkai.Error{Code: gongkai.ETOOLARGE, Message: fmt.Sprintf("文件“%s”%s，无法检查。", name, why)}
}

// Sniff returns the kind of data from its content.
func Sniff(data []byte) Kind {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")) || bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")):
		return KindPDF
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return zipKind(data)
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0")):
		return KindUnknown // legacy .doc/.xls (OLE2)
	case looksHTML(data):
		return KindHTML
	case looksText(data):
		return KindText
	}
	return KindUnknown
}

func looksHTML(data []byte) bool {
	head := data[:min(len(data), 1024)]
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	if len(head) == 0 || head[0] != '<' {
		return false
	}
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<p", "<div", "<br", "<table", "<span", "<h1", "<h2", "<h3", "<ul", "<ol", "<section", "<article", "<!--", "<meta", "<title", "<a ", "<strong", "<b>", "<font", "<img", "<center"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

// looksText accepts UTF-8, UTF-16 with a byte-order mark, and GB18030 text
// without control characters other than tab, newline and carriage return.
func looksText(data []byte) bool {
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return true
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return false
	}
	if utf8.Valid(data) {
		return true
	}
	_, err := decodeGB18030(data)
	return err == nil
}

func plainText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			return "", err
		}
		return normalizeNewlines(string(out)), nil
	case utf8.Valid(data):
		return normalizeNewlines(strings.TrimPrefix(string(data), "\ufeff")), nil
	}
	s, err := decodeGB18030(data)
	if err != nil {
		return "", err
	}
	return normalizeNewlines(s), nil
}

// decodeGB18030 decodes data as GB18030 (a superset of GBK and GB2312, the
// encodings of older Chinese text files) and rejects data that decodes to
// replacement or control characters, which means it was not GB18030.
func decodeGB18030(data []byte) (string, error) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", err
	}
	s := string(out)
	for _, r := range s {
		if r == utf8.RuneError || r < ' ' && r != '\t' && r != '\n' && r != '\r' {
			return "", errors.New("extract: not GB18030 text")
		}
	}
	return s, nil
}

func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// textBuilder accumulates extracted text with paragraph breaks and a size
// limit.
type textBuilder struct {
	b   strings.Builder
	max int
	err error
}

func (t *textBuilder) write(s string) {
	if t.err != nil {
		return
	}
	if t.max > 0 && t.b.Len()+len(s) > t.max {
		t.err = errTooLarge
		return
	}
	t.b.WriteString(s)
}

// newline ends the current line unless it is already ended (or nothing was
// written yet), so that nested blocks do not leave runs of empty lines.
func (t *textBuilder) newline() {
	s := t.b.String()
	if len(s) == 0 || s[len(s)-1] == '\n' {
		return
	}
	t.write("\n")
}

// String returns the text with one final line break, or "" when empty.
func (t *textBuilder) String() string {
	s := strings.TrimRight(t.b.String(), "\n")
	if s == "" {
		return ""
	}
	return s + "\n"
}
