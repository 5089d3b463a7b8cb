package store_test

import (
	"testing"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// BenchmarkQueue: the queue of an org with 1,000 open applications (each
// with a 补正 round), every clock replayed from its ledger as of today.
func BenchmarkQueue(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	f := storetest.Fixture(b, db)
	officer := storetest.As(f.DeptOfficer)
	at(db, "2026-06-30")
	for i := range 1000 {
		s := submission("city-fgw", zhang)
		s.Channel, s.ReceivedOn = gongkai.ChannelInPerson, gongkai.NewDate(2026, 6, 1+i%29)
		app, _, err := db.CreateApplication(officer, s)
		if err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			continue
		}
		if _, _, err := db.AddApplicationEvent(officer, app.ID, gongkai.ApplicationEvent{Type: gongkai.EventThirdPartyConsulted, Date: s.ReceivedOn, Party: "相关企业"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		list, total, err := db.FindApplications(officer, gongkai.ApplicationFilter{Limit: 50})
		if err != nil || total != 1000 || len(list) != 50 {
			b.Fatalf("%d/%d, %v", len(list), total, err)
		}
	}
}
