package web

import (
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"gongkai"
	"gongkai/internal/check"
	"gongkai/internal/extract"
)

// checkUploadLimit caps files checked on the staff screen.
const checkUploadLimit = 20 << 20

func (s *Server) checkRoutes() {
	s.handle("GET /admin/check", s.adminCheckForm, s.staff)
	s.handle("POST /admin/check", s.adminCheck, s.staff, allowUpload(checkUploadLimit+1<<20), s.checkCSRF)
	s.handle("GET /admin/check/lists", s.adminCheckLists, s.staff)
	s.handle("POST /admin/check/lists/{site}/{kind}", s.adminCheckListSet, s.staff, allowUpload(4<<20), s.checkCSRF)
	s.handle("GET /admin/check/lists/{site}/{kind}", s.adminCheckListExport, s.staff)
	s.handle("GET /admin/check/dictionary.txt", s.adminCheckDictionary, s.staff)
	s.handle("POST /api/v1/check", s.apiCheck, s.apiAuth)
	s.addAdminMenu("内容检查", "/admin/check", nil)
	s.addAdminMenu("检查词典与白名单", "/admin/check/lists", func(a *gongkai.Actor) bool { return a.IsAdmin() })
}

// adminCheckDictionary downloads the shipped dictionary in the import
// format, so admins can see what is checked and which terms to allow-list.
func (s *Server) adminCheckDictionary(w http.ResponseWriter, r *http.Request) error {
	d := check.DefaultDictionary()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="gongkai-dictionary-`+d.Version+`.txt"`)
	return check.EncodeDictionary(w, d)
}

// CheckPage is the staff screen that checks pasted text or a file.
type CheckPage struct {
	AdminBase
	Sites    []*gongkai.Site
	Site     string // code of the site whose lists apply
	Text     string
	FileName string
	Rules    []RuleChoice
	Required bool
	Reason   string
	Problems gongkai.Problems
	// Checked is true once a check ran; Findings and Marked show the result.
	Checked  bool
	Findings []FindingRow
	Blocking int
	Marked   []TextSegment
	// CanManage shows admins the link to the lists.
	CanManage bool
}

// RuleChoice is one rule checkbox.
type RuleChoice struct {
	check.RuleInfo
	Checked bool
}

// FindingRow is a finding with the anchor of its highlight in the text.
type FindingRow struct {
	check.Finding
	Anchor string
}

// TextSegment is a run of the checked text, highlighted when it is a
// finding's span.
type TextSegment struct {
	Text     string
	Anchor   string // "" for plain text
	Severity string
}

func (s *Server) checkPage(w http.ResponseWriter, r *http.Request) (CheckPage, error) {
	sites, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return CheckPage{}, err
	}
	page := CheckPage{AdminBase: s.adminBase(w, r, "内容检查"), Sites: sites, CanManage: gongkai.ActorFrom(r.Context()).IsAdmin()}
	if len(sites) > 0 {
		page.Site = sites[0].Code
	}
	for _, ri := range check.Rules() {
		page.Rules = append(page.Rules, RuleChoice{RuleInfo: ri, Checked: true})
	}
	return page, nil
}

func (s *Server) adminCheckForm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkPage(w, r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/check", page)
}

func siteByCode(sites []*gongkai.Site, code string) *gongkai.Site {
	for _, site := range sites {
		if site.Code == code {
			return site
		}
	}
	return nil
}

// adminCheck runs the checks on pasted text or an uploaded file and shows
// every finding beside the text with its span highlighted.
func (s *Server) adminCheck(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkPage(w, r)
	if err != nil {
		return err
	}
	page.Text = r.PostFormValue("text")
	page.Required = r.PostFormValue("required") == "on"
	page.Reason = strings.TrimSpace(r.PostFormValue("reason"))
	if code := r.PostFormValue("site"); code != "" {
		page.Site = code
	}
	site := siteByCode(page.Sites, page.Site)
	if site == nil {
		page.Problems.Add("site", "请选择一个站点，检查将使用该站点的词典和白名单。")
	}
	selected := map[string]bool{}
	for _, id := range r.PostForm["rule"] {
		selected[id] = true
	}
	var rules []string
	for i := range page.Rules {
		page.Rules[i].Checked = selected[page.Rules[i].ID]
		if page.Rules[i].Checked {
			rules = append(rules, page.Rules[i].ID)
		}
	}
	if len(rules) == 0 {
		page.Problems.Add("rule", "请至少选择一项检查规则。")
	}
	if page.Required && page.Reason == "" {
		page.Problems.Add("reason", "依法公开个人信息时，请写明依据（如“失信被执行人惩戒公示”）。")
	}
	if f, hdr, err := r.FormFile("file"); err == nil {
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, checkUploadLimit+1))
		if err != nil {
			return err
		}
		if len(data) > checkUploadLimit {
			return gongkai.Errorf(gongkai.ETOOLARGE, "文件超过 %s 的上限。", byteSize(checkUploadLimit))
		}
		text, err := extract.Text(hdr.Filename, data)
		if err != nil {
			page.Problems.Add("file", gongkai.ErrorMessage(err))
		} else {
			page.Text, page.FileName = text, hdr.Filename
		}
	}
	if strings.TrimSpace(page.Text) == "" && page.Problems.For("file") == "" {
		page.Problems.Add("text", "请粘贴要检查的文字，或上传一个文件。")
	}
	if !utf8.ValidString(page.Text) {
		page.Problems.Add("text", "文字含有无法识别的字符，请确认编码为 UTF-8。")
	}
	if len(page.Problems) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/check", page)
	}
	checker, err := s.Checkers.Checker(r.Context(), site.ID)
	if err != nil {
		return err
	}
	findings := checker.Check(page.Text, check.Options{RequiredDisclosure: page.Required, DisclosureReason: page.Reason})
	page.Checked = true
	keep := map[string]bool{}
	for _, id := range rules {
		keep[id] = true
	}
	for _, f := range findings {
		if !keep[f.Rule] {
			continue
		}
		row := FindingRow{Finding: f, Anchor: "m" + itoa(len(page.Findings)+1)}
		page.Findings = append(page.Findings, row)
		if f.Severity == check.SeverityBlock {
			page.Blocking++
		}
	}
	page.Marked = markSegments(page.Text, page.Findings)
	return s.render(w, r, http.StatusOK, "admin/check", page)
}

// markSegments splits text into plain runs and finding spans. Overlapping
// findings are merged into the first span, so every byte appears once.
func markSegments(text string, rows []FindingRow) []TextSegment {
	spans := make([]FindingRow, 0, len(rows))
	for _, r := range rows {
		if r.Source == "" && r.Start >= 0 && r.End <= len(text) && r.Start < r.End {
			spans = append(spans, r)
		}
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	var out []TextSegment
	pos := 0
	for _, sp := range spans {
		if sp.Start < pos {
			continue
		}
		if sp.Start > pos {
			out = append(out, TextSegment{Text: text[pos:sp.Start]})
		}
		out = append(out, TextSegment{Text: text[sp.Start:sp.End], Anchor: sp.Anchor, Severity: string(sp.Severity)})
		pos = sp.End
	}
	if pos < len(text) {
		out = append(out, TextSegment{Text: text[pos:]})
	}
	return out
}

// CheckListsPage lets admins manage a site's dictionary, allow-lists and
// sensitive words.
type CheckListsPage struct {
	AdminBase
	Sites             []*gongkai.Site
	Site              *gongkai.Site
	Lists             []CheckListRow
	DictionaryVersion string
	DictionaryEntries int
	Rules             []check.RuleInfo
}

// CheckListRow is one list with its editing form.
type CheckListRow struct {
	Kind     gongkai.CheckListKind
	Label    string
	Help     string
	Content  string
	Updated  string
	Problems gongkai.Problems
}

var checkListHelp = map[gongkai.CheckListKind]string{
	gongkai.CheckDictionary:      "每行一条：错误形式 | 正确形式 | official（政务规范用语，须改正）或 common（常见差错，提示）| 来源或理由 | 例外（可选，空格分隔）。以 # 开头的行为注释。",
	gongkai.CheckAllowTerms:      "每行一个词语。与之重叠的用语、敏感词和遗留内容提示不再报告，词典中错误形式与之相同的条目停用。",
	gongkai.CheckAllowDomains:    "每行一个域名（含其下级域名）。gov.cn 和本站域名已默认允许。",
	gongkai.CheckSensitiveWords:  "每行一个词语。匹配时忽略全角半角、繁简差异和夹杂的空格、标点。",
	gongkai.CheckThirdPartyNames: "每行一个商业网站名称（如代写网站），出现在正文中即提示“疑似从第三方网站复制”。",
}

func (s *Server) checkListsPage(w http.ResponseWriter, r *http.Request, code string) (CheckListsPage, error) {
	if err := requireAdmin(r); err != nil {
		return CheckListsPage{}, err
	}
	sites, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return CheckListsPage{}, err
	}
	a := gongkai.ActorFrom(r.Context())
	page := CheckListsPage{AdminBase: s.adminBase(w, r, "检查词典与白名单"), DictionaryVersion: check.DefaultDictionary().Version,
		DictionaryEntries: len(check.DefaultDictionary().Entries), Rules: check.Rules()}
	for _, site := range sites {
		org, err := s.Orgs.FindOrgByID(r.Context(), site.OrgID)
		if err != nil {
			return page, err
		}
		if a.CanAdminister(org) {
			page.Sites = append(page.Sites, site)
		}
	}
	if len(page.Sites) == 0 {
		return page, gongkai.Errorf(gongkai.EFORBIDDEN, "您管理的机构还没有站点。")
	}
	page.Site = page.Sites[0]
	if code != "" {
		if page.Site = siteByCode(page.Sites, code); page.Site == nil {
			return page, gongkai.Errorf(gongkai.ENOTFOUND, "站点“%s”不存在或您无权管理。", code)
		}
	}
	lists, err := s.CheckLists.FindCheckLists(r.Context(), page.Site.ID)
	if err != nil {
		return page, err
	}
	for _, kind := range gongkai.CheckListKinds {
		row := CheckListRow{Kind: kind, Label: kind.Label(), Help: checkListHelp[kind]}
		if l := lists[kind]; l != nil {
			row.Content = l.Content
			row.Updated = l.UpdatedBy + "，" + l.UpdatedAt.In(gongkai.Shanghai).Format("2006-01-02 15:04")
		}
		page.Lists = append(page.Lists, row)
	}
	return page, nil
}

func (s *Server) adminCheckLists(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkListsPage(w, r, r.URL.Query().Get("site"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/check_lists", page)
}

func (s *Server) adminCheckListSet(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkListsPage(w, r, r.PathValue("site"))
	if err != nil {
		return err
	}
	kind := gongkai.CheckListKind(r.PathValue("kind"))
	if !kind.Valid() {
		return gongkai.Errorf(gongkai.ENOTFOUND, "未知的检查清单。")
	}
	content := r.PostFormValue("content")
	if f, _, err := r.FormFile("file"); err == nil {
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, 2<<20+1))
		if err != nil {
			return err
		}
		if strings.TrimSpace(string(b)) != "" {
			content = string(b)
		}
	}
	err = s.CheckLists.SetCheckList(r.Context(), page.Site.ID, kind, content)
	if err == nil {
		s.Checkers.Forget(page.Site.ID)
		return s.redirectFlash(w, r, "/admin/check/lists?site="+page.Site.Code, "check-list-saved")
	}
	problems, err := formProblems(err)
	if err != nil {
		return err
	}
	for i := range page.Lists {
		if page.Lists[i].Kind == kind {
			page.Lists[i].Content, page.Lists[i].Problems = content, problems
		}
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/check_lists", page)
}

// adminCheckListExport downloads a list as text, in its import format.
func (s *Server) adminCheckListExport(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkListsPage(w, r, r.PathValue("site"))
	if err != nil {
		return err
	}
	kind := gongkai.CheckListKind(strings.TrimSuffix(r.PathValue("kind"), ".txt"))
	for _, l := range page.Lists {
		if l.Kind == kind {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Content-Disposition", `attachment; filename="`+page.Site.Code+"-"+string(kind)+`.txt"`)
			_, err := io.WriteString(w, l.Content+"\n")
			return err
		}
	}
	return gongkai.Errorf(gongkai.ENOTFOUND, "未知的检查清单。")
}

type checkRequest struct {
	Text               string   `json:"text"`
	Site               string   `json:"site"`
	Rules              []string `json:"rules"`
	RequiredDisclosure bool     `json:"requiredDisclosure"`
	DisclosureReason   string   `json:"disclosureReason"`
}

type checkResponse struct {
	Findings []check.Finding `json:"findings"`
	Blocking int             `json:"blocking"`
}

// apiCheck: POST /api/v1/check runs the checks of a site on a text.
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) error {
	var req checkRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" {
		return gongkai.FieldError("text", "请提供要检查的文字。")
	}
	sites, err := s.Sites.FindSites(r.Context())
	if err != nil {
		return err
	}
	site := siteByCode(sites, req.Site)
	if req.Site == "" && len(sites) > 0 {
		site = sites[0]
	}
	if site == nil {
		return gongkai.FieldError("site", "站点“"+req.Site+"”不存在。")
	}
	checker, err := s.Checkers.Checker(r.Context(), site.ID)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, ri := range check.Rules() {
		known[ri.ID] = true
	}
	keep := map[string]bool{}
	for _, id := range req.Rules {
		if !known[id] {
			return gongkai.FieldError("rules", "未知的检查规则“"+id+"”。")
		}
		keep[id] = true
	}
	resp := checkResponse{Findings: []check.Finding{}}
	for _, f := range checker.Check(req.Text, check.Options{RequiredDisclosure: req.RequiredDisclosure, DisclosureReason: req.DisclosureReason}) {
		if len(keep) > 0 && !keep[f.Rule] {
			continue
		}
		resp.Findings = append(resp.Findings, f)
		if f.Severity == check.SeverityBlock {
			resp.Blocking++
		}
	}
	return writeJSON(w, http.StatusOK, resp)
}
