package search

import (
	"container/list"
	"fmt"
	"sync"
)

// resultCache keeps recent results. Popular queries repeat a lot (a policy
// in the news, 社保 every January), and a cached page costs nothing to serve.
// Every write to the index moves the generation, which is part of the key,
// so stale entries are never returned; they just age out.
type resultCache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[string]*list.Element
}

type cacheEntry struct {
	key string
	res Result
}

func newResultCache(n int) *resultCache {
	return &resultCache{max: n, ll: list.New(), items: make(map[string]*list.Element, n)}
}

func (c *resultCache) get(key string) (Result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return Result{}, false
	}
	c.ll.MoveToFront(e)
	return copyResult(e.Value.(*cacheEntry).res), true
}

func (c *resultCache) put(key string, r Result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*cacheEntry).res = copyResult(r)
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, res: copyResult(r)})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

// copyResult copies the slices a caller might append to; hits and facet
// counts are never modified in place.
func copyResult(r Result) Result {
	r.Notices = append([]string(nil), r.Notices...)
	r.Suggestions = append([]string(nil), r.Suggestions...)
	r.IgnoredFilters = append([]string(nil), r.IgnoredFilters...)
	r.DroppableFilters = append([]string(nil), r.DroppableFilters...)
	r.Hits = append([]Hit(nil), r.Hits...)
	return r
}

func cacheKey(q Query, text string, gen uint64) string {
	q.Text = text
	return fmt.Sprintf("%d|%#v", gen, q)
}
