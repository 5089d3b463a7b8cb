package jobs_test

import (
	"context"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/jobs"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestExpireJob: the expiry job runs at start and marks 失效 a published
// document whose 有效期至 has passed, on both databases; the org's editor
// gets the notice and its e-mail.
func TestExpireJob(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, f := jobsDB(t, d)
			ctx := context.Background()
			site := &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
			if err := db.CreateSite(storetest.System(), site); err != nil {
				t.Fatal(err)
			}
			s := func(v string) *string { return &v }
			today := gongkai.DateOf(time.Now())
			signed, until := today.AddDays(-3), today.AddDays(2)
			doc := storetest.Publish(t, db, f, "city-fgw", gongkai.DocumentUpdate{Title: s("示例市价格认定办法"),
				Body: s("<p>自印发之日起施行，有效期至……</p>"), Genre: s("通知"), Topic: s("0201"), SignedOn: &signed, EffectiveOn: &signed, ValidUntil: &until,
				DocNo: s("示发改规〔2024〕1号"), Columns: &[]string{"gfxwj"}})
			if err := db.SetNoticeEmail(storetest.As(f.DeptEditor), "fgw-editor@example.cn"); err != nil {
				t.Fatal(err)
			}
			// The server starts three days later.
			db.Now = func() time.Time { return until.AddDays(1).Time().Add(8 * time.Hour) }
			r := jobs.New(db, nil)
			r.PollInterval = 100 * time.Millisecond
			mailer := &fakeMailer{}
			jobs.RegisterExpiry(r, db, mailer)
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Stop(context.Background()) })
			waitFor(t, "the expiry at start", func() bool {
				p, err := db.FindPublicDocument(ctx, site.ID, doc.ID)
				return err == nil && p.Validity == "expired" && p.ValidityOn == until.AddDays(1)
			})
			// The editor's notice, in the same transaction, and the e-mail.
			n, _, err := db.FindNotices(storetest.As(f.DeptEditor), false, 10)
			if err != nil || len(n) != 1 || n[0].DocumentID != doc.ID || n[0].Kind != store.NoticeExpired {
				t.Fatalf("editor's notices = %v, %v", n, err)
			}
			waitFor(t, "the e-mail", func() bool {
				mailer.mu.Lock()
				defer mailer.mu.Unlock()
				return len(mailer.sent) == 1 && len(mailer.sent[0]) == 1 && mailer.sent[0][0] == "fgw-editor@example.cn"
			})
		})
	}
}

func TestDaily(t *testing.T) {
	sh := gongkai.Shanghai
	s := jobs.Daily(5 * time.Minute)
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 1, 1, 0, 0, 0, 0, sh), time.Date(2026, 1, 1, 0, 5, 0, 0, sh)},
		{time.Date(2026, 1, 1, 0, 5, 0, 0, sh), time.Date(2026, 1, 2, 0, 5, 0, 0, sh)},
		{time.Date(2025, 12, 31, 23, 59, 0, 0, sh), time.Date(2026, 1, 1, 0, 5, 0, 0, sh)},
		// 16:30 UTC is 00:30 the next day in Shanghai.
		{time.Date(2026, 2, 28, 16, 30, 0, 0, time.UTC), time.Date(2026, 3, 2, 0, 5, 0, 0, sh)},
	} {
		if got := s.Next(tc.now); !got.Equal(tc.want) {
			t.Errorf("Next(%v) = %v, want %v", tc.now, got.In(sh), tc.want)
		}
	}
}
