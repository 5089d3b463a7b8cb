package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"gongkai"
)

// CalendarPage shows the working-day calendar, a date calculator, and for
// top-level admins the form to enter a new year's arrangement.
type CalendarPage struct {
	AdminBase
	Years []gongkai.CalendarYear
	// The calculator: the N-th working day after Date.
	Date, N    string
	Result     string
	IsWorkday  string
	Data       string // the JSON being entered, echoed back on error
	Problems   gongkai.Problems
	CanEdit    bool
	ExampleRef string
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) (CalendarPage, error) {
	years, err := s.Calendar.CalendarYears(r.Context())
	if err != nil {
		return CalendarPage{}, err
	}
	return CalendarPage{AdminBase: s.adminBase(w, r, "工作日历"), Years: years, CanEdit: gongkai.ActorFrom(r.Context()).IsAdmin()}, nil
}

func (s *Server) adminCalendar(w http.ResponseWriter, r *http.Request) error {
	page, err := s.calendarPage(w, r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page.Date, page.N = q.Get("date"), q.Get("n")
	if page.Date != "" {
		cal, err := s.Calendar.Workdays(r.Context())
		if err != nil {
			return err
		}
		d, err := gongkai.ParseDate(page.Date)
		n, nerr := strconv.Atoi(strings.TrimSpace(page.N))
		switch {
		case err != nil:
			page.Problems.Add("date", "日期格式应为 YYYY-MM-DD，例如 2026-09-30。")
		case page.N != "" && (nerr != nil || n < 1 || n > 1000):
			page.Problems.Add("n", "工作日数应为1至1000之间的整数。")
		default:
			if ok, err := cal.IsWorkday(d); err != nil {
				page.Problems.Add("date", err.Error())
			} else if ok {
				page.IsWorkday = d.Chinese() + "是工作日。"
			} else {
				page.IsWorkday = d.Chinese() + "不是工作日。"
			}
			if page.N != "" && len(page.Problems) == 0 {
				if due, err := cal.Add(d, n); err != nil {
					page.Problems.Add("n", err.Error())
				} else {
					page.Result = d.Chinese() + "之后第" + strconv.Itoa(n) + "个工作日是" + due.Chinese() + "（星期" + weekdayCN[due.Weekday()] + "）。"
				}
			}
		}
	}
	return s.render(w, r, http.StatusOK, "admin/calendar", page)
}

var weekdayCN = [...]string{"日", "一", "二", "三", "四", "五", "六"}

// adminCalendarSet stores a year's arrangement, pasted or uploaded.
func (s *Server) adminCalendarSet(w http.ResponseWriter, r *http.Request) error {
	data := []byte(r.PostFormValue("data"))
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, 256<<10))
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(string(b))) > 0 {
			data = b
		}
	}
	_, err := s.Calendar.SetCalendarYear(r.Context(), data)
	if err == nil {
		return s.redirectFlash(w, r, "/admin/calendar", "calendar-saved")
	}
	e := gongkai.AsError(err)
	if e == nil || (e.Code != gongkai.EINVALID && e.Code != gongkai.EFORBIDDEN) {
		return err
	}
	page, perr := s.calendarPage(w, r)
	if perr != nil {
		return perr
	}
	page.Data = string(data)
	if len(e.Problems) > 0 {
		page.Problems = e.Problems
	} else {
		page.Problems.Add("data", e.Message)
	}
	return s.render(w, r, errorStatus(err), "admin/calendar", page)
}
