package gongkai

import (
	"context"
	"time"
)

// SearchSynonyms is the synonym list of 一网通查 (社保 / 社会保险 …), one group
// per line, as an administrator edits it. Every node applies a saved list
// within seconds; no reindexing is needed, since synonyms are expanded when
// a query is parsed.
type SearchSynonyms struct {
	Text string `json:"text"`
	// Default is set while no list has been saved: Text is the list shipped
	// with the program.
	Default   bool      `json:"default"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// SearchSettingsService keeps the administrator's settings of 一网通查.
type SearchSettingsService interface {
	FindSearchSynonyms(ctx context.Context) (*SearchSynonyms, error)
	// UpdateSearchSynonyms validates and stores a list; an empty text
	// restores the shipped list. Only administrators of a top-level org
	// may change it: it affects every site's search.
	UpdateSearchSynonyms(ctx context.Context, text string) (*SearchSynonyms, error)
}
