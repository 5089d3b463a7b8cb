package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checking"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// The ID number is the example of GB 11643-1999; its masked form keeps
// the first two and last three characters.
const (
	testID       = "34052419800101001X"
	testIDMasked = "34*************01X"
)

// checkFix is the documents fixture with the content checks switched on.
type checkFix struct {
	*docFix
	blobs *blob.Dir
}

func newCheckFix(t *testing.T, db *store.DB) *checkFix {
	t.Helper()
	f := newDocFix(t, db)
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Checks = &checking.Service{Lists: db, Sites: db, Blobs: blobs}
	return &checkFix{docFix: f, blobs: blobs}
}

// submitted creates a document and submits it.
func (f *checkFix) submitted(t *testing.T, u gongkai.DocumentUpdate) *gongkai.Document {
	t.Helper()
	d, err := f.db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if d, err = f.db.SubmitDocument(storetest.As(f.DeptEditor), d.ID); err != nil {
		t.Fatalf("submit: %v", err)
	}
	return d
}

func (f *checkFix) checks(t *testing.T, id int64) []*gongkai.DocumentCheck {
	t.Helper()
	cs, err := f.db.FindDocumentChecks(storetest.As(f.DeptReviewer1), id)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// finding is what a test compares of a finding.
type finding struct {
	Rule, Severity, Source, Excerpt string
	New                             bool
}

func findings(c *gongkai.DocumentCheck) []finding {
	var out []finding
	for _, f := range c.Findings {
		out = append(out, finding{f.Rule, string(f.Severity), f.Source, f.Excerpt, f.New})
	}
	return out
}

func withPII(title string) gongkai.DocumentUpdate {
	u := policy(title)
	u.Body = sp("<p>经研究，同意张某（身份证号" + testID + "）的申请。</p>")
	return u
}

// TestCheckGate: the checks run at submission and at every level and are
// stored with the step; the last level refuses a block finding without a
// written override, leaving nothing behind; with one, the document is
// published, the override is audited (personal data masked) and shown in
// the history.
func TestCheckGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		d := f.submitted(t, withPII("关于同意张某申请的批复"))
		cs := f.checks(t, d.ID)
		if len(cs) != 1 {
			t.Fatalf("%d checks after submit, want 1", len(cs))
		}
		c := cs[0]
		want := []finding{{"pii.citizen_id", "block", "", testID, false}}
		if diff := cmp.Diff(want, findings(c)); diff != "" {
			t.Errorf("submit findings mismatch (-want +got):\n%s", diff)
		}
		if c.Stage != gongkai.CheckAtSubmit || c.Version != 1 || c.Round != 1 || c.Fingerprint == "" || c.DictionaryVersion == "" || c.CheckedAt.IsZero() ||
			c.CheckedBy != "depteditor" || c.Accepted || c.BodyHash != gongkai.BodyHash(d.Body) {
			t.Errorf("submit check = %+v", c)
		}
		if got := c.Findings[0]; got.Line != 1 || got.Suggestion != testIDMasked || got.Start <= 0 {
			t.Errorf("finding = %+v", got)
		}

		// Earlier levels approve and see the findings; each approval stores a check.
		for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2} {
			if _, err := db.ReviewDocument(storetest.As(r), d.ID, gongkai.Approve, ""); err != nil {
				t.Fatalf("approve by %s: %v", r.Username, err)
			}
		}
		cs = f.checks(t, d.ID)
		if len(cs) != 3 || cs[0].Stage != gongkai.CheckAtReview || cs[0].Level != 2 || cs[1].Level != 1 || len(cs[0].Findings) != 1 {
			t.Fatalf("checks after two approvals: %d", len(cs))
		}
		histBefore, _ := db.FindDocumentHistory(storetest.As(f.DeptEditor), d.ID)
		audits := func() int {
			recs, _, err := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{ObjectType: sp("document"), Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			return len(recs)
		}
		auditBefore := audits()

		// The last level without an override: refused, with the findings.
		final := storetest.As(f.DeptReviewer3)
		for _, rv := range []gongkai.Review{{Decision: gongkai.Approve}, {Decision: gongkai.Approve, Override: "  \n "}} {
			_, err := db.DecideReview(final, d.ID, rv)
			e := gongkai.AsError(err)
			if e == nil || e.Code != gongkai.EINVALID || e.Field != "override" || !strings.Contains(e.Message, testIDMasked) || strings.Contains(e.Message, testID) {
				t.Fatalf("final approval without override = %v", err)
			}
			fs, _ := e.Extensions["findings"].([]gongkai.CheckFinding)
			if len(fs) != 1 || fs[0].Rule != "pii.citizen_id" || e.Extensions["blockingDigest"] != cs[0].BlockingDigest() {
				t.Errorf("refusal extensions = %v", e.Extensions)
			}
		}
		// An override for findings other than those seen: refused too.
		_, err := db.DecideReview(final, d.ID, gongkai.Review{Decision: gongkai.Approve, Override: "依法公开", Seen: "0000000000000000"})
		if gongkai.ErrorCode(err) != gongkai.ECONFLICT {
			t.Fatalf("override of unseen findings = %v", err)
		}
		// Nothing was half-saved by the refusals.
		got, _ := db.FindDocumentByID(storetest.As(f.DeptEditor), d.ID)
		histAfter, _ := db.FindDocumentHistory(storetest.As(f.DeptEditor), d.ID)
		if got.Status != gongkai.DocumentInReview || got.ReviewLevel != 3 || got.Live || len(f.checks(t, d.ID)) != 3 ||
			len(histAfter.Events) != len(histBefore.Events) || audits() != auditBefore {
			t.Fatalf("refusal left changes: status %s level %d, %d checks, %d events, %d audit records", got.Status, got.ReviewLevel,
				len(f.checks(t, d.ID)), len(histAfter.Events), audits()-auditBefore)
		}

		// With a written reason: published, audited, in the history.
		reason := "经核实，该批复须载明申请人身份，依据相关规定予以公开。"
		d, err = db.DecideReview(final, d.ID, gongkai.Review{Decision: gongkai.Approve, Comment: "同意", Override: reason, Seen: cs[0].BlockingDigest()})
		if err != nil || d.Status != gongkai.DocumentPublished {
			t.Fatalf("final approval with override = %v", err)
		}
		cs = f.checks(t, d.ID)
		c = cs[0]
		if len(cs) != 4 || c.Level != 3 || !c.Accepted || c.Override == nil || c.Override.Reason != reason || c.Override.ActorID != f.DeptReviewer3.ID || c.Override.At.IsZero() {
			t.Fatalf("final check = %+v (override %+v)", c, c.Override)
		}
		h, _ := db.FindDocumentHistory(storetest.As(f.DeptEditor), d.ID)
		var actions []string
		var overrideComment string
		for _, e := range h.Events {
			actions = append(actions, e.Action)
			if e.Action == "override" {
				overrideComment = e.Comment
				if e.Level != 3 || e.ActorID != f.DeptReviewer3.ID {
					t.Errorf("override event = %+v", e)
				}
			}
		}
		if diff := cmp.Diff([]string{"submit", "approve", "approve", "approve", "override", "publish"}, actions); diff != "" {
			t.Errorf("history mismatch (-want +got):\n%s", diff)
		}
		if !strings.Contains(overrideComment, reason) || !strings.Contains(overrideComment, testIDMasked) || strings.Contains(overrideComment, testID) {
			t.Errorf("override comment = %q", overrideComment)
		}
		recs, _, _ := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: sp("document.override")})
		if len(recs) != 1 || recs[0].ActorID != f.DeptReviewer3.ID || !strings.Contains(string(recs[0].After), reason) ||
			!strings.Contains(string(recs[0].After), "pii.citizen_id") || strings.Contains(string(recs[0].After), testID) {
			t.Fatalf("override audit = %+v", recs)
		}
	})
}

// TestCheckGateClean: a document without block findings passes every
// level with no override, and its warnings are kept with the final check.
func TestCheckGateClean(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		u := policy("关于规范价格认定工作的通知")
		u.Body = sp("<p>截止目前，各单位已完成自查。</p>")
		d := f.submitted(t, u)
		for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
			var err error
			if d, err = db.ReviewDocument(storetest.As(r), d.ID, gongkai.Approve, ""); err != nil {
				t.Fatalf("approve by %s: %v", r.Username, err)
			}
		}
		if d.Status != gongkai.DocumentPublished {
			t.Fatalf("status %s", d.Status)
		}
		c := f.checks(t, d.ID)[0]
		if diff := cmp.Diff([]finding{{"wording.common", "warn", "", "截止目前", false}}, findings(c)); diff != "" {
			t.Errorf("findings mismatch (-want +got):\n%s", diff)
		}
		if !c.Accepted || c.Override != nil {
			t.Errorf("final check accepted %v override %+v", c.Accepted, c.Override)
		}
	})
}

// TestRequiredDisclosure: a document marked as a legally required
// disclosure (惩戒公示) has its personal data reported as warnings with
// the reason, and needs no override; the mark needs a reason.
func TestRequiredDisclosure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		u := withPII("失信被执行人名单公示")
		yes := true
		u.RequiredDisclosure = &yes
		_, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
		if e := gongkai.AsError(err); e == nil || e.Field != "requiredDisclosureReason" {
			t.Fatalf("flag without a reason = %v", err)
		}
		u.RequiredDisclosureReason = sp("《最高人民法院关于公布失信被执行人名单信息的若干规定》")
		d := f.submitted(t, u)
		if !d.RequiredDisclosure || d.RequiredDisclosureReason == "" {
			t.Fatalf("flag not kept: %+v", d)
		}
		c := f.checks(t, d.ID)[0]
		if len(c.Findings) != 1 || c.Findings[0].Severity != gongkai.CheckWarn || !strings.Contains(c.Findings[0].Reason, "失信被执行人") ||
			!c.RequiredDisclosure || c.RequiredDisclosureReason != *u.RequiredDisclosureReason {
			t.Fatalf("check = %+v", c)
		}
		for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
			if d, err = db.ReviewDocument(storetest.As(r), d.ID, gongkai.Approve, ""); err != nil {
				t.Fatalf("approve by %s: %v", r.Username, err)
			}
		}
		if d.Status != gongkai.DocumentPublished {
			t.Fatalf("status %s", d.Status)
		}
		// Unmarking clears the reason; marking again without one is refused.
		no := false
		d, err = db.UpdateDocument(storetest.As(f.DeptEditor), d.ID, gongkai.DocumentUpdate{RequiredDisclosure: &no, RevisionNote: sp("更正")})
		if err != nil || d.RequiredDisclosure || d.RequiredDisclosureReason != "" {
			t.Fatalf("unmark = %v %+v", err, d)
		}
	})
}

// TestCheckAttachments: attachments are checked as text, their findings
// named by the file.
func TestCheckAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		ctx := context.Background()
		d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", policy("关于公布联系人的通知"))
		if err != nil {
			t.Fatal(err)
		}
		sum, size, err := f.blobs.Put(ctx, strings.NewReader("联系人：李某\n联系电话：13812345678\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddAttachment(storetest.As(f.DeptEditor), d.ID, gongkai.Attachment{Name: "联系人.txt", SHA256: sum, Size: size, MIME: "text/plain", Type: "文本"}); err != nil {
			t.Fatal(err)
		}
		c, err := db.RunDocumentCheck(storetest.As(f.DeptEditor), d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]finding{{"pii.mobile", "block", "attachment:联系人.txt", "13812345678", false}}, findings(c)); diff != "" {
			t.Errorf("findings mismatch (-want +got):\n%s", diff)
		}
		if c.Stage != gongkai.CheckAtDraft || c.Findings[0].Line != 2 || c.Findings[0].SourceLabel() != "附件“联系人.txt”" {
			t.Errorf("check = %+v", c)
		}
		// A draft check is not stored.
		if cs := f.checks(t, d.ID); len(cs) != 0 {
			t.Errorf("%d stored checks after a draft check", len(cs))
		}
	})
}

// TestRecheck: after a site's list changes, a recheck of its published
// documents finds what the new list flags, marks it new, and gives the
// org's document staff one notice; the list of open findings shows the
// document to its org and supervisors; accepting settles it.
func TestRecheck(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		ctx := context.Background()
		u := policy("关于发展改革委机关开放日的通知")
		u.Body = sp("<p>市发改委机关开放日定于每月第一个星期五。</p><p>截止目前已接待来访群众。</p>")
		d := f.publishNow(t, u)
		if d.Status != gongkai.DocumentPublished {
			t.Fatalf("status %s", d.Status)
		}
		res, err := db.RecheckSite(ctx, f.site.ID)
		if err != nil || res.Checked != 0 || res.Unchanged != 1 || res.Notified != 0 {
			t.Fatalf("recheck with the same lists = %+v, %v", res, err)
		}
		stale, err := db.StaleCheckSites(ctx)
		if err != nil || len(stale) != 0 {
			t.Fatalf("stale sites after a recheck = %v, %v", stale, err)
		}
		if err := db.SetCheckList(storetest.As(f.CityAdmin), f.site.ID, gongkai.CheckDictionary, "市发改委 | 市发展改革委 | official | 本市机关规范简称\n"); err != nil {
			t.Fatal(err)
		}
		if stale, _ := db.StaleCheckSites(ctx); len(stale) != 1 || stale[0] != f.site.ID {
			t.Fatalf("stale sites after a list change = %v", stale)
		}
		res, err = db.RecheckSite(ctx, f.site.ID)
		if err != nil || res.Checked != 1 || res.WithNew != 1 {
			t.Fatalf("recheck = %+v, %v", res, err)
		}
		// The department's editors and reviewers (the fixture's four and
		// deptauthor, deptmulti); not its applications officer.
		if res.Notified != 6 {
			t.Errorf("%d notices, want 6", res.Notified)
		}
		c := f.checks(t, d.ID)[0]
		want := []finding{{"wording.official", "block", "", "市发改委", true}, {"wording.common", "warn", "", "截止目前", false}}
		if diff := cmp.Diff(want, findings(c)); diff != "" {
			t.Errorf("recheck findings mismatch (-want +got):\n%s", diff)
		}
		if c.Stage != gongkai.CheckAtRecheck || c.Version != 1 || !c.Open() {
			t.Errorf("recheck = %+v", c)
		}
		notices, unread, err := db.FindNotices(storetest.As(f.DeptEditor), false, 10)
		if err != nil || unread != 1 || len(notices) != 1 || notices[0].DocumentID != d.ID || notices[0].Kind != "check_findings" ||
			!strings.Contains(notices[0].Message, "1 处新问题") || notices[0].ApplicationID != 0 {
			t.Fatalf("notices = %+v, %d, %v", notices, unread, err)
		}
		if n, _, _ := db.FindNotices(storetest.As(f.DeptOfficer), false, 10); len(n) != 0 {
			t.Errorf("the applications officer got %d notices", len(n))
		}
		// Again with the same lists: nothing new, no second notice.
		res, _ = db.RecheckSite(ctx, f.site.ID)
		if res.Checked != 0 || res.Notified != 0 {
			t.Errorf("second recheck = %+v", res)
		}
		// The open list: the org's staff and supervisors above see it.
		for _, tc := range []struct {
			who  *gongkai.User
			want int
		}{{f.DeptEditor, 1}, {f.CitySupervisor, 1}, {f.CityAdmin, 1}, {f.CountyAdmin, 0}} {
			open, total, err := db.FindOpenFindings(storetest.As(tc.who), gongkai.OpenFindingsFilter{})
			if err != nil || total != tc.want || len(open) != tc.want {
				t.Errorf("%s: %d open (total %d), want %d; %v", tc.who.Username, len(open), total, tc.want, err)
			}
			if len(open) == 1 && (open[0].Document.ID != d.ID || open[0].Check.ID != c.ID) {
				t.Errorf("open = %+v", open[0])
			}
		}
		// Accepting: the final reviewers or admins, with a reason.
		if _, err := db.AcceptFindings(storetest.As(f.DeptEditor), d.ID, c.ID, "无需修改"); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("editor accepting = %v", err)
		}
		if _, err := db.AcceptFindings(storetest.As(f.DeptReviewer3), d.ID, c.ID, " "); gongkai.ErrorCode(err) != gongkai.EINVALID {
			t.Errorf("accepting without a reason = %v", err)
		}
		if _, err := db.AcceptFindings(storetest.As(f.DeptReviewer3), d.ID, c.ID-1, "无需修改"); gongkai.ErrorCode(err) != gongkai.ECONFLICT {
			t.Errorf("accepting an older check = %v", err)
		}
		if _, err := db.AcceptFindings(storetest.As(f.DeptReviewer3), d.ID, c.ID, "“市发改委”为本市通行简称，经核实无需修改。"); err != nil {
			t.Fatal(err)
		}
		if open, _, _ := db.FindOpenFindings(storetest.As(f.DeptEditor), gongkai.OpenFindingsFilter{}); len(open) != 0 {
			t.Errorf("%d open after accepting", len(open))
		}
		if _, err := db.AcceptFindings(storetest.As(f.DeptReviewer3), d.ID, 0, "再次确认"); gongkai.ErrorCode(err) != gongkai.ECONFLICT {
			t.Errorf("accepting twice = %v", err)
		}
		// An accepted finding is not new on later rechecks.
		if err := db.SetCheckList(storetest.As(f.CityAdmin), f.site.ID, gongkai.CheckSensitiveWords, "测试敏感词\n"); err != nil {
			t.Fatal(err)
		}
		res, _ = db.RecheckSite(ctx, f.site.ID)
		if res.Checked != 1 || res.WithNew != 0 || res.Notified != 0 {
			t.Errorf("recheck after accepting = %+v", res)
		}
		h, _ := db.FindDocumentHistory(storetest.As(f.DeptEditor), d.ID)
		if last := h.Events[len(h.Events)-1]; last.Action != "accept_findings" || !strings.Contains(last.Comment, "通行简称") {
			t.Errorf("last event = %+v", last)
		}
	})
}

// recordJobs is a job inserter that only records what was enqueued.
type recordJobs struct{ jobs []store.Job }

func (r *recordJobs) InsertTx(_ context.Context, _ *sql.Tx, job store.Job) error {
	r.jobs = append(r.jobs, job)
	return nil
}

// TestRecheckAfterScheduledPublication: a list saved while an approved
// document waits for its publication time enqueues a recheck (which cannot
// see the document yet); the publication job rechecks the document itself
// and the staff get the notice.
func TestRecheckAfterScheduledPublication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		jobs := &recordJobs{}
		db.Jobs = jobs
		u := policy("关于发展改革委机关开放日的通知")
		u.Body = sp("<p>市发改委机关开放日定于每月第一个星期五。</p>")
		at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
		u.PublishAt = &at
		d := f.publishNow(t, u)
		if d.Status != gongkai.DocumentScheduled {
			t.Fatalf("status %s", d.Status)
		}
		if err := db.SetCheckList(storetest.As(f.CityAdmin), f.site.ID, gongkai.CheckDictionary, "市发改委 | 市发展改革委 | official | 本市机关规范简称\n"); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, j := range jobs.jobs {
			kinds = append(kinds, j.Args.(interface{ Kind() string }).Kind())
		}
		if diff := cmp.Diff([]string{"document_publish", "document_recheck"}, kinds); diff != "" {
			t.Errorf("jobs mismatch (-want +got):\n%s", diff)
		}
		if res, err := db.RecheckSite(context.Background(), f.site.ID); err != nil || res.Checked+res.Unchanged != 0 {
			t.Fatalf("recheck before publication = %+v, %v", res, err)
		}
		if err := db.PublishScheduled(context.Background(), d.ID, d.Round); err != nil {
			t.Fatal(err)
		}
		c := f.checks(t, d.ID)[0]
		if c.Stage != gongkai.CheckAtRecheck || !c.Open() || c.Version != 1 {
			t.Fatalf("latest check after publication = %+v", c)
		}
		if n, _, _ := db.FindNotices(storetest.As(f.DeptReviewer3), false, 10); len(n) != 1 || n[0].DocumentID != d.ID {
			t.Errorf("notices = %+v", n)
		}
	})
}

// TestImportNotChecked: archives imported as already published bypass the
// review, so they are neither checked nor rechecked, even with personal
// data in them; the required-disclosure mark, which only tunes the checks,
// is refused on import.
func TestImportNotChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newCheckFix(t, db)
		var bad []string
		opt := store.ImportOptions{OrgCode: "city-fgw", BadLine: func(e store.ImportError) { bad = append(bad, e.Error()) }}
		lines := `{"title":"关于张某申请的批复","body":"<p>身份证号` + testID + `</p>","genre":"通知","topic":"0201","columns":["qtwj"],"signedOn":"2021-03-01","publishedAt":"2021-03-05T09:00:00+08:00"}
{"title":"处罚决定公示","body":"<p>x</p>","genre":"通知","topic":"0201","columns":["qtwj"],"signedOn":"2021-03-01","publishedAt":"2021-03-05T09:00:00+08:00","requiredDisclosure":true,"requiredDisclosureReason":"行政处罚决定公开"}
`
		got, err := db.ImportDocuments(storetest.System(), strings.NewReader(lines), opt)
		if err != nil {
			t.Fatal(err)
		}
		if got.Created != 1 || len(bad) != 1 || !strings.Contains(bad[0], "requiredDisclosure") {
			t.Fatalf("import = %+v, bad lines %q", got, bad)
		}
		res, err := db.RecheckSite(context.Background(), f.site.ID)
		if err != nil || res.Checked+res.Unchanged != 0 {
			t.Errorf("recheck of imported archives = %+v, %v", res, err)
		}
		docs, _, _ := db.FindDocuments(storetest.System(), gongkai.DocumentFilter{})
		if len(docs) != 1 || len(f.checks(t, docs[0].ID)) != 0 {
			t.Errorf("imported document has checks")
		}
	})
}
