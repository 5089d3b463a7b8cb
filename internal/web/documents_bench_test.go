package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
	"gongkai/internal/web"
)

// benchPortal is a demo city with n more generated documents of the 发展改革委,
// served by two handlers: with the page cache and without.
func benchPortal(b *testing.B, n int) (cached, uncached http.Handler, doc string) {
	b.Helper()
	db := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Seed(ctx, db, io.Discard); err != nil {
		b.Fatal(err)
	}
	var file strings.Builder
	to := time.Now().Add(-time.Hour)
	demo.NewGenerator(9, demo.DemoOrgs[1], to.AddDate(-5, 0, 0), to).WriteJSONL(&file, n)
	if _, err := db.ImportDocuments(storetest.System(), strings.NewReader(file.String()), store.ImportOptions{OrgCode: "shili-fgw"}); err != nil {
		b.Fatal(err)
	}
	blobs, _ := blob.NewDir(b.TempDir())
	handler := func(cache int) http.Handler {
		s := &web.Server{Orgs: db, Sites: db, Users: db, Auth: db, Audit: db, Calendar: db.Calendar(), Ping: db.Ping, CSRFKey: []byte("k"),
			Documents: db, Portal: db, Blobs: blobs, PageCache: cache}
		if err := s.Init(); err != nil {
			b.Fatal(err)
		}
		return s.Handler()
	}
	site, _ := db.FindSiteByCode(ctx, "shili")
	docs, _, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: site.ID, Offset: n / 2, Limit: 1})
	return handler(1000), handler(0), docs[0].URL
}

func benchGet(b *testing.B, h http.Handler, path string, gzip bool) {
	req := httptest.NewRequest("GET", "http://localhost"+path, nil)
	if gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: %d", path, w.Code)
		}
	}
}

// BenchmarkPortal renders the document page and a column list over 10,000
// published documents (go test -run=^$ -bench=Portal ./internal/web). The
// end-to-end figures under load are from gongkai bench portal.
func BenchmarkPortal(b *testing.B) {
	cached, uncached, doc := benchPortal(b, 10000)
	for _, page := range []struct{ name, path string }{{"Document", doc}, {"ColumnList", "/xxgk/zcwj/gfxwj/"}, {"ColumnListPage5", "/xxgk/zcwj/gfxwj/?page=5"}} {
		b.Run(page.name+"/Uncached", func(b *testing.B) { benchGet(b, uncached, page.path, false) })
		b.Run(page.name+"/Cached", func(b *testing.B) { benchGet(b, cached, page.path, false) })
		b.Run(page.name+"/CachedGzip", func(b *testing.B) { benchGet(b, cached, page.path, true) })
	}
	b.Run("ListFiltered/Uncached", func(b *testing.B) {
		benchGet(b, uncached, fmt.Sprintf("/xxgk/zcwj/?topic=03&year=%d", time.Now().Year()-1), false)
	})
}

// nullWriter is a ResponseWriter that keeps nothing, so a benchmark of the
// cache's hit path measures the path itself.
type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header         { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(int)             {}

// BenchmarkCacheHit is the page cache's own cost per request, beside a
// bare handler that writes the same bytes with two headers.
func BenchmarkCacheHit(b *testing.B) {
	cached, _, doc := benchPortal(b, 100)
	req := httptest.NewRequest("GET", "http://localhost"+doc, nil)
	req.RequestURI = doc
	w := &nullWriter{h: http.Header{}}
	cached.ServeHTTP(w, req)
	body := httptest.NewRecorder()
	cached.ServeHTTP(body, req)
	page := body.Body.Bytes()
	b.Run("Cache", func(b *testing.B) {
		for b.Loop() {
			w.h = http.Header{}
			cached.ServeHTTP(w, req)
		}
	})
	b.Run("Bare", func(b *testing.B) {
		for b.Loop() {
			w.h = http.Header{}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", "1")
			w.Write(page)
		}
	})
}
