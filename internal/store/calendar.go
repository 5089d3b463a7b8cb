package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/workday"
)

// CalendarService is the working-day calendar in force: the years embedded
// in the release, with the years admins entered (calendar_years) laid over
// them. Other nodes see a correction within CalendarRefresh.
type CalendarService struct {
	db *DB

	mu       sync.Mutex
	cached   *workday.Calendar
	loadedAt time.Time
}

// CalendarRefresh is how long a node keeps the calendar before re-reading
// admin corrections.
var CalendarRefresh = 30 * time.Second

var _ gongkai.CalendarService = (*CalendarService)(nil)

// Calendar returns the calendar service of db.
func (db *DB) Calendar() *CalendarService { return &CalendarService{db: db} }

func (c *CalendarService) load(ctx context.Context) (*workday.Calendar, []CalendarOverride, error) {
	overrides, err := c.db.CalendarOverrides(ctx)
	if err != nil {
		return nil, nil, err
	}
	cal := workday.Embedded()
	for _, o := range overrides {
		y, err := workday.ParseYear(o.Data)
		if err != nil {
			// Stored years were validated on entry; a failure here means
			// the rules changed. Keep the embedded year rather than fail
			// every deadline, and say so in the log.
			c.db.Logger.Error("stored calendar year no longer valid", "year", o.Year, "error", err)
			continue
		}
		if cal, err = cal.With(y); err != nil {
			return nil, nil, err
		}
	}
	return cal, overrides, nil
}

// Workdays returns the calendar in force.
func (c *CalendarService) Workdays(ctx context.Context) (gongkai.Workdays, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cached != nil && time.Since(c.loadedAt) < CalendarRefresh {
		return c.cached, nil
	}
	cal, _, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	c.cached, c.loadedAt = cal, time.Now()
	return cal, nil
}

// CalendarYears lists every year the calendar knows, newest first.
func (c *CalendarService) CalendarYears(ctx context.Context) ([]gongkai.CalendarYear, error) {
	cal, overrides, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	return CalendarYearsOf(cal, overrides), nil
}

// CalendarYearsOf lists the years of cal, newest first, marking those an
// admin entered (overrides); with no overrides, the embedded notices.
func CalendarYearsOf(cal *workday.Calendar, overrides []CalendarOverride) []gongkai.CalendarYear {
	byYear := map[int]CalendarOverride{}
	for _, o := range overrides {
		byYear[o.Year] = o
	}
	years := cal.Years()
	out := make([]gongkai.CalendarYear, 0, len(years))
	for i := len(years) - 1; i >= 0; i-- {
		y, _ := cal.Year(years[i])
		cy := gongkai.CalendarYear{Year: y.Year, Source: y.Source, DocNo: y.DocNo, IssuedOn: y.IssuedOn, URL: y.URL}
		for _, h := range y.Holidays {
			cy.Holidays = append(cy.Holidays, gongkai.Holiday{Name: h.Name, Off: h.Off, Work: h.Work})
		}
		if o, ok := byYear[y.Year]; ok {
			cy.Override, cy.UpdatedAt, cy.UpdatedBy = true, o.UpdatedAt, o.UpdatedBy
		}
		out = append(out, cy)
	}
	return out
}

// SetCalendarYear validates a year file and stores it.
func (c *CalendarService) SetCalendarYear(ctx context.Context, data []byte) (*gongkai.CalendarYear, error) {
	y, err := workday.ParseYear(data)
	if err != nil {
		e := &gongkai.Error{Code: gongkai.EINVALID, Field: "data", Message: "放假安排文件有误：" + err.Error()}
		var ye *workday.YearError
		if errors.As(err, &ye) {
			for _, p := range ye.Problems {
				e.Problems = append(e.Problems, gongkai.Problem{Field: "data", Message: p})
			}
			e.Message = ye.Problems[0]
		}
		return nil, e
	}
	base, _, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := base.With(y); err != nil {
		return nil, gongkai.FieldError("data", err.Error())
	}
	if err := c.db.SetCalendarYear(ctx, y.Year, data); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.cached = nil
	c.mu.Unlock()
	return &gongkai.CalendarYear{Year: y.Year, Source: y.Source, DocNo: y.DocNo, IssuedOn: y.IssuedOn, URL: y.URL, Override: true}, nil
}
