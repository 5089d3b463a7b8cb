package seal_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/seal"
)

func keys(t testing.TB, fill byte) *seal.Keys {
	t.Helper()
	k, err := seal.New(bytes.Repeat([]byte{fill}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRoundTrip(t *testing.T) {
	k := keys(t, 1)
	for _, plain := range []string{"", "张三", `{"name":"张三","idNumber":"11010519491231002X"}`} {
		s := k.Seal([]byte(plain), "application:A1:personal")
		if strings.Contains(s, plain) && plain != "" {
			t.Errorf("ciphertext %q contains the plaintext", s)
		}
		if !strings.HasPrefix(s, "gk1:"+k.Fingerprint()+":") {
			t.Errorf("sealed %q lacks the version and key fingerprint", s)
		}
		got, err := k.Open(s, "application:A1:personal")
		if err != nil || string(got) != plain {
			t.Errorf("Open = %q, %v; want %q", got, err, plain)
		}
		b := k.SealBytes([]byte(plain), "file:7")
		got, err = k.OpenBytes(b, "file:7")
		if err != nil || string(got) != plain {
			t.Errorf("OpenBytes = %q, %v; want %q", got, err, plain)
		}
	}
	// Two seals of the same text differ (random nonce).
	if a, b := k.Seal([]byte("x"), "a"), k.Seal([]byte("x"), "a"); a == b {
		t.Error("sealing is deterministic: equal plaintexts would be visible")
	}
}

func TestRefusals(t *testing.T) {
	k, other := keys(t, 1), keys(t, 2)
	s := k.Seal([]byte("李四"), "application:A1:personal")
	b := k.SealBytes([]byte("李四"), "file:1")
	flipped := []byte(s)
	flipped[len(flipped)-3] ^= 1
	for _, tc := range []struct {
		name string
		err  error
		got  func() error
	}{
		{"other record", seal.ErrCorrupt, func() error { _, err := k.Open(s, "application:A2:personal"); return err }},
		{"other key", seal.ErrWrongKey, func() error { _, err := other.Open(s, "application:A1:personal"); return err }},
		{"tampered", seal.ErrCorrupt, func() error { _, err := k.Open(string(flipped), "application:A1:personal"); return err }},
		{"plain text", seal.ErrCorrupt, func() error { _, err := k.Open("李四", "x"); return err }},
		{"truncated", seal.ErrCorrupt, func() error { _, err := k.Open(s[:12], "application:A1:personal"); return err }},
		{"bytes other record", seal.ErrCorrupt, func() error { _, err := k.OpenBytes(b, "file:2"); return err }},
		{"bytes other key", seal.ErrWrongKey, func() error { _, err := other.OpenBytes(b, "file:1"); return err }},
		{"bytes short", seal.ErrCorrupt, func() error { _, err := k.OpenBytes(b[:5], "file:1"); return err }},
	} {
		if err := tc.got(); !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
		}
	}
}

func TestIndex(t *testing.T) {
	k, other := keys(t, 1), keys(t, 2)
	a := k.Index("name", "张三")
	if a == "" || a != k.Index("name", "张三") {
		t.Fatal("index is not deterministic")
	}
	for _, tc := range []struct{ name, x, y string }{
		{"purpose separates", a, k.Index("phone", "张三")},
		{"value separates", a, k.Index("name", "张四")},
		{"key separates", a, other.Index("name", "张三")},
		{"no concatenation ambiguity", k.Index("ab", "c"), k.Index("a", "bc")},
	} {
		if tc.x == tc.y {
			t.Errorf("%s: indexes equal", tc.name)
		}
	}
	if k.Index("name", "") != "" {
		t.Error("empty value indexed")
	}
	if len(a) != 32 {
		t.Errorf("index %q is not 16 bytes of hex", a)
	}
}

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xab}, 32)
	for _, s := range []string{hex.EncodeToString(raw), seal.FormatKey(raw), strings.TrimRight(seal.FormatKey(raw), "="), " " + seal.FormatKey(raw) + "\n"} {
		got, err := seal.ParseKey(s)
		if err != nil {
			t.Errorf("ParseKey(%q): %v", s, err)
			continue
		}
		if diff := cmp.Diff(raw, got); diff != "" {
			t.Errorf("ParseKey(%q) mismatch (-want +got):\n%s", s, diff)
		}
	}
	for _, s := range []string{"", "short", hex.EncodeToString(raw[:16]), seal.FormatKey(raw[:31]), strings.Repeat("zz", 32)} {
		if _, err := seal.ParseKey(s); err == nil {
			t.Errorf("ParseKey(%q) accepted", s)
		}
	}
	if _, err := seal.New(raw[:16]); err == nil {
		t.Error("New accepted a 16-byte key")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "data.key")
	k1, created, err := seal.LoadOrCreateKeyFile(path)
	if err != nil || !created || len(k1) != 32 {
		t.Fatalf("first load = %d bytes, created %v, %v", len(k1), created, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode = %v, %v; want 0600", fi.Mode(), err)
	}
	k2, created, err := seal.LoadOrCreateKeyFile(path)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second load: created %v, equal %v, %v", created, bytes.Equal(k1, k2), err)
	}
	os.WriteFile(path, []byte("nonsense"), 0o600)
	if _, _, err := seal.LoadOrCreateKeyFile(path); err == nil {
		t.Error("a bad key file was accepted")
	}
}

func FuzzOpen(f *testing.F) {
	k := keys(f, 3)
	f.Add(k.Seal([]byte("王五"), "a"), "a")
	f.Add("gk1:00000000:AAAA", "a")
	f.Add("gk1::", "")
	f.Fuzz(func(t *testing.T, s, aad string) {
		out, err := k.Open(s, aad)
		if err == nil && k.Seal(out, aad) == "" {
			t.Fatal("unreachable")
		}
		k.OpenBytes([]byte(s), aad)
		seal.ParseKey(s)
	})
}
