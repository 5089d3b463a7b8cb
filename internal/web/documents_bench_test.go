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
