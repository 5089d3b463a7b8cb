package ident_test

import (
	"strings"
	"testing"

	"gongkai/internal/ident"
)

func TestParseOrderNo(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when refused
	}{
		{"国务院令第711号", "国务院令第711号"},
		{"示例市人民政府令第1号", "示例市人民政府令第1号"},
		{"示例市人民政府令第01号", ""}, // leading zero
		{"示例市人民政府令1号", ""},   // 第 missing
		{"示例市人民政府令第1", ""},   // 号 missing
		{"令第1号", ""},         // no issuer
		{"示政发〔2024〕1号", ""},
	} {
		o, err := ident.ParseOrderNo(tc.in)
		got := ""
		if err == nil {
			got = o.String()
		}
		if got != tc.want {
			t.Errorf("ParseOrderNo(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestValidateDocNumber(t *testing.T) {
	for _, ok := range []string{"示政办发〔2024〕15号", "示例市人民政府令第3号"} {
		if err := ident.ValidateDocNumber(ok); err != nil {
			t.Errorf("ValidateDocNumber(%q) = %v", ok, err)
		}
	}
	err := ident.ValidateDocNumber("示政办发[2024]15号")
	if err == nil || !strings.Contains(err.Error(), "示政办发〔2024〕15号") {
		t.Errorf("ValidateDocNumber of a bracket slip = %v, want the suggested form", err)
	}
}
