package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func TestSeedDocuments(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	start := time.Now()
	if _, err := demo.Seed(context.Background(), db, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %v", time.Since(start))
	ctx := storetest.System()
	count := func(f gongkai.DocumentFilter) int {
		_, n, err := db.FindDocuments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(gongkai.DocumentFilter{}); n < 280 || n > 330 {
		t.Errorf("%d documents, want about 300", n)
	}
	status := func(s gongkai.DocumentStatus) *gongkai.DocumentStatus { return &s }
	if n := count(gongkai.DocumentFilter{Status: status(gongkai.DocumentWithdrawn)}); n != 2 {
		t.Errorf("%d withdrawn, want 2", n)
	}
	if n := count(gongkai.DocumentFilter{Status: status(gongkai.DocumentDraft)}); n != 2 {
		t.Errorf("%d drafts, want 2 (one rejected)", n)
	}
	levels := map[int]int{}
	docs, _, _ := db.FindDocuments(ctx, gongkai.DocumentFilter{Status: status(gongkai.DocumentInReview), Limit: 50})
	for _, d := range docs {
		levels[d.ReviewLevel]++
	}
	if levels[1] != 1 || levels[2] != 2 || levels[3] != 1 {
		t.Errorf("waiting per level = %v, want 1 at 初审, 2 at 复审 (one of them the 民政局's), 1 at 终审", levels)
	}
	for _, v := range []string{"amended", "repealed"} {
		if n := count(gongkai.DocumentFilter{Validity: &v}); n < 1 {
			t.Errorf("no %s document", v)
		}
	}
	years := map[int]bool{}
	site, _ := db.FindSiteByCode(ctx, "shili")
	pub, total, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: site.ID, Limit: 1000})
	for _, d := range pub {
		years[gongkai.DateOf(d.PublishedAt).Year] = true
	}
	if len(years) < 3 || total < 200 {
		t.Errorf("city site lists %d documents over %d years", total, len(years))
	}

	// 行政规范性文件 have a term, most running into the future; three
	// lapsed ones are still 有效 until the expiry job runs at start.
	today := gongkai.DateOf(db.Now())
	running := 0
	for _, d := range pub {
		if !d.ValidUntil.IsZero() && d.ValidUntil.After(today) && !d.EffectiveOn.IsZero() {
			running++
		}
	}
	if running < 20 {
		t.Errorf("%d documents with a term running into the future, want many", running)
	}
	expired := "expired"
	if _, n, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: site.ID, Validity: &expired}); n != 0 {
		t.Errorf("%d documents 失效 before the job runs, want 0", n)
	}
	res, err := db.ExpireDocuments(context.Background())
	if err != nil || res.Expired != 3 || res.Notified < 3 {
		t.Fatalf("expiry at first start = %+v, %v; want 3 documents and their editors told", res, err)
	}
	lapsed, n, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: site.ID, Validity: &expired})
	if n != 3 {
		t.Errorf("%d documents 失效 after the job, want 3", n)
	}
	for _, d := range lapsed {
		if !d.ValidUntil.Before(today) || d.ValidityOn != d.ValidUntil.AddDays(1) || !strings.Contains(d.Title, "关于印发《") {
			t.Errorf("lapsed %s: until %v, 失效 %v", d.Title, d.ValidUntil, d.ValidityOn)
		}
	}
	ed, err := db.FindUserByUsername(ctx, "fgw-editor")
	if err != nil {
		t.Fatal(err)
	}
	notices, _, err := db.FindNotices(storetest.As(ed), false, 10)
	if err != nil || len(notices) != 1 || notices[0].Kind != store.NoticeExpired || !strings.Contains(notices[0].Message, "暂行办法〉的通知》（示发改规〔") {
		t.Errorf("fgw-editor's notices = %d, %v", len(notices), err)
		for _, n := range notices {
			t.Log(n.Kind, n.Message)
		}
	}
}

// TestGenerator: the same seed writes the same file, and it imports.
func TestGenerator(t *testing.T) {
	from := time.Date(2023, 1, 1, 0, 0, 0, 0, gongkai.Shanghai)
	to := from.AddDate(2, 0, 0)
	var a, b bytes.Buffer
	demo.NewGenerator(7, demo.DemoOrgs[1], from, to).WriteJSONL(&a, 50)
	demo.NewGenerator(7, demo.DemoOrgs[1], from, to).WriteJSONL(&b, 50)
	if a.String() != b.String() || strings.Count(a.String(), "\n") != 50 {
		t.Fatal("generator is not deterministic")
	}
	if !strings.Contains(a.String(), "示发改") {
		t.Error("no 发文字号 with the org's 代字")
	}
}
