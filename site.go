package gongkai

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// Site is a portal served on its own hostnames. One gongkai process serves
// many sites (集约化); a request whose Host matches no site goes to the
// default site.
type Site struct {
	ID        int64      `json:"id"`
	OrgID     int64      `json:"orgId"`
	OrgCode   string     `json:"orgCode"`
	Code      string     `json:"code"`
	Name      string     `json:"name"`
	Hosts     []string   `json:"hosts"`
	IsDefault bool       `json:"isDefault"`
	Footer    SiteFooter `json:"footer"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// SiteFooter is what the national rules require in every page footer
// (statutes §4): 网站标识码, 主办单位, ICP备案号 and 公安备案号, plus contact
// lines the site wants to show.
type SiteFooter struct {
	// SiteIDCode is the 网站标识码: for local sites the 6-digit 行政区划代码
	// followed by a 4-digit serial.
	SiteIDCode   string `json:"siteIdCode"`
	Sponsor      string `json:"sponsor"`      // 主办单位
	Operator     string `json:"operator"`     // 承办单位
	ICP          string `json:"icp"`          // ICP备案号, e.g. 京ICP备05070218号
	PoliceRecord string `json:"policeRecord"` // 公安备案号, e.g. 京公网安备11010202000001号
	Address      string `json:"address"`
	Phone        string `json:"phone"`
}

var (
	siteCodePattern   = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
	siteIDCodePattern = regexp.MustCompile(`^(\d{10}|bm\d{8,10})$`)
	hostPattern       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$`)
)

// NormalizeHost lower-cases a Host header value and drops a trailing dot,
// so that lookups match however a browser spells it.
func NormalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.TrimSuffix(h, ".")
}

// Validate checks the site's own fields.
func (s *Site) Validate() error {
	var p Problems
	s.Code = strings.TrimSpace(s.Code)
	s.Name = strings.TrimSpace(s.Name)
	if !siteCodePattern.MatchString(s.Code) {
		p.Add("code", "站点代码须为2至40位小写英文字母、数字或连字符，并以字母开头。")
	}
	if s.Name == "" {
		p.Add("name", "请填写网站名称。")
	} else if len([]rune(s.Name)) > 60 {
		p.Add("name", "网站名称不能超过60个字。")
	}
	seen := map[string]bool{}
	for i, h := range s.Hosts {
		h = NormalizeHost(h)
		s.Hosts[i] = h
		if !hostPattern.MatchString(h) {
			p.Add("hosts", "域名“"+h+"”格式不正确，应为 www.example.gov.cn 这样的主机名，可带端口。")
		}
		if seen[h] {
			p.Add("hosts", "域名“"+h+"”重复。")
		}
		seen[h] = true
	}
	f := &s.Footer
	f.SiteIDCode = strings.TrimSpace(f.SiteIDCode)
	if f.SiteIDCode != "" && !siteIDCodePattern.MatchString(f.SiteIDCode) {
		p.Add("siteIdCode", "网站标识码应为10位数字（6位行政区划代码加4位顺序号）。")
	}
	for _, field := range []struct {
		name, label string
		v           *string
		max         int
	}{
		{"sponsor", "主办单位", &f.Sponsor, 100}, {"operator", "承办单位", &f.Operator, 100},
		{"icp", "ICP备案号", &f.ICP, 40}, {"policeRecord", "公安备案号", &f.PoliceRecord, 40},
		{"address", "地址", &f.Address, 120}, {"phone", "电话", &f.Phone, 40},
	} {
		*field.v = strings.TrimSpace(*field.v)
		if len([]rune(*field.v)) > field.max {
			p.Add(field.name, field.label+"过长。")
		}
	}
	return p.Err()
}

// SiteUpdate changes a site; nil fields are left alone.
type SiteUpdate struct {
	Name      *string
	Hosts     *[]string
	IsDefault *bool
	Footer    *SiteFooter
}

// SiteService manages sites and resolves hosts.
type SiteService interface {
	FindSiteByID(ctx context.Context, id int64) (*Site, error)
	FindSiteByCode(ctx context.Context, code string) (*Site, error)
	// FindSiteByHost returns the site answering on host, or the default
	// site when none does.
	FindSiteByHost(ctx context.Context, host string) (*Site, error)
	FindSites(ctx context.Context) ([]*Site, error)
	CreateSite(ctx context.Context, site *Site) error
	UpdateSite(ctx context.Context, id int64, upd SiteUpdate) (*Site, error)
}
