package checking

import (
	"strings"
	"testing"
)

// TestTextCacheEviction: the cache stays under its byte limit by dropping
// the least recently used text; a text larger than the limit is not kept.
func TestTextCacheEviction(t *testing.T) {
	var c textCache
	const limit = 100
	sum := func(s string) string { return strings.Repeat(s, 4) } // 4-byte keys
	c.put(sum("a"), strings.Repeat("x", 40), nil, limit)
	c.put(sum("b"), strings.Repeat("y", 40), nil, limit)
	if _, ok := c.get(sum("a")); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put(sum("c"), strings.Repeat("z", 40), nil, limit) // 132 bytes: b goes
	for _, tc := range []struct {
		key  string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}} {
		if _, ok := c.get(sum(tc.key)); ok != tc.want {
			t.Errorf("%s cached = %v, want %v", tc.key, ok, tc.want)
		}
	}
	c.put(sum("d"), strings.Repeat("w", 101), nil, limit)
	if _, ok := c.get(sum("d")); ok {
		t.Error("a text over the limit was cached")
	}
	if c.size > limit {
		t.Errorf("size %d over the limit", c.size)
	}
}
