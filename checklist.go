package gongkai

import (
	"context"
	"time"
)

// CheckListKind names one of a site's lists that tune the pre-publication
// content checks (零差错). Each list is kept as text in the format admins
// import and export, so a list can be edited in any editor and diffed.
type CheckListKind string

// The five lists a site keeps.
const (
	// CheckDictionary holds the site's own wrong-expression entries, in
	// the dictionary format ("错误形式 | 正确形式 | official|common | 来源").
	CheckDictionary = CheckListKind("dictionary")
	// CheckAllowTerms are terms never flagged on this site.
	CheckAllowTerms = CheckListKind("allow_terms")
	// CheckAllowDomains are domains that may appear in published text
	// besides gov.cn and the site's own hostnames.
	CheckAllowDomains = CheckListKind("allow_domains")
	// CheckSensitiveWords is the admin-managed sensitive word list.
	CheckSensitiveWords = CheckListKind("sensitive_words")
	// CheckThirdPartyNames are names of commercial sites whose mention means
	// copied content.
	CheckThirdPartyNames = CheckListKind("third_party_names")
)

// CheckListKinds lists the kinds in display order.
var CheckListKinds = []CheckListKind{CheckDictionary, CheckAllowTerms, CheckAllowDomains, CheckSensitiveWords, CheckThirdPartyNames}

// Valid reports whether k is a known list.
func (k CheckListKind) Valid() bool {
	for _, x := range CheckListKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Label is the Chinese name of the list.
func (k CheckListKind) Label() string {
	switch k {
	case CheckDictionary:
		return "本站差错词典"
	case CheckAllowTerms:
		return "白名单词语"
	case CheckAllowDomains:
		return "允许出现的网站域名"
	case CheckSensitiveWords:
		return "敏感词"
	case CheckThirdPartyNames:
		return "第三方网站名称"
	}
	return string(k)
}

// CheckList is one list of one site.
type CheckList struct {
	SiteID    int64
	Kind      CheckListKind
	Content   string
	UpdatedAt time.Time
	UpdatedBy string
}

// CheckListService keeps the sites' check lists. Setting a list validates
// its format and is audited.
type CheckListService interface {
	// FindCheckLists returns the site's lists that have content, by kind.
	FindCheckLists(ctx context.Context, siteID int64) (map[CheckListKind]*CheckList, error)
	SetCheckList(ctx context.Context, siteID int64, kind CheckListKind, content string) error
}
