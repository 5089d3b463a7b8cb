package workday

import (
	"testing"
	"time"
)

// TestDayNumber checks the civil-date arithmetic against package time over
// 1900–2200.
func TestDayNumber(t *testing.T) {
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2200; d = d.AddDate(0, 0, 1) {
		z := dayNumber(d.Year(), d.Month(), d.Day())
		if want := int(d.Sub(epoch).Hours() / 24); z != want {
			t.Fatalf("dayNumber(%s) = %d, want %d", d.Format(time.DateOnly), z, want)
		}
		if y, m, dd := civil(z); y != d.Year() || m != d.Month() || dd != d.Day() {
			t.Fatalf("civil(%d) = %d-%d-%d, want %s", z, y, m, dd, d.Format(time.DateOnly))
		}
		if weekday(z) != d.Weekday() {
			t.Fatalf("weekday(%s) = %s, want %s", d.Format(time.DateOnly), weekday(z), d.Weekday())
		}
	}
}
