package gongkai

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// Date is a civil date (no time, no zone), such as a 成文日期, a receipt
// date or a deadline. Days in gongkai are Asia/Shanghai days; an instant is
// turned into a Date with DateOf. The zero Date is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the Date y-m-d, normalising overflow as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

// DateOf returns the Asia/Shanghai day of instant t.
func DateOf(t time.Time) Date {
	t = t.In(Shanghai)
	return Date{t.Year(), t.Month(), t.Day()}
}

// ParseDate parses YYYY-MM-DD and rejects dates that do not exist.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	y, err1 := strconv.Atoi(s[0:4])
	m, err2 := strconv.Atoi(s[5:7])
	d, err3 := strconv.Atoi(s[8:10])
	if err1 != nil || err2 != nil || err3 != nil || y < 1 {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	dt := Date{y, time.Month(m), d}
	if !dt.Valid() {
		return Date{}, fmt.Errorf("date %q does not exist", s)
	}
	return dt, nil
}

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool {
	if d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Day() == d.Day && t.Month() == d.Month
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD ("" for the zero Date).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Chinese formats d as 2024年3月5日, the form used in letters and on pages.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

// Time returns midnight of d in Asia/Shanghai.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Shanghai) }

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d plus n calendar days.
func (d Date) AddDays(n int) Date {
	t := d.utc().AddDate(0, 0, n)
	return Date{t.Year(), t.Month(), t.Day()}
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// DaysUntil returns the number of calendar days from d to e (negative when e
// is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.utc().Sub(d.utc()).Hours() / 24) }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MarshalText encodes d as YYYY-MM-DD, so JSON carries "2024-03-05".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD; an empty string is the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		// An *UnmarshalTypeError, because encoding/json then adds the path
		// of the field: an API can answer "signedOn" instead of calling the
		// whole body invalid JSON. Other callers only see a non-nil error.
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(string(b)), Type: reflect.TypeFor[Date]()}
	}
	*d = v
	return nil
}

// Value stores d as YYYY-MM-DD text (NULL for the zero Date); both SQLite and
// PostgreSQL DATE columns accept it.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a DATE column from either database.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	case string:
		return d.UnmarshalText([]byte(trimDate(v)))
	case []byte:
		return d.UnmarshalText([]byte(trimDate(string(v))))
	}
	return fmt.Errorf("gongkai.Date: cannot scan %T", src)
}

func trimDate(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}
