package web

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai"
)

// UsersPage lists the staff the admin manages.
type UsersPage struct {
	AdminBase
	Users []*gongkai.User
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	users, err := s.Users.FindUsers(r.Context(), gongkai.UserFilter{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/users", UsersPage{AdminBase: s.adminBase(w, r, "用户管理"), Users: users})
}

// GrantRow is one org of the role grid: a checkbox per role.
type GrantRow struct {
	Org   *gongkai.Org
	Depth int
	Roles []GrantCell
}

// GrantCell is one checkbox of the role grid.
type GrantCell struct {
	Role    gongkai.Role
	Value   string // "orgcode:role"
	Checked bool
}

// UserFormPage creates a user or edits one's roles.
type UserFormPage struct {
	AdminBase
	IsNew     bool
	User      gongkai.User
	Grid      []GrantRow
	Roles     []gongkai.Role
	Problems  gongkai.Problems
	CanManage bool
	IsSelf    bool
}

// grantGrid builds the role checkboxes for the orgs the actor administers.
func (s *Server) grantGrid(r *http.Request, checked []gongkai.Grant) ([]GrantRow, error) {
	rows, err := s.orgRows(r)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, g := range checked {
		has[g.OrgCode+":"+string(g.Role)] = true
	}
	var grid []GrantRow
	for _, row := range rows {
		if !row.CanAdmin {
			continue
		}
		gr := GrantRow{Org: row.Org, Depth: row.Depth}
		for _, role := range gongkai.Roles {
			v := row.Org.Code + ":" + string(role)
			gr.Roles = append(gr.Roles, GrantCell{Role: role, Value: v, Checked: has[v]})
		}
		grid = append(grid, gr)
	}
	return grid, nil
}

func grantsFromForm(r *http.Request) []gongkai.Grant {
	var grants []gongkai.Grant
	for _, v := range r.PostForm["grant"] {
		code, role, ok := strings.Cut(v, ":")
		if ok {
			grants = append(grants, gongkai.Grant{OrgCode: code, Role: gongkai.Role(role)})
		}
	}
	return grants
}

func (s *Server) userForm(w http.ResponseWriter, r *http.Request, title string, u gongkai.User, isNew bool) (UserFormPage, error) {
	grid, err := s.grantGrid(r, u.Grants)
	if err != nil {
		return UserFormPage{}, err
	}
	a := gongkai.ActorFrom(r.Context())
	return UserFormPage{AdminBase: s.adminBase(w, r, title), IsNew: isNew, User: u, Grid: grid, Roles: gongkai.Roles,
		CanManage: a.IsAdmin(), IsSelf: a.UserID == u.ID}, nil
}

func (s *Server) adminUserNew(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	page, err := s.userForm(w, r, "新增用户", gongkai.User{}, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/user_form", page)
}

func (s *Server) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	u := gongkai.User{Username: strings.TrimSpace(r.PostFormValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("displayName")), Grants: grantsFromForm(r)}
	pw := r.PostFormValue("password")
	var problems gongkai.Problems
	if pw != r.PostFormValue("password2") {
		problems.Add("password2", "两次输入的密码不一致。")
	} else {
		saved := u
		err := s.Users.CreateUser(r.Context(), &saved, pw)
		if err == nil {
			return s.redirectFlash(w, r, "/admin/users/"+strconv.FormatInt(saved.ID, 10), "user-saved")
		}
		if problems, err = formProblems(err); err != nil {
			return err
		}
	}
	page, err := s.userForm(w, r, "新增用户", u, true)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/user_form", page)
}

func userID(r *http.Request) (int64, error) { return pathID(r, "id") }

func (s *Server) adminUserView(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := s.userForm(w, r, "用户："+u.DisplayName, *u, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/user_form", page)
}

func (s *Server) adminUserRoles(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	_, err = s.Users.SetGrants(r.Context(), id, grantsFromForm(r))
	if err == nil {
		return s.redirectFlash(w, r, "/admin/users/"+r.PathValue("id"), "roles-saved")
	}
	return s.userPostFailed(w, r, id, err)
}

// userPostFailed re-renders the user page with the problem of a failed post.
func (s *Server) userPostFailed(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	u, err := s.Users.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	page, err := s.userForm(w, r, "用户："+u.DisplayName, *u, false)
	if err != nil {
		return err
	}
	page.Problems = problems
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/user_form", page)
}

func (s *Server) adminUserPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("password2") {
		return s.userPostFailed(w, r, id, gongkai.FieldError("password2", "两次输入的密码不一致。"))
	}
	if err := s.Users.SetPassword(r.Context(), id, pw); err != nil {
		return s.userPostFailed(w, r, id, err)
	}
	return s.redirectFlash(w, r, "/admin/users/"+r.PathValue("id"), "password-reset")
}

func (s *Server) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, true)
}

func (s *Server) adminUserEnable(w http.ResponseWriter, r *http.Request) error {
	return s.setDisabled(w, r, false)
}

func (s *Server) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if _, err := s.Users.SetDisabled(r.Context(), id, disabled); err != nil {
		return err
	}
	flash := "user-enabled"
	if disabled {
		flash = "user-disabled"
	}
	return s.redirectFlash(w, r, "/admin/users/"+r.PathValue("id"), flash)
}
