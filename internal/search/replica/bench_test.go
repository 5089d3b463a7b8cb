package replica_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"gongkai/internal/search"
	"gongkai/internal/storetest"
)

// BenchmarkPublishToSearchable publishes documents through the 三审 (the
// last approval publishes) and waits until this node's replica finds each
// one: the real outbox path, woken by the commit. ms-p50 and ms-max are the
// times from the publishing call's return to the first search that finds
// the document; ns/op covers the whole workflow (five transactions) and
// the wait.
func BenchmarkPublishToSearchable(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			f := newFix(b, db)
			r := start(b, db, nil, b.TempDir(), time.Second)
			var lat []time.Duration
			i := 0
			for b.Loop() {
				i++
				word := fmt.Sprintf("检索基准%06d号", i)
				f.publish(policy("关于"+word+"的通知", "<p>"+word+"。</p>", fmt.Sprintf("示发改规〔2025〕%d号", 1000+i)))
				begin := time.Now()
				for {
					res, err := r.Search(context.Background(), search.Query{Text: word})
					if err != nil {
						b.Fatal(err)
					}
					if res.Total == 1 {
						break
					}
					if time.Since(begin) > 5*time.Second {
						b.Fatalf("%s not searchable after 5s", word)
					}
					time.Sleep(100 * time.Microsecond)
				}
				lat = append(lat, time.Since(begin))
			}
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
			b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max")
		})
	}
}
