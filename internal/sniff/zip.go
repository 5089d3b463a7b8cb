package sniff

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

// ZIP-based formats are told apart by the names in the central directory.
// The directory is streamed and only a few flags are kept, rather than
// loaded whole as archive/zip does, so a 50 MB upload holding a million
// empty entries costs no memory.

const (
	sigEOCD      = 0x06054b50
	sigEOCD64    = 0x06064b50
	sigLocator64 = 0x07064b50
	sigCentral   = 0x02014b50
	eocdLen      = 22
	maxComment   = 65535
	maxZipNames  = 1 << 20 // central-directory entries read at most
)

var errBadZIP = errors.New("sniff: malformed zip")

func detectZIP(r io.ReaderAt, size int64, head []byte) (Type, error) {
	var f zipFlags
	err := scanZIP(r, size, &f)
	var re readError
	switch {
	case errors.As(err, &re):
		return Unknown, re.err
	case err != nil:
		return Unknown, nil
	}
	switch {
	case f.contentTypes && f.word:
		return DOCX, nil
	case f.contentTypes && f.xl:
		return XLSX, nil
	case f.contentTypes && f.ppt:
		return PPTX, nil
	case f.ofd:
		return OFD, nil
	}
	switch odfMimetype(head) {
	case "application/vnd.oasis.opendocument.text":
		return ODT, nil
	case "application/vnd.oasis.opendocument.spreadsheet":
		return ODS, nil
	case "application/vnd.oasis.opendocument.presentation":
		return ODP, nil
	}
	switch {
	case f.androidManifest && f.dex:
		return APK, nil
	case f.manifest:
		return JAR, nil
	}
	return ZIP, nil
}

type zipFlags struct {
	contentTypes, word, xl, ppt    bool // OOXML: [Content_Types].xml and the part folders
	ofd                            bool // GB/T 33190: OFD.xml at the root
	manifest, androidManifest, dex bool
}

func (f *zipFlags) see(name string) {
	name = strings.ReplaceAll(name, `\`, "/")
	switch {
	case name == "[Content_Types].xml":
		f.contentTypes = true
	case strings.HasPrefix(name, "word/"):
		f.word = true
	case strings.HasPrefix(name, "xl/"):
		f.xl = true
	case strings.HasPrefix(name, "ppt/"):
		f.ppt = true
	case strings.EqualFold(name, "OFD.xml"):
		f.ofd = true
	case name == "META-INF/MANIFEST.MF":
		f.manifest = true
	case name == "AndroidManifest.xml":
		f.androidManifest = true
	case name == "classes.dex":
		f.dex = true
	}
}

func readFull(r io.ReaderAt, b []byte, off int64) error {
	if _, err := r.ReadAt(b, off); err != nil && err != io.EOF {
		return readError{err}
	}
	return nil
}

// scanZIP finds the end-of-central-directory record (and its ZIP64 form)
// and feeds every entry name to f.
func scanZIP(r io.ReaderAt, size int64, f *zipFlags) error {
	if size < eocdLen {
		return errBadZIP
	}
	tailLen := min(size, eocdLen+maxComment)
	tail := make([]byte, tailLen)
	if err := readFull(r, tail, size-tailLen); err != nil {
		return err
	}
	le := binary.LittleEndian
	at := -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if le.Uint32(tail[i:]) == sigEOCD && i+eocdLen+int(le.Uint16(tail[i+20:])) == len(tail) {
			at = i
			break
		}
	}
	if at < 0 {
		return errBadZIP
	}
	e := tail[at:]
	entries := uint64(le.Uint16(e[10:]))
	cdSize := uint64(le.Uint32(e[12:]))
	cdOff := uint64(le.Uint32(e[16:]))
	if entries == 0xFFFF || cdSize == 0xFFFFFFFF || cdOff == 0xFFFFFFFF {
		eocdAt := size - tailLen + int64(at)
		var err error
		if entries, cdSize, cdOff, err = zip64Directory(r, size, eocdAt); err != nil {
			return err
		}
	}
	if cdOff > uint64(size) || cdSize > uint64(size)-cdOff || entries > maxZipNames {
		return errBadZIP
	}
	br := bufio.NewReaderSize(io.NewSectionReader(r, int64(cdOff), int64(cdSize)), 64<<10)
	var hdr [46]byte
	name := make([]byte, 0, 256)
	for range entries {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return asReadError(err)
		}
		if le.Uint32(hdr[:]) != sigCentral {
			return errBadZIP
		}
		nl, xl, cl := int(le.Uint16(hdr[28:])), int(le.Uint16(hdr[30:])), int(le.Uint16(hdr[32:]))
		if cap(name) < nl {
			name = make([]byte, nl)
		}
		name = name[:nl]
		if _, err := io.ReadFull(br, name); err != nil {
			return asReadError(err)
		}
		f.see(string(name))
		if _, err := br.Discard(xl + cl); err != nil {
			return asReadError(err)
		}
	}
	return nil
}

// asReadError keeps genuine read failures apart from a directory that is
// shorter than it claims.
func asReadError(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errBadZIP
	}
	return readError{err}
}

// zip64Directory reads the ZIP64 end-of-central-directory record through
// the locator just before the classic record.
func zip64Directory(r io.ReaderAt, size, eocdAt int64) (entries, cdSize, cdOff uint64, err error) {
	le := binary.LittleEndian
	if eocdAt < 20 {
		return 0, 0, 0, errBadZIP
	}
	var loc [20]byte
	if err := readFull(r, loc[:], eocdAt-20); err != nil {
		return 0, 0, 0, err
	}
	if le.Uint32(loc[:]) != sigLocator64 {
		return 0, 0, 0, errBadZIP
	}
	recOff := le.Uint64(loc[8:])
	if recOff > uint64(size) || uint64(size)-recOff < 56 {
		return 0, 0, 0, errBadZIP
	}
	var rec [56]byte
	if err := readFull(r, rec[:], int64(recOff)); err != nil {
		return 0, 0, 0, err
	}
	if le.Uint32(rec[:]) != sigEOCD64 {
		return 0, 0, 0, errBadZIP
	}
	return le.Uint64(rec[32:]), le.Uint64(rec[40:]), le.Uint64(rec[48:]), nil
}

// odfMimetype returns the media type an OpenDocument package declares in
// its first entry, "mimetype", which the ODF specification requires to be
// stored uncompressed at the very start of the file. The sizes in the local
// header may be zero when the writer used a data descriptor, so the content
// is matched against the known types rather than cut by its size.
func odfMimetype(head []byte) string {
	le := binary.LittleEndian
	if len(head) < 38 || le.Uint16(head[8:]) != 0 {
		return ""
	}
	nl, xl := int(le.Uint16(head[26:])), int(le.Uint16(head[28:]))
	start := 30 + nl + xl
	if nl != 8 || start > len(head) || !bytes.Equal(head[30:38], []byte("mimetype")) {
		return ""
	}
	for _, m := range []string{
		"application/vnd.oasis.opendocument.text",
		"application/vnd.oasis.opendocument.spreadsheet",
		"application/vnd.oasis.opendocument.presentation",
	} {
		if rest := head[start:]; bytes.HasPrefix(rest, []byte(m)) && !bytes.HasPrefix(rest[len(m):], []byte("-")) {
			return m
		}
	}
	return ""
}
