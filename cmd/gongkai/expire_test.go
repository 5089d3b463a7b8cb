package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestExpireCommand: `gongkai expire` marks 失效 a published document whose
// 有效期至 has passed since the server last ran, tells the department's
// editor, and says how many; a second run marks none.
func TestExpireCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.Validators = storetest.Validators
	f := storetest.Fixture(t, db)
	site := &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}
	if err := db.CreateSite(storetest.System(), site); err != nil {
		t.Fatal(err)
	}
	// Published a month ago, with a term that ended last week.
	today := gongkai.DateOf(time.Now())
	db.Now = func() time.Time { return today.AddDays(-30).Time().Add(10 * time.Hour) }
	s := func(v string) *string { return &v }
	signed, until := today.AddDays(-40), today.AddDays(-7)
	storetest.Publish(t, db, f, "city-fgw", gongkai.DocumentUpdate{Title: s("示例市价格认定暂行办法"),
		Body: s("<p>本办法自印发之日起施行。</p>"), Genre: s("通知"), Topic: s("0201"), SignedOn: &signed, EffectiveOn: &signed, ValidUntil: &until,
		DocNo: s("示发改规〔2024〕1号"), Columns: &[]string{"gfxwj"}})
	db.Close()

	out, stderr, code := run(t, "", nil, "expire", "--data", dir)
	if code != 0 || !strings.Contains(out, "标注为失效的文件 1 个，发出站内提醒 1 条。") {
		t.Fatalf("expire: %d %q %q", code, out, stderr)
	}
	out, stderr, code = run(t, "", nil, "expire", "--data", dir)
	if code != 0 || !strings.Contains(out, "标注为失效的文件 0 个，发出站内提醒 0 条。") {
		t.Errorf("second run: %d %q %q", code, out, stderr)
	}
	if _, stderr, code = run(t, "", nil, "expire", "--data", dir, "extra"); code != 2 || !strings.Contains(stderr, "多余的参数") {
		t.Errorf("extra argument: %d %q", code, stderr)
	}
}
