package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// loadApplications writes n applications of city-fgw received in 2025 and
// carried applications received in 2024, in multi-row inserts (the
// applications module's own path is not what is measured here). Nine in
// ten are closed, each outcome and applicant kind in turn; closing dates
// run up to two months after receipt, so some close in 2026.
func loadApplications(tb testing.TB, db *store.DB, n, carried int) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	var orgID int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM orgs WHERE code = 'city-fgw'`).Scan(&orgID); err != nil {
		tb.Fatal(err)
	}
	const batch = 500 // 500 rows × 10 parameters, under SQLite's limit
	stamp := storetest.ReportNow.Format("2006-01-02 15:04:05.000000+00:00")
	jan1 := gongkai.NewDate(2025, time.January, 1)
	var sb strings.Builder
	var args []any
	flush := func() {
		if len(args) == 0 {
			return
		}
		q := `INSERT INTO applications (tracking_no, access_hash, org_id, channel, applicant_kind, form, delivery, personal, name_index, applicant_key,
			submitted_at, received_on, state, due_on, closed_on, outcome, created_by, created_at, updated_at) VALUES ` + sb.String()
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tb.Fatal(err)
		}
		sb.Reset()
		args = args[:0]
	}
	for i := range n + carried {
		received := jan1.AddDays(i % 365)
		if i >= n {
			received = jan1.AddDays(-1 - i%300) // 2024: carried over if open on 1 January
		}
		var state string
		var closed, outcome any
		if i%10 == 9 {
			state = "open"
		} else {
			state = "closed"
			closed = received.AddDays(1 + i%60)
			outcome = string(gongkai.Outcomes[i%len(gongkai.Outcomes)])
		}
		if sb.Len() > 0 {
			sb.WriteString(", ")
		}
		p := len(args)
		fmt.Fprintf(&sb, "($%d, 'x', $%d, 'in_person', $%d, 'paper', 'pickup', 'x', 'x', 'x', $%d, $%d, $%d, $%d, $%d, $%d, 'bench', $%d, $%d)",
			p+1, p+2, p+3, p+4, p+5, p+6, p+7, p+8, p+9, p+4, p+4)
		args = append(args, fmt.Sprintf("YSQB%07d", i), orgID, string(gongkai.ApplicantKinds[i%len(gongkai.ApplicantKinds)]), stamp,
			received, state, received.AddDays(28), closed, outcome)
		if (i+1)%batch == 0 {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkCompileAnnualReport100k compiles the 2025 report of an org with
// 100,000 applications received in the year (and 5,000 received in 2024,
// half of them still open on 1 January): the store's queries (table 三's
// applications, appeals, documents, fees) and Compile, as the staff screen,
// the API and the CLI run them. Target (issue 5): < 1 s on both databases.
func BenchmarkCompileAnnualReport100k(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			db.Now = func() time.Time { return storetest.ReportNow }
			f := storetest.Fixture(b, db)
			loadApplications(b, db, 100000, 5000)
			ctx := storetest.As(f.DeptEditor)
			ref := annualreport.CellRef{Section: "三", Row: "一、本年新收政府信息公开申请数量", Column: "总计", Groups: []string{"申请人情况"}}
			b.ResetTimer()
			for b.Loop() {
				rep, err := db.CompileAnnualReport(ctx, "city-fgw", 2025)
				if err != nil {
					b.Fatal(err)
				}
				if v, _ := rep.Lookup(ref); v != annualreport.Num(100000) {
					b.Fatalf("新收 = %v, want 100000", v)
				}
			}
		})
	}
}
