// Package blob keeps attachment files. Content is addressed by its SHA-256,
// so the same file attached to several documents (or uploaded twice) is
// stored once, a stored file can never be changed under its name, and the
// hash recorded with a document proves which bytes were published.
//
// Store is the interface the rest of gongkai uses; Dir, a directory under
// the data directory, is the default. A platform with several nodes puts
// an implementation over shared storage (the database, or an
// S3-compatible store) behind the same interface.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"

	"gongkai"
)

// Store keeps and returns files by their SHA-256.
type Store interface {
	// Put stores everything r yields and returns its SHA-256 in lower-case
	// hex and its size. Putting content that is already stored is a no-op.
	Put(ctx context.Context, r io.Reader) (sum string, size int64, err error)
	// Open returns the content stored under sum; ENOTFOUND when there is
	// none.
	Open(ctx context.Context, sum string) (File, error)
}

// File is stored content being read.
type File interface {
	io.ReadSeekCloser
	io.ReaderAt
	Size() int64
}

var sumPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidSum reports whether s is a SHA-256 in the form Put returns.
func ValidSum(s string) bool { return sumPattern.MatchString(s) }

// Dir stores files in a directory tree: ab/cdef… for the sum abcdef…,
// written to a temporary file first and renamed into place, so a crash
// never leaves a partial file under a valid name.
type Dir struct {
	root string
}

var _ Store = (*Dir)(nil)

// NewDir returns a store in root, creating it when needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(filepath.Join(root, "tmp"), 0o750); err != nil {
		return nil, gongkai.Errorf(gongkai.EUNAVAILABLE, "无法创建附件目录 %s：%v", root, err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(sum string) string { return filepath.Join(d.root, sum[:2], sum[2:]) }

// Put implements Store.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(d.root, "tmp"), "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	size, err := io.Copy(io.MultiWriter(tmp, h), readerWithContext{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	final := d.path(sum)
	if _, err := os.Stat(final); err == nil {
		return sum, size, nil
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", 0, fmt.Errorf("blob: %w", err)
	}
	return sum, size, nil
}

// Open implements Store.
func (d *Dir) Open(ctx context.Context, sum string) (File, error) {
	if !ValidSum(sum) {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "附件不存在。")
	}
	f, err := os.Open(d.path(sum))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, gongkai.Errorf(gongkai.ENOTFOUND, "附件文件缺失。")
	}
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &osFile{File: f, size: st.Size()}, nil
}

type osFile struct {
	*os.File
	size int64
}

func (f *osFile) Size() int64 { return f.size }

// readerWithContext stops a long copy when the request is cancelled.
type readerWithContext struct {
	ctx context.Context
	r   io.Reader
}

func (r readerWithContext) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
