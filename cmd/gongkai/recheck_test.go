package main

import (
	"regexp"
	"testing"
)

// TestRecheckCommand: `gongkai recheck` runs the recheck of the demo's
// published documents once; the demo already rechecked them with the
// current lists, so nothing is checked again. An unknown site is an error.
func TestRecheckCommand(t *testing.T) {
	dir := t.TempDir()
	if _, stderr, code := runServeOnce(t, dir); code != 0 {
		t.Fatalf("serve --demo: %d %s", code, stderr)
	}
	out, stderr, code := run(t, "", nil, "recheck", "--data", dir)
	if code != 0 || !regexp.MustCompile(`按当前清单重新检查已发布文件 0 个（另有 [1-9]\d* 个此前已按当前清单检查）`).MatchString(out) {
		t.Fatalf("recheck: %d %q %q", code, out, stderr)
	}
	if _, stderr, code = run(t, "", nil, "recheck", "--data", dir, "--site", "nosuch"); code != 1 || stderr == "" {
		t.Errorf("unknown site: %d %q", code, stderr)
	}
}
