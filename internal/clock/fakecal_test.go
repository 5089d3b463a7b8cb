package clock_test

import (
	"fmt"
	"time"

	"gongkai"
)

// fakeCal is a small official calendar for 2023–2026 built from the State
// Council holiday notices as tabulated in statutes.md §10 (国办发明电
// 2022-12-08, 2023-10-25, 2024-11-12, 2025-11-04): weekends are off, the
// listed weekdays are off, the listed 调休 weekend days are working days.
// Like the real calendar, it refuses a year it does not know.
type fakeCal struct {
	off map[gongkai.Date]bool // weekdays that are holidays
	on  map[gongkai.Date]bool // weekend days that are working days (调休上班)
}

var _ gongkai.Workdays = fakeCal{}

func d(s string) gongkai.Date {
	v, err := gongkai.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func newFakeCal() fakeCal {
	c := fakeCal{off: map[gongkai.Date]bool{}, on: map[gongkai.Date]bool{}}
	for _, s := range []string{
		// 2023: 元旦 01-02; 春节 01-23…01-27; 清明 04-05; 劳动节 05-01…05-03;
		// 端午 06-22, 06-23; 中秋国庆 09-29, 10-02…10-06.
		"2023-01-02", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27",
		"2023-04-05", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-22", "2023-06-23",
		"2023-09-29", "2023-10-02", "2023-10-03", "2023-10-04", "2023-10-05", "2023-10-06",
		// 2024: 元旦 01-01; 春节 02-12…02-16; 清明 04-04, 04-05; 劳动节
		// 05-01…05-03; 端午 06-10; 中秋 09-16, 09-17; 国庆 10-01…10-04, 10-07.
		"2024-01-01", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16",
		"2024-04-04", "2024-04-05", "2024-05-01", "2024-05-02", "2024-05-03", "2024-06-10",
		"2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04", "2024-10-07",
		// 2025: 元旦 01-01; 春节 01-28…01-31, 02-03, 02-04; 清明 04-04;
		// 劳动节 05-01, 05-02, 05-05; 端午 06-02; 国庆中秋 10-01…10-03, 10-06…10-08.
		"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-03", "2025-02-04",
		"2025-04-04", "2025-05-01", "2025-05-02", "2025-05-05", "2025-06-02",
		"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08",
		// 2026: 元旦 01-01, 01-02; 春节 02-16…02-20, 02-23; 清明 04-06; 劳动节
		// 05-01, 05-04, 05-05; 端午 06-19; 中秋 09-25; 国庆 10-01, 10-02, 10-05…10-07.
		"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-23",
		"2026-04-06", "2026-05-01", "2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25",
		"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07",
	} {
		c.off[d(s)] = true
	}
	for _, s := range []string{
		"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
		"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12",
		"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
	} {
		c.on[d(s)] = true
	}
	return c
}

func (c fakeCal) IsWorkday(x gongkai.Date) (bool, error) {
	if x.Year < 2023 || x.Year > 2026 {
		return false, fmt.Errorf("fakeCal: no holiday data for %d", x.Year)
	}
	if c.on[x] {
		return true, nil
	}
	if c.off[x] {
		return false, nil
	}
	wd := x.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

func (c fakeCal) Add(x gongkai.Date, n int) (gongkai.Date, error) {
	if n < 1 {
		return gongkai.Date{}, fmt.Errorf("fakeCal: Add(%s, %d): n must be ≥ 1", x, n)
	}
	for n > 0 {
		x = x.AddDays(1)
		ok, err := c.IsWorkday(x)
		if err != nil {
			return gongkai.Date{}, err
		}
		if ok {
			n--
		}
	}
	return x, nil
}

func (c fakeCal) Between(a, b gongkai.Date) (int, error) {
	n := 0
	for x := a.AddDays(1); !x.After(b); x = x.AddDays(1) {
		ok, err := c.IsWorkday(x)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}
