package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/checking"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestSeedChecks: with the content checks on (as in gongkai serve), the
// demo passes the review gate and shows it: a document at 终审 with block
// findings, a published 惩戒公示 with personal data as warnings, and a
// published notice with an open finding and notices for its staff.
func TestSeedChecks(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	blobs, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db.Checks = &checking.Service{Lists: db, Sites: db, Blobs: blobs}
	if _, err := demo.Seed(context.Background(), db, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	ctx := storetest.System()
	q := func(s string) *string { return &s }
	find := func(title string) *gongkai.Document {
		t.Helper()
		docs, _, err := db.FindDocuments(ctx, gongkai.DocumentFilter{Query: q(title), Limit: 5})
		if err != nil || len(docs) != 1 {
			t.Fatalf("%q: %d documents, %v", title, len(docs), err)
		}
		d, err := db.FindDocumentByID(ctx, docs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	waiting := find("含须修改的问题")
	if waiting.Status != gongkai.DocumentInReview || waiting.ReviewLevel != 3 {
		t.Errorf("report: %s at level %d", waiting.Status, waiting.ReviewLevel)
	}
	cs, _ := db.FindDocumentChecks(ctx, waiting.ID)
	if len(cs) == 0 || len(cs[0].Blocking()) != 2 {
		t.Errorf("report's findings: %+v", cs)
	}
	punish := find("联合惩戒对象公示")
	cs, _ = db.FindDocumentChecks(ctx, punish.ID)
	if punish.Status != gongkai.DocumentPublished || len(cs) == 0 || len(cs[0].Blocking()) != 0 || cs[0].Count(gongkai.CheckWarn) == 0 {
		t.Errorf("惩戒公示: %s, checks %+v", punish.Status, cs)
	}
	open, total, err := db.FindOpenFindings(ctx, gongkai.OpenFindingsFilter{})
	if err != nil || total != 1 || !strings.Contains(open[0].Document.Title, "机关开放日") {
		t.Errorf("open findings: %d, %v", total, err)
	}
}
