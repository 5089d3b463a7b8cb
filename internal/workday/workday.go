// Package workday is the official working-day calendar: weekends are off,
// the holidays the State Council (国务院办公厅) announces each year are off,
// and the weekend days it lists as 调休 are working days. It implements
// gongkai.Workdays for the statutory clocks (20 working days to answer an
// application, 7 to ask for a 补正, 15 for a third party …).
//
// The calendar knows only the years it was given: the embedded files in
// data/ (2019–2026, each citing its notice) plus any year an administrator
// adds with Calendar.With when the next notice appears. A date in a year it
// does not know is an error matching ErrUnknownYear, never a guess.
//
// A Calendar is immutable and safe for concurrent use; With returns a new
// one. Add, Between and IsWorkday are O(1) or O(log days) over precomputed
// cumulative counts.
package workday

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"gongkai"
)

var _ gongkai.Workdays = (*Calendar)(nil)

// ErrUnknownYear is matched (with errors.Is) by the error returned for a
// date in a year the calendar has no arrangement for; errors.As with
// *UnknownYearError gives the year.
var ErrUnknownYear = errors.New("工作日历中没有所需年份的节假日安排。")

// UnknownYearError says which year the calendar lacks.
type UnknownYearError struct {
	Year int
}

func (e *UnknownYearError) Error() string {
	return fmt.Sprintf("工作日历中没有%d年的节假日安排，请管理员录入国务院办公厅的放假通知。", e.Year)
}

// Is makes errors.Is(err, ErrUnknownYear) true.
func (e *UnknownYearError) Is(target error) bool { return target == ErrUnknownYear }

// Calendar is a working-day calendar over the years it was built from.
type Calendar struct {
	years map[int]Year
	first int    // first year held (0 when empty)
	last  int    // last year held
	base  int    // day number of first-01-01
	known []bool // known[y-first]: year y was given (years may have gaps)
	// cum[i] is the number of working days among the days base … base+i−1,
	// so the working days in day range [i, j) are cum[j] − cum[i].
	cum []int32
}

// New returns a calendar of the given years. Each is validated; a year
// given twice, or two years that disagree about a date (a December date
// listed by the next year's notice), is an error.
func New(years ...Year) (*Calendar, error) {
	m := make(map[int]Year, len(years))
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		if _, dup := m[y.Year]; dup {
			return nil, fmt.Errorf("%d年的节假日安排重复提供了两次。", y.Year)
		}
		m[y.Year] = cloneYear(y)
	}
	return build(m)
}

// With returns a new calendar with y added, or replacing the year already
// held: how an administrator records next year's notice, or a correction,
// without a new release. c is unchanged.
func (c *Calendar) With(y Year) (*Calendar, error) {
	if err := y.Validate(); err != nil {
		return nil, err
	}
	m := make(map[int]Year, len(c.years)+1)
	for k, v := range c.years {
		m[k] = v
	}
	m[y.Year] = cloneYear(y)
	return build(m)
}

// Years returns the years the calendar holds, in order.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}

// Year returns the arrangement held for year y.
func (c *Calendar) Year(y int) (Year, bool) {
	v, ok := c.years[y]
	if !ok {
		return Year{}, false
	}
	return cloneYear(v), true
}

func cloneYear(y Year) Year {
	y.Amendments = slices.Clone(y.Amendments)
	y.Holidays = slices.Clone(y.Holidays)
	for i, h := range y.Holidays {
		y.Holidays[i].Off = slices.Clone(h.Off)
		y.Holidays[i].Work = slices.Clone(h.Work)
	}
	return y
}

const (
	dayDefault int8 = iota // weekday on, weekend off
	dayOff
	dayWork
)

func build(m map[int]Year) (*Calendar, error) {
	c := &Calendar{years: m}
	if len(m) == 0 {
		return c, nil
	}
	years := c.Years()
	c.first, c.last = years[0], years[len(years)-1]
	c.base = dayNumber(c.first, time.January, 1)
	n := dayNumber(c.last+1, time.January, 1) - c.base
	c.known = make([]bool, c.last-c.first+1)
	for _, y := range years {
		c.known[y-c.first] = true
	}
	status := make([]int8, n)
	setBy := make(map[int]int) // day index → year whose file set it
	for _, y := range years {
		for _, h := range m[y].Holidays {
			for _, list := range []struct {
				dates []gongkai.Date
				kind  int8
			}{{h.Off, dayOff}, {h.Work, dayWork}} {
				for _, d := range list.dates {
					i := dayNumber(d.Year, d.Month, d.Day) - c.base
					if i < 0 {
						continue // the December before the first year held
					}
					if status[i] != dayDefault && status[i] != list.kind {
						return nil, fmt.Errorf("%d年和%d年的节假日安排对%s是否上班的规定不一致。", setBy[i], y, d)
					}
					status[i] = list.kind
					setBy[i] = y
				}
			}
		}
	}
	c.cum = make([]int32, n+1)
	for i, s := range status {
		work := s == dayWork
		if s == dayDefault {
			wd := weekday(c.base + i)
			work = wd != time.Saturday && wd != time.Sunday
		}
		c.cum[i+1] = c.cum[i]
		if work {
			c.cum[i+1]++
		}
	}
	return c, nil
}

// checkYears returns an *UnknownYearError for the first year in from…to
// the calendar does not hold.
func (c *Calendar) checkYears(from, to int) error {
	if len(c.known) == 0 || from < c.first {
		return &UnknownYearError{Year: from}
	}
	for y := from; y <= to && y <= c.last; y++ {
		if !c.known[y-c.first] {
			return &UnknownYearError{Year: y}
		}
	}
	if to > c.last {
		return &UnknownYearError{Year: max(from, c.last+1)}
	}
	return nil
}

// checkDate refuses dates that do not exist. It is d.Valid() without
// time.Date, which is most of the cost of a lookup otherwise.
func checkDate(d gongkai.Date) error {
	if d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
		return fmt.Errorf("日期“%s”无效。", d)
	}
	return nil
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// nextYear is the year of the day after d.
func nextYear(d gongkai.Date) int {
	if d.Month == time.December && d.Day == 31 {
		return d.Year + 1
	}
	return d.Year
}

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d gongkai.Date) (bool, error) {
	if err := checkDate(d); err != nil {
		return false, err
	}
	if err := c.checkYears(d.Year, d.Year); err != nil {
		return false, err
	}
	i := dayNumber(d.Year, d.Month, d.Day) - c.base
	return c.cum[i+1] > c.cum[i], nil
}

// Add returns the n-th working day strictly after d (n ≥ 1; d itself is not
// counted), so a 20-working-day deadline from receipt r is Add(r, 20). d may
// be in a year the calendar does not hold as long as every day after it up
// to the result is in one it does (31 December before the first year is
// fine).
func (c *Calendar) Add(d gongkai.Date, n int) (gongkai.Date, error) {
	if err := checkDate(d); err != nil {
		return gongkai.Date{}, err
	}
	if n < 1 {
		return gongkai.Date{}, fmt.Errorf("工作日天数应至少为1，当前为%d。", n)
	}
	ny := nextYear(d)
	if err := c.checkYears(ny, ny); err != nil {
		return gongkai.Date{}, err
	}
	start := dayNumber(d.Year, d.Month, d.Day) + 1 - c.base
	if left := int(c.cum[len(c.cum)-1] - c.cum[start]); n > left {
		// Past the last year held; report the first missing year on the way.
		return gongkai.Date{}, c.checkYears(ny, c.last+1)
	}
	// The first k with cum[k] ≥ target is one past the day that is the
	// n-th working day.
	target := c.cum[start] + int32(n)
	k := sort.Search(len(c.cum), func(k int) bool { return c.cum[k] >= target })
	y, m, dd := civil(c.base + k - 1)
	if err := c.checkYears(ny, y); err != nil {
		return gongkai.Date{}, err
	}
	return gongkai.Date{Year: y, Month: m, Day: dd}, nil
}

// Between returns the number of working days in (a, b]; 0 when b ≤ a.
func (c *Calendar) Between(a, b gongkai.Date) (int, error) {
	if err := checkDate(a); err != nil {
		return 0, err
	}
	if err := checkDate(b); err != nil {
		return 0, err
	}
	i := dayNumber(a.Year, a.Month, a.Day) + 1 - c.base // the day after a
	j := dayNumber(b.Year, b.Month, b.Day) + 1 - c.base // the day after b
	if j <= i {
		return 0, nil
	}
	if err := c.checkYears(nextYear(a), b.Year); err != nil {
		return 0, err
	}
	return int(c.cum[j] - c.cum[i]), nil
}

// dayNumber returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (H. Hinnant's days_from_civil), without time.Time.
func dayNumber(y int, m time.Month, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil is the inverse of dayNumber.
func civil(z int) (int, time.Month, int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	y := yoe + era*400
	if m <= 2 {
		y++
	}
	return y, time.Month(m), d
}

// weekday of day number z; 1970-01-01 was a Thursday.
func weekday(z int) time.Weekday { return time.Weekday(((z % 7) + 7 + 4) % 7) }

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
