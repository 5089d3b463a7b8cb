// Package sniff tells what an uploaded attachment really is, from its
// content and never from its name, and refuses names that lie about it.
//
// Issue 3 allows PDF, OFD, DOC/DOCX, XLS/XLSX, WPS, images and ZIP as
// attachments, "type sniffed, not trusted from the name". Detect reads the
// magic bytes and, for containers, their directories: the central directory
// of a ZIP (DOCX/XLSX/PPTX hold [Content_Types].xml and word/, xl/, ppt/; an
// OFD holds OFD.xml, GB/T 33190-2016) and the directory of an OLE compound
// file (DOC has a WordDocument stream, XLS a Workbook or Book stream, PPT a
// "PowerPoint Document" stream; WPS Office adds a WpsCustomData stream).
// Executables, scripts, web pages and the like are recognised so that a
// refusal can name them.
//
// The package is pure apart from reading the io.ReaderAt it is given.
package sniff

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"gongkai"
)

// Type is a file format. Ext is its usual extension without the dot ("" for
// formats that have none worth suggesting), MIME the media type to serve it
// with, and Label its Chinese name for people.
type Type struct {
	Ext   string
	MIME  string
	Label string
	// alt lists further extensions, space-separated, that files of this
	// type legitimately carry (.jpeg for JPEG, .wps for a Word-format file).
	alt string
}

// The formats Detect recognises.
var (
	PDF  = Type{Ext: "pdf", MIME: "application/pdf", Label: "PDF 文档"}
	OFD  = Type{Ext: "ofd", MIME: "application/ofd", Label: "OFD 版式文档"}
	DOCX = Type{Ext: "docx", MIME: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Label: "Word 文档"}
	XLSX = Type{Ext: "xlsx", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Label: "Excel 工作簿"}
	PPTX = Type{Ext: "pptx", MIME: "application/vnd.openxmlformats-officedocument.presentationml.presentation", Label: "PowerPoint 演示文稿"}
	// The binary Office formats. WPS Office writes its .wps and .et files
	// in the same binary formats as .doc and .xls (LibreOffice opens them
	// with its Word and Excel filters), and WPS users save .doc files too,
	// so a Word-format file may carry either extension whoever wrote it.
	DOC = Type{Ext: "doc", MIME: "application/msword", Label: "Word 97-2003 文档", alt: "wps"}
	WPS = Type{Ext: "wps", MIME: "application/kswps", Label: "WPS 文字文档", alt: "doc"}
	XLS = Type{Ext: "xls", MIME: "application/vnd.ms-excel", Label: "Excel 97-2003 工作簿", alt: "et"}
	ET  = Type{Ext: "et", MIME: "application/kset", Label: "WPS 表格文档", alt: "xls"}
	PPT = Type{Ext: "ppt", MIME: "application/vnd.ms-powerpoint", Label: "PowerPoint 97-2003 演示文稿", alt: "dps"}
	ODT = Type{Ext: "odt", MIME: "application/vnd.oasis.opendocument.text", Label: "OpenDocument 文本"}
	ODS = Type{Ext: "ods", MIME: "application/vnd.oasis.opendocument.spreadsheet", Label: "OpenDocument 电子表格"}
	ODP = Type{Ext: "odp", MIME: "application/vnd.oasis.opendocument.presentation", Label: "OpenDocument 演示文稿"}
	RTF = Type{Ext: "rtf", MIME: "application/rtf", Label: "RTF 文档"}

	PNG  = Type{Ext: "png", MIME: "image/png", Label: "PNG 图片"}
	JPEG = Type{Ext: "jpg", MIME: "image/jpeg", Label: "JPEG 图片", alt: "jpeg jpe"}
	GIF  = Type{Ext: "gif", MIME: "image/gif", Label: "GIF 图片"}
	WebP = Type{Ext: "webp", MIME: "image/webp", Label: "WebP 图片"}
	BMP  = Type{Ext: "bmp", MIME: "image/bmp", Label: "BMP 图片"}
	TIFF = Type{Ext: "tif", MIME: "image/tiff", Label: "TIFF 图片", alt: "tiff"}
	SVG  = Type{Ext: "svg", MIME: "image/svg+xml", Label: "SVG 矢量图"}

	ZIP      = Type{Ext: "zip", MIME: "application/zip", Label: "ZIP 压缩包"}
	RAR      = Type{Ext: "rar", MIME: "application/vnd.rar", Label: "RAR 压缩包"}
	SevenZip = Type{Ext: "7z", MIME: "application/x-7z-compressed", Label: "7z 压缩包"}
	GZIP     = Type{Ext: "gz", MIME: "application/gzip", Label: "gzip 压缩文件", alt: "tgz"}

	EXE    = Type{Ext: "exe", MIME: "application/vnd.microsoft.portable-executable", Label: "Windows 可执行程序", alt: "dll com scr sys msi cpl ocx"}
	ELF    = Type{MIME: "application/x-executable", Label: "Linux 可执行程序"}
	MachO  = Type{MIME: "application/x-mach-binary", Label: "可执行程序"}
	Script = Type{MIME: "text/x-script", Label: "脚本文件"}
	HTML   = Type{Ext: "html", MIME: "text/html", Label: "网页文件", alt: "htm"}
	JAR    = Type{Ext: "jar", MIME: "application/java-archive", Label: "Java 程序包"}
	APK    = Type{Ext: "apk", MIME: "application/vnd.android.package-archive", Label: "Android 安装包"}

	// OLE is a compound file that is none of the Office formats above
	// (an MSI installer, an Outlook message …).
	OLE = Type{MIME: "application/x-ole-storage", Label: "OLE 复合文档"}
	// Encrypted is an Office document protected by an opening password:
	// the public could not read it.
	Encrypted = Type{MIME: "application/x-ole-storage", Label: "设有打开密码的 Office 文档"}
	// Unknown is anything else, including damaged files.
	Unknown = Type{MIME: "application/octet-stream", Label: "无法识别的格式"}
)

// all lists the types ByExt searches.
var all = []Type{PDF, OFD, DOCX, XLSX, PPTX, DOC, WPS, XLS, ET, PPT, ODT, ODS, ODP, RTF,
	PNG, JPEG, GIF, WebP, BMP, TIFF, SVG, ZIP, RAR, SevenZip, GZIP, EXE, HTML, JAR, APK}

// ByExt returns the type whose usual extension is ext (without the dot,
// any case), for reading a configured list of allowed types.
func ByExt(ext string) (Type, bool) {
	ext = strings.ToLower(strings.TrimPrefix(ext, "."))
	for _, t := range all {
		if t.Ext == ext {
			return t, true
		}
	}
	return Type{}, false
}

// Exts returns every extension a file of type t may carry, the usual one
// first.
func (t Type) Exts() []string {
	if t.Ext == "" {
		return nil
	}
	return append([]string{t.Ext}, strings.Fields(t.alt)...)
}

// String returns the label.
func (t Type) String() string { return t.Label }

// headSize is how much of the file Detect reads up front: enough for every
// magic number and for the 512-byte OLE header.
const headSize = 4096

// Detect returns the type of the size bytes readable from r. Its error is
// only ever a read error; content it cannot place is Unknown.
func Detect(r io.ReaderAt, size int64) (Type, error) {
	n := min(size, headSize)
	if n <= 0 {
		return Unknown, nil
	}
	head := make([]byte, n)
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return Unknown, fmt.Errorf("sniff: read head: %w", err)
	}
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return PDF, nil
	case bytes.HasPrefix(head, oleMagic):
		return detectOLE(r, size)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return detectZIP(r, size, head)
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return PNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return GIF, nil
	case len(head) >= 12 && bytes.HasPrefix(head, []byte("RIFF")) && string(head[8:12]) == "WEBP":
		return WebP, nil
	case bytes.HasPrefix(head, []byte("MZ")):
		return EXE, nil
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return ELF, nil
	case hasAnyPrefix(head, "\xfe\xed\xfa\xce", "\xfe\xed\xfa\xcf", "\xce\xfa\xed\xfe", "\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe"):
		return MachO, nil
	case bytes.HasPrefix(head, []byte("#!")):
		return Script, nil
	case bytes.HasPrefix(head, []byte("Rar!\x1a\x07")):
		return RAR, nil
	case bytes.HasPrefix(head, []byte("7z\xbc\xaf\x27\x1c")):
		return SevenZip, nil
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return GZIP, nil
	case bytes.HasPrefix(head, []byte(`{\rtf`)):
		return RTF, nil
	case hasAnyPrefix(head, "II*\x00", "MM\x00*"):
		return TIFF, nil
	case isBMP(head):
		return BMP, nil
	}
	return detectMarkup(head), nil
}

// DetectBytes is Detect for content already in memory.
func DetectBytes(b []byte) Type {
	t, _ := Detect(bytes.NewReader(b), int64(len(b)))
	return t
}

func hasAnyPrefix(b []byte, prefixes ...string) bool {
	for _, p := range prefixes {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// isBMP checks "BM" and a known DIB header size, since two letters alone
// would claim any text file that starts with "BM".
func isBMP(b []byte) bool {
	if len(b) < 18 || b[0] != 'B' || b[1] != 'M' {
		return false
	}
	switch uint32(b[14]) | uint32(b[15])<<8 | uint32(b[16])<<16 | uint32(b[17])<<24 {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// detectMarkup recognises HTML and SVG, which a browser would run scripts
// in if they were served from our domain.
func detectMarkup(head []byte) Type {
	s := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	s = bytes.ToLower(bytes.TrimLeft(s, " \t\r\n\f"))
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body", "<script", "<iframe"} {
		if bytes.HasPrefix(s, []byte(p)) {
			return HTML
		}
	}
	if bytes.HasPrefix(s, []byte("<svg")) ||
		(bytes.HasPrefix(s, []byte("<?xml")) || bytes.HasPrefix(s, []byte("<!doctype svg"))) && bytes.Contains(s, []byte("<svg")) {
		return SVG
	}
	return Unknown
}

// Field is the form field / JSON property that upload errors name.
const Field = "file"

// CheckName refuses a file name whose extension does not fit the detected
// type t, naming the real type: a "通知.pdf" that is an executable, a
// ".docx" that is a ZIP of something else. A name without an extension is
// refused too, since downloads must open in the right program.
func CheckName(name string, t Type) error {
	base := baseName(name)
	if t == Unknown {
		return gongkai.FieldError(Field, fmt.Sprintf("无法识别文件“%s”的格式，文件可能已损坏。", base))
	}
	ext := extOf(base)
	if ext == "" {
		return gongkai.FieldError(Field, fmt.Sprintf("文件“%s”没有扩展名，其内容是%s。", base, t.Label))
	}
	for _, e := range t.Exts() {
		if e == ext {
			return nil
		}
	}
	return gongkai.FieldError(Field, fmt.Sprintf("文件“%s”的扩展名与内容不符：内容实际是%s，不是 .%s 文件。", base, t.Label, ext))
}

// baseName strips any directory a browser or client sent with the name.
func baseName(name string) string {
	return path.Base(strings.ReplaceAll(name, `\`, "/"))
}

func extOf(base string) string {
	i := strings.LastIndexByte(base, '.')
	if i <= 0 || i == len(base)-1 {
		return ""
	}
	return strings.ToLower(base[i+1:])
}

// Allowed is a set of attachment types a site accepts.
type Allowed []Type

// DefaultAllowed returns the types issue 3 lists: PDF, OFD, DOC/DOCX,
// XLS/XLSX, WPS (文字 and 表格), the four web image formats and ZIP.
func DefaultAllowed() Allowed {
	return Allowed{PDF, OFD, DOC, DOCX, XLS, XLSX, WPS, ET, PNG, JPEG, GIF, WebP, ZIP}
}

// ParseAllowed reads a configured list of extensions ("pdf,ofd,docx").
func ParseAllowed(list string) (Allowed, error) {
	var a Allowed
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '，' || r == '、' }) {
		t, ok := ByExt(f)
		if !ok || t == EXE || t == HTML || t == SVG || t == JAR || t == APK {
			return nil, gongkai.FieldError("attachmentTypes", fmt.Sprintf("附件类型“%s”无法识别或不能允许上传。", f))
		}
		a = append(a, t)
	}
	if len(a) == 0 {
		return nil, gongkai.FieldError("attachmentTypes", "请至少允许一种附件类型。")
	}
	return a, nil
}

// Contains reports whether t is in the set.
func (a Allowed) Contains(t Type) bool {
	for _, x := range a {
		if x == t {
			return true
		}
	}
	return false
}

// String lists the set for messages: "PDF、OFD、DOC、DOCX …".
func (a Allowed) String() string {
	var names []string
	for _, t := range a {
		names = append(names, strings.ToUpper(t.Ext))
	}
	return strings.Join(names, "、")
}

// Accept returns the set as an HTML accept attribute (".pdf,.ofd,…"), so
// the file picker offers the right files.
func (a Allowed) Accept() string {
	var exts []string
	for _, t := range a {
		for _, e := range t.Exts() {
			exts = append(exts, "."+e)
		}
	}
	return strings.Join(exts, ",")
}

// Check is the whole upload rule: the name must fit the content
// (CheckName) and the type must be in the set. When a misnamed file is of
// an allowed type, the message says which extension to use.
func (a Allowed) Check(name string, t Type) error {
	base := baseName(name)
	if t == Encrypted {
		return gongkai.FieldError(Field, fmt.Sprintf("文件“%s”设有打开密码，公众无法阅读，请取消密码后重新上传。", base))
	}
	if err := CheckName(name, t); err != nil {
		if a.Contains(t) {
			e := gongkai.AsError(err)
			msg := e.Message + fmt.Sprintf("请将扩展名改为 .%s 后重新上传。", t.Ext)
			return gongkai.FieldError(Field, msg)
		}
		return err
	}
	if !a.Contains(t) {
		return gongkai.FieldError(Field, fmt.Sprintf("不能上传%s（文件“%s”）。允许的附件类型：%s。", t.Label, base, a))
	}
	return nil
}

// TooLarge is the error for an upload over the size limit; it states the
// limit, as issue 3 requires of the 413 answer.
func TooLarge(name string, limit int64) error {
	return &gongkai.Error{
		Code:    gongkai.ETOOLARGE,
		Field:   Field,
		Message: fmt.Sprintf("文件“%s”超过了 %s 的大小上限，请压缩或拆分后重新上传。", baseName(name), FormatSize(limit)),
	}
}

// FormatSize writes a byte count for people: "820 B", "12.5 KB", "50 MB"
// (binary units, one decimal, a trailing ".0" dropped).
func FormatSize(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, unit := float64(n)/1024, "KB"
	for _, u := range []string{"MB", "GB", "TB"} {
		if v < 1024 {
			break
		}
		v, unit = v/1024, u
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0") + " " + unit
}
