package sniff

import (
	"encoding/binary"
	"errors"
	"io"
	"unicode/utf16"
)

// An OLE compound file ([MS-CFB]) is a small FAT file system: a 512-byte
// header, sectors of 512 or 4096 bytes, a FAT chaining them, and a
// directory of 128-byte entries whose root holds the top-level streams.
// Only the names of those streams are needed, so this reads the header,
// follows the directory's sector chain through the FAT one entry at a time,
// and walks the root's red-black tree of children. Every loop is bounded,
// since the input is whatever anyone uploads.

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

const (
	endOfChain  = 0xFFFFFFFE
	maxRegSect  = 0xFFFFFFFA // sector numbers above this are markers
	noStream    = 0xFFFFFFFF
	maxDirSects = 256  // Office files use a handful; more is abuse
	maxEntries  = 4096 // directory entries walked at most
)

var errBadOLE = errors.New("sniff: malformed compound file")

type cfb struct {
	r          io.ReaderAt
	size       int64
	sectorSize int64
	nFAT       uint32
	firstDIFAT uint32
	nDIFAT     uint32
	difat      [109]uint32
}

// detectOLE names the Office format from the root streams.
func detectOLE(r io.ReaderAt, size int64) (Type, error) {
	names, err := oleRootNames(r, size)
	if err != nil {
		var re readError
		if errors.As(err, &re) {
			return Unknown, re.err
		}
		return Unknown, nil
	}
	has := func(n string) bool { _, ok := names[n]; return ok }
	// WPS Office writes a WpsCustomData stream beside the Word or Excel
	// streams (text-extraction tools test for it to spot WPS files).
	wps := has("WpsCustomData")
	switch {
	case has("EncryptionInfo") && has("EncryptedPackage"):
		// An OOXML file with an opening password is wrapped in OLE.
		return Encrypted, nil
	case has("WordDocument") && wps:
		return WPS, nil
	case has("WordDocument"):
		return DOC, nil
	case (has("Workbook") || has("Book")) && wps:
		return ET, nil
	case has("Workbook") || has("Book"):
		return XLS, nil
	case has("PowerPoint Document"):
		return PPT, nil
	}
	return OLE, nil
}

// readError marks a failure of the underlying reader, as opposed to bad
// content, so that Detect can return it.
type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }

func (c *cfb) readAt(b []byte, off int64) error {
	if off < 0 || off+int64(len(b)) > c.size {
		return errBadOLE
	}
	if _, err := c.r.ReadAt(b, off); err != nil && err != io.EOF {
		return readError{err}
	}
	return nil
}

func (c *cfb) u32(off int64) (uint32, error) {
	var b [4]byte
	if err := c.readAt(b[:], off); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b[:]), nil
}

func (c *cfb) sectorOffset(s uint32) (int64, error) {
	if s > maxRegSect {
		return 0, errBadOLE
	}
	off := (int64(s) + 1) * c.sectorSize
	if off+c.sectorSize > c.size {
		return 0, errBadOLE
	}
	return off, nil
}

// fatSector returns where the i-th sector of the FAT is: the first 109 are
// listed in the header, the rest in a chain of DIFAT sectors.
func (c *cfb) fatSector(i uint32) (uint32, error) {
	if i >= c.nFAT {
		return 0, errBadOLE
	}
	if i < 109 {
		return c.difat[i], nil
	}
	per := uint32(c.sectorSize/4) - 1 // the last slot links to the next DIFAT sector
	j := i - 109
	hop := j / per
	if hop >= c.nDIFAT {
		return 0, errBadOLE
	}
	s := c.firstDIFAT
	for range hop {
		off, err := c.sectorOffset(s)
		if err != nil {
			return 0, err
		}
		if s, err = c.u32(off + int64(per)*4); err != nil {
			return 0, err
		}
	}
	off, err := c.sectorOffset(s)
	if err != nil {
		return 0, err
	}
	return c.u32(off + int64(j%per)*4)
}

// next returns the sector after s in its chain.
func (c *cfb) next(s uint32) (uint32, error) {
	per := uint32(c.sectorSize / 4)
	fs, err := c.fatSector(s / per)
	if err != nil {
		return 0, err
	}
	off, err := c.sectorOffset(fs)
	if err != nil {
		return 0, err
	}
	return c.u32(off + int64(s%per)*4)
}

// oleRootNames returns the names of the streams and storages directly
// under the root.
func oleRootNames(r io.ReaderAt, size int64) (map[string]struct{}, error) {
	if size < 512 {
		return nil, errBadOLE
	}
	c := &cfb{r: r, size: size}
	var h [512]byte
	if err := c.readAt(h[:], 0); err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	if le.Uint16(h[28:]) != 0xFFFE {
		return nil, errBadOLE
	}
	switch shift := le.Uint16(h[30:]); {
	case shift == 9 && le.Uint16(h[26:]) == 3:
		c.sectorSize = 512
	case shift == 12 && le.Uint16(h[26:]) == 4:
		c.sectorSize = 4096
	default:
		return nil, errBadOLE
	}
	c.nFAT = le.Uint32(h[44:])
	firstDir := le.Uint32(h[48:])
	c.firstDIFAT = le.Uint32(h[68:])
	c.nDIFAT = le.Uint32(h[72:])
	// Neither table can have more sectors than the file; checking this
	// bounds the DIFAT walk in fatSector.
	if sectors := size / c.sectorSize; int64(c.nFAT) > sectors || int64(c.nDIFAT) > sectors {
		return nil, errBadOLE
	}
	for i := range c.difat {
		c.difat[i] = le.Uint32(h[76+4*i:])
	}

	// Read the directory chain.
	var dir []byte
	seen := map[uint32]bool{}
	for s := firstDir; s != endOfChain; {
		if seen[s] || len(seen) >= maxDirSects {
			return nil, errBadOLE
		}
		seen[s] = true
		off, err := c.sectorOffset(s)
		if err != nil {
			return nil, err
		}
		buf := make([]byte, c.sectorSize)
		if err := c.readAt(buf, off); err != nil {
			return nil, err
		}
		dir = append(dir, buf...)
		if s, err = c.next(s); err != nil {
			return nil, err
		}
	}
	n := uint32(len(dir) / 128)
	entry := func(i uint32) []byte { return dir[i*128 : (i+1)*128] }
	if n == 0 || entry(0)[66] != 5 { // entry 0 must be the root storage
		return nil, errBadOLE
	}

	// Walk the root's children: a tree linked by left and right siblings.
	names := map[string]struct{}{}
	stack := []uint32{le.Uint32(entry(0)[76:])}
	visited := map[uint32]bool{}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if i == noStream {
			continue
		}
		if i >= n || visited[i] || len(visited) >= maxEntries {
			return nil, errBadOLE
		}
		visited[i] = true
		e := entry(i)
		if t := e[66]; t == 1 || t == 2 {
			names[entryName(e)] = struct{}{}
		}
		stack = append(stack, le.Uint32(e[68:]), le.Uint32(e[72:]))
	}
	return names, nil
}

// entryName decodes a directory entry's UTF-16LE name.
func entryName(e []byte) string {
	l := int(binary.LittleEndian.Uint16(e[64:]))
	if l < 2 || l > 64 || l%2 != 0 {
		return ""
	}
	u := make([]uint16, l/2-1) // without the terminating NUL
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(e[2*i:])
	}
	return string(utf16.Decode(u))
}
