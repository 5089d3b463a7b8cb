package taxonomy

import (
	"fmt"
	"slices"
	"strings"

	"gongkai"
)

// Genre is a 公文种类: one of the fifteen kinds of 《党政机关公文处理工作条例》
// Art. 8, or 其他. Code is stable and ASCII (stored, used in URLs); Label is
// the Chinese name shown to people.
type Genre struct {
	Code  string
	Label string
}

// String returns the label.
func (g Genre) String() string { return g.Label }

// GenreOther is 其他, for information that is not a 公文.
var GenreOther = Genre{Code: "qita", Label: "其他"}

var genres = loadGenres()

func loadGenres() []Genre {
	var out []Genre
	for _, f := range rows("genres.tsv", 2) {
		out = append(out, Genre{Code: f[0], Label: f[1]})
	}
	return out
}

// Genres returns every Genre in the order of Art. 8, 其他 last.
func Genres() []Genre { return slices.Clone(genres) }

// GenreByCode returns the Genre with the given code.
func GenreByCode(code string) (Genre, bool) {
	for _, g := range genres {
		if g.Code == code {
			return g, true
		}
	}
	return Genre{}, false
}

// ParseGenre accepts a code or a label, as an API client or an import file
// may send either. 命令（令） is also recognised as 命令, 令 or with ASCII
// parentheses. Unknown values are an EINVALID error on the field "genre".
func ParseGenre(s string) (Genre, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "命令", "令", "命令(令)":
		s = "命令（令）"
	}
	for _, g := range genres {
		if s == g.Code || s == g.Label {
			return g, nil
		}
	}
	if s == "" {
		return Genre{}, gongkai.FieldError("genre", "请选择公文种类。")
	}
	return Genre{}, gongkai.FieldError("genre", fmt.Sprintf("公文种类“%s”不存在，应为《党政机关公文处理工作条例》规定的15种公文之一或“其他”。", s))
}
