// Package checking builds the content checker (internal/check) of each site
// from the shipped dictionary and the site's own lists, and keeps it: a
// checker takes 10–90 ms to build and is then shared by every request and
// every review. The review gate, the staff check screen, the API and the
// recheck job all get their checker here, so a site's lists apply
// everywhere the same way. It also checks whole documents for the review
// gate (store.ContentChecker), with the text of attachments cached by
// their SHA-256.
package checking

import (
	"context"
	"strings"
	"sync"
	"time"

	"gongkai"
	"gongkai/internal/blob"
	"gongkai/internal/check"
)

// Refresh is how long a checker is reused before the site's lists are read
// again; a list changed on this node takes effect at once (Forget).
var Refresh = 30 * time.Second

// Service hands out the checker of a site, and checks documents with it
// (store.ContentChecker) reading their attachments from Blobs.
type Service struct {
	Lists gongkai.CheckListService
	Sites gongkai.SiteService
	Blobs blob.Store

	mu      sync.Mutex
	entries map[int64]entry
	texts   textCache
}

type entry struct {
	checker *check.Checker
	at      time.Time
}

// Checker returns the checker for the site: the shipped dictionary plus the
// site's entries, its allow-lists (with its own hostnames allowed), its
// sensitive words and third-party names.
func (s *Service) Checker(ctx context.Context, siteID int64) (*check.Checker, error) {
	s.mu.Lock()
	if e, ok := s.entries[siteID]; ok && time.Since(e.at) < Refresh {
		s.mu.Unlock()
		return e.checker, nil
	}
	s.mu.Unlock()
	cfg, err := s.Config(ctx, siteID)
	if err != nil {
		return nil, err
	}
	c, err := check.New(cfg)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.entries == nil {
		s.entries = map[int64]entry{}
	}
	s.entries[siteID] = entry{c, time.Now()}
	s.mu.Unlock()
	return c, nil
}

// Config assembles the checker configuration of a site.
func (s *Service) Config(ctx context.Context, siteID int64) (check.Config, error) {
	var cfg check.Config
	site, err := s.Sites.FindSiteByID(ctx, siteID)
	if err != nil {
		return cfg, err
	}
	lists, err := s.Lists.FindCheckLists(ctx, siteID)
	if err != nil {
		return cfg, err
	}
	words := func(kind gongkai.CheckListKind) ([]string, error) {
		l := lists[kind]
		if l == nil {
			return nil, nil
		}
		return check.ParseWordList(strings.NewReader(l.Content))
	}
	if l := lists[gongkai.CheckDictionary]; l != nil {
		d, err := check.ParseDictionary(strings.NewReader(l.Content))
		if err != nil {
			return cfg, err
		}
		cfg.ExtraEntries = d.Entries
	}
	if cfg.AllowTerms, err = words(gongkai.CheckAllowTerms); err != nil {
		return cfg, err
	}
	if cfg.SiteAllowDomains, err = words(gongkai.CheckAllowDomains); err != nil {
		return cfg, err
	}
	for _, h := range site.Hosts {
		if name, _, ok := strings.Cut(h, ":"); ok {
			h = name
		}
		if strings.Contains(h, ".") {
			cfg.SiteAllowDomains = append(cfg.SiteAllowDomains, h)
		}
	}
	if cfg.SensitiveWords, err = words(gongkai.CheckSensitiveWords); err != nil {
		return cfg, err
	}
	if cfg.ThirdPartyNames, err = words(gongkai.CheckThirdPartyNames); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// Forget drops the cached checker of a site after its lists changed.
func (s *Service) Forget(siteID int64) {
	s.mu.Lock()
	delete(s.entries, siteID)
	s.mu.Unlock()
}
