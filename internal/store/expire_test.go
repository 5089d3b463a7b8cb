package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// withTerm is a policy with a 施行日期 and a 有效期至.
func withTerm(title, docNo string, effective, until gongkai.Date) gongkai.DocumentUpdate {
	u := policy(title)
	u.DocNo, u.EffectiveOn, u.ValidUntil = sp(docNo), dp(effective), dp(until)
	return u
}

// TestDocumentTerm: 施行日期 and 有效期至 are stored on the working copy and
// the public version; a 有效期至 before the 成文日期 or the 施行日期 is refused
// with the field named and nothing saved; PATCH with a zero date clears.
func TestDocumentTerm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		ed := storetest.As(f.DeptEditor)
		effective, until := today().AddDays(1), today().AddDays(365*5)
		d := f.publishNow(t, withTerm("示例市价格认定办法", "示发改规〔2024〕11号", effective, until))
		if d.EffectiveOn != effective || d.ValidUntil != until || d.Validity != "valid" {
			t.Errorf("published working copy: effective %v until %v validity %s", d.EffectiveOn, d.ValidUntil, d.Validity)
		}
		again, err := db.FindDocumentByID(ed, d.ID)
		if err != nil || again.EffectiveOn != effective || again.ValidUntil != until {
			t.Fatalf("reloaded: %+v, %v", again, err)
		}
		p, err := db.FindPublicDocument(ctx, f.site.ID, d.ID)
		if err != nil || p.EffectiveOn != effective || p.ValidUntil != until || p.Validity != "valid" {
			t.Fatalf("public version: %+v, %v", p, err)
		}

		signed := today().AddDays(-3)
		_, err = db.CreateDocument(ed, "city-fgw", withTerm("有效期早于成文日期", "示发改规〔2024〕12号", gongkai.Date{}, signed.AddDays(-1)))
		wantCode(t, err, gongkai.EINVALID, "validUntil")
		if e := gongkai.AsError(err); e == nil || !strings.Contains(gongkai.Problems(e.Problems).For("validUntil"), "成文日期") {
			t.Errorf("problem = %v, want one naming 成文日期", err)
		}
		_, err = db.CreateDocument(ed, "city-fgw", withTerm("有效期早于施行日期", "示发改规〔2024〕13号", today().AddDays(10), today().AddDays(9)))
		wantCode(t, err, gongkai.EINVALID, "validUntil")
		if _, n, _ := db.FindDocuments(ed, gongkai.DocumentFilter{Query: sp("有效期早于")}); n != 0 {
			t.Errorf("refused drafts saved: %d", n)
		}
		// Clearing the term of a draft.
		draft, err := db.CreateDocument(ed, "city-fgw", withTerm("草稿", "示发改规〔2024〕14号", effective, until))
		if err != nil {
			t.Fatal(err)
		}
		draft, err = db.UpdateDocument(ed, draft.ID, gongkai.DocumentUpdate{ValidUntil: dp(gongkai.Date{})})
		if err != nil || !draft.ValidUntil.IsZero() || draft.EffectiveOn != effective {
			t.Errorf("after clearing 有效期至: %v %v, %v", draft.EffectiveOn, draft.ValidUntil, err)
		}
		// A term already over when the draft is saved: 失效 from the day
		// after, and it is published so.
		old := withTerm("已届满的文件", "示发改规〔2024〕15号", today().AddDays(-3), today().AddDays(-2))
		od, err := db.CreateDocument(ed, "city-fgw", old)
		if err != nil {
			t.Fatal(err)
		}
		if od.Validity != "expired" || od.ValidityOn != today().AddDays(-1) {
			t.Errorf("draft past its term: %s on %v, want expired on %v", od.Validity, od.ValidityOn, today().AddDays(-1))
		}
		f.approveAll(t, od.ID)
		if p, _ := db.FindPublicDocument(ctx, f.site.ID, od.ID); p.Validity != "expired" || p.ValidityOn != today().AddDays(-1) {
			t.Errorf("published past its term: %s on %v", p.Validity, p.ValidityOn)
		}
	})
}

// TestExpireDocuments: the job marks 失效 the published documents still 有效
// whose 有效期至 has passed (inclusive: not on the day itself), dated the
// day after, as job:expire, with the audit record, the search outbox row,
// a new public generation and a history entry; repealed, withdrawn and
// unexpired documents are left alone, and a second run does nothing.
func TestExpireDocuments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		until := today().AddDays(10)
		lapses := f.publishNow(t, withTerm("届满的办法", "示发改规〔2024〕21号", today(), until))
		later := f.publishNow(t, withTerm("尚未届满的办法", "示发改规〔2024〕22号", today(), until.AddDays(1)))
		noTerm := f.publishNow(t, policy("没有有效期的办法"))
		repealed := f.publishNow(t, withTerm("已废止的办法", "示发改规〔2024〕23号", today(), until))
		r := policy("关于废止《已废止的办法》的决定")
		r.DocNo, r.Genre, r.Repeals = sp("示发改规〔2024〕24号"), sp("决定"), &[]int64{repealed.ID}
		f.publishNow(t, r)
		withdrawn := f.publishNow(t, withTerm("已撤回的办法", "示发改规〔2024〕25号", today(), until))
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), withdrawn.ID, gongkai.WithdrawNormal, "内容调整。"); err != nil {
			t.Fatal(err)
		}
		// A revision in progress: the public version lapses, and so does
		// the working copy, as with a repeal.
		if _, err := db.UpdateDocument(storetest.As(f.DeptEditor), lapses.ID, gongkai.DocumentUpdate{Summary: sp("修订中"), RevisionNote: sp("更新概述")}); err != nil {
			t.Fatal(err)
		}

		// The last day of the term, late in the evening: still 有效.
		db.Now = func() time.Time { return until.Time().Add(23*time.Hour + 59*time.Minute) }
		if res, err := db.ExpireDocuments(ctx); err != nil || res.Expired != 0 || res.Notified != 0 {
			t.Fatalf("on the last day: %+v, %v; want nothing", res, err)
		}

		_, seq := outbox(t, db, 0)
		gen, _, err := db.PublicChangedAt(ctx)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return until.AddDays(1).Time().Add(time.Minute) }
		res, err := db.ExpireDocuments(ctx)
		if err != nil || res.Expired != 1 {
			t.Fatalf("the day after: %+v, %v; want 1 expired", res, err)
		}
		p, err := db.FindPublicDocument(ctx, f.site.ID, lapses.ID)
		if err != nil || p.Validity != "expired" || p.ValidityOn != until.AddDays(1) || p.ValidUntil != until {
			t.Fatalf("public version: %s on %v (until %v), %v", p.Validity, p.ValidityOn, p.ValidUntil, err)
		}
		w, err := db.FindDocumentByID(storetest.As(f.DeptEditor), lapses.ID)
		if err != nil || w.Validity != "expired" || w.ValidityOn != until.AddDays(1) || w.Summary != "修订中" {
			t.Errorf("working copy: %s on %v, summary %q, %v", w.Validity, w.ValidityOn, w.Summary, err)
		}
		for _, c := range []struct {
			id   int64
			want string
		}{{later.ID, "valid"}, {noTerm.ID, "valid"}, {repealed.ID, "repealed"}, {withdrawn.ID, "valid"}} {
			if p, err := db.FindPublicDocument(ctx, f.site.ID, c.id); err != nil || p.Validity != c.want {
				t.Errorf("document %d: validity %s, %v; want %s", c.id, p.Validity, err, c.want)
			}
		}
		got, seq2 := outbox(t, db, seq)
		if diff := cmp.Diff([]string{fmt.Sprintf("document:%d", lapses.ID)}, got); diff != "" {
			t.Errorf("outbox mismatch (-want +got):\n%s", diff)
		}
		if gen2, _, _ := db.PublicChangedAt(ctx); gen2 == gen {
			t.Error("the public generation did not move: cached pages would show 有效")
		}
		action := "document.validity"
		recs, _, err := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: &action, ObjectID: sp(fmt.Sprint(lapses.ID))})
		if err != nil || len(recs) != 1 {
			t.Fatalf("audit records = %d, %v", len(recs), err)
		}
		if recs[0].ActorName != "系统（有效期届满失效）" && recs[0].ActorName != store.ExpireActor {
			t.Errorf("audit actor = %q", recs[0].ActorName)
		}
		if !strings.Contains(string(recs[0].After), `"expired"`) || !strings.Contains(string(recs[0].After), until.AddDays(1).String()) {
			t.Errorf("audit after = %s", recs[0].After)
		}
		h, err := db.FindDocumentHistory(storetest.As(f.DeptEditor), lapses.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := h.Events[len(h.Events)-1]
		if last.Action != "expire" || last.ActorName != "系统（有效期届满失效）" || !strings.Contains(last.Comment, until.Chinese()) {
			t.Errorf("last history event = %+v", last)
		}
		valid := "expired"
		if docs, _, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: f.site.ID, Validity: &valid}); len(docs) != 1 || docs[0].ID != lapses.ID {
			t.Errorf("validity filter 失效 = %d documents", len(docs))
		}

		// Idempotent: nothing more to do, nothing written.
		if res, err := db.ExpireDocuments(ctx); err != nil || res.Expired != 0 || res.Notified != 0 || len(res.Emails) != 0 {
			t.Errorf("second run: %+v, %v", res, err)
		}
		if got, _ := outbox(t, db, seq2); len(got) != 0 {
			t.Errorf("second run wrote outbox rows %v", got)
		}
		// The next day the other document lapses.
		db.Now = func() time.Time { return until.AddDays(2).Time().Add(time.Minute) }
		if res, err := db.ExpireDocuments(ctx); err != nil || res.Expired != 1 {
			t.Errorf("next day: %+v, %v; want 1 expired", res, err)
		}
	})
}

// TestExpireDocumentsBatches: more documents than one batch all lapse in
// one call.
func TestExpireDocumentsBatches(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 450 documents")
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		var b strings.Builder
		until := today().AddDays(5)
		for i := range 450 {
			fmt.Fprintf(&b, `{"title":"存档办法%d","body":"<p>正文</p>","genre":"通知","topic":"0201","columns":["gfxwj"],"docNo":"示发改规〔2020〕%d号","signedOn":"2020-01-02","validUntil":%q,"publishedAt":"2020-01-05T09:00:00+08:00"}`+"\n", i, i+1, until.String())
		}
		prog, err := db.ImportDocuments(storetest.System(), strings.NewReader(b.String()), store.ImportOptions{OrgCode: "city-fgw"})
		if err != nil || prog.Created != 450 {
			t.Fatalf("import: %+v, %v", prog, err)
		}
		db.Now = func() time.Time { return until.AddDays(1).Time().Add(time.Hour) }
		if res, err := db.ExpireDocuments(ctx); err != nil || res.Expired != 450 {
			t.Fatalf("expired %d, %v; want 450", res.Expired, err)
		}
		valid := "valid"
		if _, n, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: f.site.ID, Validity: &valid}); n != 0 {
			t.Errorf("%d documents still 有效", n)
		}
	})
}

// TestExpireNotices: when the job marks a document 失效, the editors and
// admins of its org (not its reviewers, nor the admins of the org above)
// get one in-app notice naming the title, the 文号, the 有效期至 and the
// day, and an e-mail for those who gave an address; running the job again,
// that day or the next, gives no second notice.
func TestExpireNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		admin := &gongkai.User{Username: "deptadmin", Grants: []gongkai.Grant{{OrgCode: "city-fgw", Role: gongkai.RoleAdmin}}}
		if err := db.CreateUser(storetest.System(), admin, f.Password); err != nil {
			t.Fatal(err)
		}
		for u, email := range map[*gongkai.User]string{f.DeptEditor: "editor@fgw.example.cn", admin: "admin@fgw.example.cn", f.DeptReviewer3: "rev3@fgw.example.cn"} {
			if err := db.SetNoticeEmail(storetest.As(u), email); err != nil {
				t.Fatal(err)
			}
		}
		until := today().AddDays(10)
		d := f.publishNow(t, withTerm("示例市价格认定办法", "示发改规〔2024〕21号", today(), until))
		marked := until.AddDays(3) // the server was down for two days
		db.Now = func() time.Time { return marked.Time().Add(9 * time.Hour) }
		res, err := db.ExpireDocuments(ctx)
		if err != nil || res.Expired != 1 || res.Notified != 3 {
			t.Fatalf("expiry = %+v, %v; want 1 expired, 3 notices (two editors, the admin)", res, err)
		}
		want := "《示例市价格认定办法》（示发改规〔2024〕21号）有效期至" + until.Chinese() + "，已于" + marked.Chinese() + "自动标注为失效。如需继续执行，请修订后重新发布。"
		if len(res.Emails) != 1 || !cmp.Equal(res.Emails[0].To, []string{"editor@fgw.example.cn", "admin@fgw.example.cn"}) ||
			res.Emails[0].Subject != "【文件失效提醒】"+want || !strings.Contains(res.Emails[0].Body, want) || !strings.Contains(res.Emails[0].Body, fmt.Sprint(d.ID)) {
			t.Errorf("e-mails = %+v", res.Emails)
		}
		notices := func(u *gongkai.User) []*gongkai.Notice {
			t.Helper()
			n, _, err := db.FindNotices(storetest.As(u), false, 10)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, u := range []*gongkai.User{f.DeptEditor, f.Author, admin} {
			n := notices(u)
			if len(n) != 1 || n[0].Kind != store.NoticeExpired || n[0].DocumentID != d.ID || n[0].Message != want || n[0].ReadAt != nil {
				t.Errorf("%s's notices = %+v, want one: %s", u.Username, n, want)
			}
		}
		for _, u := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer3, f.Multi, f.CityAdmin, f.DeptOfficer} {
			if n := notices(u); len(n) != 0 {
				t.Errorf("%s got %d notices", u.Username, len(n))
			}
		}
		// Again that day and the next: nothing to mark, nothing to tell.
		for _, day := range []gongkai.Date{marked, marked.AddDays(1)} {
			db.Now = func() time.Time { return day.Time().Add(10 * time.Hour) }
			if res, err := db.ExpireDocuments(ctx); err != nil || res.Expired != 0 || res.Notified != 0 || len(res.Emails) != 0 {
				t.Errorf("run on %v: %+v, %v", day, res, err)
			}
		}
		if n := notices(f.DeptEditor); len(n) != 1 {
			t.Errorf("editor has %d notices after three runs, want 1", len(n))
		}
	})
}

// TestExpiredNotice: without a 文号 the text has no empty brackets; the
// 书名号 of a title that has some become single ones.
func TestExpiredNotice(t *testing.T) {
	until, marked := gongkai.NewDate(2029, time.December, 31), gongkai.NewDate(2030, time.January, 1)
	for _, tc := range []struct{ docNo, want string }{
		{"示政规〔2024〕1号", "《示例市数字政府建设管理办法》（示政规〔2024〕1号）有效期至2029年12月31日，已于2030年1月1日自动标注为失效。如需继续执行，请修订后重新发布。"},
		{"", "《示例市数字政府建设管理办法》有效期至2029年12月31日，已于2030年1月1日自动标注为失效。如需继续执行，请修订后重新发布。"},
		{"示政规〔2024〕2号", "《示例市人民政府关于印发〈示例市数字政府建设管理办法〉的通知》（示政规〔2024〕2号）有效期至2029年12月31日，已于2030年1月1日自动标注为失效。如需继续执行，请修订后重新发布。"},
	} {
		title := "示例市数字政府建设管理办法"
		if tc.docNo == "示政规〔2024〕2号" {
			title = "示例市人民政府关于印发《示例市数字政府建设管理办法》的通知"
		}
		if got := store.ExpiredNotice(title, tc.docNo, until, marked); got != tc.want {
			t.Errorf("ExpiredNotice(%q) = %s, want %s", tc.docNo, got, tc.want)
		}
	}
}
