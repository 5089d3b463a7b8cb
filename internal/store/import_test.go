package store_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/demo"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

const importFile = `{"title":"示例市物价管理办法","body":"第一条 为加强物价管理……","genre":"决定","topic":"综合政务\\政务公开","docNo":"示发改规〔2021〕4号","signedOn":"2021-03-01","columns":["gfxwj"],"publishedAt":"2021-03-05T09:00:00+08:00","indexNo":"ARCHIVE/2021-00004"}
{"title":"关于2021年第一季度物价情况的通报","body":"<p>一季度物价总体平稳。</p><script>x()</script>","genre":"通报","topic":"0201","signedOn":"2021-04-02","columns":["qtwj"],"publishedAt":"2021-04-06T10:00:00+08:00"}

{"title":"缺少发布时间","body":"正文","genre":"通知","topic":"0201","signedOn":"2021-04-02","columns":["qtwj"]}
not json at all
{"title":"未知栏目","body":"正文","genre":"通知","topic":"0201","signedOn":"2021-04-02","columns":["tzgg"],"publishedAt":"2021-04-06T10:00:00+08:00"}
{"title":"《物价管理办法》解读","body":"解读正文","genre":"其他","topic":"0201","columns":["qtwj"],"interprets":["ARCHIVE/2021-00004"],"publishedAt":"2021-03-06T10:00:00+08:00"}
{"title":"关于废止物价管理办法的决定","body":"决定废止。","genre":"决定","topic":"0201","docNo":"示发改规〔2022〕1号","signedOn":"2022-01-04","columns":["gfxwj"],"repeals":["ARCHIVE/2021-00004"],"publishedAt":"2022-01-05T09:00:00+08:00"}
{"title":"重复的索引号","body":"正文","genre":"其他","topic":"0201","columns":["qtwj"],"publishedAt":"2021-04-06T10:00:00+08:00","indexNo":"ARCHIVE/2021-00004"}
{"title":"多余字段","bogus":1}
`

func TestImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := storetest.System()
		var bad []string
		opt := store.ImportOptions{OrgCode: "city-fgw", BatchSize: 3, BadLine: func(e store.ImportError) { bad = append(bad, e.Error()) }}
		got, err := db.ImportDocuments(ctx, strings.NewReader(importFile), opt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Lines != 10 || got.Created != 4 || got.Failed != 5 || got.Skipped != 0 {
			t.Errorf("first run = %+v, want 10 lines, 4 created, 5 failed", got)
		}
		want := []string{
			"第 4 行：publishedAt：导入已发布的文件须填写发布时间 publishedAt（RFC 3339，如 2023-05-06T09:00:00+08:00）。",
			"第 5 行：不是有效的 JSON（第 2 个字节附近）。",
			"第 6 行：columns：栏目“tzgg”不存在，或不能在其中发布文件。",
			"第 9 行：索引号“ARCHIVE/2021-00004”已被其他文件使用。",
			"第 10 行：不认识的字段 \"bogus\"。",
		}
		if diff := cmp.Diff(want, bad); diff != "" {
			t.Errorf("bad lines mismatch (-want +got):\n%s", diff)
		}
		// Idempotent: a second run creates nothing and moves no counter.
		bad = nil
		again, err := db.ImportDocuments(ctx, strings.NewReader(importFile), opt)
		if err != nil || again.Created != 0 || again.Skipped != 4 || again.Failed != 5 {
			t.Errorf("second run = %+v, %v; want 0 created, 4 skipped", again, err)
		}
		docs, total, err := db.FindPublicDocuments(context.Background(), gongkai.PublicFilter{SiteID: f.site.ID})
		if err != nil || total != 4 {
			t.Fatalf("public documents = %d, %v", total, err)
		}
		byTitle := map[string]*gongkai.PublicDocument{}
		for _, d := range docs {
			byTitle[d.Title] = d
		}
		tb := byTitle["关于2021年第一季度物价情况的通报"]
		if want := f.Dept.CreditCode + "/2021-00001"; tb == nil || tb.IndexNo != want {
			t.Errorf("generated index number = %+v, want %s", tb, want)
		}
		full, _ := db.FindPublicDocument(context.Background(), f.site.ID, tb.ID)
		if strings.Contains(full.Body, "script") {
			t.Errorf("imported body not sanitised: %q", full.Body)
		}
		old, err := db.FindPublicDocumentByIndexNo(context.Background(), "ARCHIVE/2021-00004")
		if err != nil || old.Validity != "repealed" || old.ValidityOn != gongkai.NewDate(2022, 1, 5) || len(old.Related) != 2 {
			t.Errorf("repealed archive = %+v, %v", old, err)
		}
		if !old.PublishedAt.Equal(time.Date(2021, 3, 5, 1, 0, 0, 0, time.UTC)) {
			t.Errorf("publishedAt = %v", old.PublishedAt)
		}
		// The counter continues after the imported numbers of its year.
		d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", policy("导入后发布的文件"))
		if err != nil {
			t.Fatal(err)
		}
		if d = f.approveAll(t, d.ID); !strings.HasSuffix(d.IndexNo, "-00001") {
			t.Errorf("first number of this year = %s", d.IndexNo)
		}
		_, err = db.ImportDocuments(storetest.As(f.DeptEditor), strings.NewReader(importFile), opt)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
	})
}

// TestScheduledPublication approves a document for a time a few seconds
// ahead, stops the job runner as if the server went down, and starts a new
// one after the time passed: the missed job runs at start-up.
func TestScheduledPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		if err := jobs.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		start := func() *jobs.Runner {
			r := jobs.New(db, nil)
			r.PollInterval = 100 * time.Millisecond
			jobs.Register(r, &store.PublishWorker{DB: db})
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			return r
		}
		r := start()
		u := policy("定时发布的文件")
		at := time.Now().Add(3 * time.Second).Truncate(time.Second)
		u.PublishAt = &at
		d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
		if err != nil {
			t.Fatal(err)
		}
		if d = f.approveAll(t, d.ID); d.Status != gongkai.DocumentScheduled {
			t.Fatalf("status after approvals = %s", d.Status)
		}
		stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		r.Stop(stopCtx)
		cancel()
		time.Sleep(time.Until(at) + 500*time.Millisecond)
		if got, _ := db.FindDocumentByID(storetest.System(), d.ID); got.Status != gongkai.DocumentScheduled {
			t.Fatalf("published while the runner was down: %s", got.Status)
		}
		r = start()
		defer r.Stop(context.Background())
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			got, err := db.FindDocumentByID(storetest.System(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == gongkai.DocumentPublished {
				if got.IndexNo == "" || fmt.Sprint(got.Version) != "1" {
					t.Errorf("published without index number: %+v", got)
				}
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("the missed scheduled publication did not run after restart")
	})
}

// BenchmarkImport imports 2,000 generated documents per operation into a
// fresh SQLite database (go test -run=^$ -bench=Import ./internal/store);
// gongkai bench import measures 100,000 and PostgreSQL.
func BenchmarkImport(b *testing.B) {
	var file strings.Builder
	to := time.Now().Add(-time.Hour)
	demo.NewGenerator(3, demo.DemoOrgs[1], to.AddDate(-3, 0, 0), to).WriteJSONL(&file, 2000)
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b, store.SQLite)
		if _, err := demo.Seed(context.Background(), db, io.Discard); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := db.ImportDocuments(storetest.System(), strings.NewReader(file.String()), store.ImportOptions{OrgCode: "shili-fgw"})
		if err != nil || res.Created != 2000 {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(2000*b.N)/b.Elapsed().Seconds(), "docs/s")
}
