package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"gongkai"
)

// AuditPage lists audit records with filters.
type AuditPage struct {
	AdminBase
	Records []*gongkai.AuditRecord
	Total   int
	Orgs    []*gongkai.Org
	// Filter values as entered, echoed into the form.
	Org, ActorName, Action, ObjectType, ObjectID, From, To string
	Page, Pages                                            int
	PrevURL, NextURL                                       string
	Problems                                               gongkai.Problems
}

const auditPageSize = 50

// auditFilter reads the audit filters shared by the page and the API.
func (s *Server) auditFilter(r *http.Request) (gongkai.AuditFilter, gongkai.Problems, error) {
	q := r.URL.Query()
	var f gongkai.AuditFilter
	var p gongkai.Problems
	if code := q.Get("org"); code != "" {
		org, err := s.Orgs.FindOrgByCode(r.Context(), code)
		if err != nil {
			return f, p, err
		}
		f.Within = &org.ID
	}
	set := func(dst **string, key string) {
		if v := q.Get(key); v != "" {
			*dst = &v
		}
	}
	set(&f.ActorName, "actor")
	set(&f.Action, "action")
	set(&f.ObjectType, "objectType")
	set(&f.ObjectID, "objectId")
	for _, d := range []struct {
		key string
		dst **time.Time
		end bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := q.Get(d.key)
		if v == "" {
			continue
		}
		day, err := gongkai.ParseDate(v)
		if err != nil {
			p.Add(d.key, "日期格式应为 YYYY-MM-DD，例如 2026-01-31。")
			continue
		}
		t := day.Time()
		if d.end {
			t = day.AddDays(1).Time() // "to" includes the whole day
		}
		*d.dst = &t
	}
	if page, err := strconv.Atoi(q.Get("page")); err == nil && page > 1 {
		f.Offset = (page - 1) * auditPageSize
	}
	f.Limit = auditPageSize
	return f, p, nil
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	a := gongkai.ActorFrom(r.Context())
	if !a.IsSupervisor() {
		return gongkai.Errorf(gongkai.EFORBIDDEN, "只有监督人员和管理员可以查看审计日志。")
	}
	q := r.URL.Query()
	page := AuditPage{AdminBase: s.adminBase(w, r, "审计日志"), Org: q.Get("org"), ActorName: q.Get("actor"), Action: q.Get("action"),
		ObjectType: q.Get("objectType"), ObjectID: q.Get("objectId"), From: q.Get("from"), To: q.Get("to")}
	f, problems, err := s.auditFilter(r)
	if err != nil {
		return err
	}
	page.Problems = problems
	orgs, err := s.Orgs.FindOrgs(r.Context(), gongkai.OrgFilter{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		if a.CanSupervise(o) {
			page.Orgs = append(page.Orgs, o)
		}
	}
	if len(problems) == 0 {
		page.Records, page.Total, err = s.Audit.FindAuditRecords(r.Context(), f)
		if err != nil {
			return err
		}
	}
	page.Page = f.Offset/auditPageSize + 1
	page.Pages = max(1, (page.Total+auditPageSize-1)/auditPageSize)
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/admin/audit?" + v.Encode()
	}
	if page.Page > 1 {
		page.PrevURL = link(page.Page - 1)
	}
	if page.Page < page.Pages {
		page.NextURL = link(page.Page + 1)
	}
	return s.render(w, r, http.StatusOK, "admin/audit", page)
}

func itoa(n int) string { return strconv.Itoa(n) }

// auditActions names the audit actions in Chinese; the code stays the
// filter's value. An action not listed shows its code.
var auditActions = map[string]string{
	"annual_report.import": "导入年度报告", "annual_report.publish": "发布年度报告", "annual_report.remind": "提醒编报年度报告",
	"annual_report.save": "保存年度报告", "annual_report.submit": "提交年度报告审核",
	"application.appeal": "登记行政复议或诉讼", "application.appeal_update": "更新行政复议或诉讼", "application.confirm": "确认收到申请",
	"application.create": "登记申请", "application.event": "登记办理事项", "application.file_view": "查看申请附件",
	"application.letter": "生成告知书", "application.reply": "答复申请", "application.submit": "网上提交申请",
	"application.view_personal": "查看申请人个人信息",
	"calendar.set_year":         "设置年度工作日历",
	"check_list.set":            "修改检查词典或白名单",
	"column.create":             "新建栏目", "column.delete": "删除栏目", "column.move": "调整栏目顺序", "column.seed": "生成法定栏目", "column.update": "修改栏目",
	"datakey.fingerprint": "登记数据密钥指纹", "datakey.rotate": "更换数据密钥",
	"document.accept_findings": "确认复查问题", "document.approve": "审核通过", "document.attach": "上传附件", "document.create": "新建文件",
	"document.detach": "删除附件", "document.import": "导入文件", "document.override": "说明理由后发布", "document.publish": "发布文件",
	"document.reject": "退回修改", "document.revise": "修订文件", "document.schedule": "定时发布", "document.settings": "修改文件设置",
	"document.submit": "提交审核", "document.unschedule": "取消定时发布", "document.update": "修改文件", "document.validity": "变更有效性",
	"document.withdraw":      "撤回文件",
	"guide.update":           "修改公开指南",
	"letter_template.delete": "恢复默认文书模板", "letter_template.set": "修改文书模板",
	"org.create": "新建机构", "org.update": "修改机构",
	"search.synonyms": "修改检索同义词",
	"session.login":   "登录", "session.logout": "退出登录",
	"site.create": "新建站点", "site.update": "修改站点",
	"user.create": "新建用户", "user.disable": "停用用户", "user.enable": "启用用户", "user.notice_email": "修改提醒邮箱",
	"user.password": "修改密码", "user.roles": "修改角色",
}

// auditObjects names the audited object types in Chinese, in the order
// the filter offers them.
var auditObjects = []struct{ Code, Label string }{
	{"document", "政府信息"}, {"application", "依申请公开申请"}, {"annual_report", "年度报告"}, {"column", "栏目"},
	{"letter_template", "文书模板"}, {"check_list", "检查词典"}, {"org", "机构"}, {"user", "用户"}, {"site", "站点"},
	{"calendar_year", "工作日历"}, {"setting", "设置"}, {"datakey", "数据密钥"},
}

// ActionLabel is the Chinese name of an audit action.
func (AuditPage) ActionLabel(code string) string {
	if l, ok := auditActions[code]; ok {
		return l
	}
	return code
}

// ObjectLabel is the Chinese name of an audited object type.
func (AuditPage) ObjectLabel(code string) string {
	for _, o := range auditObjects {
		if o.Code == code {
			return o.Label
		}
	}
	return code
}

// AuditOption is a choice of an audit filter.
type AuditOption struct{ Value, Label string }

// ActionGroups are the choices of the action filter (a prefix of the
// action code).
func (AuditPage) ActionGroups() []AuditOption {
	return []AuditOption{
		{"document.", "政府信息"}, {"application.", "依申请公开"}, {"annual_report.", "年度报告"}, {"column.", "栏目"},
		{"guide.", "公开指南"}, {"letter_template.", "文书模板"}, {"check_list.", "检查词典"}, {"search.", "站内检索"},
		{"org.", "机构"}, {"user.", "用户"}, {"site.", "站点"}, {"calendar.", "工作日历"}, {"datakey.", "数据密钥"}, {"session.", "登录和退出"},
	}
}

// ObjectTypes are the choices of the object type filter.
func (AuditPage) ObjectTypes() []AuditOption {
	out := make([]AuditOption, len(auditObjects))
	for i, o := range auditObjects {
		out[i] = AuditOption{o.Code, o.Label}
	}
	return out
}
