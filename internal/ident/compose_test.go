package ident_test

import (
	"testing"

	"gongkai/internal/ident"
)

func TestComposeCreditCode(t *testing.T) {
	// The example printed with GB 32100-2015 is 91350100M000100Y43: parts
	// "91", "350100", org code body "M000100Y" (its check char 4), then 3.
	got, err := ident.ComposeCreditCode("91", "350100", "M000100Y")
	if err != nil || got != "91350100M000100Y43" {
		t.Fatalf("ComposeCreditCode = %q, %v; want 91350100M000100Y43", got, err)
	}
	for _, parts := range [][3]string{{"9", "350100", "M000100Y"}, {"91", "35010", "M000100Y"}, {"91", "350100", "M000100"}, {"91", "990100", "M000100Y"}} {
		if _, err := ident.ComposeCreditCode(parts[0], parts[1], parts[2]); err == nil {
			t.Errorf("ComposeCreditCode(%q) accepted bad parts", parts)
		}
	}
}
