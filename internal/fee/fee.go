// Package fee computes the 信息处理费 an applicant for government information
// may be charged under 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号).
//
// Both methods are progressive over the excess (超额累进): each part is
// charged at the rate of the band it falls in. An organ picks one method per
// application, never both.
//
//   - 按件计收 (MethodPerItem): per applicant per natural month, counting
//     the items cumulatively: items 1–10 are free, 11–30 cost 100 元 each,
//     and from the 31st on each further band of 10 items costs 100 元 more
//     per item (31–40 at 200, 41–50 at 300, …). The reference gives the
//     rule above 30 items only as bands of 10 raising the rate by 100 元
//     each; that the first such band is 31–40 at 200 元 is our reading,
//     UNCONFIRMED against the official wording (statutes.md §1.5), so band
//     size and step are Settings.
//   - 按量计收 (MethodPerPage): per application: pages 1–30 free, 31–100 at
//     10 元, 101–200 at 20 元, 201 and over at 40 元 per page.
//
// Amounts are whole 元: every rate in the 办法 is a whole number of 元.
package fee

import (
	"fmt"

	"gongkai"
)

// Method is how a fee is charged. The values are stored.
type Method string

// The two methods of the 办法.
const (
	MethodPerItem Method = "per_item" // 按件计收
	MethodPerPage Method = "per_page" // 按量计收
)

// MaxCount bounds item and page counts. It is far above any real
// application and keeps amounts and the number of lines small.
const MaxCount = 100000

// MaxRate bounds every rate and step in Settings, so that no configuration
// can overflow an amount (MaxCount items at the highest band stay far below
// the int64 range).
const MaxRate = 100000

// Band is a range of items or pages charged at one rate. To is 0 for a band
// with no upper end.
type Band struct {
	From int   `json:"from"`
	To   int   `json:"to"`
	Rate int64 `json:"rate"` // 元 per item or page
}

// Settings are the rates. The 按件 band size and step are settings because
// their reading is UNCONFIRMED; the 按量 bands are statutory but kept here
// so all rates live in one place.
type Settings struct {
	// FreeItems per applicant per month (10).
	FreeItems int `json:"free_items"`
	// FirstBandEnd is the last item of the first charged band (30).
	FirstBandEnd int `json:"first_band_end"`
	// FirstBandRate is the rate of items FreeItems+1…FirstBandEnd (100 元).
	FirstBandRate int64 `json:"first_band_rate"`
	// BandSize is the number of items in each band after FirstBandEnd (10).
	BandSize int `json:"band_size"`
	// BandStep is how much each further band raises the rate per item (100 元).
	BandStep int64 `json:"band_step"`
	// PageBands are the 按量 bands in order, starting at page 1, each
	// starting right after the previous one; the last one has To 0.
	PageBands []Band `json:"page_bands"`
}

// DefaultSettings returns the rates of 国办函〔2020〕109号.
func DefaultSettings() Settings {
	return Settings{
		FreeItems:     10,
		FirstBandEnd:  30,
		FirstBandRate: 100,
		BandSize:      10,
		BandStep:      100,
		PageBands: []Band{
			{From: 1, To: 30, Rate: 0},
			{From: 31, To: 100, Rate: 10},
			{From: 101, To: 200, Rate: 20},
			{From: 201, To: 0, Rate: 40},
		},
	}
}

// Validate reports settings the functions cannot apply.
func (s Settings) Validate() error {
	var p gongkai.Problems
	if s.FreeItems < 0 {
		p.Add("free_items", "免费件数不能为负数。")
	}
	if s.FirstBandEnd < s.FreeItems {
		p.Add("first_band_end", "第一档的截止件数不能小于免费件数。")
	}
	if s.FirstBandRate < 0 || s.FirstBandRate > MaxRate {
		p.Add("first_band_rate", fmt.Sprintf("收费标准应在0至%d元之间。", MaxRate))
	}
	if s.BandStep < 0 || s.BandStep > MaxRate {
		p.Add("band_step", fmt.Sprintf("每档提高的收费标准应在0至%d元之间。", MaxRate))
	}
	if s.BandSize < 1 {
		p.Add("band_size", "每档件数至少为1件。")
	}
	if len(s.PageBands) == 0 {
		p.Add("page_bands", "请设置按量计收的分档。")
	}
	next := 1
	for i, b := range s.PageBands {
		last := i == len(s.PageBands)-1
		switch {
		case b.From != next:
			p.Add("page_bands", fmt.Sprintf("按量计收第%d档应从第%d页开始。", i+1, next))
		case last && b.To != 0:
			p.Add("page_bands", "按量计收的最后一档不应设上限。")
		case !last && b.To < b.From:
			p.Add("page_bands", fmt.Sprintf("按量计收第%d档的截止页数不能小于起始页数。", i+1))
		case b.Rate < 0 || b.Rate > MaxRate:
			p.Add("page_bands", fmt.Sprintf("收费标准应在0至%d元之间。", MaxRate))
		}
		next = b.To + 1
	}
	return p.Err()
}

// Line is one band of a breakdown: the items or pages From…To charged at
// Rate each.
type Line struct {
	From   int    `json:"from"`
	To     int    `json:"to"`
	Count  int    `json:"count"`
	Rate   int64  `json:"rate"`
	Amount int64  `json:"amount"`
	Label  string `json:"label"` // e.g. 第31—100页，每页10元
}

// Breakdown is a fee with the working behind it, for the fee notice (收费通知
// must state the basis, standard and amount).
type Breakdown struct {
	Method Method `json:"method"`
	Lines  []Line `json:"lines"`
	Total  int64  `json:"total"` // 元
}

// PerItem returns the 按件 fee for count new items of an applicant who has
// already had priorThisMonth items in the same natural month: the new items
// are numbers priorThisMonth+1 … priorThisMonth+count of the month.
func PerItem(priorThisMonth, count int, s Settings) (Breakdown, error) {
	if err := s.Validate(); err != nil {
		return Breakdown{}, err
	}
	var p gongkai.Problems
	if priorThisMonth < 0 {
		p.Add("prior", "本月已申请件数不能为负数。")
	}
	if count < 0 {
		p.Add("count", "件数不能为负数。")
	}
	if priorThisMonth > MaxCount || count > MaxCount-max(priorThisMonth, 0) {
		p.Add("count", fmt.Sprintf("本月累计件数不能超过%d件。", MaxCount))
	}
	if err := p.Err(); err != nil {
		return Breakdown{}, err
	}
	b := Breakdown{Method: MethodPerItem, Lines: []Line{}}
	first, last := priorThisMonth+1, priorThisMonth+count
	for band := range itemBands(s, last) {
		lo, hi := max(first, band.From), min(last, band.To)
		if lo > hi {
			continue
		}
		b.add(lo, hi, band.Rate, "本月第%s件，%s", "每件")
	}
	return b, nil
}

// itemBands yields the 按件 bands up to the one holding item last.
func itemBands(s Settings, last int) func(func(Band) bool) {
	return func(yield func(Band) bool) {
		if s.FreeItems > 0 && !yield(Band{From: 1, To: s.FreeItems}) {
			return
		}
		if s.FirstBandEnd > s.FreeItems && !yield(Band{From: s.FreeItems + 1, To: s.FirstBandEnd, Rate: s.FirstBandRate}) {
			return
		}
		rate := s.FirstBandRate
		for from := s.FirstBandEnd + 1; from <= last; from += s.BandSize {
			rate += s.BandStep
			if !yield(Band{From: from, To: from + s.BandSize - 1, Rate: rate}) {
				return
			}
		}
	}
}

// PerPage returns the 按量 fee for an application of pages pages.
func PerPage(pages int, s Settings) (Breakdown, error) {
	if err := s.Validate(); err != nil {
		return Breakdown{}, err
	}
	if pages < 0 {
		return Breakdown{}, gongkai.FieldError("pages", "页数不能为负数。")
	}
	if pages > MaxCount {
		return Breakdown{}, gongkai.FieldError("pages", fmt.Sprintf("页数不能超过%d页。", MaxCount))
	}
	b := Breakdown{Method: MethodPerPage, Lines: []Line{}}
	for _, band := range s.PageBands {
		hi := band.To
		if hi == 0 || hi > pages {
			hi = pages
		}
		if band.From > hi {
			break
		}
		b.add(band.From, hi, band.Rate, "第%s页，%s", "每页")
	}
	return b, nil
}

func (b *Breakdown) add(from, to int, rate int64, label, per string) {
	n := to - from + 1
	span := fmt.Sprint(from)
	if to > from {
		span = fmt.Sprintf("%d—%d", from, to)
	}
	price := "免费"
	if rate > 0 {
		price = fmt.Sprintf("%s%d元", per, rate)
	}
	amount := int64(n) * rate
	b.Lines = append(b.Lines, Line{From: from, To: to, Count: n, Rate: rate, Amount: amount, Label: fmt.Sprintf(label, span, price)})
	b.Total += amount
}
