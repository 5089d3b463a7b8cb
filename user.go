package gongkai

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do in one org. A user may hold several roles in
// several orgs.
type Role string

// The roles. Reviewer levels follow the 三审 system: 初审, 复审, 终审.
const (
	RoleEditor     = Role("editor")     // 编辑：起草、提交文件
	RoleReviewer1  = Role("reviewer1")  // 初审
	RoleReviewer2  = Role("reviewer2")  // 复审
	RoleReviewer3  = Role("reviewer3")  // 终审
	RoleOfficer    = Role("officer")    // 依申请公开经办人
	RoleSupervisor = Role("supervisor") // 监督：查看本机构及下级的全部信息
	RoleAdmin      = Role("admin")      // 管理员：管理本机构及下级的机构、站点和用户
)

// Roles lists every role.
var Roles = []Role{RoleEditor, RoleReviewer1, RoleReviewer2, RoleReviewer3, RoleOfficer, RoleSupervisor, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Label is the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleEditor:
		return "编辑"
	case RoleReviewer1:
		return "初审"
	case RoleReviewer2:
		return "复审"
	case RoleReviewer3:
		return "终审"
	case RoleOfficer:
		return "依申请公开经办人"
	case RoleSupervisor:
		return "监督"
	case RoleAdmin:
		return "管理员"
	}
	return string(r)
}

// ReviewerRole returns the role that reviews at level 1–3.
func ReviewerRole(level int) Role {
	switch level {
	case 1:
		return RoleReviewer1
	case 2:
		return RoleReviewer2
	case 3:
		return RoleReviewer3
	}
	return ""
}

// Grant is one role held in one org.
type Grant struct {
	OrgID   int64  `json:"orgId"`
	OrgCode string `json:"orgCode"`
	OrgName string `json:"orgName,omitempty"`
	Role    Role   `json:"role"`
}

// User is a member of staff. Citizens do not have accounts: they apply and
// follow their applications with a tracking number and access code.
type User struct {
	ID          int64     `json:"id"`
	Username    string    `json:"username"`
	DisplayName string    `json:"displayName"`
	Disabled    bool      `json:"disabled"`
	Grants      []Grant   `json:"grants"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{2,31}$`)

// MinPasswordLength is the shortest password accepted (characters).
const MinPasswordLength = 10

// Validate checks a new user's fields.
func (u *User) Validate() error {
	var p Problems
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if !usernamePattern.MatchString(u.Username) {
		p.Add("username", "用户名须为3至32位小写英文字母、数字或“._-”，并以字母开头。")
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	if utf8.RuneCountInString(u.DisplayName) > 40 {
		p.Add("displayName", "姓名不能超过40个字。")
	}
	if len(u.Grants) == 0 {
		p.Add("roles", "请至少为用户分配一个机构中的一个角色。")
	}
	for _, g := range u.Grants {
		if !g.Role.Valid() {
			p.Add("roles", "未知角色“"+string(g.Role)+"”，可选：editor、reviewer1、reviewer2、reviewer3、officer、supervisor、admin。")
		}
	}
	return p.Err()
}

// ValidatePassword checks a new password against the policy.
func ValidatePassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return FieldError("password", "密码至少需要10个字符。")
	case len(pw) > 256:
		return FieldError("password", "密码不能超过256个字节。")
	case strings.TrimSpace(pw) == "":
		return FieldError("password", "密码不能全是空白字符。")
	}
	return nil
}

// UserFilter selects users. Nil fields do not filter.
type UserFilter struct {
	ID       *int64
	Username *string
	// Within selects users holding a role in this org's subtree.
	Within *int64
}

// UserService manages staff accounts and their roles.
type UserService interface {
	FindUserByID(ctx context.Context, id int64) (*User, error)
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, error)
	// CreateUser creates the user with the given password and grants
	// (u.Grants name orgs by OrgCode or OrgID).
	CreateUser(ctx context.Context, u *User, password string) error
	SetPassword(ctx context.Context, userID int64, password string) error
	SetGrants(ctx context.Context, userID int64, grants []Grant) (*User, error)
	SetDisabled(ctx context.Context, userID int64, disabled bool) (*User, error)
}

// Actor is whoever is acting: a logged-in user with their grants, or the
// system itself (CLI commands run by the operator, background jobs).
type Actor struct {
	UserID   int64
	Username string
	Name     string
	Grants   []Grant
	// System is true for the operator's CLI and for jobs; it may do anything.
	System bool
	// SessionID is the session the user authenticated with, if any.
	SessionID int64
}

// SystemActor returns the actor used by CLI commands and jobs; name says
// which (e.g. "cli", "job:publish") and stays the username the audit trail
// records, while Name is what staff read in review histories and check
// records.
func SystemActor(name string) *Actor {
	display := systemActorNames[name]
	if display == "" {
		display = name
	}
	return &Actor{System: true, Username: name, Name: display}
}

var systemActorNames = map[string]string{
	"cli":                "系统（命令行）",
	"demo":               "系统（示例数据）",
	"migrate":            "系统（数据库迁移）",
	"job:publish":        "系统（定时发布）",
	"job:recheck":        "系统（发布后复查）",
	"job:applications":   "系统（申请办理提醒）",
	"job:annual_reports": "系统（年报提醒）",
	"job:expire":         "系统（有效期届满失效）",
}

// HasRole reports whether a holds role in the org with the given ID exactly.
func (a *Actor) HasRole(role Role, orgID int64) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role == role && g.OrgID == orgID {
			return true
		}
	}
	return false
}

// HasRoleOver reports whether a holds role in org or in one of its
// ancestors: how supervisors and admins reach their subtree.
func (a *Actor) HasRoleOver(role Role, org *Org) bool {
	if a == nil || org == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role == role && org.Within(g.OrgID) {
			return true
		}
	}
	return false
}

// CanSupervise reports whether a may read everything about org: a
// supervisor or admin of org or of an ancestor.
func (a *Actor) CanSupervise(org *Org) bool {
	return a.HasRoleOver(RoleSupervisor, org) || a.HasRoleOver(RoleAdmin, org)
}

// CanAdminister reports whether a may manage org, its sites and its staff.
func (a *Actor) CanAdminister(org *Org) bool { return a.HasRoleOver(RoleAdmin, org) }

// IsAdmin reports whether a administers at least one org.
func (a *Actor) IsAdmin() bool { return a.hasAny(RoleAdmin) }

// IsSupervisor reports whether a supervises or administers at least one org.
func (a *Actor) IsSupervisor() bool { return a.hasAny(RoleSupervisor) || a.hasAny(RoleAdmin) }

func (a *Actor) hasAny(r Role) bool {
	if a == nil {
		return false
	}
	if a.System {
		return true
	}
	for _, g := range a.Grants {
		if g.Role == r {
			return true
		}
	}
	return false
}

// OrgIDs returns the distinct orgs a holds any role in, in grant order.
func (a *Actor) OrgIDs() []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, g := range a.Grants {
		if !seen[g.OrgID] {
			seen[g.OrgID] = true
			ids = append(ids, g.OrgID)
		}
	}
	return ids
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
