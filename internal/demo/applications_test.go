package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestSeedApplications: about 150 applications covering every outcome,
// channel and applicant kind, with open ones in each state and the ledger
// events and appeals the issue lists.
func TestSeedApplications(t *testing.T) {
	for _, day := range []string{"2026-06-15", "2025-01-06"} {
		t.Run(day, func(t *testing.T) {
			db := storetest.Open(t, store.SQLite)
			d, _ := gongkai.ParseDate(day)
			now := d.Time().Add(9 * time.Hour)
			db.Now = func() time.Time { return now }
			var out bytes.Buffer
			start := time.Now()
			res, err := demo.Seed(context.Background(), db, &out)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("seeded in %v", time.Since(start))
			apps, total, err := db.FindApplications(storetest.System(), gongkai.ApplicationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if total < 140 || total > 160 {
				t.Errorf("%d applications, want about 150", total)
			}
			outcomes, channels, kinds, statuses, events := map[gongkai.Outcome]int{}, map[gongkai.Channel]int{}, map[gongkai.ApplicantKind]int{}, map[gongkai.ApplicationStatus]int{}, map[gongkai.EventType]int{}
			appeals := map[string]int{}
			var late int
			for _, a := range apps {
				outcomes[a.Outcome]++
				channels[a.Channel]++
				kinds[a.ApplicantKind]++
				statuses[a.Status()]++
				for _, e := range a.Events {
					events[e.Type]++
				}
				if a.Late {
					late++
				}
				if a.State == gongkai.StateClosed {
					full, err := db.FindApplicationByID(storetest.System(), a.ID)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range full.Appeals {
						appeals[string(p.Kind)]++
						appeals[string(p.Result)]++
					}
					if full.ReceivedOn.Before(d.AddDays(-740)) {
						t.Errorf("%s received %s, more than two years ago", a.TrackingNo, full.ReceivedOn)
					}
				}
			}
			for _, o := range gongkai.Outcomes {
				if outcomes[o] == 0 {
					t.Errorf("no application closed as %s", o)
				}
			}
			for _, c := range gongkai.Channels {
				if channels[c] == 0 {
					t.Errorf("no application by channel %s", c)
				}
			}
			for _, k := range gongkai.ApplicantKinds {
				if kinds[k] == 0 {
					t.Errorf("no applicant of kind %s", k)
				}
			}
			for _, s := range []gongkai.ApplicationStatus{gongkai.StatusUnconfirmed, gongkai.StatusOnTime, gongkai.StatusDueSoon, gongkai.StatusOverdue,
				gongkai.StatusAwaitingSupplement, gongkai.StatusPaused, gongkai.StatusAwaitingFee, gongkai.StatusClosed} {
				if statuses[s] == 0 {
					t.Errorf("no application with status %s (%v)", s, statuses)
				}
			}
			for _, e := range gongkai.EventTypes {
				if events[e] == 0 {
					t.Errorf("no %s event", e)
				}
			}
			for _, k := range []string{"reconsideration", "direct", "after_reconsideration", "pending", "upheld"} {
				if appeals[k] == 0 {
					t.Errorf("no appeal %s (%v)", k, appeals)
				}
			}
			if late == 0 {
				t.Error("no late reply")
			}
			if res.Sample == nil || !strings.Contains(out.String(), res.Sample.TrackingNo) {
				t.Fatal("no sample application printed")
			}
			tr, err := db.TrackApplication(context.Background(), res.Sample.TrackingNo, res.Sample.AccessCode)
			if err != nil || tr.Status != gongkai.StatusUnconfirmed {
				t.Errorf("sample tracking = %+v, %v", tr, err)
			}
		})
	}
}
