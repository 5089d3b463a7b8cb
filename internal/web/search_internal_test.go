package web

import (
	"testing"

	"gongkai/internal/search"
)

// The 一网通查 pages, registered for the template type-check.
func init() {
	pageTypes["portal/search"] = SearchPage{}
	pageTypes["admin/search"] = SearchAdminPage{}
}

// TestSearchHitIndexNo: every hit but the guide carries its 索引号, as
// docs/api.md says; annual reports once lost it.
func TestSearchHitIndexNo(t *testing.T) {
	s := &Server{}
	for _, tc := range []struct {
		kind, id, want string
	}{
		{search.KindDocument, "11369900KL00010139/2026-00001", "11369900KL00010139/2026-00001"},
		{search.KindInterpretation, "11369900KL00010139/2026-00002", "11369900KL00010139/2026-00002"},
		{search.KindAnnualReport, "11369900KL00010139/2026-00018", "11369900KL00010139/2026-00018"},
		{search.KindGuide, "guide-1", ""},
	} {
		if got := s.searchHit(&searchNames{}, search.Hit{ID: tc.id, Kind: tc.kind}).IndexNo; got != tc.want {
			t.Errorf("%s: indexNo %q, want %q", tc.kind, got, tc.want)
		}
	}
}
