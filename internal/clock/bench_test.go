package clock_test

import (
	"testing"

	"gongkai/internal/clock"
)

// BenchmarkCompute replays a typical ledger (补正, consultation, extension,
// reply), as a listing of applications with their due dates would.
func BenchmarkCompute(b *testing.B) {
	events := []clock.Event{
		supplementRequested("2026-02-13", "2026-03-06"),
		ev(clock.SupplementReceived, "2026-02-26"),
		consulted(clock.ThirdPartyConsulted, "2026-03-02", "某科技有限公司"),
		consulted(clock.ThirdPartyReplied, "2026-03-09", "某科技有限公司"),
		extended("2026-03-31", 20, "2026-03-31"),
	}
	s := clock.DefaultSettings()
	receipt, today := d("2026-02-05"), d("2026-04-10")
	for b.Loop() {
		if _, err := clock.Compute(receipt, events, s, calendar, today); err != nil {
			b.Fatal(err)
		}
	}
}
