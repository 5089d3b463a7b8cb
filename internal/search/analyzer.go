package search

import (
	"fmt"
	"strings"

	blevea "github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/internal/search/analysis"
)

// Names of the custom Bleve analyzers. They are recorded in the index
// mapping, so an index can only be opened by a program that registered them:
// this package does so in init.
const (
	// AnalyzerName is the analyzer of every full-text field: analysis.Analyze.
	AnalyzerName = "gongkai_cjk"
	// DocNoAnalyzerName indexes the 发文字号 field as its normalised 文号
	// token only (or, for a number that is not a recognisable 文号, as the
	// whole normalised text without spaces).
	DocNoAnalyzerName = "gongkai_docno"
)

func init() {
	must := func(err error) {
		if err != nil {
			panic(fmt.Sprintf("search: registering analyzer: %v", err))
		}
	}
	must(registry.RegisterAnalyzer(AnalyzerName, func(map[string]any, *registry.Cache) (blevea.Analyzer, error) {
		return textAnalyzer{}, nil
	}))
	must(registry.RegisterAnalyzer(DocNoAnalyzerName, func(map[string]any, *registry.Cache) (blevea.Analyzer, error) {
		return docNoAnalyzer{}, nil
	}))
}

// textAnalyzer adapts analysis.Analyze to Bleve.
type textAnalyzer struct{}

func (textAnalyzer) Analyze(input []byte) blevea.TokenStream {
	toks := analysis.Analyze(string(input))
	// one backing array for the tokens and one for their terms: few
	// allocations per document while indexing
	n := 0
	for _, t := range toks {
		n += len(t.Term)
	}
	buf := make([]byte, 0, n)
	out := make(blevea.TokenStream, len(toks))
	store := make([]blevea.Token, len(toks))
	for i, t := range toks {
		s := len(buf)
		buf = append(buf, t.Term...)
		store[i] = blevea.Token{
			Term:     buf[s:len(buf):len(buf)],
			Start:    t.Start,
			End:      t.End,
			Position: t.Position,
			Type:     tokenType(t.Kind),
		}
		out[i] = &store[i]
	}
	return out
}

func tokenType(k analysis.Kind) blevea.TokenType {
	switch k {
	case analysis.Word:
		return blevea.AlphaNumeric
	case analysis.DocNo:
		return blevea.Single
	}
	return blevea.Ideographic
}

// docNoAnalyzer: see DocNoAnalyzerName.
type docNoAnalyzer struct{}

func (docNoAnalyzer) Analyze(input []byte) blevea.TokenStream {
	term := docNoFieldTerm(string(input))
	if term == "" {
		return nil
	}
	return blevea.TokenStream{{Term: []byte(term), Start: 0, End: len(input), Position: 1, Type: blevea.Single}}
}

// docNoFieldTerm is the one term of a 发文字号 field and of a query typed as
// a 文号, so that both sides agree.
func docNoFieldTerm(s string) string {
	if t, _, ok := analysis.ParseDocNo(s); ok {
		return t
	}
	return strings.Join(strings.Fields(analysis.Normalize(s)), "")
}
