package web

import (
	"net/http"
	"strings"

	"gongkai"
)

// LoginPage is the staff login form.
type LoginPage struct {
	AdminBase
	Username string
	Next     string
	Error    string
	Problems gongkai.Problems
}

func (s *Server) adminLoginForm(w http.ResponseWriter, r *http.Request) error {
	page := LoginPage{AdminBase: AdminBase{Title: "工作人员登录", Current: r.URL.Path, CSRF: s.csrfToken(w, r)}, Next: safeNext(r.URL.Query().Get("next"))}
	return s.render(w, r, http.StatusOK, "admin/login", page)
}

func (s *Server) adminLogin(w http.ResponseWriter, r *http.Request) error {
	username := strings.TrimSpace(r.PostFormValue("username"))
	page := LoginPage{AdminBase: AdminBase{Title: "工作人员登录", Current: r.URL.Path, CSRF: s.csrfToken(w, r)}, Username: username, Next: safeNext(r.PostFormValue("next"))}
	sess, token, err := s.Auth.Login(r.Context(), username, r.PostFormValue("password"), s.clientIP(r), gongkai.SessionWeb)
	if err != nil {
		code := gongkai.ErrorCode(err)
		if code == gongkai.EINTERNAL || code == gongkai.EUNAVAILABLE {
			return err
		}
		page.Error = gongkai.ErrorMessage(err)
		if e := gongkai.AsError(err); e != nil {
			page.Problems = e.Problems
			if e.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", itoa(e.RetryAfterSeconds))
			}
		}
		return s.render(w, r, errorStatus(err), "admin/login", page)
	}
	_ = sess
	// The session lives as long as the server keeps it: the cookie itself
	// is a browser-session cookie.
	s.setCookie(w, r, sessionCookie, token, "/admin", 0)
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) adminLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Auth.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.setCookie(w, r, sessionCookie, "", "/admin", -1)
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// HomePage is the workspace's front page: who you are and where you work.
type HomePage struct {
	AdminBase
	User *gongkai.User
	// MissingYear is next year when its holiday arrangement is not in the
	// calendar yet and the State Council's notice is due (from October):
	// deadlines running into that year cannot be computed until it is.
	MissingYear int
}

// missingCalendarYear returns next year if the calendar lacks it and it is
// October or later, else 0.
func (s *Server) missingCalendarYear(r *http.Request) (int, error) {
	today := gongkai.DateOf(s.Now())
	if today.Month < 10 {
		return 0, nil
	}
	years, err := s.Calendar.CalendarYears(r.Context())
	if err != nil {
		return 0, err
	}
	for _, y := range years {
		if y.Year == today.Year+1 {
			return 0, nil
		}
	}
	return today.Year + 1, nil
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	u, err := s.Users.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	missing, err := s.missingCalendarYear(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/home", HomePage{AdminBase: s.adminBase(w, r, "工作台"), User: u, MissingYear: missing})
}

// PasswordPage lets staff change their own password.
type PasswordPage struct {
	AdminBase
	Problems gongkai.Problems
}

func (s *Server) adminPasswordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/password", PasswordPage{AdminBase: s.adminBase(w, r, "修改密码")})
}

func (s *Server) adminPassword(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	page := PasswordPage{AdminBase: s.adminBase(w, r, "修改密码")}
	current, next, again := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("password2")
	// Re-check the current password by logging in: it also counts
	// failures, so this form cannot be used to guess passwords.
	_, token, err := s.Auth.Login(r.Context(), a.Username, current, s.clientIP(r), gongkai.SessionWeb)
	switch {
	case gongkai.ErrorCode(err) == gongkai.EUNAUTHORIZED || gongkai.ErrorCode(err) == gongkai.EINVALID:
		page.Problems.Add("current", "当前密码不正确。")
	case err != nil:
		return err
	default:
		s.Auth.Logout(r.Context(), token)
	}
	if next != again {
		page.Problems.Add("password2", "两次输入的新密码不一致。")
	}
	if len(page.Problems) == 0 {
		err := s.Users.SetPassword(r.Context(), a.UserID, next)
		if err == nil {
			return s.redirectFlash(w, r, "/admin/", "password-saved")
		}
		e := gongkai.AsError(err)
		if e == nil || e.Code != gongkai.EINVALID {
			return err
		}
		page.Problems = append(page.Problems, e.Problems...)
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/password", page)
}
