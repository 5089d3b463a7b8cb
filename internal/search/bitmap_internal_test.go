package search

import (
	"fmt"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/go-cmp/cmp"
)

// TestDateOrderBothWays: on one snapshot, ordering candidates from the day
// column (small sets) and by walking the days (large sets) give the same
// order, with several segments, deletions, many documents per day and
// documents without a date.
func TestDateOrderBothWays(t *testing.T) {
	ix, err := Open(t.TempDir(), Options{CacheEntries: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	var docs []Doc
	for i := range 900 {
		d := Doc{ID: fmt.Sprintf("d%04d", i), Kind: KindDocument, SiteIDs: []int64{1}, OrgCode: "o", Title: "关于工作的通知", Body: "正文"}
		if i%13 != 0 {
			d.PublishedAt = time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7)%40)
		}
		if i%4 == 0 {
			d.Title = "关于殡葬管理工作的通知"
		}
		docs = append(docs, d)
	}
	for start := 0; start < len(docs); start += 150 {
		if err := ix.Index(docs[start : start+150]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Delete("d0005", "d0100", "d0400"); err != nil {
		t.Fatal(err)
	}
	snap, err := ix.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer snap.close()
	for name, e := range map[string]expr{"all": allExpr{}, "term": termExpr{fTitle, "殡葬"}} {
		m := snap.match(e)
		cand := func() []*roaring.Bitmap {
			out := make([]*roaring.Bitmap, len(m.bits))
			for i, b := range m.bits {
				out[i] = b.Clone()
			}
			return out
		}
		if m.total == 0 || m.total > smallCandidates {
			t.Fatalf("%s: %d matches", name, m.total)
		}
		column := m.byDay(cand(), m.total, m.total, 0) // small: the day column
		walk := m.byDay(cand(), smallCandidates+1, m.total, 0)
		if len(column) != m.total {
			t.Errorf("%s: %d of %d ordered", name, len(column), m.total)
		}
		if diff := cmp.Diff(walk, column, cmp.AllowUnexported(docRef{})); diff != "" {
			t.Errorf("%s: day walk and day column differ (-walk +column):\n%s", name, diff)
		}
	}
}
