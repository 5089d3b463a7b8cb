package gongkai

// Workdays answers working-day questions on the official calendar: weekends
// are off, the State Council's listed holidays are off, and its listed 调休
// weekend days are working days. A date in a year the calendar does not know
// is an error, never a guess. internal/workday implements it.
type Workdays interface {
	// IsWorkday reports whether d is a working day.
	IsWorkday(d Date) (bool, error)
	// Add returns the n-th working day strictly after d (n ≥ 1; d itself is
	// not counted), so a 20-working-day deadline from receipt r is Add(r, 20).
	Add(d Date, n int) (Date, error)
	// Between returns the number of working days in (a, b]; 0 when b ≤ a.
	Between(a, b Date) (int, error)
}
