package searchbench

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRun runs the whole benchmark on a few thousand documents, so that it
// keeps working. Set GONGKAI_SEARCHBENCH_DOCS (and optionally
// GONGKAI_SEARCHBENCH_DIR, GONGKAI_SEARCHBENCH_SHARDS) for a real run:
//
//	GONGKAI_SEARCHBENCH_DOCS=1000000 go test -run TestRun -timeout 0 -v ./internal/search/searchbench
func TestRun(t *testing.T) {
	opts := Options{Docs: 3000, Duration: 300 * time.Millisecond, QueryTime: 50 * time.Millisecond, Clients: 8, Dir: t.TempDir()}
	if n, _ := strconv.Atoi(os.Getenv("GONGKAI_SEARCHBENCH_DOCS")); n > 0 {
		opts = Options{Docs: n, Dir: os.Getenv("GONGKAI_SEARCHBENCH_DIR"), Keep: os.Getenv("GONGKAI_SEARCHBENCH_DIR") != ""}
		opts.Shards, _ = strconv.Atoi(os.Getenv("GONGKAI_SEARCHBENCH_SHARDS"))
		opts.Reuse = os.Getenv("GONGKAI_SEARCHBENCH_REUSE") != ""
		opts.SkipFTS5 = os.Getenv("GONGKAI_SEARCHBENCH_SKIP_FTS5") != ""
	}
	var out bytes.Buffer
	w := &teeWriter{t: t, buf: &out}
	if err := Run(context.Background(), opts, w); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"BUILD ", "QUERY class=2char-common", "THROUGHPUT mix-uncached", "THROUGHPUT popular-cached", "PUBLISH ", "FTS5-QUERY class=rare-4char"} {
		if !strings.Contains(out.String(), want) && !(opts.Reuse && want == "BUILD ") {
			t.Errorf("report lacks %q", want)
		}
	}
}

type teeWriter struct {
	t   *testing.T
	buf *bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return w.buf.Write(p)
}
