package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/jobs"
	"gongkai/internal/storetest"
)

type fakeMailer struct {
	mu   sync.Mutex
	sent [][]string
}

func (m *fakeMailer) Send(_ context.Context, to []string, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, to)
	return nil
}

// TestApplicationSweepJob: the periodic job closes an application whose
// 补正 deadline passed and mails the officer, on both databases.
func TestApplicationSweepJob(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			db, f := jobsDB(t, d)
			ctx := context.Background()
			officer := storetest.As(f.DeptOfficer)
			if err := db.SetNoticeEmail(officer, "fgw@example.cn"); err != nil {
				t.Fatal(err)
			}
			day := func(s string) gongkai.Date { v, _ := gongkai.ParseDate(s); return v }
			now := day("2024-06-04").Time().Add(10 * time.Hour)
			db.Now = func() time.Time { return now }
			app, _, err := db.CreateApplication(officer, &gongkai.ApplicationSubmission{OrgCode: "city-fgw", Channel: gongkai.ChannelInPerson,
				ReceivedOn: day("2024-06-03"), Applicant: gongkai.Applicant{Kind: gongkai.ApplicantNatural, Name: "王五", IDType: gongkai.IDPassport, IDNumber: "E1234567", Phone: "13800138000"},
				Request: gongkai.InfoRequest{Subject: "资料", Form: gongkai.FormPaper, Delivery: gongkai.DeliveryPickup}})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventSupplementRequested, Date: day("2024-06-04"),
				Items: "写明年份", Deadline: day("2024-06-07")}); err != nil {
				t.Fatal(err)
			}
			now = day("2024-06-11").Time().Add(10 * time.Hour)

			r := jobs.New(db, nil)
			r.PollInterval = 100 * time.Millisecond
			mailer := &fakeMailer{}
			jobs.RegisterApplications(r, db, mailer)
			if err := r.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Stop(context.Background()) })
			deadline := time.Now().Add(30 * time.Second)
			for {
				got, err := db.FindApplicationByID(officer, app.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.State == gongkai.StateClosed {
					if got.Outcome != gongkai.OutcomeOtherNoSupplement || got.ClosedOn != day("2024-06-08") {
						t.Errorf("closed as %s on %s, want other.no_supplement on 2024-06-08", got.Outcome, got.ClosedOn)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the sweep job did not run")
				}
				time.Sleep(100 * time.Millisecond)
			}
			// The e-mails go out after the sweep's transactions.
			for {
				mailer.mu.Lock()
				sent := append([][]string(nil), mailer.sent...)
				mailer.mu.Unlock()
				if len(sent) > 0 {
					if len(sent) != 1 || sent[0][0] != "fgw@example.cn" {
						t.Errorf("mails = %v", sent)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no reminder e-mail")
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
}
