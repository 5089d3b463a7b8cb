package replica_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/docx"
	"gongkai/internal/search"
	"gongkai/internal/search/replica"
	"gongkai/internal/sniff"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// fix is the store fixture with a portal site for the city, a blob store
// and helpers to publish through the real 三审 workflow.
type fix struct {
	*storetest.Fix
	t     testing.TB
	db    *store.DB
	site  *gongkai.Site
	blobs *blob.Dir
}

func newFix(t testing.TB, db *store.DB) *fix {
	t.Helper()
	f := &fix{Fix: storetest.Fixture(t, db), t: t, db: db}
	f.site = &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
	if err := db.CreateSite(storetest.System(), f.site); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.blobs, err = blob.NewDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	return f
}

func sp(s string) *string { return &s }

func policy(title, body, docNo string) gongkai.DocumentUpdate {
	signed := gongkai.DateOf(time.Now()).AddDays(-3)
	return gongkai.DocumentUpdate{Title: sp(title), Body: sp(body), Genre: sp("通知"), Topic: sp("0201"),
		DocNo: sp(docNo), SignedOn: &signed, Columns: &[]string{"gfxwj"}, Keywords: &[]string{"民生"}}
}

func (f *fix) approveAll(id int64) *gongkai.Document {
	f.t.Helper()
	if _, err := f.db.SubmitDocument(storetest.As(f.DeptEditor), id); err != nil {
		f.t.Fatalf("submit: %v", err)
	}
	var d *gongkai.Document
	for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
		var err error
		if d, err = f.db.ReviewDocument(storetest.As(r), id, gongkai.Approve, ""); err != nil {
			f.t.Fatalf("approve: %v", err)
		}
	}
	return d
}

func (f *fix) publish(u gongkai.DocumentUpdate) *gongkai.Document {
	f.t.Helper()
	d, err := f.db.CreateDocument(storetest.As(f.DeptEditor), "city-fgw", u)
	if err != nil {
		f.t.Fatalf("create: %v", err)
	}
	return f.approveAll(d.ID)
}

// start runs a replica in root until the test ends.
func start(t testing.TB, db *store.DB, blobs blob.Store, root string, poll time.Duration) *replica.Replica {
	t.Helper()
	r, stop := run(t, db, blobs, root, poll)
	t.Cleanup(stop)
	return r
}

// run runs a replica in root until stop is called, as a serve process does.
func run(t testing.TB, db *store.DB, blobs blob.Store, root string, poll time.Duration) (*replica.Replica, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := replica.Open(ctx, db, blobs, root, replica.Options{Poll: poll})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			<-done
			r.Close()
		})
	}
	select {
	case <-r.Ready():
	case <-time.After(30 * time.Second):
		stop()
		t.Fatalf("replica not ready: %+v", r.Status(context.Background()))
	}
	return r, stop
}

// eventually searches until match says yes or the deadline passes, and
// returns the last result and how long it took.
func eventually(t *testing.T, r *replica.Replica, q search.Query, within time.Duration, match func(search.Result) bool) (search.Result, time.Duration) {
	t.Helper()
	begin := time.Now()
	for {
		res, err := r.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if match(res) {
			return res, time.Since(begin)
		}
		if time.Since(begin) > within {
			t.Fatalf("query %q: not as expected after %v: total %d, hits %v, status %+v", q.Text, within, res.Total, titles(res), r.Status(context.Background()))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func titles(res search.Result) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Title)
	}
	return out
}

func has(title string) func(search.Result) bool {
	return func(res search.Result) bool {
		for _, h := range res.Hits {
			if h.Title == title {
				return true
			}
		}
		return false
	}
}

func hasNot(title string) func(search.Result) bool {
	return func(res search.Result) bool { return !has(title)(res) }
}

// TestReplicaFollowsChanges: publication, revision, attachments, a change
// of 有效性, withdrawal, the guide and the synonym list each reach the index
// through the outbox within the 2-second target.
func TestReplicaFollowsChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		r := start(t, db, f.blobs, t.TempDir(), time.Second)
		const title = "关于调整城乡居民最低生活保障标准的通知"
		d := f.publish(policy(title, "<p>自2025年1月1日起，城乡居民最低生活保障标准提高到每人每月900元。</p>", "示发改规〔2024〕11号"))
		res, took := eventually(t, r, search.Query{Text: "最低生活保障标准"}, 2*time.Second, has(title))
		t.Logf("published → searchable in %v", took)
		h := res.Hits[0]
		want := search.Hit{ID: d.IndexNo, Kind: search.KindDocument, Title: title, URL: gongkai.DocumentPath(d.ID), DocNo: "示发改规〔2024〕11号",
			OrgCode: "city-fgw", OrgName: "示例市发展和改革委员会", Validity: search.Valid}
		got := search.Hit{ID: h.ID, Kind: h.Kind, Title: h.Title, URL: h.URL, DocNo: h.DocNo, OrgCode: h.OrgCode, OrgName: h.OrgName, Validity: h.Validity}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("hit mismatch (-want +got):\n%s", diff)
		}
		if !strings.Contains(h.Snippet, "<mark>") || strings.Contains(h.Snippet, "<p>") {
			t.Errorf("snippet %q: want marked plain text", h.Snippet)
		}
		// synonyms of the shipped list, the 文号 typed with [ ], filters
		eventually(t, r, search.Query{Text: "低保"}, time.Second, has(title))
		eventually(t, r, search.Query{Text: "示发改规[2024]11号"}, time.Second, has(title))
		eventually(t, r, search.Query{Text: "低保", Org: "city", Topic: "02", SiteID: f.site.ID}, time.Second, has(title))
		if res, _ := r.Search(context.Background(), search.Query{Text: "低保", Org: "chengdong", Checked: true}); res.Total != 0 {
			t.Errorf("org filter chengdong found %v", titles(res))
		}

		// A revision: the new text is found once it is published, the old
		// text no longer.
		if _, err := db.UpdateDocument(storetest.As(f.DeptEditor), d.ID, gongkai.DocumentUpdate{
			Body: sp("<p>春节前向困难群众发放一次性生活补贴。</p>"), RevisionNote: sp("补充春节补贴")}); err != nil {
			t.Fatal(err)
		}
		if res, _ := r.Search(context.Background(), search.Query{Text: "一次性生活补贴"}); res.Total != 0 {
			t.Errorf("an unpublished revision is searchable: %v", titles(res))
		}
		f.approveAll(d.ID)
		eventually(t, r, search.Query{Text: "一次性生活补贴"}, 2*time.Second, has(title))
		eventually(t, r, search.Query{Text: "每人每月900元"}, time.Second, hasNot(title))

		// An attachment's text (DOCX) is searchable.
		w := docx.New()
		w.Paragraph("附件：城乡低保对象家庭经济状况核对表填写说明")
		var buf bytes.Buffer
		if _, err := w.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		sum, size, err := f.blobs.Put(context.Background(), bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		typ := sniff.DetectBytes(buf.Bytes())
		if _, err := db.AddAttachment(storetest.As(f.DeptEditor), d.ID, gongkai.Attachment{Name: "核对表说明.docx", SHA256: sum, Size: size, MIME: typ.MIME, Type: typ.Label}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateDocument(storetest.As(f.DeptEditor), d.ID, gongkai.DocumentUpdate{RevisionNote: sp("增加附件")}); err != nil {
			t.Fatal(err)
		}
		f.approveAll(d.ID)
		eventually(t, r, search.Query{Text: "家庭经济状况核对"}, 2*time.Second, has(title))

		// Amending marks the old one 已修订; the amendment ranks first.
		const title2 = "关于调整城乡居民最低生活保障标准的通知（2025年修订）"
		u := policy(title2, "<p>城乡居民最低生活保障标准调整为每人每月950元。</p>", "示发改规〔2025〕2号")
		u.Amends = &[]int64{d.ID}
		d2 := f.publish(u)
		res, _ = eventually(t, r, search.Query{Text: "最低生活保障标准"}, 2*time.Second, has(title2))
		var validity []string
		for _, h := range res.Hits {
			validity = append(validity, h.Title+":"+h.Validity)
		}
		if diff := cmp.Diff([]string{title2 + ":有效", title + ":已修订"}, validity); diff != "" {
			t.Errorf("order and validity mismatch (-want +got):\n%s", diff)
		}

		// Withdrawing removes it; withdrawing the amendment as erroneous
		// restores the old one's validity.
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), d2.ID, gongkai.WithdrawErroneous, "发布有误。"); err != nil {
			t.Fatal(err)
		}
		res, _ = eventually(t, r, search.Query{Text: "最低生活保障标准"}, 2*time.Second, hasNot(title2))
		if len(res.Hits) != 1 || res.Hits[0].Validity != search.Valid {
			t.Errorf("after the erroneous amendment: %+v", res.Hits)
		}
		if _, err := db.WithdrawDocument(storetest.As(f.DeptReviewer3), d.ID, gongkai.WithdrawNormal, "政策调整。"); err != nil {
			t.Fatal(err)
		}
		eventually(t, r, search.Query{Text: "最低生活保障标准"}, 2*time.Second, func(res search.Result) bool { return res.Total == 0 })

		// The guide of the site is searchable, and follows its edits.
		g, err := db.FindGuide(context.Background(), f.site.ID)
		if err != nil {
			t.Fatal(err)
		}
		g.Address, g.Phone = "示例市人民路88号政务服务中心三楼", "0369-1234567"
		if err := db.UpdateGuide(storetest.As(f.CityAdmin), g); err != nil {
			t.Fatal(err)
		}
		res, _ = eventually(t, r, search.Query{Text: "政务服务中心三楼"}, 2*time.Second, func(res search.Result) bool { return res.Total == 1 })
		if h := res.Hits[0]; h.Kind != search.KindGuide || h.URL != "/xxgk/zn/" {
			t.Errorf("guide hit %+v", h)
		}

		// A new synonym group applies within seconds, without reindexing.
		f.publish(policy("关于发放重阳节老年人慰问金的通知", "<p>向八十周岁以上老年人发放慰问金。</p>", "示发改规〔2025〕3号"))
		eventually(t, r, search.Query{Text: "慰问金"}, 2*time.Second, has("关于发放重阳节老年人慰问金的通知"))
		if res, _ := r.Search(context.Background(), search.Query{Text: "过节费"}); res.Total != 0 {
			t.Fatalf("过节费 before the synonym: %v", titles(res))
		}
		if _, err := db.UpdateSearchSynonyms(storetest.As(f.CityAdmin), "慰问金 过节费\n"); err != nil {
			t.Fatal(err)
		}
		eventually(t, r, search.Query{Text: "过节费"}, 2*time.Second, has("关于发放重阳节老年人慰问金的通知"))
		// the shipped list no longer applies
		if res, _ := r.Search(context.Background(), search.Query{Text: "低保"}); res.Total != 0 {
			t.Errorf("低保 still expands after the list was replaced: %v", titles(res))
		}
	})
}

// TestReplicaImport: a bulk import is searchable after its batches commit.
func TestReplicaImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		r := start(t, db, f.blobs, t.TempDir(), time.Second)
		var lines strings.Builder
		for i := 1; i <= 250; i++ {
			lines.WriteString(`{"title":"示例市第` + itoa(i) + `号存档通知","body":"存档正文` + itoa(i) + `，殡葬管理。","genre":"通知","topic":"0201","signedOn":"2021-03-01","columns":["qtwj"],"publishedAt":"2021-03-05T09:00:00+08:00"}` + "\n")
		}
		begin := time.Now()
		res, err := db.ImportDocuments(storetest.System(), strings.NewReader(lines.String()), store.ImportOptions{OrgCode: "city-fgw", BatchSize: 100})
		if err != nil || res.Created != 250 {
			t.Fatalf("import: %+v %v", res, err)
		}
		eventually(t, r, search.Query{Text: "殡葬管理"}, 5*time.Second, func(res search.Result) bool { return res.Total == 250 })
		t.Logf("250 imported documents searchable %v after the import began", time.Since(begin))
		if res, _ := r.Search(context.Background(), search.Query{Text: "殡葬", Year: 2021, Column: ""}); res.Facets[search.FacetYear][0].Value != "2021" {
			t.Errorf("year facet %v", res.Facets[search.FacetYear])
		}
	})
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestTwoNodes: two processes' worth of store and replica on one database,
// each with its own index directory: a document published through one is
// found through the other within the 2-second target, and each node keeps
// its own position.
func TestTwoNodes(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			cfg := storetest.Config(t, d)
			open := func() *store.DB {
				db, err := store.Open(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				db.Validators = storetest.Validators
				if _, err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				return db
			}
			dbA := open()
			f := newFix(t, dbA)
			dbB := open() // a second connection pool: it hears nothing of A's commits
			a := start(t, dbA, f.blobs, t.TempDir(), time.Second)
			b := start(t, dbB, f.blobs, t.TempDir(), time.Second)
			var worstA, worstB time.Duration
			for i, w := range []string{"殡葬改革", "营商环境", "乡村振兴"} {
				title := "关于深化" + w + "的实施意见"
				begin := time.Now()
				f.publish(policy(title, "<p>"+w+"工作要点。</p>", "示发改规〔2025〕"+string(rune('4'+i))+"号"))
				published := time.Since(begin)
				_, ta := eventually(t, a, search.Query{Text: w}, 2*time.Second, has(title))
				_, tb := eventually(t, b, search.Query{Text: w}, 2*time.Second, has(title))
				t.Logf("%s: published in %v; searchable on the publishing node %v later, on the other node %v later", w, published, ta, tb)
				worstA, worstB = max(worstA, ta), max(worstB, tb)
			}
			t.Logf("publish → searchable, worst of 3: %v on the publishing node, %v on the other (poll 1s)", worstA, worstB)
			sa, sb := a.Status(context.Background()), b.Status(context.Background())
			if sa.Generation == sb.Generation || sa.AppliedSeq != sb.AppliedSeq || sa.Lag() != 0 || sb.Lag() != 0 {
				t.Errorf("statuses %+v and %+v", sa, sb)
			}
		})
	}
}

// TestRebuild: a generation built beside a running replica is switched in,
// with the changes made during the build applied on top; a replica that
// fell behind the retention period rebuilds; a restart resumes from the
// position stored in the index.
func TestRebuild(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFix(t, db)
		root := t.TempDir()
		f.publish(policy("关于做好高温天气防暑降温工作的通知", "<p>高温天气防暑降温。</p>", "示发改规〔2025〕21号"))
		ctx, cancel := context.WithCancel(context.Background())
		r, err := replica.Open(ctx, db, f.blobs, root, replica.Options{Poll: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { r.Run(ctx); close(done) }()
		<-r.Ready()
		first := r.Status(ctx).Generation
		eventually(t, r, search.Query{Text: "防暑降温"}, time.Second, has("关于做好高温天气防暑降温工作的通知"))

		// gongkai search reindex: another process builds while this one runs.
		var last replica.Progress
		gen, err := replica.Build(context.Background(), db, f.blobs, root, replica.BuildOptions{Progress: func(p replica.Progress) { last = p }})
		if err != nil {
			t.Fatal(err)
		}
		if !last.Done || last.Indexed != 2 || last.Total != 2 { // the document and the guide
			t.Errorf("last progress %+v", last)
		}
		f.publish(policy("关于做好防汛抗旱工作的通知", "<p>防汛抗旱。</p>", "示发改规〔2025〕22号"))
		eventually(t, r, search.Query{Text: "防汛抗旱"}, 2*time.Second, has("关于做好防汛抗旱工作的通知"))
		// switched, and the old generation removed once closed
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			_, err := os.Stat(filepath.Join(root, first))
			if r.Status(ctx).Generation == gen && os.IsNotExist(err) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("on %s (want %s); old generation %s: %v", r.Status(ctx).Generation, gen, first, err)
			}
		}
		eventually(t, r, search.Query{Text: "防暑降温"}, time.Second, has("关于做好高温天气防暑降温工作的通知"))

		// A restart resumes from the stored position, with no rebuild.
		cancel()
		<-done
		r.Close()
		f.publish(policy("关于开展安全生产大检查的通知", "<p>安全生产大检查。</p>", "示发改规〔2025〕23号"))
		r = start(t, db, f.blobs, root, time.Second)
		eventually(t, r, search.Query{Text: "安全生产"}, time.Second, has("关于开展安全生产大检查的通知"))
		if g := r.Status(context.Background()).Generation; g != gen {
			t.Errorf("restart rebuilt: generation %s, want %s", g, gen)
		}

		// A node stops; eight days later the outbox rows it would need are
		// pruned; when it starts again it rebuilds.
		other := t.TempDir()
		r2, stop2 := run(t, db, f.blobs, other, time.Second)
		gen2 := r2.Status(context.Background()).Generation
		stop2()
		f.publish(policy("停机期间发布的通知", "<p>停机期间。</p>", "示发改规〔2025〕24号"))
		db.Now = func() time.Time { return time.Now().Add(8 * 24 * time.Hour) }
		if n, err := db.PruneSearchOutbox(context.Background()); err != nil || n == 0 {
			t.Fatalf("prune: %d %v", n, err)
		}
		db.Now = time.Now
		stale := other
		r2 = start(t, db, f.blobs, stale, time.Second)
		eventually(t, r2, search.Query{Text: "停机期间"}, 2*time.Second, has("停机期间发布的通知"))
		if g := r2.Status(context.Background()).Generation; g == gen2 {
			t.Errorf("a replica behind the retention period kept generation %s", g)
		}
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			_, err := os.Stat(filepath.Join(stale, gen2))
			if os.IsNotExist(err) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("stale generation not removed: %v", err)
			}
		}
	})
}

// TestUnusableGeneration: an index of an older format (or a damaged one)
// is rebuilt at start instead of failing the server.
func TestUnusableGeneration(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := newFix(t, db)
	f.publish(policy("关于做好高温天气防暑降温工作的通知", "<p>高温天气防暑降温。</p>", "示发改规〔2025〕21号"))
	root := t.TempDir()
	old := filepath.Join(root, "g-20240101T000000-000000", "index")
	if err := os.MkdirAll(old, 0o750); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(old, "gongkai-search.json"), []byte(`{"version":1,"shards":1}`), 0o640)
	os.WriteFile(filepath.Join(root, "CURRENT"), []byte("g-20240101T000000-000000\n"), 0o640)
	r := start(t, db, f.blobs, root, time.Second)
	eventually(t, r, search.Query{Text: "防暑降温"}, time.Second, has("关于做好高温天气防暑降温工作的通知"))
	if g := r.Status(context.Background()).Generation; g == "g-20240101T000000-000000" || g == "" {
		t.Errorf("generation %q", g)
	}
}
