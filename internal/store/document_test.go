package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// docFix is the fixture with a portal for the city, where the city and its
// department publish.
type docFix struct {
	*storetest.Fix
	db   *store.DB
	site *gongkai.Site
	// Author is a second editor of the department who also reviews at
	// level 1 (to test self-approval); Multi reviews at levels 1 and 2.
	Author, Multi *gongkai.User
}

func newDocFix(t *testing.T, db *store.DB) *docFix {
	t.Helper()
	f := &docFix{Fix: storetest.Fixture(t, db), db: db}
	ctx := storetest.System()
	f.site = &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
	if err := db.CreateSite(ctx, f.site); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		dst   **gongkai.User
		name  string
		roles []gongkai.Role
	}{
		{&f.Author, "deptauthor", []gongkai.Role{gongkai.RoleEditor, gongkai.RoleReviewer1}},
		{&f.Multi, "deptmulti", []gongkai.Role{gongkai.RoleReviewer1, gongkai.RoleReviewer2}},
	} {
		user := &gongkai.User{Username: u.name}
		for _, r := range u.roles {
			user.Grants = append(user.Grants, gongkai.Grant{OrgCode: "city-fgw", Role: r})
		}
		if err := db.CreateUser(ctx, user, f.Password); err != nil {
			t.Fatal(err)
		}
		*u.dst = user
	}
	return f
}

func sp(s string) *string { return &s }

func dp(d gongkai.Date) *gongkai.Date { return &d }

func today() gongkai.Date { return gongkai.DateOf(time.Now()) }

// policy is a complete 行政规范性文件 of the department.
func policy(title string) gongkai.DocumentUpdate {
	return gongkai.DocumentUpdate{
		Title: sp(title), Body: sp("<p>为进一步规范工作，现通知如下。</p>"), Genre: sp("通知"), Topic: sp("综合政务\\政务公开"),
		DocNo: sp("示发改规〔2024〕1号"), SignedOn: dp(today().AddDays(-3)), Columns: &[]string{"gfxwj"}, Keywords: &[]string{"规范", "通知"},
	}
}

// publishNow takes a new document through the three levels.
func (f *docFix) publishNow(t *testing.T, u gongkai.DocumentUpdate) *gongkai.Document {
	t.Helper()
	d, err := f.db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return f.approveAll(t, d.ID)
}

func (f *docFix) approveAll(t *testing.T, id int64) *gongkai.Document {
	t.Helper()
	if _, err := f.db.SubmitDocument(storetest.As(f.DeptEditor), id); err != nil {
		t.Fatalf("submit: %v", err)
	}
	var d *gongkai.Document
	for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
		var err error
		if d, err = f.db.ReviewDocument(storetest.As(r), id, gongkai.Approve, ""); err != nil {
			t.Fatalf("approve by %s: %v", r.Username, err)
		}
	}
	return d
}

func (f *docFix) column(t *testing.T, slug string) *gongkai.Column {
	t.Helper()
	cols, err := f.db.FindColumns(context.Background(), f.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Slug == slug {
			return c
		}
	}
	t.Fatalf("no column %s", slug)
	return nil
}

func (f *docFix) listed(t *testing.T, slug string) []string {
	t.Helper()
	docs, _, err := f.db.FindPublicDocuments(context.Background(), gongkai.PublicFilter{SiteID: f.site.ID, ColumnIDs: []int64{f.column(t, slug).ID}})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, d := range docs {
		titles = append(titles, d.Title)
	}
	return titles
}

func TestColumnsSeeded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		cols, err := db.FindColumns(context.Background(), f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, c := range cols {
			paths = append(paths, c.Path)
		}
		// A city government's site: Art. 20 items with 规章, the Art. 21 ¶1
		// items, and no township items (statutes §1.3).
		for _, want := range []string{"/xxgk/", "/xxgk/zn/", "/xxgk/zcwj/gz/", "/xxgk/zcwj/gfxwj/", "/xxgk/szjs/", "/xxgk/nb/", "/xxgk/ysqgk/"} {
			if !contains(paths, want) {
				t.Errorf("columns lack %s", want)
			}
		}
		if contains(paths, "/xxgk/zjdsh/") {
			t.Error("a city site got the township column 宅基地使用情况审核")
		}
		if paths[0] != "/xxgk/" || paths[1] != "/xxgk/zn/" {
			t.Errorf("tree order starts %v", paths[:2])
		}
		zcwj := f.column(t, "zcwj")
		if zcwj.FreqMonths != 6 || !zcwj.Statutory {
			t.Errorf("政策文件 = %+v, want 6-month frequency, statutory", zcwj)
		}
		// A department's own site gets no Art. 21 columns.
		dsite := &gongkai.Site{OrgCode: "city-fgw", Code: "fgw", Name: "示例市发展和改革委员会网站"}
		if err := db.CreateSite(storetest.System(), dsite); err != nil {
			t.Fatal(err)
		}
		dcols, _ := db.FindColumns(context.Background(), dsite.ID)
		for _, c := range dcols {
			if c.Slug == "szjs" || c.Slug == "gz" {
				t.Errorf("department site has column %s", c.Slug)
			}
		}

		admin := storetest.As(f.CityAdmin)
		c := &gongkai.Column{ParentID: f.column(t, "fdzdgknr").ID, Slug: "tzgg", Name: "通知公告", FreqMonths: 6}
		if err := db.CreateColumn(admin, c); err != nil {
			t.Fatal(err)
		}
		if c.Path != "/xxgk/tzgg/" {
			t.Errorf("new column path %q", c.Path)
		}
		wantCode(t, db.CreateColumn(admin, &gongkai.Column{ParentID: c.ParentID, Slug: "tzgg", Name: "重复"}), gongkai.EINVALID, "slug")
		wantCode(t, db.CreateColumn(admin, &gongkai.Column{ParentID: c.ParentID, Slug: "wj", Name: "保留"}), gongkai.EINVALID, "slug")
		wantCode(t, db.CreateColumn(storetest.As(f.CountyAdmin), &gongkai.Column{ParentID: c.ParentID, Slug: "abc", Name: "越权"}), gongkai.EFORBIDDEN, "")
		// Move it up one place: it was last among its siblings.
		if err := db.MoveColumn(admin, c.ID, -1); err != nil {
			t.Fatal(err)
		}
		cols, _ = db.FindColumns(context.Background(), f.site.ID)
		var siblings []string
		for _, x := range cols {
			if x.ParentID == c.ParentID {
				siblings = append(siblings, x.Slug)
			}
		}
		if n := len(siblings); n < 2 || siblings[n-2] != "tzgg" {
			t.Errorf("after moving up, siblings end %v", siblings)
		}
		wantCode(t, db.DeleteColumn(admin, f.column(t, "zcwj").ID), gongkai.ECONFLICT, "")
		if err := db.DeleteColumn(admin, c.ID); err != nil {
			t.Errorf("delete empty added column: %v", err)
		}
		// Sites created before this version get their columns at start-up.
		if _, err := db.WriteDB().Exec(`DELETE FROM site_columns WHERE site_id = $1 AND parent_id IS NOT NULL AND statutory AND slug NOT IN ('xxgk', 'fdzdgknr', 'zcwj')`, dsite.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(`DELETE FROM site_columns WHERE site_id = $1 AND slug = 'zcwj'`, dsite.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(`DELETE FROM site_columns WHERE site_id = $1 AND slug = 'fdzdgknr'`, dsite.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WriteDB().Exec(`DELETE FROM site_columns WHERE site_id = $1`, dsite.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.EnsureColumns(context.Background()); err != nil {
			t.Fatal(err)
		}
		again, _ := db.FindColumns(context.Background(), dsite.ID)
		if len(again) != len(dcols) {
			t.Errorf("EnsureColumns seeded %d columns, want %d", len(again), len(dcols))
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func fields(err error) []string {
	var out []string
	if e := gongkai.AsError(err); e != nil {
		for _, p := range e.Problems {
			out = append(out, p.Field)
		}
	}
	sort.Strings(out)
	return out
}

func TestDocumentBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ed := storetest.As(f.DeptEditor)
		count := func() int {
			var n int
			db.WriteDB().QueryRow(`SELECT COUNT(*) FROM documents`).Scan(&n)
			return n
		}
		for _, tc := range []struct {
			name   string
			upd    gongkai.DocumentUpdate
			fields []string
			msg    string
		}{
			{"unknown column, topic and genre", gongkai.DocumentUpdate{Title: sp("x"), Columns: &[]string{"nowhere"}, Topic: sp("天文"), Genre: sp("便条")},
				[]string{"columns", "genre", "topic"}, "栏目“nowhere”不存在"},
			{"future signing date", gongkai.DocumentUpdate{Title: sp("x"), SignedOn: dp(today().AddDays(2))}, []string{"signedOn"}, "成文日期不能晚于今天"},
			{"wrong brackets in docNo", gongkai.DocumentUpdate{Title: sp("x"), DocNo: sp("示发改发[2023]12号")}, []string{"docNo"}, "示发改发〔2023〕12号"},
			{"leading zero in docNo", gongkai.DocumentUpdate{Title: sp("x"), DocNo: sp("示发改发〔2023〕012号")}, []string{"docNo"}, "示发改发〔2023〕12号"},
			{"withheld without reason", gongkai.DocumentUpdate{Title: sp("x"), Disclosure: sp("不予公开")}, []string{"disclosureReason"}, "理由"},
			{"no title", gongkai.DocumentUpdate{}, []string{"title"}, "请填写标题"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := count()
				_, err := db.CreateDocument(ed, "city-fgw", tc.upd)
				if diff := cmp.Diff(tc.fields, fields(err)); diff != "" {
					t.Errorf("fields mismatch (-want +got):\n%s (%v)", diff, err)
				}
				if !strings.Contains(fmt.Sprint(gongkai.AsError(err).Problems), tc.msg) {
					t.Errorf("problems %v lack %q", gongkai.AsError(err).Problems, tc.msg)
				}
				if count() != before {
					t.Error("a refused document was saved")
				}
			})
		}

		// A script is removed and the editor told.
		d, err := db.CreateDocument(ed, "city-fgw", gongkai.DocumentUpdate{Title: sp("含脚本"), Body: sp(`<p onclick="x()">正文</p><script>alert(1)</script><img src="a.png" onerror="steal()">`)})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(d.Body, "script") || strings.Contains(d.Body, "onerror") || strings.Contains(d.Body, "onclick") || len(d.Warnings) == 0 || !strings.Contains(d.Warnings[0], "不安全") {
			t.Errorf("body %q warnings %v", d.Body, d.Warnings)
		}

		// Submission rules: a 行政规范性文件 needs 文号 and 成文日期; 依申请公开
		// information is not sent to the portal.
		d, err = db.CreateDocument(ed, "city-fgw", gongkai.DocumentUpdate{Title: sp("无文号的规范性文件"), Body: sp("正文"), Genre: sp("通知"), Topic: sp("0201"), Columns: &[]string{"gfxwj"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SubmitDocument(ed, d.ID)
		if diff := cmp.Diff([]string{"docNo", "signedOn"}, fields(err)); diff != "" {
			t.Errorf("submit fields mismatch (-want +got):\n%s (%v)", diff, err)
		}
		if !strings.Contains(gongkai.AsError(err).Problems[0].Message, "行政规范性文件须填写发文字号") {
			t.Errorf("message %q", gongkai.AsError(err).Problems[0].Message)
		}
		u := policy("依申请公开的文件")
		u.Disclosure, u.DisclosureReason = sp("依申请公开"), sp("涉及第三方商业信息，依《政府信息公开条例》第十五条")
		d, err = db.CreateDocument(ed, "city-fgw", u)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.SubmitDocument(ed, d.ID)
		wantCode(t, err, gongkai.EINVALID, "disclosure")
		if got, _ := db.FindDocumentByID(ed, d.ID); got.Status != gongkai.DocumentDraft {
			t.Errorf("refused submission left status %s", got.Status)
		}

		// Another org's staff may neither read nor act.
		_, err = db.FindDocumentByID(storetest.As(f.CountyAdmin), d.ID)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		_, err = db.UpdateDocument(storetest.As(f.CountyAdmin), d.ID, gongkai.DocumentUpdate{Title: sp("篡改")})
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		_, err = db.CreateDocument(storetest.As(f.DeptReviewer1), "city-fgw", policy("审核人起草"))
		wantCode(t, err, gongkai.EFORBIDDEN, "")
	})
}

func TestReviewWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		ed := storetest.As(f.DeptEditor)
		d, err := db.CreateDocument(ed, "", policy("关于规范价格认定工作的通知"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitDocument(ed, d.ID); err != nil {
			t.Fatal(err)
		}
		// Reject needs a comment, then returns the document to the editor.
		_, err = db.ReviewDocument(storetest.As(f.DeptReviewer1), d.ID, gongkai.Reject, " ")
		wantCode(t, err, gongkai.EINVALID, "comment")
		if d, err = db.ReviewDocument(storetest.As(f.DeptReviewer1), d.ID, gongkai.Reject, "请补充政策依据。"); err != nil || d.Status != gongkai.DocumentDraft {
			t.Fatalf("reject = %v, %v", d, err)
		}
		if _, err := db.SubmitDocument(ed, d.ID); err != nil {
			t.Fatal(err)
		}
		// Level 2 cannot act before level 1.
		_, err = db.ReviewDocument(storetest.As(f.DeptReviewer2), d.ID, gongkai.Approve, "")
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		// Multi approves level 1 and may not approve level 2 as well.
		if _, err := db.ReviewDocument(storetest.As(f.Multi), d.ID, gongkai.Approve, "同意"); err != nil {
			t.Fatal(err)
		}
		_, err = db.ReviewDocument(storetest.As(f.Multi), d.ID, gongkai.Approve, "")
		wantCode(t, err, gongkai.ECONFLICT, "")
		if !strings.Contains(gongkai.ErrorMessage(err), "初审") {
			t.Errorf("double approval message %q", gongkai.ErrorMessage(err))
		}
		if _, err := db.ReviewDocument(storetest.As(f.DeptReviewer2), d.ID, gongkai.Approve, ""); err != nil {
			t.Fatal(err)
		}
		// Not public before the last approval.
		if _, err := db.FindPublicDocument(ctx, f.site.ID, d.ID); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
			t.Fatalf("before final approval: %v", err)
		}
		d, err = db.ReviewDocument(storetest.As(f.DeptReviewer3), d.ID, gongkai.Approve, "同意发布")
		if err != nil {
			t.Fatal(err)
		}
		year := time.Now().In(gongkai.Shanghai).Year()
		wantNo := fmt.Sprintf("%s/%d-00001", f.Dept.CreditCode, year)
		if d.Status != gongkai.DocumentPublished || d.IndexNo != wantNo || d.Version != 1 || d.URL != gongkai.DocumentPath(d.ID) {
			t.Fatalf("published = %s %q v%d %q, want %q", d.Status, d.IndexNo, d.Version, d.URL, wantNo)
		}
		p, err := db.FindPublicDocument(ctx, f.site.ID, d.ID)
		if err != nil || p.Title != "关于规范价格认定工作的通知" || p.IndexNo != wantNo || p.Body == "" || p.Topic != "0201" || p.Genre != "tongzhi" {
			t.Fatalf("public = %+v, %v", p, err)
		}
		if got := f.listed(t, "gfxwj"); len(got) != 1 {
			t.Errorf("gfxwj lists %v", got)
		}
		h, err := db.FindDocumentHistory(ed, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range h.Events {
			steps = append(steps, fmt.Sprintf("%s%d:%s", e.Action, e.Level, e.ActorName))
		}
		want := []string{"submit0:depteditor", "reject1:deptrev1", "submit0:depteditor", "approve1:deptmulti", "approve2:deptrev2", "approve3:deptrev3", "publish0:deptrev3"}
		if diff := cmp.Diff(want, steps); diff != "" {
			t.Errorf("history mismatch (-want +got):\n%s", diff)
		}
		recs, _, _ := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{ObjectType: sp("document"), ObjectID: sp(fmt.Sprint(d.ID)), Limit: 100})
		if len(recs) != 8 {
			t.Errorf("%d audit records for the document, want 8 (create, 2 submits, reject, 3 approvals, publish)", len(recs))
		}

		// Self-approval: Author drafts and may not approve at level 1.
		a, err := db.CreateDocument(storetest.As(f.Author), "city-fgw", policy("自己起草的文件"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitDocument(storetest.As(f.Author), a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = db.ReviewDocument(storetest.As(f.Author), a.ID, gongkai.Approve, "")
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		if !strings.Contains(gongkai.ErrorMessage(err), "自己起草") {
			t.Errorf("self-approval message %q", gongkai.ErrorMessage(err))
		}
		// Nor is the document in Author's review queue.
		queue, _, _ := db.FindDocuments(storetest.As(f.Author), gongkai.DocumentFilter{ReviewQueue: true})
		if len(queue) != 0 {
			t.Errorf("author's queue holds %d documents", len(queue))
		}
		queue, _, _ = db.FindDocuments(storetest.As(f.DeptReviewer1), gongkai.DocumentFilter{ReviewQueue: true})
		if len(queue) != 1 || queue[0].ID != a.ID {
			t.Errorf("reviewer1's queue = %v", queue)
		}
		// Fewer levels: with one level, the first approval publishes.
		if _, err := db.UpdateDocumentSettings(storetest.As(f.CityAdmin), gongkai.DocumentSettings{OrgID: f.Dept.ID, ReviewLevels: 1}); err != nil {
			t.Fatal(err)
		}
		if a, err = db.ReviewDocument(storetest.As(f.DeptReviewer1), a.ID, gongkai.Approve, ""); err != nil || a.Status != gongkai.DocumentPublished {
			t.Fatalf("one-level approval = %v, %v", a, err)
		}
		_, err = db.UpdateDocumentSettings(storetest.As(f.CityAdmin), gongkai.DocumentSettings{OrgID: f.Dept.ID, ReviewLevels: 4, IndexNoTemplate: "{yyyy}-{seq}"})
		if diff := cmp.Diff([]string{"indexNoTemplate", "reviewLevels"}, fields(err)); diff != "" {
			t.Errorf("settings fields mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestWithdrawAndRevise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		ed := storetest.As(f.DeptEditor)
		d := f.publishNow(t, policy("原文件"))
		// A revision leaves the public version alone until it is published.
		r, err := db.UpdateDocument(ed, d.ID, gongkai.DocumentUpdate{Title: sp("原文件（修订稿）")})
		if err != nil || r.Status != gongkai.DocumentDraft || !r.Live {
			t.Fatalf("revise = %+v, %v", r, err)
		}
		if p, _ := db.FindPublicDocument(ctx, f.site.ID, d.ID); p.Title != "原文件" {
			t.Errorf("public title during revision = %q", p.Title)
		}
		_, err = db.SubmitDocument(ed, d.ID)
		wantCode(t, err, gongkai.EINVALID, "revisionNote")
		if _, err := db.UpdateDocument(ed, d.ID, gongkai.DocumentUpdate{RevisionNote: sp("更正第三条的表述。")}); err != nil {
			t.Fatal(err)
		}
		r = f.approveAll(t, d.ID)
		if r.Version != 2 || r.IndexNo != d.IndexNo {
			t.Errorf("after revision: version %d, index %q (was %q)", r.Version, r.IndexNo, d.IndexNo)
		}
		p, _ := db.FindPublicDocument(ctx, f.site.ID, d.ID)
		if p.Title != "原文件（修订稿）" || len(p.Versions) != 2 || p.Versions[0].Note != "更正第三条的表述。" || p.Body == "" || !p.PublishedAt.Equal(d.PublishedAt) {
			t.Errorf("public after revision = %q %+v body=%d published %v (first %v)", p.Title, p.Versions, len(p.Body), p.PublishedAt, d.PublishedAt)
		}

		// Withdrawal: only the final reviewer or an admin; the page stays.
		_, err = db.WithdrawDocument(ed, d.ID, gongkai.WithdrawNormal, "政策调整")
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		_, err = db.WithdrawDocument(storetest.As(f.DeptReviewer3), d.ID, gongkai.WithdrawNormal, "")
		wantCode(t, err, gongkai.EINVALID, "reason")
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), d.ID, gongkai.WithdrawNormal, "政策调整，另行发布。"); err != nil {
			t.Fatal(err)
		}
		p, err = db.FindPublicDocument(ctx, f.site.ID, d.ID)
		if err != nil || p.State != gongkai.PublicWithdrawn || p.Withdrawal == nil || p.Withdrawal.Reason != "政策调整，另行发布。" {
			t.Fatalf("withdrawn page = %+v, %v", p, err)
		}
		if got := f.listed(t, "gfxwj"); len(got) != 0 {
			t.Errorf("withdrawn document still listed: %v", got)
		}
		// Published in error: 410, and its number is not given again.
		e := f.publishNow(t, policy("错发的文件"))
		if _, err := db.WithdrawDocument(storetest.As(f.CityAdmin), e.ID, gongkai.WithdrawErroneous, "误将内部材料发布。"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindPublicDocument(ctx, f.site.ID, e.ID); gongkai.ErrorCode(err) != gongkai.EGONE {
			t.Errorf("erroneous page: %v, want gone", err)
		}
		g := f.publishNow(t, policy("第三个文件"))
		year := time.Now().In(gongkai.Shanghai).Year()
		if want := fmt.Sprintf("%s/%d-00003", f.Dept.CreditCode, year); g.IndexNo != want {
			t.Errorf("index after withdrawals = %q, want %q", g.IndexNo, want)
		}
		_, err = db.UpdateDocument(ed, e.ID, gongkai.DocumentUpdate{Title: sp("再改")})
		wantCode(t, err, gongkai.ECONFLICT, "")
	})
}

func TestRelations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		ctx := context.Background()
		old := f.publishNow(t, policy("示例市价格认定办法"))
		u := policy("示例市价格认定办法（2025年修订）")
		u.DocNo = sp("示发改规〔2024〕2号")
		u.Amends = &[]int64{old.ID}
		amended := f.publishNow(t, u)
		i := gongkai.DocumentUpdate{Title: sp("《示例市价格认定办法（2025年修订）》政策解读"), Body: sp("一、修订背景……"), Genre: sp("其他"), Topic: sp("0201"),
			Columns: &[]string{"qtwj"}, Interprets: &[]int64{amended.ID}}
		interp := f.publishNow(t, i)

		p, err := db.FindPublicDocument(ctx, f.site.ID, old.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Validity != "amended" || p.ReplacedBy != amended.ID || p.ValidityOn != today() {
			t.Errorf("old document validity %s by %d on %v", p.Validity, p.ReplacedBy, p.ValidityOn)
		}
		rel := func(p *gongkai.PublicDocument) []string {
			var out []string
			for _, l := range p.Related {
				out = append(out, fmt.Sprintf("%s:%d", l.Relation, l.ID))
			}
			return out
		}
		if diff := cmp.Diff([]string{fmt.Sprintf("amended_by:%d", amended.ID)}, rel(p)); diff != "" {
			t.Errorf("old page links mismatch (-want +got):\n%s", diff)
		}
		p, _ = db.FindPublicDocument(ctx, f.site.ID, amended.ID)
		if diff := cmp.Diff([]string{fmt.Sprintf("amends:%d", old.ID), fmt.Sprintf("interpreted_by:%d", interp.ID)}, rel(p)); diff != "" {
			t.Errorf("policy page links mismatch (-want +got):\n%s", diff)
		}
		// Repealing, then withdrawing the repeal as erroneous, restores
		// the validity.
		r := policy("关于废止《示例市价格认定办法（2025年修订）》的决定")
		r.DocNo, r.Genre, r.Repeals = sp("示发改规〔2024〕3号"), sp("决定"), &[]int64{amended.ID}
		repeal := f.publishNow(t, r)
		if p, _ = db.FindPublicDocument(ctx, f.site.ID, amended.ID); p.Validity != "repealed" {
			t.Errorf("validity after repeal = %s", p.Validity)
		}
		valid := "repealed"
		docs, _, _ := db.FindPublicDocuments(ctx, gongkai.PublicFilter{SiteID: f.site.ID, Validity: &valid})
		if len(docs) != 1 || docs[0].ID != amended.ID {
			t.Errorf("validity filter = %v", docs)
		}
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), repeal.ID, gongkai.WithdrawErroneous, "废止决定有误。"); err != nil {
			t.Fatal(err)
		}
		if p, _ = db.FindPublicDocument(ctx, f.site.ID, amended.ID); p.Validity != "valid" {
			t.Errorf("validity after the repeal was withdrawn as erroneous = %s", p.Validity)
		}
		// Relations must point at documents that exist.
		_, err = db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", gongkai.DocumentUpdate{Title: sp("x"), Interprets: &[]int64{99999}})
		wantCode(t, err, gongkai.EINVALID, "interprets")
	})
}

// TestIndexNoParallel publishes many documents at once: every 索引号 is
// different and the numbers run 1…n without gaps.
func TestIndexNoParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		const n = 12
		var ids []int64
		for i := range n {
			d, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", policy(fmt.Sprintf("并发发布的文件%d", i)))
			if err != nil {
				t.Fatal(err)
			}
			db.SubmitDocument(storetest.As(f.DeptEditor), d.ID)
			db.ReviewDocument(storetest.As(f.DeptReviewer1), d.ID, gongkai.Approve, "")
			db.ReviewDocument(storetest.As(f.DeptReviewer2), d.ID, gongkai.Approve, "")
			ids = append(ids, d.ID)
		}
		var wg sync.WaitGroup
		nos := make([]string, n)
		errs := make([]error, n)
		start := make(chan struct{})
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				d, err := db.ReviewDocument(storetest.As(f.DeptReviewer3), id, gongkai.Approve, "")
				if err == nil {
					nos[i] = d.IndexNo
				}
				errs[i] = err
			}()
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		sort.Strings(nos)
		year := time.Now().In(gongkai.Shanghai).Year()
		var want []string
		for i := 1; i <= n; i++ {
			want = append(want, fmt.Sprintf("%s/%d-%05d", f.Dept.CreditCode, year, i))
		}
		if diff := cmp.Diff(want, nos); diff != "" {
			t.Errorf("index numbers mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestTimeliness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDocFix(t, db)
		// 2024-09-27 (Fri) + 20 working days is Wednesday 30 October 2024
		// (国庆 2024: 1–7 Oct off, Sun 29 Sep and Sat 12 Oct worked).
		formed := gongkai.NewDate(2024, 9, 27)
		at := func(d gongkai.Date) { db.Now = func() time.Time { return d.Time().Add(10 * time.Hour) } }
		defer func() { db.Now = time.Now }()
		at(gongkai.NewDate(2024, 10, 8))
		onTime := policy("按时公开")
		onTime.SignedOn = &formed
		late := policy("逾期公开")
		late.SignedOn, late.DocNo = &formed, sp("示发改规〔2024〕2号")
		pending := policy("尚未公开")
		pending.SignedOn = &formed
		a, _ := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", onTime)
		b, _ := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", late)
		if _, err := db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", pending); err != nil {
			t.Fatal(err)
		}
		at(gongkai.NewDate(2024, 10, 30)) // the last day in time
		f.approveAll(t, a.ID)
		at(gongkai.NewDate(2024, 10, 31)) // one working day late
		f.approveAll(t, b.ID)
		rows, err := db.FindTimeliness(storetest.As(f.CitySupervisor), f.City.ID, 2024, true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s published=%d onTime=%d late=%d pending=%d overdue=%d share=%.0f", r.Org.Code, r.Published, r.OnTime, r.Late, r.Pending, r.Overdue, r.Share()))
		}
		want := []string{
			"city published=0 onTime=0 late=0 pending=0 overdue=0 share=100",
			"chengdong published=0 onTime=0 late=0 pending=0 overdue=0 share=100",
			"chengdong-mzj published=0 onTime=0 late=0 pending=0 overdue=0 share=100",
			"city-fgw published=2 onTime=1 late=1 pending=1 overdue=1 share=50",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("timeliness mismatch (-want +got):\n%s", diff)
		}
		_, err = db.FindTimeliness(storetest.As(f.CountyAdmin), f.Dept.ID, 2024, false)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
	})
}
