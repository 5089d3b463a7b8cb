package storetest

import (
	"context"
	_ "embed" // the hand-written golden report
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/store"
)

// ReportNow is the clock of the annual-report fixture: 26 November 2026,
// so the 2025 report is complete and 2026 is the current (provisional) year.
var ReportNow = time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)

// ReportGolden is the report of city-fgw for 2025 that ReportFixture's data
// must compile to, in the JSON of docs/annual-report.md. It was written by
// hand from the fixture below (each record says where it must land), not
// produced by the code under test.
//
//go:embed annualreport_golden.json
var ReportGolden []byte

// The prose the fixture saves, so that the golden report is fixed text.
const (
	ReportOverview     = "2025年，本委认真贯彻落实《中华人民共和国政府信息公开条例》，政府信息公开工作平稳有序。"
	ReportShortcomings = "一是政策解读形式还不够丰富。二是依申请公开答复文书有待进一步规范。"
	ReportOther        = "本年度无其他需要报告的事项。"
)

// ReportApplication is one application of the fixture.
type ReportApplication struct {
	No               string
	Org              string
	Kind             gongkai.ApplicantKind
	Received, Closed string // YYYY-MM-DD; "" for none
	Outcome          gongkai.Outcome
}

// ReportApplications are the fixture's applications. For city-fgw's 2025
// report (columns 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他):
var ReportApplications = []ReportApplication{
	// 上年结转 自然人; closed in 2025: （一）予以公开 自然人.
	{"YSQ-A1", "city-fgw", gongkai.ApplicantNatural, "2024-12-20", "2025-01-10", gongkai.OutcomeGranted},
	// Received and closed in 2024: not in 2025 at all.
	{"YSQ-A2", "city-fgw", gongkai.ApplicantCommercial, "2024-11-01", "2024-12-01", gongkai.OutcomePartiallyGranted},
	// 新收 自然人; （三）1 属于国家秘密.
	{"YSQ-A3", "city-fgw", gongkai.ApplicantNatural, "2025-03-01", "2025-03-20", gongkai.OutcomeWithheldStateSecret},
	// 新收 科研机构; （四）1 本机关不掌握.
	{"YSQ-A4", "city-fgw", gongkai.ApplicantResearch, "2025-05-05", "2025-05-30", gongkai.OutcomeUnavailableNotHeld},
	// 新收 社会公益组织; still open: 结转下年度.
	{"YSQ-A5", "city-fgw", gongkai.ApplicantNonprofit, "2025-12-20", "", ""},
	// 新收 法律服务机构; closed in 2026: 结转下年度.
	{"YSQ-A6", "city-fgw", gongkai.ApplicantLegal, "2025-11-10", "2026-01-05", gongkai.OutcomeGranted},
	// 新收 其他; （六）2 逾期未缴费.
	{"YSQ-A7", "city-fgw", gongkai.ApplicantOtherOrg, "2025-06-01", "2025-06-15", gongkai.OutcomeOtherFeeUnpaid},
	// 新收 自然人; （五）2 重复申请.
	{"YSQ-A8", "city-fgw", gongkai.ApplicantNatural, "2025-07-01", "2025-07-10", gongkai.OutcomeNotProcessedRepeated},
	// Received in 2026: not in 2025.
	{"YSQ-A9", "city-fgw", gongkai.ApplicantCommercial, "2026-01-03", "", ""},
	// An online submission never confirmed (no receipt date): not received.
	{"YSQ-A10", "city-fgw", gongkai.ApplicantNatural, "", "", ""},
	// Received in 2023, open at the start of 2025: 上年结转 自然人; （六）3 其他.
	{"YSQ-A11", "city-fgw", gongkai.ApplicantNatural, "2023-12-28", "2025-02-01", gongkai.OutcomeOtherOther},
	// 新收 商业企业; （二）部分公开.
	{"YSQ-A12", "city-fgw", gongkai.ApplicantCommercial, "2025-02-02", "2025-02-20", gongkai.OutcomePartiallyGranted},
	// Another org's application: never in city-fgw's report.
	{"YSQ-B1", "chengdong-mzj", gongkai.ApplicantNatural, "2025-04-01", "2025-04-10", gongkai.OutcomeGranted},
}

// reportAppeals are the fixture's appeals: application, kind, filed,
// result, closed. For city-fgw's 2025 table 四:
var reportAppeals = [][5]string{
	{"YSQ-A3", "reconsideration", "2025-04-01", "upheld", "2025-06-01"},        // 复议 结果维持
	{"YSQ-A3", "direct", "2024-10-01", "corrected", "2025-03-01"},              // 直接起诉 结果纠正 (decided in 2025)
	{"YSQ-A8", "after_reconsideration", "2025-09-01", "pending", ""},           // 复议后起诉 尚未审结
	{"YSQ-A8", "reconsideration", "2025-10-01", "other", "2026-02-01"},         // 复议 尚未审结 on 31 Dec 2025
	{"YSQ-A2", "reconsideration", "2024-03-01", "upheld", "2024-05-01"},        // decided in 2024: not in 2025
	{"YSQ-B1", "reconsideration", "2025-05-01", "upheld", "2025-06-01"},        // another org
	{"YSQ-A11", "after_reconsideration", "2023-12-30", "upheld", "2024-12-31"}, // decided in 2024
}

// reportDocuments are the fixture's published documents (import lines).
// For city-fgw's 2025 block 第二十条第（一）项 (行政规范性文件: 制发, 废止, 现行有效):
var reportDocuments = map[string][]string{
	"city-fgw": {
		// In force, made 2023: 现行有效.
		`{"indexNo":"FGW-D1","title":"示例市价格认定管理办法","body":"<p>正文</p>","docNo":"示发改规〔2023〕1号","genre":"tongzhi","topic":"0201","signedOn":"2023-05-01","columns":["gfxwj"],"publishedAt":"2023-05-06T09:00:00+08:00"}`,
		// Made 2025: 制发, 现行有效.
		`{"indexNo":"FGW-D2","title":"示例市政府定价成本监审办法","body":"<p>正文</p>","docNo":"示发改规〔2025〕1号","genre":"tongzhi","topic":"0201","signedOn":"2025-03-10","columns":["gfxwj"],"publishedAt":"2025-03-15T09:00:00+08:00"}`,
		// Signed 28 Dec 2024, published 2025: made in 2024 (成文日期), 现行有效.
		`{"indexNo":"FGW-D3","title":"示例市价格监测工作规程","body":"<p>正文</p>","docNo":"示发改规〔2024〕3号","genre":"tongzhi","topic":"0201","signedOn":"2024-12-28","columns":["gfxwj"],"publishedAt":"2025-01-06T09:00:00+08:00"}`,
		// Made 2022, repealed 30 June 2025: 废止.
		`{"indexNo":"FGW-D4","title":"示例市收费管理暂行办法","body":"<p>正文</p>","docNo":"示发改规〔2022〕1号","genre":"tongzhi","topic":"0201","signedOn":"2022-01-01","validity":"repealed","validityOn":"2025-06-30","columns":["gfxwj"],"publishedAt":"2022-01-05T09:00:00+08:00"}`,
		// Made 2025, expired 30 November 2025: 制发 and 废止, not in force.
		`{"indexNo":"FGW-D5","title":"示例市2025年迎峰度夏电力保障措施","body":"<p>正文</p>","docNo":"示发改规〔2025〕2号","genre":"tongzhi","topic":"0201","signedOn":"2025-02-01","validity":"expired","validityOn":"2025-11-30","columns":["gfxwj"],"publishedAt":"2025-02-05T09:00:00+08:00"}`,
		// Not a normative document: never counted in table 二.
		`{"indexNo":"FGW-D7","title":"示例市发展改革委2025年工作要点","body":"<p>正文</p>","genre":"tongzhi","topic":"0201","signedOn":"2025-03-01","columns":["qtwj"],"publishedAt":"2025-03-02T09:00:00+08:00"}`,
		// A 政策解读 of D2 published in 2025.
		`{"indexNo":"FGW-D8","title":"《示例市政府定价成本监审办法》政策解读","body":"<p>解读</p>","genre":"qita","topic":"0201","columns":["qtwj"],"interprets":["FGW-D2"],"publishedAt":"2025-03-16T09:00:00+08:00"}`,
	},
	"city": {
		// The city's own 规章, made 2025: only in the city's report.
		`{"indexNo":"CITY-D6","title":"示例市公共数据管理办法","body":"<p>正文</p>","docNo":"示政发〔2025〕1号","genre":"mingling","topic":"0201","signedOn":"2025-04-01","columns":["gz"],"publishedAt":"2025-04-10T09:00:00+08:00"}`,
	},
	"chengdong-mzj": {
		// Another org's normative document: not in city-fgw's report.
		`{"indexNo":"MZJ-D1","title":"城东区临时救助实施细则","body":"<p>正文</p>","docNo":"东民规〔2025〕1号","genre":"tongzhi","topic":"0201","signedOn":"2025-05-01","columns":["gfxwj"],"publishedAt":"2025-05-06T09:00:00+08:00"}`,
	},
}

// ReportFixture loads the annual-report data set into db (which should run
// on ReportNow): applications, appeals and fee notices written as the
// applications module stores them, documents imported through the store,
// and city-fgw's 2025 figures and prose saved by its editor. f is the
// fixture of Fixture; the city gets a site if it has none.
func ReportFixture(t testing.TB, db *store.DB, f *Fix) {
	t.Helper()
	ctx := System()
	sites, err := db.FindSites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) == 0 {
		if err := db.CreateSite(ctx, &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.example"}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, org := range []string{"city-fgw", "city", "chengdong-mzj"} {
		res, err := db.ImportDocuments(ctx, strings.NewReader(strings.Join(reportDocuments[org], "\n")), store.ImportOptions{OrgCode: org,
			BadLine: func(e store.ImportError) { t.Errorf("import %s: %v", org, e) }})
		if err != nil || res.Created != len(reportDocuments[org]) {
			t.Fatalf("import %s: %+v, %v", org, res, err)
		}
	}
	ids := map[string]int64{}
	for _, a := range ReportApplications {
		ids[a.No] = InsertApplication(t, db, a)
	}
	for i, p := range reportAppeals {
		exec(t, db, `INSERT INTO application_appeals (application_id, kind, filed_on, body, result, closed_on, created_at, updated_at)
			VALUES ($1, $2, $3, '示例市人民政府', $4, $5, $6, $6)`, ids[p[0]], p[1], p[2], p[3], nullDate(p[4]), stamp(ReportNow.Add(time.Duration(i)*time.Second)))
	}
	// Fee notices for the draft of section 六: 50 元 to A7 in 2025, never
	// paid; 30 元 to A1 in January 2025, paid two days later.
	for _, e := range []struct {
		no, kind, on string
		seq          int
		amount       any
	}{
		{"YSQ-A7", "fee_notified", "2025-06-05", 1, 50},
		{"YSQ-A1", "fee_notified", "2025-01-03", 1, 30},
		{"YSQ-A1", "fee_paid", "2025-01-05", 2, nil},
	} {
		exec(t, db, `INSERT INTO application_events (application_id, seq, kind, on_date, fee_amount, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, 'fixture')`,
			ids[e.no], e.seq, e.kind, e.on, e.amount, stamp(ReportNow))
	}
	str := func(s string) *string { return &s }
	if _, err := db.SaveAnnualReport(As(f.DeptEditor), "city-fgw", 2025, gongkai.AnnualReportUpdate{
		Licensing: str("１２"), Penalty: str("3"), Enforcement: str("0"), Fees: str("12.5"),
		Overview: str(ReportOverview), Shortcomings: str(ReportShortcomings), Other: str(ReportOther)}); err != nil {
		t.Fatal(err)
	}
}

// InsertApplication writes an application row as the applications module
// keeps it (the columns the annual report reads, placeholders elsewhere)
// and returns its id. It bypasses the statutory clock on purpose: the
// report counts dates, and tests need exact ones.
func InsertApplication(t testing.TB, db *store.DB, a ReportApplication) int64 {
	t.Helper()
	state := "closed"
	switch {
	case a.Received == "":
		state = "unconfirmed"
	case a.Closed == "":
		state = "open"
	}
	var outcome any
	if a.Outcome != "" {
		outcome = string(a.Outcome)
	}
	tx, err := db.BeginTx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(context.Background(), `INSERT INTO applications (tracking_no, access_hash, org_id, channel, applicant_kind, form, delivery, personal,
		name_index, applicant_key, submitted_at, received_on, state, closed_on, outcome, created_by, created_at, updated_at)
		VALUES ($1, 'x', (SELECT id FROM orgs WHERE code = $2), 'in_person', $3, 'paper', 'pickup', 'x', 'x', 'x', $4, $5, $6, $7, $8, 'fixture', $4, $4) RETURNING id`,
		a.No, a.Org, string(a.Kind), stamp(ReportNow), nullDate(a.Received), state, nullDate(a.Closed), outcome).Scan(&id)
	if err != nil {
		t.Fatalf("insert application %s: %v", a.No, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return id
}

// Exec runs one statement in its own transaction, for fixtures and for
// tests that change data behind the services' back (a late correction).
func Exec(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	exec(t, db, query, args...)
}

func exec(t testing.TB, db *store.DB, query string, args ...any) {
	t.Helper()
	tx, err := db.BeginTx(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", strings.Fields(query)[0], err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func nullDate(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// stamp formats an instant the way the store writes them.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000000+00:00") }
