package web

import (
	"fmt"
	"os"
	"regexp"
	"testing"
)

// TestErrorCodesDocumented keeps the error table of docs/api.md in step with
// statusOf: every code a client can receive is listed with its status, and
// the table lists no code the server never sends.
func TestErrorCodesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z_]+)` \\| (\\d{3}) \\|").FindAllStringSubmatch(string(doc), -1) {
		documented[m[1]] = m[2]
	}
	for code, status := range statusOf {
		if got, ok := documented[code]; !ok || got != fmt.Sprint(status) {
			t.Errorf("docs/api.md error table: %s = %q, want %d", code, got, status)
		}
	}
	for code := range documented {
		if _, ok := statusOf[code]; !ok {
			t.Errorf("docs/api.md lists error code %s, which the server never sends", code)
		}
	}
}
