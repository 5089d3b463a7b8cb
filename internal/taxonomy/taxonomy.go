// Package taxonomy holds the fixed vocabularies of a Document's catalogue
// metadata and of a site's 政府信息公开 columns: 公文种类 (Genre), 主题分类
// (Topic), 有效性 (Validity), 公开属性 (Disclosure) and the statutory column
// tree (StatutoryColumns).
//
// The lists are data shipped with the product: they are embedded from
// data/*.tsv, each file citing its source, and parsed once when the package
// loads. Nothing here changes afterwards; accessors return copies.
package taxonomy

import (
	"embed"
	"fmt"
	"strings"
)

//go:embed data/*.tsv
var dataFS embed.FS

// rows reads an embedded TSV file: blank lines and lines starting with # are
// comments; every other line must have exactly n tab-separated fields. A
// malformed file is a build defect, so it panics (the tests load every file).
func rows(name string, n int) [][]string {
	b, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		panic(err)
	}
	var out [][]string
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != n {
			panic(fmt.Sprintf("taxonomy: %s line %d: %d fields, want %d", name, i+1, len(f), n))
		}
		out = append(out, f)
	}
	return out
}
