package sniff

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

func TestDetect(t *testing.T) {
	ct := zipEntry{name: "[Content_Types].xml", body: contentTypes}
	tests := []struct {
		name string
		data []byte
		want Type
	}{
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), PDF},
		{"pdf header not at the start", []byte("junk%PDF-1.4"), Unknown},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), PNG},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, JPEG},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), GIF},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), WebP},
		{"riff that is a wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), Unknown},

		{"docx", buildZIP(t, ct, zipEntry{name: "_rels/.rels"}, zipEntry{name: "word/document.xml", body: "<w:document/>"}), DOCX},
		{"xlsx", buildZIP(t, ct, zipEntry{name: "xl/workbook.xml"}), XLSX},
		{"pptx", buildZIP(t, ct, zipEntry{name: "ppt/presentation.xml"}), PPTX},
		{"ofd", buildZIP(t, zipEntry{name: "OFD.xml", body: "<ofd:OFD/>"}, zipEntry{name: "Doc_0/Document.xml"}), OFD},
		{"plain zip", buildZIP(t, zipEntry{name: "附件1.pdf", body: "%PDF-1.4"}, zipEntry{name: "readme.txt", body: "x"}), ZIP},
		{"empty zip", buildZIP(t), ZIP},
		{"word folder without content types", buildZIP(t, zipEntry{name: "word/document.xml"}), ZIP},
		{"content types without a part folder", buildZIP(t, ct, zipEntry{name: "Documents/1/FixedDocument.fdoc"}), ZIP},
		{"OFD.xml below the root", buildZIP(t, zipEntry{name: "sub/OFD.xml"}), ZIP},
		{"odt", buildZIP(t, zipEntry{name: "mimetype", body: "application/vnd.oasis.opendocument.text", stored: true}, zipEntry{name: "content.xml"}), ODT},
		{"ods", buildZIP(t, zipEntry{name: "mimetype", body: "application/vnd.oasis.opendocument.spreadsheet", stored: true}), ODS},
		{"mimetype compressed is not trusted", buildZIP(t, zipEntry{name: "mimetype", body: "application/vnd.oasis.opendocument.text"}), ZIP},
		{"jar", buildZIP(t, zipEntry{name: "META-INF/MANIFEST.MF", body: "Manifest-Version: 1.0"}, zipEntry{name: "a/B.class"}), JAR},
		{"apk", buildZIP(t, zipEntry{name: "AndroidManifest.xml"}, zipEntry{name: "classes.dex"}, zipEntry{name: "META-INF/MANIFEST.MF"}), APK},
		{"zip signature, no directory", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), Unknown},

		{"doc", buildOLE(t, []string{"\x01CompObj", "WordDocument", "1Table", "\x05SummaryInformation"}, oleOptions{}), DOC},
		{"wps", buildOLE(t, []string{"WordDocument", "1Table", "WpsCustomData", "\x05DocumentSummaryInformation"}, oleOptions{}), WPS},
		{"xls", buildOLE(t, []string{"Workbook", "\x05SummaryInformation"}, oleOptions{}), XLS},
		{"xls, Excel 5 stream name", buildOLE(t, []string{"Book"}, oleOptions{}), XLS},
		{"et", buildOLE(t, []string{"Workbook", "WpsCustomData"}, oleOptions{}), ET},
		{"ppt", buildOLE(t, []string{"Current User", "PowerPoint Document", "Pictures"}, oleOptions{}), PPT},
		{"encrypted docx", buildOLE(t, []string{"EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"}, oleOptions{}), Encrypted},
		{"msi-like", buildOLE(t, []string{"\x05SummaryInformation", "䡀㬿䏲䐸䖱"}, oleOptions{}), OLE},
		{"doc, 4096-byte sectors", buildOLE(t, []string{"WordDocument", "1Table"}, oleOptions{sectorShift: 12}), DOC},
		{"doc, directory over three sectors", buildOLE(t, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "WordDocument"}, oleOptions{}), DOC},
		{"xls, FAT sector found through the DIFAT", buildOLE(t, []string{"Workbook"}, oleOptions{dirAt: 14100}), XLS},
		{"ole, directory chain loops", buildOLE(t, []string{"a", "b", "c", "d", "WordDocument"}, oleOptions{loop: true}), Unknown},
		{"ole magic only", append(append([]byte{}, oleMagic...), make([]byte, 600)...), Unknown},

		{"exe", append([]byte("MZ\x90\x00\x03"), make([]byte, 60)...), EXE},
		{"elf", []byte("\x7fELF\x02\x01\x01"), ELF},
		{"mach-o", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), MachO},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), Script},
		{"html", []byte("\xef\xbb\xbf\n  <!DOCTYPE html><html><script>alert(1)</script>"), HTML},
		{"html fragment", []byte("<script>alert(1)</script>"), HTML},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), SVG},
		{"other xml", []byte(`<?xml version="1.0"?><root/>`), Unknown},
		{"rar", []byte("Rar!\x1a\x07\x01\x00"), RAR},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), SevenZip},
		{"gzip", []byte{0x1f, 0x8b, 0x08, 0}, GZIP},
		{"rtf", []byte(`{\rtf1\ansi\ansicpg936 hello}`), RTF},
		{"tiff", []byte("II*\x00\x08\x00\x00\x00"), TIFF},
		{"bmp", append([]byte("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), make([]byte, 40)...), BMP},
		{"text starting with BM", []byte("BMW 汽车召回公告，详见附件。"), Unknown},
		{"plain text", []byte("关于做好2024年政务公开工作的通知"), Unknown},
		{"empty", nil, Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(bytes.NewReader(tt.data), int64(len(tt.data)))
			if err != nil {
				t.Fatalf("Detect: %v", err)
			}
			if diff := cmp.Diff(tt.want.Label, got.Label); diff != "" {
				t.Errorf("Detect mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDetectZIP64(t *testing.T) {
	// 65,536 entries force the writer to emit ZIP64 end records.
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := range 1 << 16 {
		name := fmt.Sprint(i)
		if i == 40000 {
			name = "OFD.xml"
		}
		if _, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if !bytes.Contains(b[len(b)-200:], []byte("PK\x06\x06")) {
		t.Fatal("the archive has no ZIP64 record; the test does not test it")
	}
	if got := DetectBytes(b); got != OFD {
		t.Errorf("DetectBytes = %s, want %s", got, OFD)
	}
}

type failingReader struct{}

func (failingReader) ReadAt([]byte, int64) (int, error) { return 0, errors.New("disk on fire") }

func TestDetectReadError(t *testing.T) {
	if _, err := Detect(failingReader{}, 1000); err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Detect error = %v, want the read error", err)
	}
	// A failure while reading the directory of a container surfaces too.
	doc := buildOLE(t, []string{"WordDocument"}, oleOptions{})
	r := &cutReader{b: doc, after: 512}
	if _, err := Detect(r, int64(len(doc))); err == nil {
		t.Error("Detect swallowed a read error past the head")
	}
}

// cutReader fails every read that starts at or after offset after.
type cutReader struct {
	b     []byte
	after int64
}

func (r *cutReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= r.after {
		return 0, errors.New("cut")
	}
	return bytes.NewReader(r.b).ReadAt(p, off)
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		t    Type
		want string // "" = accepted
	}{
		{"关于印发实施方案的通知.pdf", PDF, ""},
		{"通知.PDF", PDF, ""},
		{`C:\Users\办公室\Desktop\通知.pdf`, PDF, ""},
		{"表格.jpeg", JPEG, ""},
		{"表格.jpg", JPEG, ""},
		{"方案.wps", DOC, ""}, // WPS files are Word-format files
		{"方案.doc", WPS, ""}, // and WPS saves .doc files
		{"统计表.et", XLS, ""},
		{"通知.pdf", EXE, "文件“通知.pdf”的扩展名与内容不符：内容实际是Windows 可执行程序，不是 .pdf 文件。"},
		{"通知.docx", ZIP, "文件“通知.docx”的扩展名与内容不符：内容实际是ZIP 压缩包，不是 .docx 文件。"},
		{"通知.doc", DOCX, "文件“通知.doc”的扩展名与内容不符：内容实际是Word 文档，不是 .doc 文件。"},
		{"照片.png", JPEG, "文件“照片.png”的扩展名与内容不符：内容实际是JPEG 图片，不是 .png 文件。"},
		{"报告.pdf", HTML, "文件“报告.pdf”的扩展名与内容不符：内容实际是网页文件，不是 .pdf 文件。"},
		{"数据.xlsx", ELF, "文件“数据.xlsx”的扩展名与内容不符：内容实际是Linux 可执行程序，不是 .xlsx 文件。"},
		{"通知", PDF, "文件“通知”没有扩展名，其内容是PDF 文档。"},
		{"通知.", PDF, "文件“通知.”没有扩展名，其内容是PDF 文档。"},
		{".pdf", PDF, "文件“.pdf”没有扩展名，其内容是PDF 文档。"},
		{"坏文件.pdf", Unknown, "无法识别文件“坏文件.pdf”的格式，文件可能已损坏。"},
		{"tool.exe", EXE, ""}, // the name is honest; Allowed refuses the type
	}
	for _, tt := range tests {
		err := CheckName(tt.name, tt.t)
		if tt.want == "" {
			if err != nil {
				t.Errorf("CheckName(%q, %s) = %v, want nil", tt.name, tt.t, err)
			}
			continue
		}
		e := gongkai.AsError(err)
		if e == nil || e.Code != gongkai.EINVALID || e.Field != Field {
			t.Errorf("CheckName(%q, %s) = %v, want an EINVALID error on %s", tt.name, tt.t, err, Field)
			continue
		}
		if diff := cmp.Diff(tt.want, e.Message); diff != "" {
			t.Errorf("CheckName(%q) message mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestAllowedCheck(t *testing.T) {
	a := DefaultAllowed()
	tests := []struct {
		name string
		t    Type
		want string
	}{
		{"方案.docx", DOCX, ""},
		{"方案.ofd", OFD, ""},
		{"方案.wps", WPS, ""},
		{"附件.zip", ZIP, ""},
		{"通知.doc", DOCX, "文件“通知.doc”的扩展名与内容不符：内容实际是Word 文档，不是 .doc 文件。请将扩展名改为 .docx 后重新上传。"},
		{"通知.pdf", EXE, "文件“通知.pdf”的扩展名与内容不符：内容实际是Windows 可执行程序，不是 .pdf 文件。"},
		{"setup.exe", EXE, "不能上传Windows 可执行程序（文件“setup.exe”）。允许的附件类型：PDF、OFD、DOC、DOCX、XLS、XLSX、WPS、ET、PNG、JPG、GIF、WEBP、ZIP。"},
		{"演示.pptx", PPTX, "不能上传PowerPoint 演示文稿（文件“演示.pptx”）。允许的附件类型：PDF、OFD、DOC、DOCX、XLS、XLSX、WPS、ET、PNG、JPG、GIF、WEBP、ZIP。"},
		{"机密.docx", Encrypted, "文件“机密.docx”设有打开密码，公众无法阅读，请取消密码后重新上传。"},
	}
	for _, tt := range tests {
		err := a.Check(tt.name, tt.t)
		if tt.want == "" {
			if err != nil {
				t.Errorf("Check(%q, %s) = %v", tt.name, tt.t, err)
			}
			continue
		}
		if diff := cmp.Diff(tt.want, gongkai.ErrorMessage(err)); diff != "" {
			t.Errorf("Check(%q) message mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
	if diff := cmp.Diff(".pdf,.ofd,.doc,.wps,.docx", Allowed{PDF, OFD, DOC, DOCX}.Accept()); diff != "" {
		t.Errorf("Accept mismatch (-want +got):\n%s", diff)
	}
}

func TestParseAllowed(t *testing.T) {
	a, err := ParseAllowed("pdf, OFD，.docx、jpg")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("PDF、OFD、DOCX、JPG", a.String()); diff != "" {
		t.Errorf("ParseAllowed mismatch (-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "pdf,exe", "html", "svg", "bin"} {
		if _, err := ParseAllowed(bad); err == nil {
			t.Errorf("ParseAllowed(%q) accepted", bad)
		}
	}
}

func TestTooLargeAndFormatSize(t *testing.T) {
	err := TooLarge("年鉴.pdf", 50<<20)
	e := gongkai.AsError(err)
	if e == nil || e.Code != gongkai.ETOOLARGE {
		t.Fatalf("TooLarge = %v, want ETOOLARGE", err)
	}
	if diff := cmp.Diff("文件“年鉴.pdf”超过了 50 MB 的大小上限，请压缩或拆分后重新上传。", e.Message); diff != "" {
		t.Errorf("message mismatch (-want +got):\n%s", diff)
	}
	sizes := map[int64]string{
		0:                  "0 B",
		1023:               "1023 B",
		1024:               "1 KB",
		1536:               "1.5 KB",
		50 << 20:           "50 MB",
		52_428_800 + 1<<19: "50.5 MB",
		3 << 30:            "3 GB",
	}
	for n, want := range sizes {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestByExt(t *testing.T) {
	for ext, want := range map[string]Type{"pdf": PDF, ".DOCX": DOCX, "jpg": JPEG, "wps": WPS, "et": ET} {
		if got, ok := ByExt(ext); !ok || got != want {
			t.Errorf("ByExt(%q) = %v, %v", ext, got, ok)
		}
	}
	if _, ok := ByExt("jpeg"); ok {
		t.Error("ByExt matched an alternative extension")
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte("%PDF-1.4"))
	f.Add(buildOLE(f, []string{"WordDocument", "WpsCustomData"}, oleOptions{}))
	f.Add(buildOLE(f, []string{"a", "b", "c", "d", "Workbook"}, oleOptions{sectorShift: 12}))
	f.Add(buildZIP(f, zipEntry{name: "[Content_Types].xml"}, zipEntry{name: "word/x"}))
	f.Add(buildZIP(f, zipEntry{name: "mimetype", body: "application/vnd.oasis.opendocument.text", stored: true}))
	f.Add([]byte("<svg onload=x>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got := DetectBytes(b)
		if got.Label == "" {
			t.Fatalf("DetectBytes returned a type without a label: %+v", got)
		}
		if again := DetectBytes(b); again != got {
			t.Fatalf("DetectBytes not deterministic: %v then %v", got, again)
		}
		// A type is always accepted under its own extension.
		if got.Ext != "" {
			if err := CheckName("x."+got.Ext, got); err != nil {
				t.Fatalf("CheckName(x.%s, %s) = %v", got.Ext, got, err)
			}
		}
	})
}
