package workday_test

import (
	"testing"

	"gongkai/internal/workday"
)

// Performance target: Between over all eight embedded years in O(1), and
// Add in O(log days), so deadline columns over thousands of applications
// cost nothing.

func BenchmarkBetweenEightYears(b *testing.B) {
	c := workday.Embedded()
	from, to := mustDate(b, "2019-01-02"), mustDate(b, "2026-12-30")
	for b.Loop() {
		if _, err := c.Between(from, to); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAdd20(b *testing.B) {
	c := workday.Embedded()
	from := mustDate(b, "2024-09-27")
	for b.Loop() {
		if _, err := c.Add(from, 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddEightYears(b *testing.B) {
	c := workday.Embedded()
	from := mustDate(b, "2019-01-02")
	for b.Loop() {
		if _, err := c.Add(from, 1900); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIsWorkday(b *testing.B) {
	c := workday.Embedded()
	d := mustDate(b, "2025-10-11")
	for b.Loop() {
		if _, err := c.IsWorkday(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWith(b *testing.B) {
	c := workday.Embedded()
	y, _ := c.Year(2026)
	for b.Loop() {
		if _, err := c.With(y); err != nil {
			b.Fatal(err)
		}
	}
}
