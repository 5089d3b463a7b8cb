package annualreport

import (
	"strconv"
	"strings"

	"gongkai"
)

// Value is one numeric cell. Counts are whole numbers; amounts (the columns
// with two decimals, such as 本年收费金额（单位：万元）) are kept exactly as
// hundredths, so 12.34 万元 is N == 1234. A Value that is not Valid is an empty
// cell: a figure staff have not entered yet, or a blank in an imported report.
type Value struct {
	N     int64
	Valid bool
}

// Num returns the valid Value n.
func Num(n int64) Value { return Value{N: n, Valid: true} }

// Format writes v with the given number of decimals ("" when not valid):
// Format(Num(1234), 2) is "12.34".
func (v Value) Format(decimals int) string {
	if !v.Valid {
		return ""
	}
	if decimals == 0 {
		return strconv.FormatInt(v.N, 10)
	}
	return formatScaled(v.N, decimals)
}

func formatScaled(n int64, decimals int) string {
	sign := ""
	u := uint64(n)
	if n < 0 {
		sign, u = "-", uint64(-n)
	}
	scale := uint64(1)
	for range decimals {
		scale *= 10
	}
	frac := strconv.FormatUint(u%scale, 10)
	frac = strings.Repeat("0", decimals-len(frac)) + frac
	return sign + strconv.FormatUint(u/scale, 10) + "." + frac
}

// Amount is a non-negative sum of money with two decimals, held exactly as
// hundredths of its unit: the unit is 万元 in table 二 and 元 for 信息处理费
// (where a hundredth is one 分). Floating point is never used for money.
type Amount int64

// String formats a as "12.34".
func (a Amount) String() string { return formatScaled(int64(a), 2) }

// Yuan formats an amount of 元 the way letters and reports write it: "300元",
// "12.50元".
func (a Amount) Yuan() string {
	if a%100 == 0 {
		return strconv.FormatInt(int64(a)/100, 10) + "元"
	}
	return a.String() + "元"
}

// maxFigure bounds every entered or imported number, far above any real
// count or amount, so sums of many reports cannot overflow int64.
const maxFigure = 1_000_000_000_000

// ParseAmount reads an amount typed by staff or found in an imported file:
// digits with at most two decimals ("12", "12.3", "12.34"). Full-width digits
// and the full-width point (as typed with a Chinese input method) and
// thousands separators are accepted; signs, exponents and more than two
// decimals are not. The error is a *gongkai.Error with a Chinese message.
func ParseAmount(s string) (Amount, error) {
	n, err := parseDecimal(s, 2, "金额")
	return Amount(n), err
}

// ParseCount reads a whole, non-negative number typed by staff (a 处理决定数量
// or similar), accepting the same full-width forms as ParseAmount.
func ParseCount(s string) (int64, error) {
	return parseDecimal(s, 0, "数量")
}

// parseDecimal parses a non-negative decimal with at most decimals places and
// returns it scaled by 10^decimals. what names the figure in messages.
func parseDecimal(s string, decimals int, what string) (int64, error) {
	s = normalizeDigits(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, gongkai.Errorf(gongkai.EINVALID, "请填写%s。", what)
	}
	if s[0] == '-' {
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s不能为负数。", what)
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (hasPoint && (frac == "" || !allDigits(frac))) {
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s“%s”不是有效的数字。", what, s)
	}
	if len(frac) > decimals {
		if decimals == 0 {
			return 0, gongkai.Errorf(gongkai.EINVALID, "%s应为整数。", what)
		}
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s最多保留%d位小数。", what, decimals)
	}
	intPart = strings.TrimLeft(intPart, "0")
	if len(intPart) > 13 {
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s过大。", what)
	}
	var n int64
	for _, c := range intPart + frac + strings.Repeat("0", decimals-len(frac)) {
		n = n*10 + int64(c-'0')
	}
	if n/pow10(decimals) > maxFigure {
		return 0, gongkai.Errorf(gongkai.EINVALID, "%s过大。", what)
	}
	return n, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// normalizeDigits maps full-width digits, point, comma and minus to ASCII.
func normalizeDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．' || r == '。':
			return '.'
		case r == '，':
			return ','
		case r == '－' || r == '−':
			return '-'
		}
		return r
	}, s)
}
