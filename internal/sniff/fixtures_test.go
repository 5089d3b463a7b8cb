package sniff

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

// Fixture builders: the smallest valid containers that exercise detection,
// written here rather than shipped as binary files.

const (
	freeSect = 0xFFFFFFFF
	fatSect  = 0xFFFFFFFD
	difSect  = 0xFFFFFFFC
)

// oleOptions shapes a compound file.
type oleOptions struct {
	sectorShift uint16 // 9 (512-byte sectors, version 3) or 12 (4096, version 4)
	// dirAt places the first directory sector; a value past 109*128 forces
	// the FAT sector that chains it to be listed in a DIFAT sector.
	dirAt uint32
	// loop makes the directory chain point back at itself.
	loop bool
}

// buildOLE writes a compound file whose root holds the named empty streams.
func buildOLE(t testing.TB, streams []string, o oleOptions) []byte {
	t.Helper()
	if o.sectorShift == 0 {
		o.sectorShift = 9
	}
	ss := 1 << o.sectorShift
	per := uint32(ss / 4)
	le := binary.LittleEndian

	// Directory entries: the root, then one per stream, chained as right
	// siblings (a valid, if unbalanced, tree).
	var dir []byte
	entry := func(name string, typ byte, child, right uint32) {
		e := make([]byte, 128)
		u := utf16.Encode([]rune(name))
		for i, c := range u {
			le.PutUint16(e[2*i:], c)
		}
		le.PutUint16(e[64:], uint16(2*len(u)+2))
		e[66] = typ
		e[67] = 1 // black
		le.PutUint32(e[68:], freeSect)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], endOfChain)
		dir = append(dir, e...)
	}
	child := uint32(freeSect)
	if len(streams) > 0 {
		child = 1
	}
	entry("Root Entry", 5, child, freeSect)
	for i, s := range streams {
		right := uint32(freeSect)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		entry(s, 2, freeSect, right)
	}
	for len(dir)%ss != 0 {
		dir = append(dir, 0) // unused entries are all zero (type 0)
	}
	nDir := uint32(len(dir) / ss)

	// Sector layout: FAT sectors from 0, then (if needed) one DIFAT
	// sector, then the directory at dirAt or right after.
	dirAt := o.dirAt
	nFAT := uint32(1)
	for {
		last := max(dirAt, nFAT+1) + nDir // sectors in use, upper bound
		need := (last + per - 1) / per
		if need <= nFAT {
			break
		}
		nFAT = need
	}
	useDIFAT := nFAT > 109
	next := nFAT
	difatAt := uint32(freeSect)
	if useDIFAT {
		difatAt = next
		next++
	}
	if dirAt == 0 {
		dirAt = next
	}
	total := dirAt + nDir
	file := make([]byte, (int(total)+1)*ss)
	sector := func(s uint32) []byte { return file[(int(s)+1)*ss : (int(s)+2)*ss] }

	fat := make([]uint32, nFAT*per)
	for i := range fat {
		fat[i] = freeSect
	}
	for i := uint32(0); i < nFAT; i++ {
		fat[i] = fatSect
	}
	if useDIFAT {
		fat[difatAt] = difSect
	}
	for i := uint32(0); i < nDir; i++ {
		fat[dirAt+i] = dirAt + i + 1
	}
	fat[dirAt+nDir-1] = endOfChain
	if o.loop {
		fat[dirAt+nDir-1] = dirAt
	}
	for i, v := range fat {
		le.PutUint32(sector(uint32(i) / per)[(uint32(i)%per)*4:], v)
	}
	for i := uint32(0); i < nDir; i++ {
		copy(sector(dirAt+i), dir[int(i)*ss:])
	}

	h := file[:512]
	copy(h, oleMagic)
	le.PutUint16(h[24:], 0x3E)
	if o.sectorShift == 12 {
		le.PutUint16(h[26:], 4)
	} else {
		le.PutUint16(h[26:], 3)
	}
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], o.sectorShift)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], nFAT)
	le.PutUint32(h[48:], dirAt)
	le.PutUint32(h[56:], 4096)
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	for i := 0; i < 109; i++ {
		v := uint32(freeSect)
		if uint32(i) < nFAT {
			v = uint32(i)
		}
		le.PutUint32(h[76+4*i:], v)
	}
	if useDIFAT {
		le.PutUint32(h[68:], difatAt)
		le.PutUint32(h[72:], 1)
		d := sector(difatAt)
		for i := uint32(0); i < per-1; i++ {
			v := uint32(freeSect)
			if 109+i < nFAT {
				v = 109 + i
			}
			le.PutUint32(d[4*i:], v)
		}
		le.PutUint32(d[4*(per-1):], endOfChain)
	}
	return file
}

// zipEntry is a file in a test archive; stored ones are not compressed.
type zipEntry struct {
	name, body string
	stored     bool
}

func buildZIP(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		m := zip.Deflate
		if e.stored {
			m = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`
