package search_test

import "gongkai/internal/search/analysis"

func analysisParse(s string) (*analysis.Synonyms, error) { return analysis.ParseSynonyms(s) }
