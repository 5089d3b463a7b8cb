package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func TestSeedAnnualReports(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	start := time.Now()
	if _, err := demo.Seed(context.Background(), db, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded in %v", time.Since(start))
	ctx := storetest.System()
	year := gongkai.DateOf(db.Now()).Year - 1
	rows, err := db.FindAnnualReportProgress(ctx, "shili", year)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]gongkai.AnnualReportState{}
	for _, p := range rows {
		states[p.Org.Code] = p.State
	}
	for code, want := range map[string]gongkai.AnnualReportState{
		"shili": gongkai.ReportNotStarted, "shili-fgw": gongkai.ReportPublished, "shili-jyj": gongkai.ReportDrafting,
		"shili-sthjj": gongkai.ReportDrafting, "chengdong": gongkai.ReportNotStarted, "chengdong-mzj": gongkai.ReportDrafting,
	} {
		if states[code] != want {
			t.Errorf("%s: %s, want %s", code, states[code], want)
		}
	}
	// Every compiled department report is ready to publish: figures typed
	// in, no draft passage left.
	for _, code := range []string{"shili-jyj", "shili-mzj", "chengdong-mzj"} {
		rep, err := db.CompileAnnualReport(ctx, code, year)
		if err != nil {
			t.Fatal(err)
		}
		if ps := rep.Check(nil); annualreport.Blocking(ps) {
			t.Errorf("%s: blocking problems %+v", code, ps)
		}
		if strings.Contains(rep.Texts.Overview, annualreport.Placeholder) || strings.Contains(rep.Texts.Shortcomings, annualreport.Placeholder) {
			t.Errorf("%s: a draft passage is left", code)
		}
	}
	// Its report of the year before was imported as history, when the
	// demo has applications that far back.
	if _, n, _ := db.FindApplications(ctx, gongkai.ApplicationFilter{}); n > 0 {
		if _, err := db.FindAnnualReportSnapshot(ctx, "shili-fgw", year-1); err != nil {
			t.Errorf("history of %d: %v", year-1, err)
		}
	}
	// The published one is on the portal, in the 年报 column.
	rec, err := db.FindAnnualReport(ctx, "shili-fgw", year)
	if err != nil || !rec.Published() {
		t.Fatalf("shili-fgw: %+v, %v", rec, err)
	}
	if _, err := db.PublicAnnualReport(context.Background(), rec.DocumentID); err != nil {
		t.Errorf("public report: %v", err)
	}
}
