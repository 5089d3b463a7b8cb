package ident

import (
	"errors"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// OrderNo is the number of a 令, the form in which 规章 and administrative
// regulations are promulgated: 国务院令第711号, 示例市人民政府令第1号. It has
// no year and is not a GB/T 9704 发文字号, so ParseDocNo refuses it.
type OrderNo struct {
	Issuer string // 国务院, 示例市人民政府
	Seq    int
}

// String returns the canonical form, e.g. 示例市人民政府令第1号.
func (o OrderNo) String() string { return o.Issuer + "令第" + strconv.Itoa(o.Seq) + "号" }

var orderNoPattern = regexp.MustCompile(`^(\p{Han}[\p{Han}（）]*)令第([1-9][0-9]{0,5})号$`)

// ParseOrderNo parses a 令 number.
func ParseOrderNo(s string) (OrderNo, error) {
	m := orderNoPattern.FindStringSubmatch(s)
	if m == nil || utf8.RuneCountInString(m[1]) > 30 {
		return OrderNo{}, errors.New("“" + s + "”不是规范的令号，应写作“××人民政府令第1号”的形式。")
	}
	seq, _ := strconv.Atoi(m[2])
	return OrderNo{Issuer: m[1], Seq: seq}, nil
}

// ValidateDocNumber accepts either a GB/T 9704 发文字号 or a 令 number (for
// 规章), and otherwise returns ParseDocNo's error, which suggests the
// corrected 发文字号.
func ValidateDocNumber(s string) error {
	_, err := ParseDocNo(s)
	if err == nil {
		return nil
	}
	if _, oerr := ParseOrderNo(s); oerr == nil {
		return nil
	}
	return err
}
