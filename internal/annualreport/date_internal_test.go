package annualreport

import (
	"testing"
	"time"

	"gongkai"
)

// TestRealDate compares the fast date check with gongkai.Date.Valid over
// four centuries, including the 1900/2000/2100 leap-year rules.
func TestRealDate(t *testing.T) {
	for y := 1899; y <= 2401; y++ {
		for m := 0; m <= 13; m++ {
			for day := -1; day <= 32; day++ {
				d := gongkai.Date{Year: y, Month: time.Month(m), Day: day}
				if got, want := realDate(d), d.Valid(); got != want {
					t.Fatalf("realDate(%v) = %v, want %v", d, got, want)
				}
			}
		}
	}
}
