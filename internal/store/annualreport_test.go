package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/annualreport"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// reportDB is a fixture database on the report fixture's clock.
func reportDB(t *testing.T, db *store.DB) *storetest.Fix {
	t.Helper()
	db.Now = func() time.Time { return storetest.ReportNow }
	f := storetest.Fixture(t, db)
	storetest.ReportFixture(t, db, f)
	return f
}

// jsonOf encodes a report and decodes it into plain values for cmp.
func jsonOf(t *testing.T, r *annualreport.Report) any {
	t.Helper()
	var b bytes.Buffer
	if err := annualreport.Encode(&b, r); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func goldenReport(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(storetest.ReportGolden, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAnnualReportGolden compiles city-fgw's 2025 report from the fixture
// in the database and compares it with the report written by hand.
func TestAnnualReportGolden(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		rep, err := db.CompileAnnualReport(storetest.As(f.DeptEditor), "city-fgw", 2025)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(goldenReport(t), jsonOf(t, rep)); diff != "" {
			t.Errorf("report mismatch (-want +got):\n%s", diff)
		}
		// The drafts quote what only the data knows: counted by hand from
		// the fixture (D2, D3, D5 in 行政规范性文件; D7, D8 in 其他文件; D8
		// interprets D2; notices of 50 and 30 元, the 30 paid).
		for _, want := range []string{
			"全年在政府网站主动公开政府信息5条，其中“行政规范性文件”栏目3条、“其他文件”栏目2条。",
			"本年制发行政规范性文件2件、废止2件，截至2025年底现行有效3件。发布政策解读1篇。",
			"全年新收政府信息公开申请7件，上年结转2件；本年办结7件，结转下年度继续办理2件。",
			"本年涉及政府信息公开的行政复议案件2件、行政诉讼案件2件。",
		} {
			if !strings.Contains(rep.Drafts.Overview, want) {
				t.Errorf("draft of 一 lacks %q:\n%s", want, rep.Drafts.Overview)
			}
		}
		if want := "本年度发出信息处理费收费通知2件，总金额80元，实际收取信息处理费30元。"; !strings.Contains(rep.Drafts.Other, want) {
			t.Errorf("draft of 六 lacks %q:\n%s", want, rep.Drafts.Other)
		}
		// The city's own report has its 规章 and none of the department's
		// documents or applications.
		city, err := db.CompileAnnualReport(storetest.As(f.CitySupervisor), "city", 2025)
		if err != nil {
			t.Fatal(err)
		}
		got := [][]int64{}
		for _, row := range city.Tables[0].Rows {
			var vs []int64
			for _, v := range row.Values {
				vs = append(vs, v.N)
			}
			got = append(got, vs)
		}
		if diff := cmp.Diff([][]int64{{1, 0, 1}, {0, 0, 0}}, got); diff != "" {
			t.Errorf("city table 二（一） mismatch (-want +got):\n%s", diff)
		}
		if v, _ := city.Lookup(annualreport.CellRef{Section: "三", Row: "一、本年新收政府信息公开申请数量", Column: "总计", Groups: []string{"申请人情况"}}); v != annualreport.Num(0) {
			t.Errorf("city counts other orgs' applications: %v", v)
		}
		// Check: the fixture is consistent; the only remark is the missing
		// 2024 report.
		problems := rep.Check(nil)
		if annualreport.Blocking(problems) || len(problems) != 1 || !strings.Contains(problems[0].Message, "未找到2024年已发布的年度报告") {
			t.Errorf("Check = %+v", problems)
		}
	})
}

// TestAnnualReportBadInput: years, orgs, figures and permissions that are
// refused, with nothing saved.
func TestAnnualReportBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		ed := storetest.As(f.DeptEditor)
		for _, tc := range []struct {
			org   string
			year  int
			code  string
			field string
			msg   string
		}{
			{"city-fgw", 2027, gongkai.EINVALID, "year", "2027年尚未到来"},
			{"city-fgw", 2007, gongkai.EINVALID, "year", "年度应不早于2008年"},
			// The department's earliest data is D4, signed 1 January 2022.
			{"city-fgw", 2021, gongkai.EINVALID, "year", "本平台没有“示例市发展和改革委员会”2021年的数据（最早的数据属于2022年）"},
			{"nosuch", 2025, gongkai.ENOTFOUND, "org", "机构代码“nosuch”不存在"},
		} {
			_, err := db.CompileAnnualReport(ed, tc.org, tc.year)
			e := gongkai.AsError(err)
			if e == nil || e.Code != tc.code || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("compile %s %d: %v, want %s on %s with %q", tc.org, tc.year, err, tc.code, tc.field, tc.msg)
			}
		}
		// 2022 is the first year with data; 2026 compiles as provisional.
		if _, err := db.CompileAnnualReport(ed, "city-fgw", 2022); err != nil {
			t.Errorf("2022: %v", err)
		}
		cur, err := db.CompileAnnualReport(ed, "city-fgw", 2026)
		if err != nil || cur.AsOf != gongkai.NewDate(2026, 11, 26) {
			t.Errorf("2026: %v, as of %v", err, cur)
		}

		before, err := db.FindAnnualReport(ed, "city-fgw", 2025)
		if err != nil {
			t.Fatal(err)
		}
		audits := auditCount(t, db)
		str := func(s string) *string { return &s }
		_, err = db.SaveAnnualReport(ed, "city-fgw", 2025, gongkai.AnnualReportUpdate{
			Licensing: str("-1"), Penalty: str("十二"), Enforcement: str("7"), Fees: str("1.234"), Overview: str("新的总体情况")})
		e := gongkai.AsError(err)
		if e == nil || e.Code != gongkai.EINVALID {
			t.Fatalf("bad figures: %v", err)
		}
		// Each message names the figure, quotes the input and says what is
		// wrong with it, once.
		if diff := cmp.Diff([]gongkai.Problem{
			{Field: "licensing", Message: "行政许可本年处理决定数量：“-1”不能为负数。"},
			{Field: "penalty", Message: "行政处罚本年处理决定数量：“十二”不是有效的数字。"},
			{Field: "fees", Message: "行政事业性收费本年收费金额：“1.234”最多保留2位小数。"},
		}, e.Problems); diff != "" {
			t.Errorf("problems mismatch (-want +got):\n%s", diff)
		}
		for _, bad := range []string{"1e3", "12.3.4", "NaN", "-0.5"} {
			if _, err := db.SaveAnnualReport(ed, "city-fgw", 2025, gongkai.AnnualReportUpdate{Fees: str(bad)}); gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Errorf("fees %q: %v", bad, err)
			}
		}
		after, _ := db.FindAnnualReport(ed, "city-fgw", 2025)
		if diff := cmp.Diff(before, after); diff != "" || auditCount(t, db) != audits {
			t.Errorf("a refused save changed the report (-before +after):\n%s", diff)
		}
		// Roles: the officer and the county admin may not write; the
		// county admin may not even read the city department's report.
		if _, err := db.SaveAnnualReport(storetest.As(f.DeptOfficer), "city-fgw", 2025, gongkai.AnnualReportUpdate{Licensing: str("1")}); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("officer save: %v", err)
		}
		if _, err := db.CompileAnnualReport(storetest.As(f.CountyAdmin), "city-fgw", 2025); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("county admin read: %v", err)
		}
		if _, err := db.CompileAnnualReport(storetest.As(f.CitySupervisor), "city-fgw", 2025); err != nil {
			t.Errorf("city supervisor read: %v", err)
		}
		// Prose equal to the draft is stored empty, so it follows the data.
		rep, _ := db.CompileAnnualReport(ed, "city-fgw", 2025)
		saved, err := db.SaveAnnualReport(ed, "city-fgw", 2025, gongkai.AnnualReportUpdate{Other: str(rep.Drafts.Other + "\r\n")})
		if err != nil || saved.Other != "" {
			t.Errorf("draft saved as %q, %v", saved.Other, err)
		}
		// Data the report cannot count is refused with the application
		// named (the store reads the numbers only for this message).
		storetest.InsertApplication(t, db, storetest.ReportApplication{No: "YSQ-BAD", Org: "city-fgw", Kind: gongkai.ApplicantNatural,
			Received: "2025-05-01", Closed: "2025-04-01", Outcome: gongkai.OutcomeGranted})
		_, err = db.CompileAnnualReport(ed, "city-fgw", 2025)
		if e := gongkai.AsError(err); e == nil || e.Code != gongkai.EINVALID || !strings.Contains(e.Message, "申请YSQ-BAD的办结日期早于收到日期") {
			t.Errorf("inconsistent application: %v", err)
		}
		storetest.Exec(t, db, `DELETE FROM applications WHERE tracking_no = 'YSQ-BAD'`)
		// A normal document cannot be put in the 年报 column.
		_, err = db.CreateDocument(ed, "city-fgw", gongkai.DocumentUpdate{Title: str("关于年报的说明"), Columns: &[]string{"nb"}})
		if e := gongkai.AsError(err); e == nil || e.Field != "columns" || !strings.Contains(e.Message, "只登载政府信息公开工作年度报告") {
			t.Errorf("document in 年报 column: %v", err)
		}
	})
}

func auditCount(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// approveReport takes the report's document through the department's
// three levels of review.
func approveReport(t *testing.T, db *store.DB, f *storetest.Fix, id int64) *gongkai.Document {
	t.Helper()
	var d *gongkai.Document
	var err error
	for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
		if d, err = db.ReviewDocument(storetest.As(r), id, gongkai.Approve, ""); err != nil {
			t.Fatalf("review by %s: %v", r.Username, err)
		}
	}
	if d.Status != gongkai.DocumentPublished {
		t.Fatalf("after review: %s", d.Status)
	}
	return d
}

// TestAnnualReportPublish: a report is refused while Check blocks, then
// published through the 三审 review, frozen, shown on the portal, and a
// late correction shows as a difference from the snapshot.
func TestAnnualReportPublish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		ed := storetest.As(f.DeptEditor)
		docs := func() int {
			_, n, err := db.FindDocuments(storetest.System(), gongkai.DocumentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		n0, audits := docs(), auditCount(t, db)
		// The current year is provisional; 2024 lacks its figures and prose.
		for _, tc := range []struct {
			year int
			want []string
		}{
			{2026, []string{"2026年尚未结束"}},
			{2024, []string{"表二第二十条第（五）项“行政许可”行“本年处理决定数量”列", "“一、总体情况”部分仍有“【待补充】”标记"}},
		} {
			_, err := db.SubmitAnnualReport(ed, "city-fgw", tc.year, "")
			e := gongkai.AsError(err)
			if e == nil || e.Code != gongkai.EINVALID || e.Field != "report" {
				t.Fatalf("submit %d: %v", tc.year, err)
			}
			all := e.Message
			for _, p := range e.Problems {
				all += "\n" + p.Message
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("submit %d: problems lack %q:\n%s", tc.year, w, all)
				}
			}
		}
		if docs() != n0 || auditCount(t, db) != audits {
			t.Fatal("a refused submission left a document or an audit record")
		}
		if _, err := db.SubmitAnnualReport(storetest.As(f.DeptOfficer), "city-fgw", 2025, ""); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("officer submit: %v", err)
		}

		d, err := db.SubmitAnnualReport(ed, "city-fgw", 2025, "")
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != gongkai.DocumentInReview || d.Title != "示例市发展和改革委员会2025年政府信息公开工作年度报告" || d.Columns[0] != "nb" {
			t.Fatalf("submitted: %+v", d)
		}
		if !strings.Contains(d.Body, "<caption>") || !strings.Contains(d.Body, `scope="col"`) || strings.Contains(d.Body, "headers=") {
			t.Errorf("document body is not the cleaned report HTML: %.300s", d.Body)
		}
		if _, err := db.SubmitAnnualReport(ed, "city-fgw", 2025, ""); gongkai.ErrorCode(err) != gongkai.ECONFLICT {
			t.Errorf("second submit while in review: %v", err)
		}
		if _, err := db.FindAnnualReportSnapshot(ed, "city-fgw", 2025); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
			t.Errorf("snapshot before publication: %v", err)
		}
		d = approveReport(t, db, f, d.ID)
		rec, err := db.FindAnnualReport(ed, "city-fgw", 2025)
		if err != nil || !rec.Published() || rec.DocumentID != d.ID || rec.DocumentStatus != gongkai.DocumentPublished || !rec.Live {
			t.Fatalf("record after publication: %+v, %v", rec, err)
		}
		// Published 26 November 2026, long after 31 January: late.
		if rec.OnTime() || rec.Deadline != gongkai.NewDate(2026, 1, 31) {
			t.Errorf("on time = %v, deadline %v", rec.OnTime(), rec.Deadline)
		}
		snap, err := db.FindAnnualReportSnapshot(ed, "city-fgw", 2025)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(goldenReport(t), jsonOf(t, snap)); diff != "" {
			t.Errorf("snapshot mismatch (-want +got):\n%s", diff)
		}
		for _, get := range []func() (*annualreport.Report, error){
			func() (*annualreport.Report, error) { return db.PublicAnnualReport(context.Background(), d.ID) },
			func() (*annualreport.Report, error) {
				return db.FindPublicAnnualReport(context.Background(), "city-fgw", 2025)
			},
		} {
			if r, err := get(); err != nil || r.Year != 2025 {
				t.Errorf("public report: %v", err)
			}
		}
		pub, _, err := db.FindPublicDocuments(context.Background(), gongkai.PublicFilter{SiteID: d.SiteID, ColumnIDs: []int64{columnID(t, db, d.SiteID, "nb")}})
		if err != nil || len(pub) != 1 || pub[0].ID != d.ID {
			t.Errorf("年报 column lists %v, %v", pub, err)
		}

		// A late correction: A5 turns out to have been answered on 30
		// December 2025. The published report stays; the difference shows.
		storetest.Exec(t, db, `UPDATE applications SET state = 'closed', closed_on = '2025-12-30', outcome = 'granted' WHERE tracking_no = 'YSQ-A5'`)
		cur, err := db.CompileAnnualReport(ed, "city-fgw", 2025)
		if err != nil {
			t.Fatal(err)
		}
		type change struct{ Cell, Was, Now string }
		var got []change
		for _, c := range annualreport.Diff(snap, cur) {
			got = append(got, change{c.Cell.String(), c.Published.Format(c.Decimals), c.Current.Format(c.Decimals)})
		}
		want := []change{
			{"表三“（一）予以公开”行“申请人情况／法人或其他组织／社会公益组织”列", "0", "1"},
			{"表三“（一）予以公开”行“申请人情况／总计”列", "1", "2"},
			{"表三“（七）总计”行“申请人情况／法人或其他组织／社会公益组织”列", "0", "1"},
			{"表三“（七）总计”行“申请人情况／总计”列", "7", "8"},
			{"表三“四、结转下年度继续办理”行“申请人情况／法人或其他组织／社会公益组织”列", "1", "0"},
			{"表三“四、结转下年度继续办理”行“申请人情况／总计”列", "2", "1"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("diff mismatch (-want +got):\n%s", diff)
		}
		again, _ := db.FindAnnualReportSnapshot(ed, "city-fgw", 2025)
		if diff := cmp.Diff(jsonOf(t, snap), jsonOf(t, again)); diff != "" {
			t.Errorf("the published snapshot changed with the data:\n%s", diff)
		}

		// A revision needs a 修订说明, then goes through review again and
		// replaces the snapshot.
		if _, err := db.SubmitAnnualReport(ed, "city-fgw", 2025, ""); gongkai.AsError(err) == nil || gongkai.AsError(err).Field != "revisionNote" {
			t.Errorf("revision without note: %v", err)
		}
		if d2, _ := db.FindDocumentByID(ed, d.ID); d2.Status != gongkai.DocumentPublished {
			t.Errorf("a refused revision left the document %s", d2.Status)
		}
		if _, err := db.SubmitAnnualReport(ed, "city-fgw", 2025, "更正申请办理数据"); err != nil {
			t.Fatal(err)
		}
		approveReport(t, db, f, d.ID)
		snap, _ = db.FindAnnualReportSnapshot(ed, "city-fgw", 2025)
		if ch := annualreport.Diff(snap, cur); len(ch) != 0 {
			t.Errorf("after the revision the snapshot still differs: %+v", ch)
		}
	})
}

func columnID(t *testing.T, db *store.DB, siteID int64, slug string) int64 {
	t.Helper()
	cols, err := db.FindColumns(context.Background(), siteID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Slug == slug {
			return c.ID
		}
	}
	t.Fatalf("no column %s", slug)
	return 0
}

// TestAnnualReportCarryOver publishes 2024, then checks 2025 against it:
// consistent at first, then a warning naming the column and the
// difference after a correction to 2024's data.
func TestAnnualReportCarryOver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		ed := storetest.As(f.DeptEditor)
		str := func(s string) *string { return &s }
		if _, err := db.SaveAnnualReport(ed, "city-fgw", 2024, gongkai.AnnualReportUpdate{Licensing: str("10"), Penalty: str("2"), Enforcement: str("0"), Fees: str("0"),
			Overview: str("2024年总体情况。"), Shortcomings: str("2024年存在的问题。"), Other: str("无。")}); err != nil {
			t.Fatal(err)
		}
		d, err := db.SubmitAnnualReport(ed, "city-fgw", 2024, "")
		if err != nil {
			t.Fatal(err)
		}
		approveReport(t, db, f, d.ID)
		prev, err := db.FindAnnualReportSnapshot(ed, "city-fgw", 2024)
		if err != nil {
			t.Fatal(err)
		}
		// By hand: open on 31 December 2024 were A1 (received 20 December)
		// and A11 (received 2023), both 自然人; in force were D1, D3, D4.
		next, _ := prev.Lookup(annualreport.CellRef{Section: "三", Row: "四、结转下年度继续办理", Column: "自然人", Groups: []string{"申请人情况"}})
		inForce, _ := prev.Lookup(annualreport.CellRef{Section: "二", Heading: "第二十条第（一）项", Row: "行政规范性文件", Column: "现行有效件数"})
		if next != annualreport.Num(2) || inForce != annualreport.Num(3) {
			t.Fatalf("2024: 结转 %v, 现行有效 %v", next, inForce)
		}
		cur, _ := db.CompileAnnualReport(ed, "city-fgw", 2025)
		if ps := cur.Check(prev); len(ps) != 0 {
			t.Errorf("2025 against 2024: %+v", ps)
		}
		// Correction: A1 was in fact answered on 30 December 2024.
		storetest.Exec(t, db, `UPDATE applications SET closed_on = '2024-12-30' WHERE tracking_no = 'YSQ-A1'`)
		cur, _ = db.CompileAnnualReport(ed, "city-fgw", 2025)
		ps := cur.Check(prev)
		if len(ps) != 2 || annualreport.Blocking(ps) {
			t.Fatalf("after correction: %+v", ps)
		}
		for i, want := range []string{
			"“自然人”列：上年结转1件，与2024年已发布年度报告的“结转下年度继续办理”2件不一致（相差-1件）",
			"“总计”列：上年结转1件，与2024年已发布年度报告的“结转下年度继续办理”2件不一致（相差-1件）",
		} {
			if !strings.Contains(ps[i].Message, want) || ps[i].Cell.Row != "二、上年结转政府信息公开申请数量" {
				t.Errorf("warning %d = %+v, want %q", i, ps[i], want)
			}
		}
		// A warning does not block publication.
		if _, err := db.SubmitAnnualReport(ed, "city-fgw", 2025, ""); err != nil {
			t.Errorf("submit with a carry-over warning: %v", err)
		}
	})
}

// TestAnnualReportImport reads history in both formats, and refuses files
// that do not match, naming the label.
func TestAnnualReportImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		ed := storetest.As(f.DeptEditor)
		golden := string(storetest.ReportGolden)
		y2023 := strings.Replace(golden, `"year": 2025`, `"year": 2023`, 1)
		for _, tc := range []struct {
			name, file, field, msg string
		}{
			{"curly quotes straightened", strings.Replace(y2023, "危及“三安全一稳定”", `危及\"三安全一稳定\"`, 1), "", "危及\"三安全一稳定\""},
			{"half-width parentheses", strings.Replace(y2023, "（七）总计", "(七)总计", 1), "", "(七)总计"},
			{"other org", strings.Replace(y2023, `"code": "city-fgw"`, `"code": "city"`, 1), "org.code", "“city”"},
			{"other kind", strings.Replace(y2023, `"kind": "department"`, `"kind": "government"`, 1), "org.kind", "机关类别"},
			{"already published here", strings.Replace(y2023, `"year": 2023`, `"year": 2024`, 1), "year", ""},
			{"future", strings.Replace(y2023, `"year": 2023`, `"year": 2027`, 1), "year", "2027"},
			{"negative", strings.Replace(y2023, `"values": [2, 1, 1, 1, 1, 1, 7]`, `"values": [2, 1, 1, 1, 1, -1, 7]`, 1), "", "负"},
		} {
			if tc.name == "already published here" {
				continue // exercised below, once 2024 is published
			}
			_, err := db.ImportAnnualReport(ed, "city-fgw", strings.NewReader(tc.file))
			e := gongkai.AsError(err)
			if e == nil || e.Code != gongkai.EINVALID || (tc.field != "" && e.Field != tc.field) || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("%s: %v", tc.name, err)
			}
		}
		if _, err := db.FindAnnualReportSnapshot(ed, "city-fgw", 2023); gongkai.ErrorCode(err) != gongkai.ENOTFOUND {
			t.Fatalf("a refused import left a report: %v", err)
		}
		if _, err := db.ImportAnnualReport(storetest.As(f.DeptOfficer), "city-fgw", strings.NewReader(y2023)); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("officer import: %v", err)
		}
		rep, err := db.ImportAnnualReport(ed, "city-fgw", strings.NewReader(y2023))
		if err != nil || rep.Year != 2023 {
			t.Fatalf("import 2023: %v", err)
		}
		snap, err := db.FindAnnualReportSnapshot(ed, "city-fgw", 2023)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(jsonOf(t, rep), jsonOf(t, snap)); diff != "" {
			t.Errorf("imported report mismatch (-want +got):\n%s", diff)
		}
		// The 2019 trial format, for year-on-year comparison.
		b, err := os.ReadFile("../annualreport/testdata/report-2019.json")
		if err != nil {
			t.Fatal(err)
		}
		var raw map[string]any
		json.Unmarshal(b, &raw)
		raw["org"] = map[string]any{"code": "city-fgw", "name": "示例市发展和改革委员会", "kind": "department"}
		b, _ = json.Marshal(raw)
		old, err := db.ImportAnnualReport(ed, "city-fgw", bytes.NewReader(b))
		if err != nil || old.Format != annualreport.Format2019 {
			t.Fatalf("import 2019 format: %v", err)
		}
		rec, _ := db.FindAnnualReport(ed, "city-fgw", old.Year)
		if rec.ImportedAt.IsZero() || rec.Published() {
			t.Errorf("record of the imported year: %+v", rec)
		}
		// A year published here is not imported over.
		str := func(s string) *string { return &s }
		db.SaveAnnualReport(ed, "city-fgw", 2024, gongkai.AnnualReportUpdate{Licensing: str("1"), Penalty: str("1"), Enforcement: str("1"), Fees: str("1"),
			Overview: str("甲"), Shortcomings: str("乙"), Other: str("丙")})
		d, err := db.SubmitAnnualReport(ed, "city-fgw", 2024, "")
		if err != nil {
			t.Fatal(err)
		}
		approveReport(t, db, f, d.ID)
		_, err = db.ImportAnnualReport(ed, "city-fgw", strings.NewReader(strings.Replace(y2023, `"year": 2023`, `"year": 2024`, 1)))
		if e := gongkai.AsError(err); e == nil || e.Field != "year" || !strings.Contains(e.Message, "已在本平台发布") {
			t.Errorf("import over a published year: %v", err)
		}
	})
}

// TestAnnualReportRollUp sums reports for a 政务公开办.
func TestAnnualReportRollUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		sum, err := db.SumAnnualReports(storetest.As(f.CitySupervisor), []string{"city-fgw", "chengdong-mzj", "city-fgw"}, 2025)
		if err != nil {
			t.Fatal(err)
		}
		// city-fgw received 2 自然人 in 2025 (A3, A8), chengdong-mzj 1 (B1).
		v, _ := sum.Lookup(annualreport.CellRef{Section: "三", Row: "一、本年新收政府信息公开申请数量", Column: "自然人", Groups: []string{"申请人情况"}})
		if v != annualreport.Num(3) {
			t.Errorf("sum 新收 自然人 = %v, want 3", v)
		}
		// chengdong-mzj has not entered its figures: the sum stays empty.
		lic, _ := sum.Lookup(annualreport.CellRef{Section: "二", Heading: "第二十条第（五）项", Row: "行政许可", Column: "本年处理决定数量"})
		if lic.Valid {
			t.Errorf("sum of an entered and a missing figure = %v, want empty", lic)
		}
		if !strings.Contains(sum.Org.Name, "所选2个机关") {
			t.Errorf("sum named %q", sum.Org.Name)
		}
		for _, u := range []*gongkai.User{f.DeptEditor, f.CountyAdmin} {
			if _, err := db.SumAnnualReports(storetest.As(u), []string{"city-fgw"}, 2025); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
				t.Errorf("%s sums: %v", u.Username, err)
			}
		}
		if _, err := db.SumAnnualReports(storetest.As(f.CitySupervisor), nil, 2025); gongkai.ErrorCode(err) != gongkai.EINVALID {
			t.Errorf("empty selection: %v", err)
		}
	})
}

// fakeJobs records the jobs enqueued.
type fakeJobs struct{ jobs []store.Job }

func (j *fakeJobs) InsertTx(_ context.Context, _ *sql.Tx, job store.Job) error {
	j.jobs = append(j.jobs, job)
	return nil
}

// TestAnnualReportProgress: the 政务公开办's overview and the reminders.
func TestAnnualReportProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reportDB(t, db)
		sup := storetest.As(f.CitySupervisor)
		rows, err := db.FindAnnualReportProgress(sup, "city", 2025)
		if err != nil {
			t.Fatal(err)
		}
		type line struct {
			Org      string
			State    gongkai.AnnualReportState
			Deadline string
			Overdue  bool
		}
		var got []line
		for _, p := range rows {
			got = append(got, line{p.Org.Code, p.State, p.Deadline.String(), p.Overdue()})
		}
		want := []line{
			{"city", gongkai.ReportNotStarted, "2026-03-31", true},
			{"chengdong", gongkai.ReportNotStarted, "2026-03-31", true},
			{"chengdong-mzj", gongkai.ReportNotStarted, "2026-01-31", true},
			{"city-fgw", gongkai.ReportDrafting, "2026-01-31", true},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("progress mismatch (-want +got):\n%s", diff)
		}
		if _, err := db.FindAnnualReportProgress(storetest.As(f.DeptEditor), "city", 2025); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("editor overview: %v", err)
		}
		mine, err := db.FindAnnualReportProgress(storetest.As(f.DeptEditor), "", 2025)
		if err != nil || len(mine) != 1 || mine[0].Org.Code != "city-fgw" {
			t.Errorf("editor's own orgs: %v, %v", mine, err)
		}

		// The periodic sweep: every report of 2025 is overdue on 26
		// November 2026. Notified: the department's editor and the city's
		// supervisor (editors and supervisors of each org; the county has
		// only an admin).
		n, err := db.RemindAnnualReports(context.Background(), store.AnnualReportRemindArgs{})
		if err != nil || n != 2 {
			t.Fatalf("sweep: %d notices, %v", n, err)
		}
		if n, _ := db.RemindAnnualReports(context.Background(), store.AnnualReportRemindArgs{}); n != 0 {
			t.Errorf("second sweep sent %d notices", n)
		}
		notes, unread, err := db.FindNotices(storetest.As(f.DeptEditor), false, 10)
		if err != nil || unread != 1 || notes[0].ApplicationID != 0 ||
			notes[0].Message != "示例市发展和改革委员会2025年政府信息公开工作年度报告应于2026年1月31日前发布，已逾期299天，目前编制中；请尽快编制并提交审核（《政府信息公开条例》第四十九条）。" {
			t.Fatalf("editor's notices: %+v %d %v", notes, unread, err)
		}

		// The 政务公开办 asks for a reminder: a job for the orgs that have
		// not published.
		jobs := &fakeJobs{}
		db.Jobs = jobs
		if _, err := db.RequestAnnualReportReminders(storetest.As(f.DeptEditor), "city", 2025); gongkai.ErrorCode(err) != gongkai.EFORBIDDEN {
			t.Errorf("editor requests reminders: %v", err)
		}
		if _, err := db.RequestAnnualReportReminders(sup, "city", 2026); gongkai.ErrorCode(err) != gongkai.EINVALID {
			t.Errorf("reminders for the current year: %v", err)
		}
		n, err = db.RequestAnnualReportReminders(sup, "city", 2025)
		if err != nil || n != 4 || len(jobs.jobs) != 1 {
			t.Fatalf("request: %d orgs, %d jobs, %v", n, len(jobs.jobs), err)
		}
		args := jobs.jobs[0].Args.(store.AnnualReportRemindArgs)
		if n, err := db.RemindAnnualReports(context.Background(), args); err != nil || n != 2 {
			t.Fatalf("requested reminder: %d, %v", n, err)
		}
		notes, _, _ = db.FindNotices(storetest.As(f.DeptEditor), true, 10)
		if len(notes) != 2 || !strings.HasPrefix(notes[0].Message, "示例市政务公开办提醒：示例市发展和改革委员会2025年政府信息公开工作年度报告应于2026年1月31日前发布") {
			t.Errorf("requested notice: %+v", notes)
		}
	})
}

// TestAnnualReportProperty: for random application histories written to
// the database, every year's table 三 satisfies the 勾稽 rules and what one
// year carries forward is what the next carries over.
func TestAnnualReportProperty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		db.Now = func() time.Time { return storetest.ReportNow }
		f := storetest.Fixture(t, db)
		rnd := rand.New(rand.NewPCG(2026, 5))
		start := gongkai.NewDate(2022, time.June, 1)
		for i := range 400 {
			a := storetest.ReportApplication{No: fmt.Sprintf("YSQ-P%04d", i), Org: "city-fgw",
				Kind: gongkai.ApplicantKinds[rnd.IntN(len(gongkai.ApplicantKinds))]}
			received := start.AddDays(rnd.IntN(1400)) // to early 2026
			a.Received = received.String()
			if rnd.IntN(5) > 0 {
				closed := received.AddDays(rnd.IntN(400))
				if !closed.After(gongkai.DateOf(storetest.ReportNow)) {
					a.Closed, a.Outcome = closed.String(), gongkai.Outcomes[rnd.IntN(len(gongkai.Outcomes))]
				}
			}
			storetest.InsertApplication(t, db, a)
		}
		ctx := storetest.As(f.DeptEditor)
		col := func(label string) annualreport.CellRef {
			return annualreport.CellRef{Section: "三", Column: label, Groups: []string{"申请人情况"}}
		}
		var lastNext annualreport.Value
		carriedSome := false
		for year := 2022; year <= 2026; year++ {
			rep, err := db.CompileAnnualReport(ctx, "city-fgw", year)
			if err != nil {
				t.Fatalf("%d: %v", year, err)
			}
			for _, p := range rep.Check(nil) {
				if p.Blocking() && (p.Cell.Section == "三" || p.Cell.Section == "四") {
					t.Errorf("%d: %s：%s", year, p.Cell, p.Message)
				}
			}
			ref := col("总计")
			ref.Row = "二、上年结转政府信息公开申请数量"
			carried, _ := rep.Lookup(ref)
			if year > 2022 && carried != lastNext {
				t.Errorf("%d: 上年结转 %v, but %d carried forward %v", year, carried, year-1, lastNext)
			}
			carriedSome = carriedSome || carried.N > 0
			ref.Row = "四、结转下年度继续办理"
			lastNext, _ = rep.Lookup(ref)
		}
		if !carriedSome {
			t.Error("no application was ever carried over: the histories test nothing")
		}
	})
}
