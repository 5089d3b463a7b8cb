package gongkai

import (
	"context"
	"time"
)

// CalendarYear is one year of the State Council's holiday arrangement as
// the calendar holds it: embedded with the release, or entered by an admin
// when a new notice appears (each October–December for the next year).
type CalendarYear struct {
	Year     int
	Source   string // the notice's title
	DocNo    string
	IssuedOn Date
	URL      string
	Holidays []Holiday
	// Override is true when an admin entered or corrected the year.
	Override  bool
	UpdatedAt time.Time
	UpdatedBy string
}

// Holiday is one holiday period: every day off, and the 调休 weekend days
// that are working days instead.
type Holiday struct {
	Name string `json:"name"`
	Off  []Date `json:"off"`
	Work []Date `json:"work"`
}

// CalendarService gives the working-day calendar in force (embedded years
// plus admin corrections) and lets admins correct it.
type CalendarService interface {
	Workdays(ctx context.Context) (Workdays, error)
	CalendarYears(ctx context.Context) ([]CalendarYear, error)
	// SetCalendarYear validates and stores a year given in the calendar's
	// JSON file format, replacing that year for every deadline computed
	// from now on.
	SetCalendarYear(ctx context.Context, data []byte) (*CalendarYear, error)
}
