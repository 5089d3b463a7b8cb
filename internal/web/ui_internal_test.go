package web

import (
	"strings"
	"testing"
	"time"

	"gongkai"
)

// A document without a validity (an annual report) gets no validity tag:
// an empty tag shows as an empty red box in the list.
func TestDocListNoEmptyValidityTag(t *testing.T) {
	at := time.Date(2026, 11, 26, 3, 0, 0, 0, time.UTC)
	html := string(docList([]*gongkai.PublicDocument{
		{URL: "/xxgk/wj/1.html", Title: "年度报告", PublishedAt: at},
		{URL: "/xxgk/wj/2.html", Title: "办法", PublishedAt: at, Validity: "repealed"},
		{URL: "/xxgk/wj/3.html", Title: "通知", PublishedAt: at, Validity: "valid"},
	}))
	if strings.Contains(html, `<span class="tag"></span>`) {
		t.Errorf("empty validity tag:\n%s", html)
	}
	if n := strings.Count(html, `<span class="tag">`); n != 1 || !strings.Contains(html, `<span class="tag">废止</span>`) {
		t.Errorf("want exactly the 废止 tag, got %d tags:\n%s", n, html)
	}
}
