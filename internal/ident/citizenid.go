package ident

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai"
)

// CitizenID is a parsed 公民身份号码 (GB 11643-1999, or the 15-digit
// GB 11643-1989 form).
type CitizenID struct {
	// Number is the normalised number: 18 characters with an upper-case X,
	// or the 15 digits of a legacy number (never converted to 18, because the
	// check character of the converted number is not what was issued).
	Number string
	// Region is the 6-digit 地址码, the county where the number was issued.
	Region string
	// Birth is the 出生日期码 as a date.
	Birth gongkai.Date
	// Male is true when the 顺序码 is odd.
	Male bool
	// Legacy is true for a 15-digit number.
	Legacy bool
}

// citizenWeights are the ISO 7064 MOD 11-2 weights 2^(18−i) mod 11 of
// positions 1–17, and citizenCheck maps the remainder to the check char.
var (
	citizenWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	citizenCheck   = "10X98765432"
)

// earliestBirth is the first birth date accepted: nobody born before 1900
// holds a number, and a year like 1800 is a typing mistake.
var earliestBirth = gongkai.Date{Year: 1900, Month: time.January, Day: 1}

// CitizenIDCheckChar returns the check character of an 18-char 公民身份号码
// from its first 17 digits (ISO 7064:1983 MOD 11-2): S = Σ digit×weight with
// weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, and the check char is
// "10X98765432"[S mod 11].
func CitizenIDCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 || !isDigits(first17) {
		return 0, fail("公民身份号码的前17位应为数字。")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * citizenWeights[i]
	}
	return citizenCheck[sum%11], nil
}

// ParseCitizenID parses an 18-char 公民身份号码 (with a lower-case x accepted
// and normalised) or a 15-digit legacy one. It checks the 地址码's province,
// that the birth date exists and is not before 1900-01-01 and, for 18-char
// numbers, the check character. It does not compare the birth date with
// today, because the package does not read the clock; a caller that cares
// compares Birth with its own today.
func ParseCitizenID(s string) (CitizenID, error) {
	s = strings.TrimSpace(s)
	switch n := utf8.RuneCountInString(s); {
	case s == "":
		return CitizenID{}, fail("未填写公民身份号码。")
	case n == 18 && len(s) == 18:
		return parseCitizen18(s)
	case n == 15 && len(s) == 15:
		return parseCitizen15(s)
	default:
		return CitizenID{}, fail(fmt.Sprintf("公民身份号码应为18位（旧式号码为15位），当前为%d位。", n))
	}
}

func parseCitizen18(s string) (CitizenID, error) {
	if !isDigits(s[:17]) {
		return CitizenID{}, fail("公民身份号码的前17位应为数字。")
	}
	last := s[17]
	if last == 'x' {
		last = 'X'
		s = s[:17] + "X"
	}
	if last != 'X' && (last < '0' || last > '9') {
		return CitizenID{}, fail("公民身份号码的最后一位应为数字或字母X。")
	}
	id := CitizenID{Number: s, Region: s[:6], Male: (s[16]-'0')%2 == 1}
	if err := citizenRegion(id.Region); err != nil {
		return CitizenID{}, err
	}
	birth, err := citizenBirth(s[6:14])
	if err != nil {
		return CitizenID{}, err
	}
	id.Birth = birth
	if want, _ := CitizenIDCheckChar(s[:17]); last != want {
		return CitizenID{}, failCheck("公民身份号码的校验码（最后一位）不正确，请核对后重新填写。")
	}
	return id, nil
}

func parseCitizen15(s string) (CitizenID, error) {
	if !isDigits(s) {
		return CitizenID{}, fail("15位的旧式公民身份号码应全部为数字。")
	}
	id := CitizenID{Number: s, Region: s[:6], Male: (s[14]-'0')%2 == 1, Legacy: true}
	if err := citizenRegion(id.Region); err != nil {
		return CitizenID{}, err
	}
	// GB 11643-1989 numbers carry YYMMDD; they were issued to people born
	// in the 1900s only, so the century is always 19.
	birth, err := citizenBirth("19" + s[6:12])
	if err != nil {
		return CitizenID{}, err
	}
	id.Birth = birth
	return id, nil
}

func citizenRegion(region string) error {
	if !validRegion(region) {
		return fail(fmt.Sprintf("公民身份号码的前6位（地址码）“%s”不是有效的行政区划代码。", region))
	}
	return nil
}

// citizenBirth parses the 8 digits YYYYMMDD of a 出生日期码.
func citizenBirth(ymd string) (gongkai.Date, error) {
	d := gongkai.Date{
		Year:  atoi(ymd[0:4]),
		Month: time.Month(atoi(ymd[4:6])),
		Day:   atoi(ymd[6:8]),
	}
	if !d.Valid() {
		return gongkai.Date{}, fail(fmt.Sprintf("公民身份号码中的出生日期“%s”不存在。", ymd))
	}
	if d.Before(earliestBirth) {
		return gongkai.Date{}, fail(fmt.Sprintf("公民身份号码中的出生日期“%s”早于1900年1月1日，不是有效的出生日期。", ymd))
	}
	return d, nil
}

// atoi converts a short run of ASCII digits the caller has checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// MaskCitizenID hides a 公民身份号码 for publication the way local rules ask
// (永安市 2023 circular, statutes §12): the first 2 and last 3 characters are
// kept and each other character becomes "*", so 350102199001011123 is shown
// as 35*************123. Strings of 5 characters or fewer are masked whole.
func MaskCitizenID(s string) string { return maskKeep(s, 2, 3) }

// maskKeep keeps the first head and last tail runes of s and replaces each
// rune between them with "*"; when s is not longer than head+tail, every
// rune is replaced, so nothing of a short value leaks.
func maskKeep(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	var b strings.Builder
	i := 0
	for _, r := range s {
		if i < head || i >= n-tail {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}
