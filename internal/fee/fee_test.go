package fee_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/fee"
)

// Hand-computed from 国办函〔2020〕109号 (statutes.md §1.5): 1–10 free,
// 11–30 at 100, 31–40 at 200, 41–50 at 300, 51–60 at 400 元 per item.
func TestPerItem(t *testing.T) {
	tests := []struct {
		name         string
		prior, count int
		want         fee.Breakdown
	}{
		{name: "nothing", prior: 0, count: 0, want: fee.Breakdown{Method: fee.MethodPerItem, Lines: []fee.Line{}}},
		{name: "one", prior: 0, count: 1, want: fee.Breakdown{Method: fee.MethodPerItem, Lines: []fee.Line{
			{From: 1, To: 1, Count: 1, Label: "本月第1件，免费"},
		}}},
		{name: "10 free", prior: 0, count: 10, want: fee.Breakdown{Method: fee.MethodPerItem, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
		}}},
		{name: "11: one at 100", prior: 0, count: 11, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 100, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 11, Count: 1, Rate: 100, Amount: 100, Label: "本月第11件，每件100元"},
		}}},
		{name: "30: 20 at 100", prior: 0, count: 30, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 2000, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 30, Count: 20, Rate: 100, Amount: 2000, Label: "本月第11—30件，每件100元"},
		}}},
		{name: "31: 2000 + 200", prior: 0, count: 31, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 2200, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 30, Count: 20, Rate: 100, Amount: 2000, Label: "本月第11—30件，每件100元"},
			{From: 31, To: 31, Count: 1, Rate: 200, Amount: 200, Label: "本月第31件，每件200元"},
		}}},
		{name: "40: 2000 + 10×200", prior: 0, count: 40, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 4000, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 30, Count: 20, Rate: 100, Amount: 2000, Label: "本月第11—30件，每件100元"},
			{From: 31, To: 40, Count: 10, Rate: 200, Amount: 2000, Label: "本月第31—40件，每件200元"},
		}}},
		{name: "41: 4000 + 300", prior: 0, count: 41, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 4300, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 30, Count: 20, Rate: 100, Amount: 2000, Label: "本月第11—30件，每件100元"},
			{From: 31, To: 40, Count: 10, Rate: 200, Amount: 2000, Label: "本月第31—40件，每件200元"},
			{From: 41, To: 41, Count: 1, Rate: 300, Amount: 300, Label: "本月第41件，每件300元"},
		}}},
		{name: "51: 4000 + 3000 + 400", prior: 0, count: 51, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 7400, Lines: []fee.Line{
			{From: 1, To: 10, Count: 10, Label: "本月第1—10件，免费"},
			{From: 11, To: 30, Count: 20, Rate: 100, Amount: 2000, Label: "本月第11—30件，每件100元"},
			{From: 31, To: 40, Count: 10, Rate: 200, Amount: 2000, Label: "本月第31—40件，每件200元"},
			{From: 41, To: 50, Count: 10, Rate: 300, Amount: 3000, Label: "本月第41—50件，每件300元"},
			{From: 51, To: 51, Count: 1, Rate: 400, Amount: 400, Label: "本月第51件，每件400元"},
		}}},
		{name: "10th and 11th of the month", prior: 9, count: 2, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 100, Lines: []fee.Line{
			{From: 10, To: 10, Count: 1, Label: "本月第10件，免费"},
			{From: 11, To: 11, Count: 1, Rate: 100, Amount: 100, Label: "本月第11件，每件100元"},
		}}},
		{name: "already 10 this month", prior: 10, count: 1, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 100, Lines: []fee.Line{
			{From: 11, To: 11, Count: 1, Rate: 100, Amount: 100, Label: "本月第11件，每件100元"},
		}}},
		{name: "already 30 this month", prior: 30, count: 1, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 200, Lines: []fee.Line{
			{From: 31, To: 31, Count: 1, Rate: 200, Amount: 200, Label: "本月第31件，每件200元"},
		}}},
		{
			// Items 26–45: 5×100 + 10×200 + 5×300 = 500 + 2000 + 1500 = 4000.
			name: "26th to 45th", prior: 25, count: 20, want: fee.Breakdown{Method: fee.MethodPerItem, Total: 4000, Lines: []fee.Line{
				{From: 26, To: 30, Count: 5, Rate: 100, Amount: 500, Label: "本月第26—30件，每件100元"},
				{From: 31, To: 40, Count: 10, Rate: 200, Amount: 2000, Label: "本月第31—40件，每件200元"},
				{From: 41, To: 45, Count: 5, Rate: 300, Amount: 1500, Label: "本月第41—45件，每件300元"},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fee.PerItem(tt.prior, tt.count, fee.DefaultSettings())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Totals only, at more boundaries and with other band settings.
func TestPerItemTotals(t *testing.T) {
	alt := fee.DefaultSettings()
	alt.BandSize, alt.BandStep = 5, 50
	tests := []struct {
		prior, count int
		s            fee.Settings
		want         int64
	}{
		{0, 50, fee.DefaultSettings(), 7000},  // 2000 + 2000 + 3000
		{0, 60, fee.DefaultSettings(), 11000}, // 7000 + 10×400
		{0, 61, fee.DefaultSettings(), 11500}, // + 500
		{40, 0, fee.DefaultSettings(), 0},
		{60, 10, fee.DefaultSettings(), 5000}, // 61–70 at 500
		// 5-item bands raising 50 元: 11–30 2000; 31–35 at 150 = 750;
		// 36–40 at 200 = 1000 → 3750.
		{0, 40, alt, 3750},
	}
	for _, tt := range tests {
		got, err := fee.PerItem(tt.prior, tt.count, tt.s)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != tt.want {
			t.Errorf("PerItem(%d, %d) = %d; want %d", tt.prior, tt.count, got.Total, tt.want)
		}
	}
}

// Hand-computed: 1–30 free, 31–100 at 10, 101–200 at 20, 201+ at 40 元 per page.
func TestPerPage(t *testing.T) {
	free := fee.Line{From: 1, To: 30, Count: 30, Label: "第1—30页，免费"}
	band10 := fee.Line{From: 31, To: 100, Count: 70, Rate: 10, Amount: 700, Label: "第31—100页，每页10元"}
	band20 := fee.Line{From: 101, To: 200, Count: 100, Rate: 20, Amount: 2000, Label: "第101—200页，每页20元"}
	tests := []struct {
		pages int
		want  fee.Breakdown
	}{
		{0, fee.Breakdown{Method: fee.MethodPerPage, Lines: []fee.Line{}}},
		{1, fee.Breakdown{Method: fee.MethodPerPage, Lines: []fee.Line{{From: 1, To: 1, Count: 1, Label: "第1页，免费"}}}},
		{30, fee.Breakdown{Method: fee.MethodPerPage, Lines: []fee.Line{free}}},
		{31, fee.Breakdown{Method: fee.MethodPerPage, Total: 10, Lines: []fee.Line{free,
			{From: 31, To: 31, Count: 1, Rate: 10, Amount: 10, Label: "第31页，每页10元"}}}},
		{100, fee.Breakdown{Method: fee.MethodPerPage, Total: 700, Lines: []fee.Line{free, band10}}},
		{101, fee.Breakdown{Method: fee.MethodPerPage, Total: 720, Lines: []fee.Line{free, band10,
			{From: 101, To: 101, Count: 1, Rate: 20, Amount: 20, Label: "第101页，每页20元"}}}},
		{200, fee.Breakdown{Method: fee.MethodPerPage, Total: 2700, Lines: []fee.Line{free, band10, band20}}},
		{201, fee.Breakdown{Method: fee.MethodPerPage, Total: 2740, Lines: []fee.Line{free, band10, band20,
			{From: 201, To: 201, Count: 1, Rate: 40, Amount: 40, Label: "第201页，每页40元"}}}},
		// 2700 + 50×40 = 4700.
		{250, fee.Breakdown{Method: fee.MethodPerPage, Total: 4700, Lines: []fee.Line{free, band10, band20,
			{From: 201, To: 250, Count: 50, Rate: 40, Amount: 2000, Label: "第201—250页，每页40元"}}}},
	}
	for _, tt := range tests {
		got, err := fee.PerPage(tt.pages, fee.DefaultSettings())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("PerPage(%d) mismatch (-want +got):\n%s", tt.pages, diff)
		}
	}
}

func TestRefuses(t *testing.T) {
	bad := fee.DefaultSettings()
	bad.PageBands = []fee.Band{{From: 1, To: 30}, {From: 40, To: 0, Rate: 10}}
	noBands := fee.DefaultSettings()
	noBands.BandSize = 0
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"negative prior", func() error { _, err := fee.PerItem(-1, 1, fee.DefaultSettings()); return err }, "prior"},
		{"negative count", func() error { _, err := fee.PerItem(0, -1, fee.DefaultSettings()); return err }, "count"},
		{"too many items", func() error { _, err := fee.PerItem(fee.MaxCount, 1, fee.DefaultSettings()); return err }, "count"},
		{"negative pages", func() error { _, err := fee.PerPage(-1, fee.DefaultSettings()); return err }, "pages"},
		{"too many pages", func() error { _, err := fee.PerPage(fee.MaxCount+1, fee.DefaultSettings()); return err }, "pages"},
		{"gap in page bands", func() error { _, err := fee.PerPage(10, bad); return err }, "page_bands"},
		{"zero band size", func() error { _, err := fee.PerItem(0, 50, noBands); return err }, "band_size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if e := gongkai.AsError(err); e == nil || e.Code != gongkai.EINVALID || e.Field != tt.field {
				t.Errorf("error = %v; want %s on %s", err, gongkai.EINVALID, tt.field)
			}
		})
	}
	// The limits themselves are accepted.
	if _, err := fee.PerItem(0, fee.MaxCount, fee.DefaultSettings()); err != nil {
		t.Error(err)
	}
	if _, err := fee.PerPage(fee.MaxCount, fee.DefaultSettings()); err != nil {
		t.Error(err)
	}
}

// FuzzPerItem checks that the monthly count is cumulative: charging a+b
// items at once costs the same as a items then b more, lines add up to the
// total, and nothing is negative.
func FuzzPerItem(f *testing.F) {
	f.Add(0, 10, 21)
	f.Add(29, 1, 1)
	f.Add(99, 1000, 3)
	f.Fuzz(func(t *testing.T, prior, a, b int) {
		s := fee.DefaultSettings()
		all, err := fee.PerItem(prior, a+b, s)
		first, err1 := fee.PerItem(prior, a, s)
		second, err2 := fee.PerItem(prior+a, b, s)
		if err != nil || err1 != nil || err2 != nil {
			inRange := func(n int) bool { return n >= 0 && n <= fee.MaxCount }
			if inRange(prior) && inRange(a) && inRange(b) && inRange(prior+a+b) && err != nil {
				t.Fatalf("PerItem(%d, %d) refused: %v", prior, a+b, err)
			}
			return
		}
		if all.Total != first.Total+second.Total {
			t.Fatalf("PerItem(%d, %d) = %d, but %d + %d in two steps", prior, a+b, all.Total, first.Total, second.Total)
		}
		var sum int64
		n := 0
		for _, l := range all.Lines {
			if l.Amount < 0 || l.Amount != int64(l.Count)*l.Rate {
				t.Fatalf("bad line %+v", l)
			}
			sum += l.Amount
			n += l.Count
		}
		if sum != all.Total || n != a+b {
			t.Fatalf("lines sum to %d over %d items; total %d over %d", sum, n, all.Total, a+b)
		}
	})
}
