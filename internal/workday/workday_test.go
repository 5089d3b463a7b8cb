package workday_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/workday"
)

func mustDate(t testing.TB, s string) gongkai.Date {
	t.Helper()
	d, err := gongkai.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEmbeddedNotices(t *testing.T) {
	c := workday.Embedded()
	if diff := cmp.Diff([]int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}, c.Years()); diff != "" {
		t.Fatalf("Years() mismatch (-want +got):\n%s", diff)
	}
	// The notices as read (statutes.md §10 and the notices' texts).
	type cite struct{ DocNo, IssuedOn string }
	want := map[int][]cite{
		2019: {{"国办发明电〔2018〕15号", "2018-12-04"}, {"国办发明电〔2019〕3号", "2019-03-22"}},
		2020: {{"国办发明电〔2019〕16号", "2019-11-21"}, {"国办发明电〔2020〕1号", "2020-01-26"}},
		2021: {{"国办发明电〔2020〕27号", "2020-11-25"}},
		2022: {{"国办发明电〔2021〕11号", "2021-10-25"}},
		2023: {{"国办发明电〔2022〕16号", "2022-12-08"}},
		2024: {{"国办发明电〔2023〕7号", "2023-10-25"}},
		2025: {{"国办发明电〔2024〕12号", "2024-11-12"}},
		2026: {{"国办发明电〔2025〕7号", "2025-11-04"}},
	}
	for year, w := range want {
		y, ok := c.Year(year)
		if !ok {
			t.Fatalf("Year(%d) missing", year)
		}
		got := []cite{{y.DocNo, y.IssuedOn.String()}}
		for _, a := range y.Amendments {
			got = append(got, cite{a.DocNo, a.IssuedOn.String()})
		}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("%d notices mismatch (-want +got):\n%s", year, diff)
		}
		if !strings.HasPrefix(y.URL, "http") || !strings.Contains(y.Source, "国务院办公厅") {
			t.Errorf("%d: source %q url %q", year, y.Source, y.URL)
		}
	}
}

// official lists, written out by hand from the notices (2023–2026 also in
// statutes.md §10), the weekdays that are off and the weekend days that are
// working days. Every other weekday is a working day and every other
// weekend day is off.
var official = map[int]struct{ offWeekdays, workWeekends string }{
	2019: {
		// 元旦 2018-12-30–2019-01-01; 春节 02-04–02-10; 清明 04-05; 劳动节 as
		// amended 05-01–05-04; 端午 06-07; 中秋 09-13; 国庆 10-01–10-07.
		"01-01 02-04 02-05 02-06 02-07 02-08 04-05 05-01 05-02 05-03 06-07 09-13 10-01 10-02 10-03 10-04 10-07",
		"02-02 02-03 04-28 05-05 09-29 10-12",
	},
	2020: {
		// 春节 as extended to 02-02: 02-01 (Sat) is no longer a working day.
		"01-01 01-24 01-27 01-28 01-29 01-30 01-31 04-06 05-01 05-04 05-05 06-25 06-26 10-01 10-02 10-05 10-06 10-07 10-08",
		"01-19 04-26 05-09 06-28 09-27 10-10",
	},
	2021: {
		"01-01 02-11 02-12 02-15 02-16 02-17 04-05 05-03 05-04 05-05 06-14 09-20 09-21 10-01 10-04 10-05 10-06 10-07",
		"02-07 02-20 04-25 05-08 09-18 09-26 10-09",
	},
	2022: {
		"01-03 01-31 02-01 02-02 02-03 02-04 04-04 04-05 05-02 05-03 05-04 06-03 09-12 10-03 10-04 10-05 10-06 10-07",
		"01-29 01-30 04-02 04-24 05-07 10-08 10-09",
	},
	2023: {
		"01-02 01-23 01-24 01-25 01-26 01-27 04-05 05-01 05-02 05-03 06-22 06-23 09-29 10-02 10-03 10-04 10-05 10-06",
		"01-28 01-29 04-23 05-06 06-25 10-07 10-08",
	},
	2024: {
		// 除夕 02-09 (Fri) stays a working day.
		"01-01 02-12 02-13 02-14 02-15 02-16 04-04 04-05 05-01 05-02 05-03 06-10 09-16 09-17 10-01 10-02 10-03 10-04 10-07",
		"02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
	},
	2025: {
		"01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 10-01 10-02 10-03 10-06 10-07 10-08",
		"01-26 02-08 04-27 09-28 10-11",
	},
	2026: {
		"01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 09-25 10-01 10-02 10-05 10-06 10-07",
		"01-04 02-14 02-28 05-09 09-20 10-10",
	},
}

func TestOfficialArrangements(t *testing.T) {
	c := workday.Embedded()
	for year, o := range official {
		off, work := map[string]bool{}, map[string]bool{}
		for _, md := range strings.Fields(o.offWeekdays) {
			off[md] = true
		}
		for _, md := range strings.Fields(o.workWeekends) {
			work[md] = true
		}
		for d := (gongkai.Date{Year: year, Month: 1, Day: 1}); d.Year == year; d = d.AddDays(1) {
			md := d.String()[5:]
			weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
			if off[md] && weekend || work[md] && !weekend {
				t.Fatalf("test table: %s is listed with the wrong kind of day", d)
			}
			want := !weekend && !off[md] || work[md]
			got, err := c.IsWorkday(d)
			if err != nil {
				t.Fatalf("IsWorkday(%s): %v", d, err)
			}
			if got != want {
				t.Errorf("IsWorkday(%s, %s) = %v, want %v", d, d.Weekday(), got, want)
			}
		}
	}
}

func TestWorkedExamples(t *testing.T) {
	c := workday.Embedded()
	tests := []struct {
		from string
		n    int
		want string
	}{
		// Received Fri 2024-09-27. Counting: 09-29 (Sun, 调休) 1, 09-30 2,
		// 10-01–10-07 off, 10-08 3, 10-09 4, 10-10 5, 10-11 6, 10-12 (Sat,
		// 调休) 7, 10-14–10-18 8–12, 10-21–10-25 13–17, 10-28 18, 10-29 19,
		// 10-30 20.
		{"2024-09-27", 20, "2024-10-30"},
		// Received Mon 2025-01-20: 01-21–01-24 1–4, 01-26 (Sun, 调休) 5,
		// 01-27 6, 01-28–02-04 off, 02-05–02-07 7–9, 02-08 (Sat, 调休) 10,
		// 02-10–02-14 11–15, 02-17–02-21 16–20.
		{"2025-01-20", 20, "2025-02-21"},
		// Across the new year: 12-26 1, 12-29 2, 12-30 3, 12-31 4,
		// 2026-01-01–01-03 off, 01-04 (Sun, 调休) 5.
		{"2025-12-25", 5, "2026-01-04"},
		// A 补正 notice within 7 working days of Thu 2023-09-28: 10-07 (Sat)
		// and 10-08 (Sun) are 1 and 2 after the 09-29–10-06 holiday.
		{"2023-09-28", 7, "2023-10-13"},
		// 2020: 02-01 (Sat) was to be a 调休 working day until the 春节
		// extension; the first working day after 01-23 is 02-03.
		{"2020-01-23", 1, "2020-02-03"},
		// The day before the first year held is a valid start.
		{"2018-12-31", 1, "2019-01-02"},
		// A working day counts from the next day even when d is a holiday.
		{"2024-10-01", 1, "2024-10-08"},
		{"2024-10-11", 1, "2024-10-12"},
	}
	for _, tt := range tests {
		from, want := mustDate(t, tt.from), mustDate(t, tt.want)
		got, err := c.Add(from, tt.n)
		if err != nil || got != want {
			t.Errorf("Add(%s, %d) = %s, %v; want %s", from, tt.n, got, err, want)
		}
		if n, err := c.Between(from, want); err != nil || n != tt.n {
			t.Errorf("Between(%s, %s) = %d, %v; want %d", from, want, n, err, tt.n)
		}
	}
}

func TestBetween(t *testing.T) {
	c := workday.Embedded()
	tests := []struct {
		a, b string
		want int
	}{
		{"2024-09-27", "2024-09-27", 0},
		{"2024-10-30", "2024-09-27", 0},
		{"2024-09-27", "2024-09-28", 0}, // Saturday
		{"2024-09-27", "2024-09-29", 1}, // 调休 Sunday
		{"2024-09-30", "2024-10-07", 0}, // the 国庆 holiday
		// 2019 has 250 working days by the notice: 261 weekdays − 17 off
		// weekdays + 6 working weekend days.
		{"2018-12-31", "2019-12-31", 250},
		// Also from 2030 backwards: b ≤ a needs no calendar.
		{"2030-01-01", "2029-01-01", 0},
	}
	for _, tt := range tests {
		got, err := c.Between(mustDate(t, tt.a), mustDate(t, tt.b))
		if err != nil || got != tt.want {
			t.Errorf("Between(%s, %s) = %d, %v; want %d", tt.a, tt.b, got, err, tt.want)
		}
	}
}

func TestUnknownYear(t *testing.T) {
	c := workday.Embedded()
	check := func(what string, err error, year int) {
		t.Helper()
		if !errors.Is(err, workday.ErrUnknownYear) {
			t.Errorf("%s: error %v, want ErrUnknownYear", what, err)
			return
		}
		var u *workday.UnknownYearError
		if !errors.As(err, &u) || u.Year != year {
			t.Errorf("%s: error %v, want year %d", what, err, year)
		}
	}
	_, err := c.IsWorkday(mustDate(t, "2027-01-04"))
	check("IsWorkday(2027-01-04)", err, 2027)
	want := "工作日历中没有2027年的节假日安排，请管理员录入国务院办公厅的放假通知。"
	if err == nil || err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
	_, err = c.IsWorkday(mustDate(t, "2018-12-31"))
	check("IsWorkday(2018-12-31)", err, 2018)
	// 2026-12-20 (Sun) has 9 working days left in 2026.
	_, err = c.Add(mustDate(t, "2026-12-20"), 20)
	check("Add(2026-12-20, 20)", err, 2027)
	if d, err := c.Add(mustDate(t, "2026-12-20"), 9); err != nil || d != mustDate(t, "2026-12-31") {
		t.Errorf("Add(2026-12-20, 9) = %s, %v; want 2026-12-31", d, err)
	}
	_, err = c.Add(mustDate(t, "2024-01-01"), math.MaxInt)
	check("Add(2024-01-01, MaxInt)", err, 2027)
	_, err = c.Add(mustDate(t, "2026-12-31"), 1)
	check("Add(2026-12-31, 1)", err, 2027)
	_, err = c.Add(mustDate(t, "2010-05-01"), 1)
	check("Add(2010-05-01, 1)", err, 2010)
	_, err = c.Between(mustDate(t, "2026-12-01"), mustDate(t, "2027-01-10"))
	check("Between into 2027", err, 2027)
	_, err = c.Between(mustDate(t, "2018-06-01"), mustDate(t, "2019-01-10"))
	check("Between from 2018", err, 2018)

	// A calendar with a gap: 2024 is missing between 2023 and 2025.
	y23, _ := c.Year(2023)
	y25, _ := c.Year(2025)
	gap, err := workday.New(y23, y25)
	if err != nil {
		t.Fatal(err)
	}
	_, err = gap.Add(mustDate(t, "2023-12-29"), 3)
	check("Add across the gap", err, 2024)
	_, err = gap.Add(mustDate(t, "2023-12-29"), 10000)
	check("Add far across the gap", err, 2024)
	_, err = gap.Between(mustDate(t, "2023-12-01"), mustDate(t, "2025-01-10"))
	check("Between across the gap", err, 2024)
	if _, err := gap.IsWorkday(mustDate(t, "2025-01-02")); err != nil {
		t.Errorf("IsWorkday(2025-01-02) on the gapped calendar: %v", err)
	}

	empty, err := workday.New()
	if err != nil {
		t.Fatal(err)
	}
	_, err = empty.IsWorkday(mustDate(t, "2024-01-02"))
	check("empty calendar", err, 2024)
}

func TestBadArguments(t *testing.T) {
	c := workday.Embedded()
	d := mustDate(t, "2024-05-06")
	for _, n := range []int{0, -1} {
		if _, err := c.Add(d, n); err == nil || errors.Is(err, workday.ErrUnknownYear) {
			t.Errorf("Add(%s, %d): error %v, want an argument error", d, n, err)
		}
	}
	if _, err := c.Add(d, 0); err == nil || err.Error() != "工作日天数应至少为1，当前为0。" {
		t.Errorf("Add(d, 0) message = %v", err)
	}
	bad := gongkai.Date{Year: 2024, Month: 2, Day: 30}
	if _, err := c.IsWorkday(bad); err == nil {
		t.Error("IsWorkday(2024-02-30) succeeded")
	}
	if _, err := c.Add(bad, 1); err == nil {
		t.Error("Add(2024-02-30, 1) succeeded")
	}
	if _, err := c.Between(bad, d); err == nil {
		t.Error("Between(2024-02-30, …) succeeded")
	}
	if _, err := c.IsWorkday(gongkai.Date{}); err == nil {
		t.Error("IsWorkday(zero Date) succeeded")
	}
}

// TestProperties checks, over many random dates and counts, the laws that
// tie Add, Between and IsWorkday together, and Between against a day-by-day
// count.
func TestProperties(t *testing.T) {
	c := workday.Embedded()
	r := rand.New(rand.NewPCG(1, 2))
	first := mustDate(t, "2018-12-31")
	span := first.DaysUntil(mustDate(t, "2026-12-31"))
	for range 3000 {
		d := first.AddDays(r.IntN(span))
		a, b := 1+r.IntN(60), 1+r.IntN(60)
		da, err := c.Add(d, a)
		if errors.Is(err, workday.ErrUnknownYear) {
			continue
		}
		if err != nil {
			t.Fatalf("Add(%s, %d): %v", d, a, err)
		}
		if ok, _ := c.IsWorkday(da); !ok || !da.After(d) {
			t.Fatalf("Add(%s, %d) = %s is not a working day after d", d, a, da)
		}
		if n, _ := c.Between(d, da); n != a {
			t.Fatalf("Between(%s, Add(%s, %d) = %s) = %d", d, d, a, da, n)
		}
		if n, _ := c.Between(d, da.AddDays(-1)); n != a-1 {
			t.Fatalf("Between(%s, %s) = %d, want %d", d, da.AddDays(-1), n, a-1)
		}
		if n, _ := c.Between(da, d); n != 0 {
			t.Fatalf("Between(%s, %s) = %d, want 0", da, d, n)
		}
		dab, err1 := c.Add(da, b)
		dsum, err2 := c.Add(d, a+b)
		if (err1 == nil) != (err2 == nil) || err1 == nil && dab != dsum {
			t.Fatalf("Add(Add(%s, %d), %d) = %s, %v but Add(%s, %d) = %s, %v", d, a, b, dab, err1, d, a+b, dsum, err2)
		}
		// Between against counting day by day.
		e := d.AddDays(r.IntN(120))
		if e.Year > 2026 {
			continue
		}
		want := 0
		for x := d.AddDays(1); !x.After(e); x = x.AddDays(1) {
			if ok, _ := c.IsWorkday(x); ok {
				want++
			}
		}
		if n, err := c.Between(d, e); err != nil || n != want {
			t.Fatalf("Between(%s, %s) = %d, %v; counted %d", d, e, n, err, want)
		}
	}
}

func TestWith(t *testing.T) {
	c := workday.Embedded()
	y26, _ := c.Year(2026)
	// A made-up 2027 (not a real notice): 元旦 on Friday 01-01 only.
	y27 := workday.Year{
		Year:     2027,
		Notice:   workday.Notice{Source: "测试用通知", DocNo: "国办发明电〔2026〕1号", IssuedOn: mustDate(t, "2026-11-01")},
		Holidays: []workday.Holiday{{Name: "元旦", Off: []gongkai.Date{mustDate(t, "2027-01-01")}}},
	}
	c27, err := c.With(y27)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027}, c27.Years()); diff != "" {
		t.Errorf("Years() mismatch (-want +got):\n%s", diff)
	}
	// 2026-12-31 (Thu) 1, 2027-01-01 off, 01-04 (Mon) 2.
	if d, err := c27.Add(mustDate(t, "2026-12-30"), 2); err != nil || d != mustDate(t, "2027-01-04") {
		t.Errorf("Add(2026-12-30, 2) = %s, %v; want 2027-01-04", d, err)
	}
	if _, err := c.Add(mustDate(t, "2026-12-30"), 2); !errors.Is(err, workday.ErrUnknownYear) {
		t.Errorf("the original calendar changed: %v", err)
	}

	// A correction replaces the year: make 2026-12-31 a holiday.
	fixed := y26
	fixed.Holidays = append(fixed.Holidays, workday.Holiday{Name: "测试假日", Off: []gongkai.Date{mustDate(t, "2026-12-31")}})
	c2, err := c.With(fixed)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := c2.IsWorkday(mustDate(t, "2026-12-31")); ok {
		t.Error("correction not applied")
	}
	if ok, _ := c.IsWorkday(mustDate(t, "2026-12-31")); !ok {
		t.Error("the original calendar changed")
	}
	if diff := cmp.Diff(c.Years(), c2.Years()); diff != "" {
		t.Errorf("Years() mismatch (-want +got):\n%s", diff)
	}

	// Changing what Year returned does not reach into the calendar.
	y26.Holidays[0].Off[0] = mustDate(t, "2026-03-03")
	if again, _ := c.Year(2026); again.Holidays[0].Off[0] != mustDate(t, "2026-01-01") {
		t.Error("Year returned shared slices")
	}

	bad := y27
	bad.Holidays = []workday.Holiday{{Name: "元旦", Off: []gongkai.Date{mustDate(t, "2027-01-01")}, Work: []gongkai.Date{mustDate(t, "2027-01-05")}}}
	if _, err := c.With(bad); err == nil {
		t.Error("With accepted a 调休 Tuesday")
	}
}

func TestNewRefusals(t *testing.T) {
	c := workday.Embedded()
	y23, _ := c.Year(2023)
	if _, err := workday.New(y23, y23); err == nil || err.Error() != "2023年的节假日安排重复提供了两次。" {
		t.Errorf("duplicate year: %v", err)
	}
	// A 2024 that (wrongly) makes 2023-12-31, a 2023 holiday weekday in
	// this made-up 2023, a working day.
	y23b := y23
	y23b.Holidays = append(append([]workday.Holiday(nil), y23.Holidays...), workday.Holiday{Name: "测试", Off: []gongkai.Date{mustDate(t, "2023-12-30"), mustDate(t, "2023-12-31")}})
	y24, _ := c.Year(2024)
	y24.Holidays = append(y24.Holidays, workday.Holiday{Name: "测试", Off: []gongkai.Date{mustDate(t, "2024-12-02")}, Work: []gongkai.Date{mustDate(t, "2023-12-31")}})
	_, err := workday.New(y23b, y24)
	if err == nil || err.Error() != "2023年和2024年的节假日安排对2023-12-31是否上班的规定不一致。" {
		t.Errorf("conflict: %v", err)
	}
}

// FuzzCalendar feeds arbitrary dates and counts: no panics, and results
// that keep the laws of TestProperties.
func FuzzCalendar(f *testing.F) {
	f.Add(2024, 9, 27, 2025, 1, 1, 20)
	f.Add(2018, 12, 31, 2019, 1, 2, 1)
	f.Add(-1, 0, 0, math.MaxInt, 12, 31, math.MinInt)
	c := workday.Embedded()
	f.Fuzz(func(t *testing.T, y1, m1, d1, y2, m2, d2, n int) {
		a := gongkai.Date{Year: y1, Month: time.Month(m1), Day: d1}
		b := gongkai.Date{Year: y2, Month: time.Month(m2), Day: d2}
		if ok, err := c.IsWorkday(a); err == nil && ok != (mustAdd(t, c, a.AddDays(-1), 1) == a) {
			t.Fatalf("IsWorkday(%s) = %v disagrees with Add", a, ok)
		}
		if got, err := c.Add(a, n); err == nil {
			if k, err := c.Between(a, got); err != nil || k != n {
				t.Fatalf("Between(%s, Add(%s, %d) = %s) = %d, %v", a, a, n, got, k, err)
			}
		}
		if k, err := c.Between(a, b); err == nil && (k < 0 || !b.After(a) && k != 0) {
			t.Fatalf("Between(%s, %s) = %d", a, b, k)
		}
	})
}

func mustAdd(t *testing.T, c *workday.Calendar, d gongkai.Date, n int) gongkai.Date {
	got, err := c.Add(d, n)
	if err != nil {
		return gongkai.Date{}
	}
	return got
}
