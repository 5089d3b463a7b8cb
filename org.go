package gongkai

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// OrgKind says whether an Org is a government (人民政府) or a department
// (部门) under one.
type OrgKind string

// The two kinds of Org.
const (
	OrgGovernment = OrgKind("government")
	OrgDepartment = OrgKind("department")
)

// Label returns the Chinese name of the kind.
func (k OrgKind) Label() string {
	switch k {
	case OrgGovernment:
		return "人民政府"
	case OrgDepartment:
		return "部门"
	}
	return string(k)
}

// OrgLevel is the administrative level of a government, and of the
// departments under it: 省级, 市级, 县级, 乡级. It decides, among other
// things, which 条例 Art. 21 columns a site gets.
type OrgLevel string

// The four levels, from the top.
const (
	LevelProvince = OrgLevel("province")
	LevelCity     = OrgLevel("city")
	LevelCounty   = OrgLevel("county")
	LevelTownship = OrgLevel("township")
)

// OrgLevels lists the levels from the top.
var OrgLevels = []OrgLevel{LevelProvince, LevelCity, LevelCounty, LevelTownship}

// Label returns the Chinese name of the level.
func (l OrgLevel) Label() string {
	switch l {
	case LevelProvince:
		return "省级"
	case LevelCity:
		return "市级"
	case LevelCounty:
		return "县级"
	case LevelTownship:
		return "乡级"
	}
	return string(l)
}

func (l OrgLevel) rank() int {
	for i, x := range OrgLevels {
		if x == l {
			return i
		}
	}
	return -1
}

// Org is a government or a department (机关/单位). Orgs form a tree:
// province → city → county → township governments, with departments under
// each government.
type Org struct {
	ID        int64    `json:"id"`
	Code      string   `json:"code"` // stable ASCII slug for URLs and the CLI
	Name      string   `json:"name"`
	ShortName string   `json:"shortName,omitempty"`
	Kind      OrgKind  `json:"kind"`
	Level     OrgLevel `json:"level"`
	// CreditCode is the 18-character 统一社会信用代码 (GB 32100).
	CreditCode string `json:"creditCode,omitempty"`
	// OrgCode is the 9-character 组织机构代码 (GB 11714), for orgs that
	// still use it (and the 9th–17th characters of the credit code).
	OrgCode string `json:"orgCode,omitempty"`
	// RegionCode is the 6-digit 行政区划代码.
	RegionCode string `json:"regionCode,omitempty"`
	ParentID   int64  `json:"parentId,omitempty"`
	ParentCode string `json:"parentCode,omitempty"`
	// Path lists the IDs from the root to this org, inclusive, so subtree
	// questions are a prefix test.
	Path      []int64   `json:"-"`
	Sort      int       `json:"sort"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// DisplayName is the short name when there is one.
func (o *Org) DisplayName() string {
	if o.ShortName != "" {
		return o.ShortName
	}
	return o.Name
}

// Within reports whether o is the org ancestorID or lies in its subtree.
func (o *Org) Within(ancestorID int64) bool {
	for _, id := range o.Path {
		if id == ancestorID {
			return true
		}
	}
	return false
}

var orgCodePattern = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)

// OrgValidators holds the identifier checks an Org needs. They live in
// internal/ident (pure functions) and are injected so that this package
// stays free of dependencies.
type OrgValidators struct {
	CreditCode func(string) error
	OrgCode    func(string) error
	RegionCode func(string) error
}

// Validate checks the fields of o that do not need the database, given its
// parent (nil for a root org). Every problem is reported at once.
func (o *Org) Validate(parent *Org, v OrgValidators) error {
	var p Problems
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.ShortName = strings.TrimSpace(o.ShortName)
	o.CreditCode = strings.ToUpper(strings.TrimSpace(o.CreditCode))
	o.OrgCode = strings.ToUpper(strings.TrimSpace(o.OrgCode))
	o.RegionCode = strings.TrimSpace(o.RegionCode)
	if !orgCodePattern.MatchString(o.Code) {
		p.Add("code", "机构代码须为2至40位小写英文字母、数字或连字符，并以字母开头，例如 shifagaiwei。")
	}
	if o.Name == "" {
		p.Add("name", "请填写机构名称。")
	} else if len([]rune(o.Name)) > 100 {
		p.Add("name", "机构名称不能超过100个字。")
	} else if hasControl(o.Name) {
		p.Add("name", "机构名称不能包含换行、制表符等控制字符。")
	}
	if len([]rune(o.ShortName)) > 30 {
		p.Add("shortName", "机构简称不能超过30个字。")
	} else if hasControl(o.ShortName) {
		p.Add("shortName", "机构简称不能包含换行、制表符等控制字符。")
	}
	switch o.Kind {
	case OrgGovernment, OrgDepartment:
	default:
		p.Add("kind", "机构类型须为 government（人民政府）或 department（部门）。")
	}
	if o.Kind == OrgDepartment && parent == nil {
		p.Add("parent", "部门必须隶属于一级人民政府，请指定上级机构。")
	}
	if parent != nil && parent.Kind == OrgDepartment && o.Kind == OrgGovernment {
		p.Add("parent", "人民政府不能隶属于部门。")
	}
	if o.Kind == OrgDepartment && parent != nil {
		o.Level = parent.Level // a department sits at its government's level
	}
	if o.Level.rank() < 0 {
		p.Add("level", "行政层级须为 province（省级）、city（市级）、county（县级）或 township（乡级）。")
	} else if o.Kind == OrgGovernment && parent != nil && parent.Level.rank() >= 0 && o.Level.rank() <= parent.Level.rank() {
		p.Add("level", "下级人民政府的行政层级必须低于上级人民政府。")
	}
	if o.CreditCode == "" && o.OrgCode == "" {
		p.Add("creditCode", "请填写统一社会信用代码（18位）或组织机构代码（9位）。")
	}
	if o.CreditCode != "" && v.CreditCode != nil {
		if err := v.CreditCode(o.CreditCode); err != nil {
			p.Add("creditCode", err.Error())
		}
	}
	if o.OrgCode != "" && v.OrgCode != nil {
		if err := v.OrgCode(o.OrgCode); err != nil {
			p.Add("orgCode", err.Error())
		}
	}
	// GB 32100: characters 9–17 of the 统一社会信用代码 are the body's
	// 组织机构代码. When both are given they must agree, or the org would be
	// published under two identities (the 索引号 uses the credit code).
	if len(o.CreditCode) == 18 && len(o.OrgCode) == 9 && p.For("creditCode") == "" && p.For("orgCode") == "" && o.CreditCode[8:17] != o.OrgCode {
		p.Add("orgCode", "组织机构代码“"+o.OrgCode+"”与统一社会信用代码第9至17位（主体标识码）“"+o.CreditCode[8:17]+"”不一致，请核对。")
	}
	if o.RegionCode == "" {
		p.Add("regionCode", "请填写6位行政区划代码。")
	} else if v.RegionCode != nil {
		if err := v.RegionCode(o.RegionCode); err != nil {
			p.Add("regionCode", err.Error())
		}
	}
	return p.Err()
}

// hasControl reports a control character (tab, newline …). Names are
// single lines: `gongkai org list` prints them as TSV fields, and page
// titles and letters print them in one line.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// OrgFilter selects orgs. Nil fields do not filter.
type OrgFilter struct {
	ID       *int64
	Code     *string
	Within   *int64 // the subtree of this org, inclusive
	Kind     *OrgKind
	ParentID *int64
}

// OrgUpdate changes an org; nil fields are left as they are. The code and
// the parent do not change: URLs and the audit trail depend on them.
type OrgUpdate struct {
	Name       *string
	ShortName  *string
	CreditCode *string
	OrgCode    *string
	RegionCode *string
	Sort       *int
}

// OrgService manages the org tree.
type OrgService interface {
	FindOrgByID(ctx context.Context, id int64) (*Org, error)
	FindOrgByCode(ctx context.Context, code string) (*Org, error)
	// FindOrgs returns orgs in tree order (parents before children).
	FindOrgs(ctx context.Context, filter OrgFilter) ([]*Org, error)
	CreateOrg(ctx context.Context, org *Org) error
	UpdateOrg(ctx context.Context, id int64, upd OrgUpdate) (*Org, error)
}
