package checking_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checking"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// The review gate and the recheck job use the service through this
// interface.
var _ store.ContentChecker = (*checking.Service)(nil)

// countingBlobs counts the files opened, to see the text cache work.
type countingBlobs struct {
	blob.Store
	opens atomic.Int32
}

func (c *countingBlobs) Open(ctx context.Context, sum string) (blob.File, error) {
	c.opens.Add(1)
	return c.Store.Open(ctx, sum)
}

type fixture struct {
	svc   *checking.Service
	blobs *countingBlobs
	db    *store.DB
	site  *gongkai.Site
	fix   *storetest.Fix
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	fix := storetest.Fixture(t, db)
	site := &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
	if err := db.CreateSite(storetest.System(), site); err != nil {
		t.Fatal(err)
	}
	dir, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	blobs := &countingBlobs{Store: dir}
	return &fixture{svc: &checking.Service{Lists: db, Sites: db, Blobs: blobs}, blobs: blobs, db: db, site: site, fix: fix}
}

func (f *fixture) attach(t testing.TB, name, content string) gongkai.Attachment {
	t.Helper()
	sum, size, err := f.blobs.Put(context.Background(), strings.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	return gongkai.Attachment{Name: name, SHA256: sum, Size: size}
}

type got struct {
	Rule, Severity, Source, Excerpt string
}

func summary(c *gongkai.DocumentCheck) []got {
	var out []got
	for _, f := range c.Findings {
		out = append(out, got{f.Rule, string(f.Severity), f.Source, f.Excerpt})
	}
	return out
}

// TestCheckDocument: every part of a document is checked and named in the
// findings' Source: metadata fields, body, each attachment (one that
// cannot be read gives a warning); a required disclosure turns personal
// data into warnings with the reason.
func TestCheckDocument(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d := &gongkai.Document{ID: 1, SiteID: f.site.ID, Title: "关于同意张某申请的批复", Body: "<p>经研究，同意张某的申请。</p><p>【此处插入表格】</p>",
		Summary: "联系电话13812345678。", Keywords: []string{"截止目前"}, Issuers: []string{"示例市发展和改革委员会"},
		Attachments: []gongkai.Attachment{f.attach(t, "名单.txt", "张某 34052419800101001X\n"), f.attach(t, "照片.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}
	c, err := f.svc.CheckDocument(ctx, d, gongkai.Date{})
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"pii.mobile", "block", "field:内容概述", "13812345678"},
		{"wording.common", "warn", "field:关键词", "截止目前"},
		{"leftover.placeholder", "block", "", "【此处插入表格】"},
		{"pii.citizen_id", "block", "attachment:名单.txt", "34052419800101001X"},
		{"attachment.unreadable", "warn", "attachment:照片.png", "照片.png"},
	}
	if diff := cmp.Diff(want, summary(c)); diff != "" {
		t.Errorf("findings mismatch (-want +got):\n%s", diff)
	}
	if c.Fingerprint == "" || c.DictionaryVersion == "" || c.BodyHash != gongkai.BodyHash(d.Body) {
		t.Errorf("check = %+v", c)
	}

	d.RequiredDisclosure, d.RequiredDisclosureReason = true, "失信被执行人名单公布"
	c, err = f.svc.CheckDocument(ctx, d, gongkai.Date{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range c.Findings {
		if strings.HasPrefix(x.Rule, "pii.") && (x.Severity != gongkai.CheckWarn || !strings.Contains(x.Reason, "失信被执行人名单公布")) {
			t.Errorf("required disclosure: %s is %s (%q)", x.Rule, x.Severity, x.Reason)
		}
	}
	// Each attachment was read once: the second check used the cache.
	if n := f.blobs.opens.Load(); n != 2 {
		t.Errorf("%d attachment reads for two checks, want 2", n)
	}
}

// TestRefresh: a list saved changes the site's fingerprint, and Refresh
// sees it at once even when the checker was cached before.
func TestRefresh(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before, err := f.svc.Refresh(ctx, f.site.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := f.svc.Checker(ctx, f.site.ID); c.Fingerprint() != before {
		t.Fatal("Refresh and Checker disagree")
	}
	if err := f.db.SetCheckList(storetest.As(f.fix.CityAdmin), f.site.ID, gongkai.CheckAllowTerms, "示例词\n"); err != nil {
		t.Fatal(err)
	}
	after, err := f.svc.Refresh(ctx, f.site.ID)
	if err != nil || after == before {
		t.Fatalf("fingerprint %s → %s after a list change (%v)", before, after, err)
	}
	again, _ := f.svc.Refresh(ctx, f.site.ID)
	if again != after {
		t.Errorf("fingerprint not stable: %s, %s", after, again)
	}
}
