package annualreport_test

import (
	"io"
	"math/rand/v2"
	"testing"

	"gongkai"
	"gongkai/internal/annualreport"
)

// hundredThousand is an organ with 100,000 applications received in 2024
// (the performance target: compiling table 三 well under a second),
// 90% of them closed within the year, plus 5,000 carried over from 2023.
func hundredThousand() annualreport.Input {
	rng := rand.New(rand.NewPCG(1, 2))
	in := fixtureInput()
	in.Applications = make([]annualreport.Application, 0, 105_000)
	jan1 := d("2024-01-01")
	for i := range 105_000 {
		recv := jan1.AddDays(rng.IntN(366))
		if i >= 100_000 {
			recv = jan1.AddDays(-1 - rng.IntN(60))
		}
		a := annualreport.Application{
			Applicant:  gongkai.ApplicantKinds[rng.IntN(6)],
			ReceivedOn: recv,
			DueOn:      recv.AddDays(28),
		}
		if closed := recv.AddDays(rng.IntN(40)); rng.IntN(10) > 0 && closed.Year == 2024 {
			a.ClosedOn, a.Outcome = closed, gongkai.Outcomes[rng.IntN(len(gongkai.Outcomes))]
		}
		in.Applications = append(in.Applications, a)
	}
	return in
}

func BenchmarkCompile100k(b *testing.B) {
	in := hundredThousand()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := annualreport.Compile(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	r := mustCompile(b, fixtureInput())
	prev := mustDecodeFile(b, "published-2023.json")
	for b.Loop() {
		r.Check(prev)
	}
}

func BenchmarkHTML(b *testing.B) {
	r := mustCompile(b, fixtureInput())
	for b.Loop() {
		if _, err := r.HTML(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDOCX(b *testing.B) {
	r := mustCompile(b, fixtureInput())
	for b.Loop() {
		if err := r.WriteDOCX(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkXLSX(b *testing.B) {
	r := mustCompile(b, fixtureInput())
	for b.Loop() {
		if err := r.WriteXLSX(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
