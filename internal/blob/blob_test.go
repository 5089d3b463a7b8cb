package blob_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/blob"
)

func TestDir(t *testing.T) {
	ctx := context.Background()
	d, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// sha256("abc"), from FIPS 180-2 appendix B.1.
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	sum, size, err := d.Put(ctx, strings.NewReader("abc"))
	if err != nil || sum != abc || size != 3 {
		t.Fatalf("Put = %s %d %v, want %s 3", sum, size, err, abc)
	}
	// Storing the same content again is harmless.
	if sum2, _, err := d.Put(ctx, strings.NewReader("abc")); err != nil || sum2 != abc {
		t.Fatalf("second Put = %s %v", sum2, err)
	}
	f, err := d.Open(ctx, abc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, _ := io.ReadAll(f)
	if string(b) != "abc" || f.Size() != 3 {
		t.Errorf("Open read %q size %d", b, f.Size())
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("0", 64), strings.ToUpper(abc)} {
		if _, err := d.Open(ctx, bad); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
			t.Errorf("Open(%q) = %v, want not found", bad, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := d.Put(cancelled, strings.NewReader("x")); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
}
