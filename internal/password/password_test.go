package password_test

import (
	"strings"
	"testing"

	"gongkai/internal/password"
)

var fast = password.Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}

func TestHashVerify(t *testing.T) {
	h, err := password.Hash("正确的密码 correct horse", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q lacks the PHC prefix", h)
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{
		{"正确的密码 correct horse", true},
		{"正确的密码 correct horsE", false},
		{"", false},
	} {
		got, err := password.Verify(tc.pw, h)
		if err != nil || got != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pw, got, err, tc.want)
		}
	}
	h2, _ := password.Hash("正确的密码 correct horse", fast)
	if h2 == h {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyMalformed(t *testing.T) {
	for _, enc := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if _, err := password.Verify("x", enc); err == nil {
			t.Errorf("Verify(%q) accepted a malformed hash", enc)
		}
	}
}
