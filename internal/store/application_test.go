package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// at fixes the database clock at noon (Asia/Shanghai) of day d.
func at(db *store.DB, d string) {
	day, err := gongkai.ParseDate(d)
	if err != nil {
		panic(err)
	}
	t := day.Time().Add(12 * time.Hour)
	db.Now = func() time.Time { return t }
}

func date(s string) gongkai.Date {
	d, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// A fictional applicant whose ID number has a correct check character
// (GB 11643: 11010519491231002 → X).
var zhang = gongkai.Applicant{Kind: gongkai.ApplicantNatural, Name: "张小明", IDType: gongkai.IDCitizen, IDNumber: "11010519491231002X",
	Phone: "13800138000", Email: "zhang@example.cn", Address: "示例市人民大道100号", PostCode: "369900"}

func submission(org string, a gongkai.Applicant) *gongkai.ApplicationSubmission {
	return &gongkai.ApplicationSubmission{OrgCode: org, Applicant: a,
		Request: gongkai.InfoRequest{Subject: "2023年城市更新项目资金安排情况", DocNo: "示发改〔2023〕12号", Form: gongkai.FormElectronic, Delivery: gongkai.DeliveryEmail}}
}

// officerIn adds an officer to org (the fixture has one only in city-fgw).
func officerIn(t *testing.T, db *store.DB, username, org string) *gongkai.User {
	t.Helper()
	u := &gongkai.User{Username: username, DisplayName: username, Grants: []gongkai.Grant{{OrgCode: org, Role: gongkai.RoleOfficer}}}
	if err := db.CreateUser(storetest.System(), u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return u
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.WriteDB().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestApplicationLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2024-09-26")
		app, code, err := db.SubmitApplication(context.Background(), submission("city-fgw", zhang))
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 10 || !strings.HasPrefix(app.TrackingNo, "YSQ20240926") || app.State != gongkai.StateUnconfirmed {
			t.Fatalf("submitted: %+v code %q", app, code)
		}

		// The applicant tracks it; a wrong code is refused like a wrong number.
		tr, err := db.TrackApplication(context.Background(), strings.ToLower(app.TrackingNo), strings.ToLower(store.FormatAccessCode(code)))
		if err != nil || tr.Status != gongkai.StatusUnconfirmed || len(tr.Explanation) != 1 {
			t.Fatalf("track = %+v, %v", tr, err)
		}
		_, err = db.TrackApplication(context.Background(), app.TrackingNo, "AAAAAAAAAA")
		wantCode(t, err, gongkai.ENOTFOUND, "")

		// Events before confirmation are refused.
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-09-27"), Days: 5})
		wantCode(t, err, gongkai.ECONFLICT, "")
		// Confirmation: not before submission, not after today.
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventReceiptConfirmed, Date: date("2024-09-25")})
		wantCode(t, err, gongkai.EINVALID, "date")
		at(db, "2024-10-08")
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventReceiptConfirmed, Date: date("2024-10-09")})
		wantCode(t, err, gongkai.EINVALID, "date")
		// 2024-09-27 (Fri) + 20 working days = Wednesday 2024-10-30 (国庆
		// 10-01…07 off, 09-29 and 10-12 worked; see the API workday test).
		got, _, err := db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventReceiptConfirmed, Date: date("2024-09-27")})
		if err != nil {
			t.Fatal(err)
		}
		if got.DueOn != date("2024-10-30") || got.Clock.DueOn != date("2024-10-30") || got.State != gongkai.StateOpen {
			t.Fatalf("after confirmation due %s / %s state %s", got.DueOn, got.Clock.DueOn, got.State)
		}

		// 补正 on 2024-10-08 is the 3rd working day after receipt (Sun
		// 09-29 is a 调休 working day, then 09-30, 10-08): no warning.
		at(db, "2024-10-08")
		got, warnings, err := db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: date("2024-10-08"),
			Items: "请明确所需资金安排的项目名称", Deadline: date("2024-10-31")})
		if err != nil || len(warnings) != 0 || got.Status() != gongkai.StatusAwaitingSupplement {
			t.Fatalf("supplement: %v %v %s", err, warnings, got.Status())
		}
		// The correction arrives on 2024-10-21 (Mon): a new period of 20
		// working days: 10-22…25 (4), 28–31 (8), 11-01 (9), 4–8 (14),
		// 11–15 (19), 18 (20) → 2024-11-18.
		at(db, "2024-10-21")
		got, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementReceived, Date: date("2024-10-21")})
		if err != nil || got.DueOn != date("2024-11-18") {
			t.Fatalf("supplement received: due %s, %v", got.DueOn, err)
		}
		// Out-of-order and future dates are refused, naming the field.
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-10-18"), Days: 10, ApprovedBy: "王主任", NotifiedOn: date("2024-10-18")})
		wantCode(t, err, gongkai.EINVALID, "date")
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-10-22"), Days: 10, ApprovedBy: "王主任", NotifiedOn: date("2024-10-22")})
		wantCode(t, err, gongkai.EINVALID, "date")
		// An extension over 20 days, or without the approving head.
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-10-21"), Days: 21, ApprovedBy: "王主任", NotifiedOn: date("2024-10-21")})
		wantCode(t, err, gongkai.EINVALID, "days")
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-10-21"), Days: 10, NotifiedOn: date("2024-10-21")})
		wantCode(t, err, gongkai.EINVALID, "approvedBy")
		// A reply without an outcome, or one missing its required fields.
		_, _, err = db.ReplyApplication(officer, app.ID, gongkai.Reply{Date: date("2024-10-21")}, nil)
		wantCode(t, err, gongkai.EINVALID, "outcome")
		_, _, err = db.ReplyApplication(officer, app.ID, gongkai.Reply{Outcome: gongkai.OutcomeWithheldStateSecret, Date: date("2024-10-21")}, nil)
		wantCode(t, err, gongkai.EINVALID, "basis")
		if n := count(t, db, `SELECT COUNT(*) FROM application_events WHERE application_id = $1`, app.ID); n != 2 {
			t.Fatalf("%d events after refusals, want 2 (nothing half-saved)", n)
		}
		// The reply closes it; nothing may follow.
		got, warnings, err = db.ReplyApplication(officer, app.ID, gongkai.Reply{Outcome: gongkai.OutcomeGranted, Date: date("2024-10-21"),
			Provided: []string{"示发改〔2023〕12号 关于下达2023年城市更新项目资金的通知"}}, nil)
		if err != nil || len(warnings) != 0 || got.State != gongkai.StateClosed || got.ClosedOn != date("2024-10-21") || got.Late {
			t.Fatalf("reply: %+v %v %v", got, warnings, err)
		}
		_, _, err = db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-10-21"), Days: 5, ApprovedBy: "王主任", NotifiedOn: date("2024-10-21")})
		wantCode(t, err, gongkai.ECONFLICT, "")
		_, _, err = db.ReplyApplication(officer, app.ID, gongkai.Reply{Outcome: gongkai.OutcomeGranted, Date: date("2024-10-21"), Provided: []string{"x"}}, nil)
		wantCode(t, err, gongkai.ECONFLICT, "")

		// The applicant sees the same explanation as staff.
		staff, err := db.FindApplicationByID(officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		tr, err = db.TrackApplication(context.Background(), app.TrackingNo, code)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(staff.Clock.Explanation, tr.Explanation); diff != "" {
			t.Errorf("applicant and staff explanations differ (-staff +applicant):\n%s", diff)
		}
		if tr.Outcome != gongkai.OutcomeGranted || tr.OutcomeText != "予以公开" {
			t.Errorf("tracking outcome = %q %q", tr.Outcome, tr.OutcomeText)
		}
	})
}

func TestSupplementOverride(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2025-09-26")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, date("2025-09-26")
		app, _, err := db.CreateApplication(officer, s)
		if err != nil {
			t.Fatal(err)
		}
		// 国庆 2025: 10-01…08 off, Sun 09-28 and Sat 10-11 worked. Working
		// days after Fri 09-26: 09-28 (1), 29 (2), 30 (3), 10-09 (4), 10 (5),
		// 11 (6), 13 (7), 14 (8). A 补正 on 10-14 is late.
		at(db, "2025-10-14")
		ev := gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: date("2025-10-14"), Items: "请写明文件名称", Deadline: date("2025-10-31")}
		_, _, err = db.AddApplicationEvent(officer, app.ID, ev)
		wantCode(t, err, gongkai.EINVALID, "overrideReason")
		// An officer cannot override…
		ev.OverrideReason = "申请人补充材料时方发现申请内容不明确"
		_, _, err = db.AddApplicationEvent(officer, app.ID, ev)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		// …an admin of the org's government can, and is named.
		got, _, err := db.AddApplicationEvent(storetest.As(f.CityAdmin), app.ID, ev)
		if err != nil {
			t.Fatal(err)
		}
		last := got.Events[len(got.Events)-1]
		if last.OverrideBy != "cityadmin" || !strings.Contains(got.Clock.Explanation[1].Text, "经cityadmin同意") {
			t.Errorf("override not recorded: %+v / %q", last, got.Clock.Explanation[1].Text)
		}
		// On the 13th working day the warning window has long passed; on
		// the 5th it warns.
		at(db, "2025-10-10")
		s.ReceivedOn = date("2025-09-26")
		app2, _, _ := db.CreateApplication(officer, s)
		_, warnings, err := db.AddApplicationEvent(officer, app2.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: date("2025-10-10"), Items: "请写明文件名称", Deadline: date("2025-10-31")})
		if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "第5个工作日") {
			t.Errorf("day-5 warning = %v, %v", warnings, err)
		}
	})
}

func TestApplicationAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		countyOfficer := officerIn(t, db, "mzjofficer", "chengdong-mzj")
		at(db, "2024-06-03")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelPostRegistered, date("2024-06-03")
		app, _, err := db.CreateApplication(storetest.As(f.DeptOfficer), s)
		if err != nil {
			t.Fatal(err)
		}
		// Another org's staff cannot read it, nor act on it, nor learn it
		// exists.
		for _, u := range []*gongkai.User{countyOfficer, f.CountyAdmin, f.DeptEditor} {
			_, err := db.FindApplicationByID(storetest.As(u), app.ID)
			wantCode(t, err, gongkai.ENOTFOUND, "")
			_, err = db.FindApplicationPersonal(storetest.As(u), app.ID)
			wantCode(t, err, gongkai.ENOTFOUND, "")
			_, _, err = db.AddApplicationEvent(storetest.As(u), app.ID, gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2024-06-03"), Days: 5, ApprovedBy: "x", NotifiedOn: date("2024-06-03")})
			wantCode(t, err, gongkai.ENOTFOUND, "")
			list, _, err := db.FindApplications(storetest.As(u), gongkai.ApplicationFilter{})
			if err == nil && len(list) > 0 {
				t.Errorf("%s lists %d applications of another org", u.Username, len(list))
			}
		}
		// Nor can an officer record one for another org.
		s.OrgCode = "city-fgw"
		_, _, err = db.CreateApplication(storetest.As(countyOfficer), s)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		// The supervisor above sees it with personal data (audited); the
		// admin above sees it without.
		p, err := db.FindApplicationPersonal(storetest.As(f.CitySupervisor), app.ID)
		if err != nil || p.Applicant.Name != "张小明" || p.Applicant.IDNumber != zhang.IDNumber {
			t.Fatalf("supervisor personal view: %+v, %v", p, err)
		}
		_, err = db.FindApplicationPersonal(storetest.As(f.CityAdmin), app.ID)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		if _, err := db.FindApplicationByID(storetest.As(f.CityAdmin), app.ID); err != nil {
			t.Errorf("admin above cannot read: %v", err)
		}
		// A supervisor may read but not act.
		_, _, err = db.ReplyApplication(storetest.As(f.CitySupervisor), app.ID, gongkai.Reply{Outcome: gongkai.OutcomeGranted, Date: date("2024-06-03"), Provided: []string{"x"}}, nil)
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		views, _, err := db.FindAuditRecords(storetest.System(), gongkai.AuditFilter{Action: ptr("application.view_personal")})
		if err != nil || len(views) != 1 || views[0].ActorName != "citysuper" || views[0].ObjectID != app.TrackingNo {
			t.Errorf("personal views audited = %+v, %v", views, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestPersonalDataEncrypted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		at(db, "2024-06-03")
		s := submission("city-fgw", zhang)
		s.Files = []gongkai.Upload{{Name: "张小明身份证.pdf", MIME: "application/pdf", Label: "PDF 文档", Data: []byte("%PDF-1.4 张小明 11010519491231002X")}}
		app, _, err := db.SubmitApplication(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		officer := storetest.As(f.DeptOfficer)
		if _, err := db.FindApplicationPersonal(officer, app.ID); err != nil {
			t.Fatal(err)
		}
		file, err := db.ApplicationFile(officer, app.ID, app.Files[0].ID)
		if err != nil || !bytes.Contains(file.Data, []byte("张小明")) || file.Name != "张小明身份证.pdf" {
			t.Fatalf("file = %+v, %v", file, err)
		}
		secrets := []string{zhang.Name, zhang.IDNumber, zhang.Phone, zhang.Email, zhang.Address, "身份证.pdf"}
		if db.Dialect() == store.SQLite {
			// The whole database file, with its WAL, holds none of them.
			if _, err := db.WriteDB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
			var raw []byte
			for _, name := range []string{"gongkai.db", "gongkai.db-wal"} {
				b, _ := os.ReadFile(filepath.Join(filepath.Dir(db.Path()), name))
				raw = append(raw, b...)
			}
			if len(raw) < 4096 {
				t.Fatalf("database file is only %d bytes", len(raw))
			}
			for _, s := range secrets {
				if bytes.Contains(raw, []byte(s)) {
					t.Errorf("%q is in the database file in plain text", s)
				}
			}
		}
		// Both databases: no text column of any row of any table holds them.
		for _, table := range []string{"applications", "application_events", "application_files", "audit_log", "notices"} {
			rows, err := db.WriteDB().Query(`SELECT * FROM ` + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var b []byte
					switch x := v.(type) {
					case string:
						b = []byte(x)
					case []byte:
						b = x
					}
					for _, s := range secrets {
						if bytes.Contains(b, []byte(s)) {
							t.Errorf("%s.%s holds %q in plain text", table, cols[i], s)
						}
					}
				}
			}
			rows.Close()
		}
	})
}

func TestQueueAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2024-06-28")
		mk := func(received string, a gongkai.Applicant) *gongkai.Application {
			t.Helper()
			s := submission("city-fgw", a)
			s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, date(received)
			app, _, err := db.CreateApplication(officer, s)
			if err != nil {
				t.Fatal(err)
			}
			return app
		}
		li := gongkai.Applicant{Kind: gongkai.ApplicantCommercial, Name: "示例科技有限公司", IDNumber: "91369900MA00000152", Contact: "李经理", Phone: "0791-12345678", Email: "office@example.cn", Address: "示例市科技园1号"}
		// Due dates (2024: 端午 06-10 off; 劳动节 05-01…05 off, Sat 05-11
		// worked): received 06-03 → 07-02; 05-31 → 07-01 (1 working day
		// left today, due soon); 05-06 → 05-31 (overdue).
		a1 := mk("2024-06-03", zhang)
		a2 := mk("2024-05-31", li)
		a3 := mk("2024-05-06", zhang)
		online, _, err := db.SubmitApplication(context.Background(), submission("city-fgw", zhang))
		if err != nil {
			t.Fatal(err)
		}
		list, total, err := db.FindApplications(officer, gongkai.ApplicationFilter{})
		if err != nil || total != 4 {
			t.Fatalf("queue = %d, %v", total, err)
		}
		var got []string
		for _, a := range list {
			got = append(got, a.TrackingNo+" "+string(a.Status())+" "+a.Clock.DueOn.String())
		}
		want := []string{
			online.TrackingNo + " unconfirmed ",
			a3.TrackingNo + " overdue 2024-05-31",
			a2.TrackingNo + " due_soon 2024-07-01",
			a1.TrackingNo + " due_soon 2024-07-02",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("queue order mismatch (-want +got):\n%s", diff)
		}
		st := gongkai.StatusOverdue
		list, _, _ = db.FindApplications(officer, gongkai.ApplicationFilter{Status: &st})
		if len(list) != 1 || list[0].ID != a3.ID {
			t.Errorf("overdue filter = %d rows", len(list))
		}
		kind := gongkai.ApplicantCommercial
		list, _, _ = db.FindApplications(officer, gongkai.ApplicationFilter{ApplicantKind: &kind})
		if len(list) != 1 || list[0].ID != a2.ID {
			t.Errorf("kind filter = %d rows", len(list))
		}
		// Exact search over encrypted data: by name, ID number, phone.
		for q, n := range map[string]int{"张小明": 3, " 张 小明 ": 3, "11010519491231002x": 3, "13800138000": 3, "0791-12345678": 1, "示例科技有限公司": 1, "张小": 0} {
			list, _, err := db.FindApplications(officer, gongkai.ApplicationFilter{Applicant: ptr(q)})
			if err != nil || len(list) != n {
				t.Errorf("search %q = %d, %v; want %d", q, len(list), err, n)
			}
		}
		// The supervisor above sees them; the year filter uses receipt.
		list, _, _ = db.FindApplications(storetest.As(f.CitySupervisor), gongkai.ApplicationFilter{Year: ptr(2024)})
		if len(list) != 4 {
			t.Errorf("supervisor 2024 = %d", len(list))
		}
		list, _, _ = db.FindApplications(storetest.As(f.CitySupervisor), gongkai.ApplicationFilter{Year: ptr(2023)})
		if len(list) != 0 {
			t.Errorf("supervisor 2023 = %d", len(list))
		}
	})
}

func TestFees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2024-03-29")
		var apps []*gongkai.Application
		for i := range 11 {
			s := submission("city-fgw", zhang)
			s.Channel, s.ReceivedOn = gongkai.ChannelEmail, gongkai.NewDate(2024, 3, 1+i)
			app, _, err := db.CreateApplication(officer, s)
			if err != nil {
				t.Fatal(err)
			}
			apps = append(apps, app)
		}
		// The 11th application of the month is the first charged (100 元);
		// the 10th is free.
		q, err := db.QuoteFee(officer, apps[10].ID, gongkai.FeePerItem, 1)
		if err != nil || q.Prior != 10 || q.Amount != 100 {
			t.Fatalf("11th item = %+v, %v", q, err)
		}
		q, _ = db.QuoteFee(officer, apps[9].ID, gongkai.FeePerItem, 1)
		if q.Prior != 9 || q.Amount != 0 {
			t.Errorf("10th item = %+v", q)
		}
		// 按量: 120 pages = 70×10 + 20×20 = 1100 元.
		q, _ = db.QuoteFee(officer, apps[0].ID, gongkai.FeePerPage, 120)
		if q.Amount != 1100 || len(q.Lines) != 3 {
			t.Errorf("120 pages = %+v", q)
		}
		// Nothing is owed inside the free bands, so no notice may be issued:
		// it would pause the clock and could close the case as fee_unpaid.
		for _, f := range []*gongkai.Fee{{Method: gongkai.FeePerItem, Quantity: 1}, {Method: gongkai.FeePerPage, Quantity: 30}} {
			_, _, err = db.AddApplicationEvent(officer, apps[9].ID, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: date("2024-03-12"), Fee: f})
			wantCode(t, err, gongkai.EINVALID, "quantity")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM application_events WHERE kind = 'fee_notified'`); n != 0 {
			t.Errorf("free fee notices saved: %d", n)
		}
		got, _, err := db.AddApplicationEvent(officer, apps[0].ID, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: date("2024-03-05"),
			Fee: &gongkai.Fee{Method: gongkai.FeePerPage, Quantity: 120, Payment: "银行转账"}})
		if err != nil {
			t.Fatal(err)
		}
		ev := got.Events[0]
		// Payment deadline: 20 working days after 2024-03-05 → 2024-04-02
		// (清明 04-04…06 comes later).
		if ev.Fee.Amount != 1100 || ev.Deadline != date("2024-04-02") || got.Status() != gongkai.StatusAwaitingFee {
			t.Errorf("fee event = %+v, status %s", ev, got.Status())
		}
		// One method per application.
		if _, _, err := db.AddApplicationEvent(officer, apps[0].ID, gongkai.ApplicationEvent{Type: gongkai.EventFeePaid, Date: date("2024-03-08")}); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.AddApplicationEvent(officer, apps[0].ID, gongkai.ApplicationEvent{Type: gongkai.EventFeeNotified, Date: date("2024-03-08"),
			Fee: &gongkai.Fee{Method: gongkai.FeePerItem, Quantity: 1}})
		wantCode(t, err, gongkai.EINVALID, "method")
		if n := count(t, db, `SELECT COUNT(*) FROM application_events WHERE kind = 'fee_notified' AND fee_amount = 1100`); n != 1 {
			t.Errorf("fee rows = %d", n)
		}
	})
}

func TestSubmitValidationAndRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		storetest.Fixture(t, db)
		at(db, "2024-06-03")
		bad := zhang
		bad.IDNumber = "110105194912310021" // check character should be X
		s := submission("city-fgw", bad)
		s.Request.Subject = ""
		_, _, err := db.SubmitApplication(context.Background(), s)
		wantCode(t, err, gongkai.EINVALID, "")
		e := gongkai.AsError(err)
		fields := map[string]bool{}
		for _, p := range e.Problems {
			fields[p.Field] = true
		}
		if !fields["applicant.idNumber"] || !fields["request.subject"] {
			t.Errorf("problems = %+v", e.Problems)
		}
		org := gongkai.Applicant{Kind: gongkai.ApplicantLegal, Name: "示例律师事务所", IDNumber: "91369900MA00000153", Contact: "赵律师", Email: "law@example.cn"}
		_, _, err = db.SubmitApplication(context.Background(), submission("city-fgw", org))
		wantCode(t, err, gongkai.EINVALID, "applicant.idNumber")
		_, _, err = db.SubmitApplication(context.Background(), submission("nowhere", zhang))
		wantCode(t, err, gongkai.EINVALID, "org")
		if n := count(t, db, `SELECT COUNT(*) FROM applications`); n != 0 {
			t.Fatalf("%d applications saved by refused submissions", n)
		}
		// Five per hour from one address, then 429 with Retry-After.
		for i := range 5 {
			s := submission("city-fgw", zhang)
			s.ClientIP = "192.0.2.7"
			if _, _, err := db.SubmitApplication(context.Background(), s); err != nil {
				t.Fatalf("submission %d: %v", i+1, err)
			}
		}
		s = submission("city-fgw", zhang)
		s.ClientIP = "192.0.2.7"
		_, _, err = db.SubmitApplication(context.Background(), s)
		wantCode(t, err, gongkai.ETOOMANY, "")
		if e := gongkai.AsError(err); e.RetryAfterSeconds < 3500 || e.RetryAfterSeconds > 3601 {
			t.Errorf("Retry-After = %d", e.RetryAfterSeconds)
		}
		s.ClientIP = "192.0.2.8"
		if _, _, err := db.SubmitApplication(context.Background(), s); err != nil {
			t.Errorf("another address refused: %v", err)
		}
	})
}

func TestSweep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		if err := db.SetNoticeEmail(officer, "officer@example.cn"); err != nil {
			t.Fatal(err)
		}
		at(db, "2024-06-03")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, date("2024-06-03")
		lapsing, _, _ := db.CreateApplication(officer, s)
		at(db, "2024-06-04")
		if _, _, err := db.AddApplicationEvent(officer, lapsing.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: date("2024-06-04"),
			Items: "请写明项目名称", Deadline: date("2024-06-14")}); err != nil {
			t.Fatal(err)
		}
		s.ReceivedOn = date("2024-05-06") // due 2024-05-31
		late, _, _ := db.CreateApplication(officer, s)

		at(db, "2024-06-17")
		res, err := db.SweepApplications(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if res.Closed != 1 || res.Notified != 2 || len(res.Emails) != 2 {
			t.Fatalf("sweep = %+v", res)
		}
		got, _ := db.FindApplicationByID(officer, lapsing.ID)
		// Deadline 06-14 (Fri): closed on the day after, 06-15.
		if got.Outcome != gongkai.OutcomeOtherNoSupplement || got.ClosedOn != date("2024-06-15") || got.Reply == nil || got.Reply.Basis == "" {
			t.Errorf("lapsed application = %s %s %+v", got.Outcome, got.ClosedOn, got.Reply)
		}
		for _, m := range res.Emails {
			if strings.Contains(m.Body, zhang.Name) || m.To[0] != "officer@example.cn" {
				t.Errorf("email %+v", m)
			}
		}
		// A second run sends nothing new.
		res, err = db.SweepApplications(context.Background())
		if err != nil || res.Notified != 0 || res.Closed != 0 {
			t.Errorf("second sweep = %+v, %v", res, err)
		}
		notices, unread, err := db.FindNotices(officer, false, 10)
		if err != nil || unread != 2 || len(notices) != 2 {
			t.Fatalf("notices = %d unread %d, %v", len(notices), unread, err)
		}
		var kinds []string
		for _, n := range notices {
			kinds = append(kinds, n.Kind)
		}
		if !strings.Contains(strings.Join(kinds, ","), "overdue") || !strings.Contains(strings.Join(kinds, ","), "closed") {
			t.Errorf("notice kinds = %v (late app %s)", kinds, late.TrackingNo)
		}
		if err := db.MarkNoticesRead(officer); err != nil {
			t.Fatal(err)
		}
		if _, unread, _ := db.FindNotices(officer, true, 10); unread != 0 {
			t.Errorf("unread after marking = %d", unread)
		}
	})
}

func TestAppealsAndTemplates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2024-08-01")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelFax, date("2024-06-03")
		app, _, _ := db.CreateApplication(officer, s)
		bad := &gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: date("2024-05-01"), Body: "示例市人民政府", Result: gongkai.AppealUpheld}
		wantCode(t, db.AddAppeal(officer, app.ID, bad), gongkai.EINVALID, "filedOn")
		p := &gongkai.Appeal{Kind: gongkai.AppealReconsideration, FiledOn: date("2024-07-01"), Body: "示例市人民政府"}
		if err := db.AddAppeal(officer, app.ID, p); err != nil {
			t.Fatal(err)
		}
		p.Result, p.ClosedOn = gongkai.AppealCorrected, date("2024-07-30")
		if err := db.UpdateAppeal(officer, app.ID, p.ID, p); err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindApplicationByID(officer, app.ID)
		if len(got.Appeals) != 1 || got.Appeals[0].Result != gongkai.AppealCorrected || got.Appeals[0].ClosedOn != date("2024-07-30") {
			t.Errorf("appeals = %+v", got.Appeals)
		}

		// Templates: the city's wording applies to its department; the
		// county admin may not change the city's.
		key := "reply.granted"
		_, err := db.FindLetterTemplate(officer, f.Dept.ID, key)
		wantCode(t, err, gongkai.ENOTFOUND, "")
		tpl := &gongkai.LetterTemplate{OrgID: f.City.ID, Key: key, Title: "答复书", Body: "|{申请人}：\n您好。{不存在的项}"}
		wantCode(t, db.SetLetterTemplate(storetest.As(f.CityAdmin), tpl), gongkai.EINVALID, "body")
		tpl.Body = "|{申请人}：\n同意公开。\n>{机关}"
		wantCode(t, db.SetLetterTemplate(storetest.As(f.CountyAdmin), tpl), gongkai.EFORBIDDEN, "")
		if err := db.SetLetterTemplate(storetest.As(f.CityAdmin), tpl); err != nil {
			t.Fatal(err)
		}
		got2, err := db.FindLetterTemplate(officer, f.Dept.ID, key)
		if err != nil || got2.OrgID != f.City.ID || got2.Title != "答复书" {
			t.Errorf("inherited template = %+v, %v", got2, err)
		}
		if err := db.DeleteLetterTemplate(storetest.As(f.CityAdmin), f.City.ID, key); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindLetterTemplate(officer, f.Dept.ID, key)
		wantCode(t, err, gongkai.ENOTFOUND, "")
	})
}

// TestCombinedLedger runs 补正, then a consultation, then an extension
// through the service across 春节 2025 (01-28…02-04 off; Sun 01-26 and Sat
// 02-08 worked), with the due date worked out by hand at each step.
func TestCombinedLedger(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2025-01-20")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelPostRegistered, date("2025-01-20")
		app, _, err := db.CreateApplication(officer, s)
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			today string
			ev    gongkai.ApplicationEvent
			due   string // "" while the clock is stopped
		}{
			// 补正 on the 3rd working day (01-21, 22, 23): in time.
			{"2025-01-23", gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: date("2025-01-23"), Items: "写明年份", Deadline: date("2025-02-14")}, ""},
			// New period from 02-06: 02-07 (1), Sat 02-08 (2), 10–14 (7),
			// 17–21 (12), 24–28 (17), 03-03, 04, 05 (20).
			{"2025-02-06", gongkai.ApplicationEvent{Type: gongkai.EventSupplementReceived, Date: date("2025-02-06")}, "2025-03-05"},
			{"2025-02-10", gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyConsulted, Date: date("2025-02-10"), Party: "相关企业"}, "2025-03-05"},
			// Paused (02-10, 02-14] = 4 working days: 03-06, 07, 10, 11.
			{"2025-02-14", gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyReplied, Date: date("2025-02-14"), Party: "相关企业"}, "2025-03-11"},
			// 10 more: 03-12, 13, 14, 17–21, 24, 25.
			{"2025-03-03", gongkai.ApplicationEvent{Type: gongkai.EventExtended, Date: date("2025-03-03"), Days: 10, ApprovedBy: "王主任", NotifiedOn: date("2025-03-03")}, "2025-03-25"},
		}
		for _, st := range steps {
			at(db, st.today)
			got, _, err := db.AddApplicationEvent(officer, app.ID, st.ev)
			if err != nil {
				t.Fatalf("%s: %v", st.ev.Type, err)
			}
			if got.Clock.DueOn.String() != st.due || got.DueOn.String() != st.due {
				t.Errorf("after %s: due %s (stored %s), want %q", st.ev.Type, got.Clock.DueOn, got.DueOn, st.due)
			}
		}
		at(db, "2025-03-20")
		got, warnings, err := db.ReplyApplication(officer, app.ID, gongkai.Reply{Outcome: gongkai.OutcomeWithheldThirdParty, Date: date("2025-03-20"),
			Basis: "《中华人民共和国政府信息公开条例》第十五条、第三十二条", Reason: "第三方不同意公开且理由合理"}, nil)
		if err != nil || len(warnings) != 0 || got.Late || got.DueOn != date("2025-03-25") || len(got.Clock.Explanation) != 7 {
			t.Fatalf("reply: late %v due %s lines %d warnings %v err %v", got.Late, got.DueOn, len(got.Clock.Explanation), warnings, err)
		}
	})
}

// TestConcurrentEvents: officers recording at the same moment never fork
// the ledger: each event either lands with the next sequence number or is
// refused with ECONFLICT.
func TestConcurrentEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		officer := storetest.As(f.DeptOfficer)
		at(db, "2024-06-03")
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, date("2024-06-03")
		app, _, err := db.CreateApplication(officer, s)
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		errs := make(chan error, n)
		for i := range n {
			go func() {
				_, _, err := db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyConsulted,
					Date: date("2024-06-03"), Party: "第三方" + strings.Repeat("甲", i+1)})
				errs <- err
			}()
		}
		ok := 0
		for range n {
			switch err := <-errs; gongkai.ErrorCode(err) {
			case "":
				ok++
			case gongkai.ECONFLICT:
			default:
				t.Errorf("concurrent event: %v", err)
			}
		}
		got, err := db.FindApplicationByID(officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != ok || ok == 0 {
			t.Fatalf("%d events stored, %d reported recorded", len(got.Events), ok)
		}
		for i, e := range got.Events {
			if e.Seq != i+1 {
				t.Errorf("event %d has seq %d", i, e.Seq)
			}
		}
	})
}
