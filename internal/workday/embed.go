package workday

import (
	"embed"
	"fmt"
	"path"
	"strconv"
	"sync"
)

// data holds one file per year, named YYYY.json, each citing the State
// Council notice it transcribes (see Year).
//
//go:embed data/*.json
var data embed.FS

// Embedded returns the calendar of the years shipped with this release. It
// panics if an embedded file is invalid, which the package tests rule out.
func Embedded() *Calendar { return embedded() }

var embedded = sync.OnceValue(func() *Calendar {
	c, err := loadEmbedded()
	if err != nil {
		panic(err)
	}
	return c
})

func loadEmbedded() (*Calendar, error) {
	entries, err := data.ReadDir("data")
	if err != nil {
		return nil, err
	}
	var years []Year
	for _, e := range entries {
		b, err := data.ReadFile(path.Join("data", e.Name()))
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(b)
		if err != nil {
			return nil, fmt.Errorf("workday: data/%s: %w", e.Name(), err)
		}
		if want := strconv.Itoa(y.Year) + ".json"; e.Name() != want {
			return nil, fmt.Errorf("workday: data/%s holds year %d", e.Name(), y.Year)
		}
		years = append(years, y)
	}
	if len(years) == 0 {
		return nil, fmt.Errorf("workday: no embedded years")
	}
	return New(years...)
}
