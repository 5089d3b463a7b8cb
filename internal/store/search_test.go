package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// outbox returns the rows after seq as "kind:id" and the last seq.
func outbox(t *testing.T, db *store.DB, after int64) ([]string, int64) {
	t.Helper()
	changes, err := db.SearchChanges(context.Background(), after, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	last := after
	for _, c := range changes {
		if c.Seq != last+1 {
			t.Errorf("outbox seq %d follows %d: a gap", c.Seq, last)
		}
		last = c.Seq
		out = append(out, fmt.Sprintf("%s:%d", c.Kind, c.ID))
	}
	return out, last
}

// noJobs accepts the scheduled-publication job without a runner.
type noJobs struct{}

func (noJobs) InsertTx(context.Context, *sql.Tx, store.Job) error { return nil }

// TestSearchOutbox walks every transition that changes what search finds
// and checks the outbox rows each one leaves, in order.
func TestSearchOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		db.Jobs = noJobs{}
		ctx := storetest.System()
		// Creating the site gave it a guide page.
		got, seq := outbox(t, db, 0)
		if diff := cmp.Diff([]string{fmt.Sprintf("guide:%d", f.site.ID)}, got); diff != "" {
			t.Errorf("after creating the site (-want +got):\n%s", diff)
		}
		step := func(name string, want ...string) {
			t.Helper()
			var got []string
			got, seq = outbox(t, db, seq)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: outbox mismatch (-want +got):\n%s", name, diff)
			}
		}
		id := func(d *gongkai.Document) string { return fmt.Sprintf("document:%d", d.ID) }

		// Drafting and review change nothing public.
		d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", policy("示例市居民最低生活保障办法"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitDocument(storetest.As(f.DeptEditor), d.ID); err != nil {
			t.Fatal(err)
		}
		step("draft and submit")
		for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
			if d, err = db.ReviewDocument(storetest.As(r), d.ID, gongkai.Approve, ""); err != nil {
				t.Fatal(err)
			}
		}
		step("publish", id(d))

		// A revision is searchable once it is published again.
		if _, err := db.UpdateDocument(storetest.As(f.DeptEditor), d.ID, gongkai.DocumentUpdate{Body: sp("<p>修订后的正文。</p>"), RevisionNote: sp("修改正文")}); err != nil {
			t.Fatal(err)
		}
		step("revision drafted")
		f.approveAll(t, d.ID)
		step("revision published", id(d))

		// A scheduled publication writes its row when the job publishes.
		u := policy("定时发布的通知")
		u.DocNo = sp("示发改规〔2024〕7号")
		at := time.Now().Add(time.Hour)
		u.PublishAt = &at
		s, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
		if err != nil {
			t.Fatal(err)
		}
		s = f.approveAll(t, s.ID)
		step("scheduled")
		if err := db.PublishScheduled(ctx, s.ID, s.Round); err != nil {
			t.Fatal(err)
		}
		step("scheduled publication", id(s))

		// Amending changes the old document's 有效性: both rows.
		a := policy("示例市居民最低生活保障办法（修订）")
		a.DocNo, a.Amends = sp("示发改规〔2024〕8号"), &[]int64{d.ID}
		amend := f.publishNow(t, a)
		step("amend", id(d), id(amend))
		// Withdrawing the amendment as erroneous restores the old one.
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), amend.ID, gongkai.WithdrawErroneous, "发布有误。"); err != nil {
			t.Fatal(err)
		}
		step("erroneous", id(amend), id(d))
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), s.ID, gongkai.WithdrawNormal, "已过时。"); err != nil {
			t.Fatal(err)
		}
		step("withdrawn", id(s))

		// Import: one row per created document, in the batch's transaction.
		res, err := db.ImportDocuments(ctx, strings.NewReader(importFile), store.ImportOptions{OrgCode: "city-fgw", BatchSize: 3, BadLine: func(store.ImportError) {}})
		if err != nil || res.Created != 4 {
			t.Fatalf("import: %+v %v", res, err)
		}
		got, seq = outbox(t, db, seq)
		docs, _, _ := db.FindPublicDocuments(context.Background(), gongkai.PublicFilter{SiteID: f.site.ID, Limit: 100})
		imported := map[string]bool{}
		for _, p := range docs {
			if p.PublishedAt.Year() < 2023 {
				imported[fmt.Sprintf("document:%d", p.ID)] = true
			}
		}
		if len(imported) != 4 {
			t.Fatalf("imported public documents: %v", imported)
		}
		// The repeal of an archive imported in an earlier batch changes
		// that archive's validity: a second row for it.
		seen := map[string]int{}
		for _, g := range got {
			if !imported[g] {
				t.Errorf("import wrote %s", g)
			}
			seen[g]++
		}
		if len(seen) != 4 || len(got) != 5 {
			t.Errorf("import rows %v, want one per imported document and one for the repealed archive", got)
		}

		// The guide and the synonym list.
		g, err := db.FindGuide(ctx, f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		g.Phone, g.Address = "0369-12345678", "示例市人民路1号"
		if err := db.UpdateGuide(storetest.As(f.CityAdmin), g); err != nil {
			t.Fatal(err)
		}
		step("guide", fmt.Sprintf("guide:%d", f.site.ID))
		if _, err := db.UpdateSearchSynonyms(storetest.As(f.CityAdmin), "社会保险 社保\n低保 最低生活保障\n"); err != nil {
			t.Fatal(err)
		}
		step("synonyms", "synonyms:0")
	})
}

// TestSearchOutboxCrash: a publication that dies before its commit leaves
// neither the public version nor an outbox row.
func TestSearchOutboxCrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		_, seq := outbox(t, db, 0)
		d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", policy("未能提交的文件"))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PublishThenCrash(storetest.System(), d.ID); !errors.Is(err, store.ErrSimulatedCrash) {
			t.Fatalf("PublishThenCrash = %v", err)
		}
		if got, _ := outbox(t, db, seq); len(got) != 0 {
			t.Errorf("rolled-back publication left outbox rows %v", got)
		}
		if _, err := db.FindPublicDocument(context.Background(), f.site.ID, d.ID); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
			t.Errorf("rolled-back publication left a public version: %v", err)
		}
		head, _, err := db.SearchOutboxState(context.Background())
		if err != nil || head != seq {
			t.Errorf("outbox head after the rollback = %d, %v; want %d (numbers given back)", head, err, seq)
		}
		// The next publication takes the next number: no gap.
		f.publishNow(t, policy("随后发布的文件"))
		if got, last := outbox(t, db, seq); len(got) != 1 || last != seq+1 {
			t.Errorf("after the rollback: %v up to %d", got, last)
		}
	})
}

// TestSearchOutboxConcurrent publishes from several goroutines: the seq
// numbers have no gaps and each document has its row.
func TestSearchOutboxConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		_, seq := outbox(t, db, 0)
		const n = 8
		ids := make([]int64, n)
		for i := range ids {
			u := policy(fmt.Sprintf("并发发布的第%d号文件", i+1))
			u.DocNo = sp(fmt.Sprintf("示发改规〔2024〕%d号", 100+i))
			d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.SubmitDocument(storetest.As(f.DeptEditor), d.ID); err != nil {
				t.Fatal(err)
			}
			for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2} {
				if _, err := db.ReviewDocument(storetest.As(r), d.ID, gongkai.Approve, ""); err != nil {
					t.Fatal(err)
				}
			}
			ids[i] = d.ID
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.ReviewDocument(storetest.As(f.DeptReviewer3), id, gongkai.Approve, "")
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, _ := outbox(t, db, seq)
		want := map[string]bool{}
		for _, id := range ids {
			want[fmt.Sprintf("document:%d", id)] = true
		}
		for _, g := range got {
			delete(want, g)
		}
		if len(got) != n || len(want) != 0 {
			t.Errorf("rows %v; missing %v", got, want)
		}
	})
}

// TestSearchSynonymsSettings: the shipped list until one is saved; bad
// lists are refused with the line; only a top-level admin may save.
func TestSearchSynonymsSettings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		s, err := db.FindSearchSynonyms(ctx)
		if err != nil || !s.Default || !strings.Contains(s.Text, "社会保险 社保") {
			t.Fatalf("default list = %+v, %v", s, err)
		}
		_, seq := outbox(t, db, 0)
		_, err = db.UpdateSearchSynonyms(storetest.As(f.CityAdmin), "社保 社会保险\n低保\n")
		wantCode(t, err, gongkai.EINVALID, "synonyms")
		if err == nil || !strings.Contains(gongkai.ErrorMessage(err), "第2行") {
			t.Errorf("error does not name the line: %v", err)
		}
		_, err = db.UpdateSearchSynonyms(storetest.As(f.CountyAdmin), "社保 社会保险\n")
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		_, err = db.UpdateSearchSynonyms(storetest.As(f.DeptEditor), "社保 社会保险\n")
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		if got, _ := outbox(t, db, seq); len(got) != 0 {
			t.Errorf("refused saves wrote %v", got)
		}
		saved, err := db.UpdateSearchSynonyms(storetest.As(f.CityAdmin), "社保 社会保险\r\n")
		if err != nil || saved.Default || saved.Text != "社保 社会保险\n" || saved.UpdatedBy == "" {
			t.Fatalf("save = %+v, %v", saved, err)
		}
		if s, _ = db.FindSearchSynonyms(ctx); s.Text != "社保 社会保险\n" || s.Default || s.UpdatedAt.IsZero() {
			t.Errorf("after save = %+v", s)
		}
		// An empty list restores the shipped one.
		if _, err := db.UpdateSearchSynonyms(storetest.As(f.CityAdmin), "  "); err != nil {
			t.Fatal(err)
		}
		if s, _ = db.FindSearchSynonyms(ctx); !s.Default {
			t.Errorf("after reset = %+v", s)
		}
		if got, _ := outbox(t, db, seq); len(got) != 2 {
			t.Errorf("saves wrote %v, want two synonyms rows", got)
		}
	})
}

// TestPruneSearchOutbox keeps rows of the retention period and records
// what it deleted.
func TestPruneSearchOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		now := time.Now()
		db.Now = func() time.Time { return now.Add(-8 * 24 * time.Hour) }
		u := policy("八天前发布的文件")
		u.SignedOn = dp(today().AddDays(-10))
		f.publishNow(t, u)
		_, old := outbox(t, db, 0)
		db.Now = func() time.Time { return now }
		recent := f.publishNow(t, policy("今天发布的文件"))
		n, err := db.PruneSearchOutbox(context.Background())
		if err != nil || n != int(old) {
			t.Fatalf("pruned %d, %v; want %d", n, err, old)
		}
		head, pruned, _ := db.SearchOutboxState(context.Background())
		if pruned != old || head != old+1 {
			t.Errorf("head %d pruned %d, want %d and %d", head, pruned, old+1, old)
		}
		if got, _ := outbox(t, db, old); len(got) != 1 || got[0] != fmt.Sprintf("document:%d", recent.ID) {
			t.Errorf("rows left = %v", got)
		}
		if n, _ := db.PruneSearchOutbox(context.Background()); n != 0 {
			t.Errorf("second prune deleted %d", n)
		}
	})
}
