package jobs_test

import (
	"context"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checking"
	"gongkai/internal/jobs"
	"gongkai/internal/storetest"
)

// TestRecheckJob: saving a site's check list enqueues a recheck in the
// same transaction; the job finds what the new list flags in a document
// published earlier and gives the department's staff a notice (and an
// e-mail to those who gave an address), on both databases. The fingerprint
// sweep then finds nothing stale.
func TestRecheckJob(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, f := jobsDB(t, d)
			ctx := context.Background()
			blobs, err := blob.NewDir(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			db.Checks = &checking.Service{Lists: db, Sites: db, Blobs: blobs}
			site := &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
			if err := db.CreateSite(storetest.System(), site); err != nil {
				t.Fatal(err)
			}
			s := func(v string) *string { return &v }
			signed := gongkai.DateOf(time.Now()).AddDays(-3)
			doc := storetest.Publish(t, db, f, "city-fgw", gongkai.DocumentUpdate{Title: s("关于机关开放日的通知"),
				Body: s("<p>市发改委机关开放日定于每月第一个星期五。</p>"), Genre: s("通知"), Topic: s("0201"), SignedOn: &signed, DocNo: s("示发改规〔2024〕1号"), Columns: &[]string{"gfxwj"}})
			if err := db.SetNoticeEmail(storetest.As(f.DeptEditor), "fgw-editor@example.cn"); err != nil {
				t.Fatal(err)
			}

			r := jobs.New(db, nil)
			r.PollInterval = 100 * time.Millisecond
			mailer := &fakeMailer{}
			jobs.RegisterRechecks(r, db, mailer)
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Stop(context.Background()) })
			// The sweep runs at start and records the site's checker.
			waitFor(t, "the sweep's recheck", func() bool { stale, _ := db.StaleCheckSites(ctx); return len(stale) == 0 })

			if err := db.SetCheckList(storetest.As(f.CityAdmin), site.ID, gongkai.CheckDictionary, "市发改委 | 市发展改革委 | official | 本市机关规范简称\n"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the recheck notice", func() bool {
				n, _, err := db.FindNotices(storetest.As(f.DeptReviewer3), false, 10)
				return err == nil && len(n) == 1 && n[0].DocumentID == doc.ID
			})
			waitFor(t, "the e-mail", func() bool {
				mailer.mu.Lock()
				defer mailer.mu.Unlock()
				return len(mailer.sent) == 1 && len(mailer.sent[0]) == 1 && mailer.sent[0][0] == "fgw-editor@example.cn"
			})
			open, _, err := db.FindOpenFindings(storetest.As(f.DeptEditor), gongkai.OpenFindingsFilter{})
			if err != nil || len(open) != 1 {
				t.Fatalf("open findings = %d, %v", len(open), err)
			}
			if stale, err := db.StaleCheckSites(ctx); err != nil || len(stale) != 0 {
				t.Errorf("stale sites after the recheck = %v, %v", stale, err)
			}
		})
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
