package web

import (
	"net/http"
	"strings"

	"gongkai"
)

// PortalBase is embedded in every portal page.
type PortalBase struct {
	Title   string // the page's own title; the layout appends the site name
	Site    *gongkai.Site
	Nav     []NavItem
	Current string // the request path, for aria-current
	CSRF    string
	// SearchBox shows the site search in the header; Query is the text
	// re-rendered in it on the results page.
	SearchBox bool
	Query     string
}

// AdminBase is embedded in every staff workspace page.
type AdminBase struct {
	Title   string
	Actor   *gongkai.Actor
	Menu    []NavItem
	Current string
	CSRF    string
	Flash   string
}

// ErrorPage shows an error in the portal.
type ErrorPage struct {
	PortalBase
	Status  int
	Message string
}

// AdminErrorPage shows an error in the workspace.
type AdminErrorPage struct {
	AdminBase
	Status  int
	Message string
}

func (s *Server) portalBase(w http.ResponseWriter, r *http.Request, title string) (PortalBase, error) {
	site, err := s.site(r)
	if err != nil {
		return PortalBase{}, err
	}
	// No CSRF token here: setting its cookie would make every portal page
	// uncacheable. Pages with forms call csrfToken themselves.
	return PortalBase{Title: title, Site: site, Nav: s.portalNav, Current: r.URL.Path, SearchBox: s.Search != nil}, nil
}

// adminBase builds the workspace frame for the actor in the context: the
// menu shows only what the actor may open.
func (s *Server) adminBase(w http.ResponseWriter, r *http.Request, title string) AdminBase {
	a := gongkai.ActorFrom(r.Context())
	var menu []NavItem
	for _, m := range s.adminMenu {
		if m.show == nil || m.show(a) {
			menu = append(menu, m.NavItem)
		}
	}
	flash := ""
	if c, err := r.Cookie("gk_flash"); err == nil {
		flash = flashMessages[c.Value]
		s.setCookie(w, r, "gk_flash", "", "/admin", -1)
	}
	return AdminBase{Title: title, Actor: a, Menu: menu, Current: r.URL.Path, CSRF: s.csrfToken(w, r), Flash: flash}
}

// flashMessages are the confirmations shown after a redirect. The cookie
// carries only a key, so nothing user-supplied is reflected.
var flashMessages = map[string]string{
	"org-saved":        "机构信息已保存。",
	"user-saved":       "用户已保存。",
	"roles-saved":      "角色已更新。",
	"password-saved":   "密码已修改。",
	"password-reset":   "密码已重置，该用户的其他登录会话已结束。",
	"user-disabled":    "账号已停用。",
	"user-enabled":     "账号已启用。",
	"site-saved":       "站点已保存。",
	"check-list-saved": "检查清单已保存，此后的检查立即按新清单执行。",
	"calendar-saved":   "工作日历已更新，此后计算的期限将按新的安排执行。",
	// Applications (issue 4).
	"event-saved":    "办理记录已登记，答复期限已重新计算。",
	"reply-saved":    "已登记答复，申请办结。",
	"appeal-saved":   "复议或诉讼记录已保存。",
	"template-saved": "文书模板已保存。",
	"template-reset": "已恢复为上级机关或系统默认的文书模板。",
	"notices-read":   "提醒已全部标记为已读。",
	"email-saved":    "提醒邮箱已保存。",
	// Documents.
	"document-saved":       "文件已保存。",
	"document-submitted":   "文件已提交审核。",
	"document-approved":    "已审核通过，文件转入下一级审核。",
	"document-rejected":    "已退回编辑修改。",
	"document-published":   "审核通过，文件已在网站上发布。",
	"document-scheduled":   "审核通过，文件将按设定时间发布。",
	"document-unscheduled": "已取消定时发布，文件退回草稿。",
	"document-withdrawn":   "文件已撤回。",
	"attachment-added":     "附件已上传。",
	"attachment-removed":   "附件已删除。",
	"column-saved":         "栏目已保存。",
	"guide-saved":          "政府信息公开指南已保存。",
	"settings-saved":       "文件设置已保存。",
	// Content checks in the review (issue 7).
	"findings-accepted": "已确认复查发现的问题无需修改，确认理由已记入审核记录。",
	// Annual reports.
	"report-saved":          "年度报告的数据和正文已保存。",
	"report-submitted":      "年度报告已通过发布前核对，作为文件提交审核；审核通过后在“政府信息公开年报”栏目发布。",
	"report-imported":       "历史年度报告已导入，可用于同比对照。",
	"report-reminded":       "已安排提醒：尚未发布年度报告的机关的编辑和监督人员将收到站内提醒。",
	"report-none-to-remind": "所选范围内的机关均已发布年度报告，无需提醒。",
	// 一网通查.
	"synonyms-saved": "同义词表已保存，各服务器将在数秒内按新表检索。",
}

// redirectFlash redirects after a successful post (Post/Redirect/Get) with
// a confirmation to show on the next page.
func (s *Server) redirectFlash(w http.ResponseWriter, r *http.Request, to, flash string) error {
	s.setCookie(w, r, "gk_flash", flash, "/admin", 60)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// errorHeading is the heading and page title of an error page: what
// happened, so that the browser tab and a screen reader say it too.
func errorHeading(status int, admin bool, msg string) string {
	switch {
	case status == http.StatusForbidden && strings.HasPrefix(msg, "表单已失效"):
		return "表单已失效"
	case status == http.StatusNotFound:
		return "页面不存在"
	case status == http.StatusForbidden && admin:
		return "无权操作"
	case status == http.StatusForbidden:
		return "无权访问"
	case status == http.StatusGone:
		return "内容已撤销"
	case status >= 500:
		return "系统暂时无法处理您的请求"
	case admin:
		return "操作未能完成"
	}
	return "请求未能完成"
}

func (s *Server) renderErrorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	var name string
	var page any
	if strings.HasPrefix(r.URL.Path, "/admin") {
		title := errorHeading(status, true, msg)
		base := AdminBase{Title: title, Current: r.URL.Path}
		if gongkai.ActorFrom(r.Context()) != nil {
			base = s.adminBase(w, r, title)
		}
		name, page = "admin/error", AdminErrorPage{AdminBase: base, Status: status, Message: msg}
	} else {
		base := PortalBase{Title: errorHeading(status, false, msg), Nav: s.portalNav, Current: r.URL.Path, SearchBox: s.Search != nil}
		if site, err := s.site(r); err == nil {
			base.Site = site
		}
		name, page = "portal/error", ErrorPage{PortalBase: base, Status: status, Message: msg}
	}
	if err := s.render(w, r, status, name, page); err != nil {
		s.Logger.Error("render error page", "error", err)
		http.Error(w, msg, status)
	}
}
