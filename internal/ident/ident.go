// Package ident validates and normalises the identifiers a government
// platform handles: 统一社会信用代码 (GB 32100-2015), 组织机构代码
// (GB 11714-1997), 行政区划代码, 公民身份号码 (GB 11643-1999), mainland mobile
// numbers and 发文字号 (GB/T 9704-2012 §7.2.5).
//
// Every function is pure. Every error returned has, as its Error() text, one
// or more complete Chinese sentences that can be shown to a user as they are;
// callers put them on a form field with gongkai.FieldError(field, err.Error()).
// The package returns plain errors rather than *gongkai.Error because only the
// caller knows which field (or which position in a document) was at fault.
package ident

import "errors"

// ErrCheckChar is matched (with errors.Is) by every error that reports a
// wrong check character: the rest of the identifier was well formed, so the
// likeliest cause is a typing mistake, and a form can say so.
var ErrCheckChar = errors.New("校验码不正确。")

// identError carries a user-facing Chinese message and, for check-character
// failures, makes errors.Is(err, ErrCheckChar) true.
type identError struct {
	msg   string
	check bool
}

func (e *identError) Error() string { return e.msg }

func (e *identError) Is(target error) bool { return e.check && target == ErrCheckChar }

func fail(msg string) error { return &identError{msg: msg} }

func failCheck(msg string) error { return &identError{msg: msg, check: true} }

// provinces holds the province-level prefixes of 行政区划代码 (GB/T 2260):
// 11–15 华北, 21–23 东北, 31–37 华东, 41–46 中南, 50–54 西南, 61–65 西北,
// 71 台湾, 81 香港, 82 澳门.
var provinces = [100]bool{
	11: true, 12: true, 13: true, 14: true, 15: true,
	21: true, 22: true, 23: true,
	31: true, 32: true, 33: true, 34: true, 35: true, 36: true, 37: true,
	41: true, 42: true, 43: true, 44: true, 45: true, 46: true,
	50: true, 51: true, 52: true, 53: true, 54: true,
	61: true, 62: true, 63: true, 64: true, 65: true,
	71: true, 81: true, 82: true,
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
