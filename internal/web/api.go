package web

import (
	"net/http"
	"strconv"
	"time"

	"gongkai"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// apiLogin: POST /api/v1/session → a bearer token for API calls.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sess, token, err := s.Auth.Login(r.Context(), req.Username, req.Password, s.clientIP(r), gongkai.SessionAPI)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, loginResponse{Token: token, ExpiresAt: sess.ExpiresAt.UTC()})
}

// apiLogout: DELETE /api/v1/session ends the token's session.
func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	token, ok := bearer(r)
	if !ok {
		return gongkai.Errorf(gongkai.EUNAUTHORIZED, "缺少访问令牌（Authorization: Bearer …）。")
	}
	if err := s.Auth.Logout(r.Context(), token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	ID          int64           `json:"id"`
	Username    string          `json:"username"`
	DisplayName string          `json:"displayName"`
	Grants      []gongkai.Grant `json:"grants"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	grants := a.Grants
	if grants == nil {
		grants = []gongkai.Grant{}
	}
	return writeJSON(w, http.StatusOK, meResponse{ID: a.UserID, Username: a.Username, DisplayName: a.Name, Grants: grants})
}

type orgsResponse struct {
	Orgs []*gongkai.Org `json:"orgs"`
}

// apiOrgs lists the org tree; org names and codes are public information.
func (s *Server) apiOrgs(w http.ResponseWriter, r *http.Request) error {
	var f gongkai.OrgFilter
	if code := r.URL.Query().Get("within"); code != "" {
		org, err := s.Orgs.FindOrgByCode(r.Context(), code)
		if err != nil {
			return err
		}
		f.Within = &org.ID
	}
	orgs, err := s.Orgs.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	if orgs == nil {
		orgs = []*gongkai.Org{}
	}
	return writeJSON(w, http.StatusOK, orgsResponse{Orgs: orgs})
}

func (s *Server) apiOrg(w http.ResponseWriter, r *http.Request) error {
	org, err := s.Orgs.FindOrgByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, org)
}

type orgRequest struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	ShortName  string           `json:"shortName"`
	Kind       gongkai.OrgKind  `json:"kind"`
	Level      gongkai.OrgLevel `json:"level"`
	CreditCode string           `json:"creditCode"`
	OrgCode    string           `json:"orgCode"`
	RegionCode string           `json:"regionCode"`
	Parent     string           `json:"parent"`
	Sort       int              `json:"sort"`
}

func (s *Server) apiOrgCreate(w http.ResponseWriter, r *http.Request) error {
	var req orgRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	org := &gongkai.Org{Code: req.Code, Name: req.Name, ShortName: req.ShortName, Kind: req.Kind, Level: req.Level,
		CreditCode: req.CreditCode, OrgCode: req.OrgCode, RegionCode: req.RegionCode, ParentCode: req.Parent, Sort: req.Sort}
	if err := s.Orgs.CreateOrg(r.Context(), org); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/orgs/"+org.Code)
	return writeJSON(w, http.StatusCreated, org)
}

type auditResponse struct {
	Total   int                    `json:"total"`
	Records []*gongkai.AuditRecord `json:"records"`
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	f, problems, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	if err := problems.Err(); err != nil {
		return err
	}
	recs, total, err := s.Audit.FindAuditRecords(r.Context(), f)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []*gongkai.AuditRecord{}
	}
	return writeJSON(w, http.StatusOK, auditResponse{Total: total, Records: recs})
}

type workdaysResponse struct {
	Date      gongkai.Date  `json:"date"`
	IsWorkday bool          `json:"isWorkday"`
	N         int           `json:"n,omitempty"`
	Add       *gongkai.Date `json:"add,omitempty"`
	To        *gongkai.Date `json:"to,omitempty"`
	Between   *int          `json:"between,omitempty"`
}

// apiWorkdays answers calendar questions: ?date=D[&n=N][&to=B] gives
// whether D is a working day, the N-th working day after D, and the number
// of working days in (D, B].
func (s *Server) apiWorkdays(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d, err := gongkai.ParseDate(q.Get("date"))
	if err != nil {
		return &gongkai.Error{Code: gongkai.EINVALID, Field: "date", Message: "日期格式应为 YYYY-MM-DD。", Detail: err.Error()}
	}
	cal, err := s.Calendar.Workdays(r.Context())
	if err != nil {
		return err
	}
	resp := workdaysResponse{Date: d}
	if resp.IsWorkday, err = cal.IsWorkday(d); err != nil {
		return &gongkai.Error{Code: gongkai.EINVALID, Field: "date", Message: err.Error()}
	}
	if v := q.Get("n"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return gongkai.FieldError("n", "工作日数应为1至1000之间的整数。")
		}
		due, err := cal.Add(d, n)
		if err != nil {
			return &gongkai.Error{Code: gongkai.EINVALID, Field: "n", Message: err.Error()}
		}
		resp.N, resp.Add = n, &due
	}
	if v := q.Get("to"); v != "" {
		b, err := gongkai.ParseDate(v)
		if err != nil {
			return gongkai.FieldError("to", "日期格式应为 YYYY-MM-DD。")
		}
		n, err := cal.Between(d, b)
		if err != nil {
			return &gongkai.Error{Code: gongkai.EINVALID, Field: "to", Message: err.Error()}
		}
		resp.To, resp.Between = &b, &n
	}
	return writeJSON(w, http.StatusOK, resp)
}

type calendarYearJSON struct {
	Year     int               `json:"year"`
	Source   string            `json:"source"`
	DocNo    string            `json:"docNo,omitempty"`
	IssuedOn gongkai.Date      `json:"issuedOn"`
	URL      string            `json:"url,omitempty"`
	Override bool              `json:"override"`
	Holidays []gongkai.Holiday `json:"holidays"`
}

func (s *Server) apiCalendarYears(w http.ResponseWriter, r *http.Request) error {
	years, err := s.Calendar.CalendarYears(r.Context())
	if err != nil {
		return err
	}
	out := make([]calendarYearJSON, 0, len(years))
	for _, y := range years {
		out = append(out, calendarYearJSON{Year: y.Year, Source: y.Source, DocNo: y.DocNo, IssuedOn: y.IssuedOn, URL: y.URL, Override: y.Override, Holidays: y.Holidays})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"years": out})
}
