package gongkai

import (
	"context"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Channel is how an application reached the organ. It decides which day is
// the 收到申请之日 (条例 Art. 31), from which the reply period runs.
type Channel string

// The channels of Art. 29 and 31.
const (
	ChannelOnline         = Channel("online")          // 网上（本平台或其他互联网渠道）
	ChannelInPerson       = Channel("in_person")       // 当面提交
	ChannelPostRegistered = Channel("post_registered") // 邮寄（挂号信、快递等需签收）
	ChannelPostOrdinary   = Channel("post_ordinary")   // 邮寄（平信，无需签收）
	ChannelFax            = Channel("fax")             // 传真
	ChannelEmail          = Channel("email")           // 电子邮件
)

// Channels lists every channel.
var Channels = []Channel{ChannelOnline, ChannelInPerson, ChannelPostRegistered, ChannelPostOrdinary, ChannelFax, ChannelEmail}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// Label is the channel's Chinese name.
func (c Channel) Label() string {
	switch c {
	case ChannelOnline:
		return "网上申请"
	case ChannelInPerson:
		return "当面提交"
	case ChannelPostRegistered:
		return "邮寄（挂号）"
	case ChannelPostOrdinary:
		return "邮寄（平信）"
	case ChannelFax:
		return "传真"
	case ChannelEmail:
		return "电子邮件"
	}
	return string(c)
}

// ReceiptLabel names the date that is the receipt date for this channel.
func (c Channel) ReceiptLabel() string {
	switch c {
	case ChannelInPerson:
		return "提交日期"
	case ChannelPostRegistered:
		return "签收日期"
	case ChannelPostOrdinary:
		return "与申请人确认收到的日期"
	default:
		return "双方确认日期"
	}
}

// ReceiptRule quotes the part of Art. 31 that fixes the receipt date for
// the channel, for hints on forms and in the explanation.
func (c Channel) ReceiptRule() string {
	switch c {
	case ChannelInPerson:
		return "当面提交的，以提交之日为收到申请之日（条例第三十一条第一项）。"
	case ChannelPostRegistered:
		return "以邮寄方式提交的，以行政机关签收之日为收到申请之日（条例第三十一条第二项）。"
	case ChannelPostOrdinary:
		return "以平常信函等无需签收的邮寄方式提交的，政府信息公开工作机构应当于收到申请的当日与申请人确认，确认之日为收到申请之日（条例第三十一条第二项）。"
	default:
		return "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）。"
	}
}

// Label is the Chinese name of the applicant kind, as in table 三.
func (k ApplicantKind) Label() string {
	switch k {
	case ApplicantNatural:
		return "自然人"
	case ApplicantCommercial:
		return "商业企业"
	case ApplicantResearch:
		return "科研机构"
	case ApplicantNonprofit:
		return "社会公益组织"
	case ApplicantLegal:
		return "法律服务机构"
	case ApplicantOtherOrg:
		return "其他组织"
	}
	return string(k)
}

// IsOrganization reports whether the applicant is a 法人或其他组织.
func (k ApplicantKind) IsOrganization() bool { return k.Valid() && k != ApplicantNatural }

// Label is the outcome's row of table 三, with its group: "不予公开：属于国家秘密".
// The words are the table's, character for character (only （二）'s counting
// note is left out), so the 台账, letters and tracking page record outcomes in
// the annual report's terms; internal/annualreport's TestOutcomeLabels pins
// every label to its row.
func (o Outcome) Label() string {
	if l, ok := outcomeLabels[o]; ok {
		return l
	}
	return string(o)
}

var outcomeLabels = map[Outcome]string{
	OutcomeGranted:                 "予以公开",
	OutcomePartiallyGranted:        "部分公开",
	OutcomeWithheldStateSecret:     "不予公开：属于国家秘密",
	OutcomeWithheldProhibited:      "不予公开：其他法律行政法规禁止公开",
	OutcomeWithheldThreeSecurity:   "不予公开：危及“三安全一稳定”",
	OutcomeWithheldThirdParty:      "不予公开：保护第三方合法权益",
	OutcomeWithheldInternal:        "不予公开：属于三类内部事务信息",
	OutcomeWithheldProcess:         "不予公开：属于四类过程性信息",
	OutcomeWithheldEnforcement:     "不予公开：属于行政执法案卷",
	OutcomeWithheldAdminQuery:      "不予公开：属于行政查询事项",
	OutcomeUnavailableNotHeld:      "无法提供：本机关不掌握相关政府信息",
	OutcomeUnavailableNeedsCreate:  "无法提供：没有现成信息需要另行制作",
	OutcomeUnavailableUnclear:      "无法提供：补正后申请内容仍不明确",
	OutcomeNotProcessedPetition:    "不予处理：信访举报投诉类申请",
	OutcomeNotProcessedRepeated:    "不予处理：重复申请",
	OutcomeNotProcessedPublication: "不予处理：要求提供公开出版物",
	OutcomeNotProcessedExcessive:   "不予处理：无正当理由大量反复申请",
	OutcomeNotProcessedConfirm:     "不予处理：要求行政机关确认或重新出具已获取信息",
	OutcomeOtherNoSupplement:       "其他处理：申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
	OutcomeOtherFeeUnpaid:          "其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
	OutcomeOtherOther:              "其他处理：其他",
}

// Group is the outcome's group code: granted, partially_granted, withheld,
// unavailable, not_processed or other.
func (o Outcome) Group() string {
	g, _, _ := strings.Cut(string(o), ".")
	return g
}

// DefaultBasis is the provision an outcome usually rests on, offered as
// the starting text of the 法律依据 (statutes §2.5). Empty where no single
// provision applies; staff always confirm or change it.
func (o Outcome) DefaultBasis() string {
	const t = "《中华人民共和国政府信息公开条例》"
	switch o {
	case OutcomeGranted:
		return t + "第三十六条第（二）项"
	case OutcomePartiallyGranted:
		return t + "第三十七条"
	case OutcomeWithheldStateSecret, OutcomeWithheldProhibited, OutcomeWithheldThreeSecurity:
		return t + "第十四条"
	case OutcomeWithheldThirdParty:
		return t + "第十五条、第三十二条"
	case OutcomeWithheldInternal:
		return t + "第十六条第一款"
	case OutcomeWithheldProcess, OutcomeWithheldEnforcement:
		return t + "第十六条第二款"
	case OutcomeWithheldAdminQuery:
		return t + "第三十六条第（七）项"
	case OutcomeUnavailableNotHeld:
		return t + "第三十六条第（四）项"
	case OutcomeUnavailableNeedsCreate:
		return t + "第三十八条"
	case OutcomeUnavailableUnclear:
		return t + "第三十条"
	case OutcomeNotProcessedPetition:
		return t + "第三十九条第一款"
	case OutcomeNotProcessedRepeated:
		return t + "第三十六条第（六）项"
	case OutcomeNotProcessedPublication:
		return t + "第三十九条第二款"
	case OutcomeNotProcessedExcessive:
		return t + "第三十五条"
	case OutcomeOtherNoSupplement:
		return t + "第三十条"
	case OutcomeOtherFeeUnpaid:
		return "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
	}
	return ""
}

// IDType is the kind of identity document an applicant gives.
type IDType string

// The identity documents accepted.
const (
	IDCitizen    = IDType("citizen_id")        // 居民身份证
	IDPassport   = IDType("passport")          // 护照
	IDHKMacao    = IDType("hk_macao_permit")   // 港澳居民来往内地通行证
	IDTaiwan     = IDType("taiwan_permit")     // 台湾居民来往大陆通行证
	IDForeigner  = IDType("foreign_permanent") // 外国人永久居留身份证
	IDOther      = IDType("other")             // 其他身份证件
	IDCreditCode = IDType("credit_code")       // 统一社会信用代码（法人或其他组织）
)

// PersonIDTypes lists the documents of a natural person.
var PersonIDTypes = []IDType{IDCitizen, IDPassport, IDHKMacao, IDTaiwan, IDForeigner, IDOther}

// Label is the document's Chinese name.
func (t IDType) Label() string {
	switch t {
	case IDCitizen:
		return "居民身份证"
	case IDPassport:
		return "护照"
	case IDHKMacao:
		return "港澳居民来往内地通行证"
	case IDTaiwan:
		return "台湾居民来往大陆通行证"
	case IDForeigner:
		return "外国人永久居留身份证"
	case IDOther:
		return "其他身份证件"
	case IDCreditCode:
		return "统一社会信用代码"
	}
	return string(t)
}

// Applicant is who applies, with their personal data (条例 Art. 29 (一)).
// It is stored encrypted and shown only to the handling org's officers and
// its supervisors; every view is audited.
type Applicant struct {
	Kind     ApplicantKind `json:"kind"`
	Name     string        `json:"name"` // 姓名或者名称
	IDType   IDType        `json:"idType"`
	IDNumber string        `json:"idNumber"`
	// Contact is the contact person of an organisation (联系人).
	Contact  string `json:"contact,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"` // 通信地址
	PostCode string `json:"postCode,omitempty"`
}

// ProvisionForm is the form in which the applicant wants the information
// (Art. 29 (三)): 纸质, 电子 or 其他.
type ProvisionForm string

// The forms of provision.
const (
	FormPaper      = ProvisionForm("paper")
	FormElectronic = ProvisionForm("electronic")
	FormOther      = ProvisionForm("other")
)

// ProvisionForms lists the forms.
var ProvisionForms = []ProvisionForm{FormPaper, FormElectronic, FormOther}

// Label is the form's Chinese name.
func (f ProvisionForm) Label() string {
	switch f {
	case FormPaper:
		return "纸质"
	case FormElectronic:
		return "电子"
	case FormOther:
		return "其他"
	}
	return string(f)
}

// Delivery is how the applicant wants to obtain the information.
type Delivery string

// The ways of obtaining the information.
const (
	DeliveryPost   = Delivery("post")   // 邮寄
	DeliveryEmail  = Delivery("email")  // 电子邮件
	DeliveryPickup = Delivery("pickup") // 自行领取
	DeliveryOnline = Delivery("online") // 网上获取
)

// Deliveries lists the ways.
var Deliveries = []Delivery{DeliveryPost, DeliveryEmail, DeliveryPickup, DeliveryOnline}

// Label is the way's Chinese name.
func (d Delivery) Label() string {
	switch d {
	case DeliveryPost:
		return "邮寄"
	case DeliveryEmail:
		return "电子邮件"
	case DeliveryPickup:
		return "自行领取"
	case DeliveryOnline:
		return "网上获取"
	}
	return string(d)
}

// InfoRequest is what is asked for (Art. 29 (二) and (三)).
type InfoRequest struct {
	Subject     string        `json:"subject"`               // 政府信息的名称
	DocNo       string        `json:"docNo,omitempty"`       // 文号
	Description string        `json:"description,omitempty"` // 便于查询的其他特征性描述
	Form        ProvisionForm `json:"form"`
	FormOther   string        `json:"formOther,omitempty"`
	Delivery    Delivery      `json:"delivery"`
}

// Summary is a one-line description of the request for lists and exports.
func (r InfoRequest) Summary() string {
	s := r.Subject
	if r.DocNo != "" {
		s += "（" + r.DocNo + "）"
	}
	if s == "" {
		s = r.Description
	}
	return s
}

// ApplicantValidators are the identifier checks applicant data needs
// (internal/ident), injected so this package stays dependency-free.
type ApplicantValidators struct {
	// CitizenID parses a 居民身份证号码 and returns the birth date.
	CitizenID  func(string) (birth Date, legacy bool, err error)
	CreditCode func(string) error
	Mobile     func(string) bool
}

var (
	phonePattern    = regexp.MustCompile(`^(\+?86-?)?(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})$`)
	postCodePattern = regexp.MustCompile(`^\d{6}$`)
)

func tooLong(s string, n int) bool { return utf8.RuneCountInString(s) > n }

// ApplicationSubmission is a new application: from the public form (the
// receipt date is set later, when the office confirms it) or entered by an
// officer from paper, post, fax or e-mail (with the receipt date of Art. 31).
type ApplicationSubmission struct {
	OrgID      int64       `json:"-"`
	OrgCode    string      `json:"org"`
	Channel    Channel     `json:"channel"`
	ReceivedOn Date        `json:"receivedOn"`
	Applicant  Applicant   `json:"applicant"`
	Request    InfoRequest `json:"request"`
	Files      []Upload    `json:"-"`
	// ClientIP is the submitting address of a public submission, for the
	// rate limit (stored only as a keyed hash).
	ClientIP string `json:"-"`
	// Note is an officer's remark on an offline intake.
	Note string `json:"note,omitempty"`
}

// Upload is an attachment already checked by the web layer (size and the
// sniffed type).
type Upload struct {
	Name  string
	MIME  string
	Label string
	Data  []byte
}

// Validate checks every field of a submission that does not need the
// database. offline is true for an officer's intake, which must carry the
// receipt date; today bounds dates.
func (s *ApplicationSubmission) Validate(offline bool, today Date, v ApplicantValidators) error {
	var p Problems
	a := &s.Applicant
	trim := func(f *string) { *f = strings.TrimSpace(*f) }
	for _, f := range []*string{&a.Name, &a.IDNumber, &a.Contact, &a.Phone, &a.Email, &a.Address, &a.PostCode,
		&s.Request.Subject, &s.Request.DocNo, &s.Request.Description, &s.Request.FormOther, &s.Note, &s.OrgCode} {
		trim(f)
	}
	a.IDNumber = strings.ToUpper(strings.ReplaceAll(a.IDNumber, " ", ""))
	a.Phone = strings.NewReplacer(" ", "", "（", "", "）", "", "(", "", ")", "").Replace(a.Phone)

	if s.OrgID == 0 && s.OrgCode == "" {
		p.Add("org", "请选择受理申请的机关。")
	}
	if a.Name == "" {
		if a.Kind.IsOrganization() {
			p.Add("applicant.name", "请填写申请单位的名称。")
		} else {
			p.Add("applicant.name", "请填写申请人姓名。")
		}
	} else if tooLong(a.Name, 100) {
		p.Add("applicant.name", "姓名或名称不能超过100个字。")
	}
	switch {
	case !a.Kind.Valid():
		p.Add("applicant.kind", "请选择申请人类型：自然人，或法人或其他组织（商业企业、科研机构、社会公益组织、法律服务机构、其他）。")
	case a.Kind == ApplicantNatural:
		if a.IDType == "" {
			p.Add("applicant.idType", "请选择身份证件类型。")
		} else if a.IDType == IDCreditCode || !a.IDType.valid() {
			p.Add("applicant.idType", "身份证件类型无效。")
		}
	default:
		a.IDType = IDCreditCode
	}
	switch {
	case a.IDNumber == "" && a.Kind.IsOrganization():
		p.Add("applicant.idNumber", "请填写统一社会信用代码。")
	case a.IDNumber == "":
		p.Add("applicant.idNumber", "请填写身份证件号码。")
	case tooLong(a.IDNumber, 40):
		p.Add("applicant.idNumber", "证件号码过长。")
	case a.IDType == IDCitizen && v.CitizenID != nil:
		birth, legacy, err := v.CitizenID(a.IDNumber)
		switch {
		case err != nil:
			p.Add("applicant.idNumber", "居民身份证号码有误："+err.Error())
		case legacy:
			p.Add("applicant.idNumber", "15位的第一代居民身份证已停止使用，请填写18位居民身份证号码。")
		case birth.After(today):
			p.Add("applicant.idNumber", "居民身份证号码中的出生日期晚于今天，请核对。")
		}
	case a.IDType == IDCreditCode && a.Kind.IsOrganization() && v.CreditCode != nil:
		if err := v.CreditCode(a.IDNumber); err != nil {
			p.Add("applicant.idNumber", "统一社会信用代码有误："+err.Error())
		}
	}
	if a.Kind.IsOrganization() {
		if a.Contact == "" {
			p.Add("applicant.contact", "请填写联系人姓名。")
		} else if tooLong(a.Contact, 40) {
			p.Add("applicant.contact", "联系人姓名不能超过40个字。")
		}
	}
	if a.Phone == "" && a.Email == "" && a.Address == "" {
		p.Add("applicant.phone", "请至少填写一种联系方式：联系电话、电子邮箱或通信地址。")
	}
	if a.Phone != "" && !phonePattern.MatchString(a.Phone) && (v.Mobile == nil || !v.Mobile(a.Phone)) {
		p.Add("applicant.phone", "联系电话格式不正确，请填写11位手机号码或带区号的固定电话，例如 0791-12345678。")
	}
	if a.Email != "" {
		if m, err := mail.ParseAddress(a.Email); err != nil || m.Address != a.Email || tooLong(a.Email, 100) {
			p.Add("applicant.email", "电子邮箱格式不正确。")
		}
	}
	if tooLong(a.Address, 200) {
		p.Add("applicant.address", "通信地址不能超过200个字。")
	}
	if a.PostCode != "" && !postCodePattern.MatchString(a.PostCode) {
		p.Add("applicant.postCode", "邮政编码应为6位数字。")
	}

	r := &s.Request
	if r.Subject == "" && r.Description == "" {
		p.Add("request.subject", "请填写所需政府信息的名称、文号，或者便于查询的其他特征性描述。")
	}
	if tooLong(r.Subject, 200) {
		p.Add("request.subject", "信息名称不能超过200个字。")
	}
	if tooLong(r.DocNo, 60) {
		p.Add("request.docNo", "文号不能超过60个字。")
	}
	if tooLong(r.Description, 2000) {
		p.Add("request.description", "特征性描述不能超过2000个字。")
	}
	switch r.Form {
	case FormPaper, FormElectronic:
	case FormOther:
		if r.FormOther == "" {
			p.Add("request.formOther", "选择“其他”形式的，请注明所需的形式。")
		}
	default:
		p.Add("request.form", "请选择获取信息的载体形式：纸质、电子或其他。")
	}
	switch r.Delivery {
	case DeliveryPost:
		if a.Address == "" {
			p.Add("applicant.address", "选择邮寄的，请填写通信地址。")
		}
	case DeliveryEmail:
		if a.Email == "" {
			p.Add("applicant.email", "选择电子邮件获取的，请填写电子邮箱。")
		}
	case DeliveryPickup, DeliveryOnline:
	default:
		p.Add("request.delivery", "请选择获取信息的方式：邮寄、电子邮件、自行领取或网上获取。")
	}
	if tooLong(s.Note, 500) {
		p.Add("note", "备注不能超过500个字。")
	}
	if offline {
		switch {
		case !s.Channel.Valid():
			p.Add("channel", "请选择申请渠道。")
		case s.ReceivedOn.IsZero():
			p.Add("receivedOn", "请填写"+s.Channel.ReceiptLabel()+"。"+s.Channel.ReceiptRule())
		case !s.ReceivedOn.Valid():
			p.Add("receivedOn", "日期无效。")
		case s.ReceivedOn.After(today):
			p.Add("receivedOn", "收到申请之日不能晚于今天。")
		case s.ReceivedOn.Before(NewDate(2019, 5, 15)):
			p.Add("receivedOn", "收到申请之日不能早于2019年5月15日（现行条例施行之日）。")
		}
	} else {
		s.Channel, s.ReceivedOn = ChannelOnline, Date{}
	}
	if len(s.Files) > MaxApplicationFiles {
		p.Add("files", "附件最多上传"+strconv.Itoa(MaxApplicationFiles)+"个。")
	}
	return p.Err()
}

func (t IDType) valid() bool {
	for _, x := range append(PersonIDTypes, IDCreditCode) {
		if x == t {
			return true
		}
	}
	return false
}

// Attachment limits of the public form.
const (
	MaxApplicationFiles    = 3
	MaxApplicationFileSize = 10 << 20
)

// ApplicationState is where an application is in its life: waiting for
// the office to confirm its receipt (online applications), being handled,
// or closed.
type ApplicationState string

// The states.
const (
	StateUnconfirmed = ApplicationState("unconfirmed")
	StateOpen        = ApplicationState("open")
	StateClosed      = ApplicationState("closed")
)

// ApplicationStatus is the clock status shown in queues: derived from the
// ledger every time, never entered by hand. The values other than
// "unconfirmed" are those of internal/clock.
type ApplicationStatus string

// The statuses.
const (
	StatusUnconfirmed        = ApplicationStatus("unconfirmed")
	StatusClosed             = ApplicationStatus("closed")
	StatusAwaitingSupplement = ApplicationStatus("awaiting_supplement")
	StatusOverdue            = ApplicationStatus("overdue")
	StatusAwaitingFee        = ApplicationStatus("awaiting_fee")
	StatusPaused             = ApplicationStatus("paused")
	StatusDueSoon            = ApplicationStatus("due_soon")
	StatusOnTime             = ApplicationStatus("on_time")
)

// ApplicationStatuses lists the statuses, most urgent first.
var ApplicationStatuses = []ApplicationStatus{StatusUnconfirmed, StatusOverdue, StatusDueSoon, StatusOnTime, StatusPaused,
	StatusAwaitingFee, StatusAwaitingSupplement, StatusClosed}

// Label is the status in Chinese.
func (s ApplicationStatus) Label() string {
	switch s {
	case StatusUnconfirmed:
		return "待确认收到"
	case StatusClosed:
		return "已办结"
	case StatusAwaitingSupplement:
		return "等待补正"
	case StatusOverdue:
		return "已超期"
	case StatusAwaitingFee:
		return "等待缴费"
	case StatusPaused:
		return "征求意见中"
	case StatusDueSoon:
		return "即将到期"
	case StatusOnTime:
		return "办理中"
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ApplicationStatus) Valid() bool {
	for _, x := range ApplicationStatuses {
		if x == s {
			return true
		}
	}
	return false
}

// EventType is the kind of a ledger event. The values are those of
// internal/clock, plus receipt_confirmed, which fixes the receipt date of
// an online application and is not part of the clock's ledger.
type EventType string

// The event types.
const (
	EventReceiptConfirmed    = EventType("receipt_confirmed")
	EventSupplementRequested = EventType("supplement_requested")
	EventSupplementReceived  = EventType("supplement_received")
	EventThirdPartyConsulted = EventType("third_party_consulted")
	EventThirdPartyReplied   = EventType("third_party_replied")
	EventCoMakerConsulted    = EventType("co_maker_consulted")
	EventCoMakerReplied      = EventType("co_maker_replied")
	EventExtended            = EventType("extended")
	EventFeeNotified         = EventType("fee_notified")
	EventFeePaid             = EventType("fee_paid")
	EventReplied             = EventType("replied")
)

// EventTypes lists the ledger event types (receipt_confirmed excluded).
var EventTypes = []EventType{EventSupplementRequested, EventSupplementReceived, EventThirdPartyConsulted, EventThirdPartyReplied,
	EventCoMakerConsulted, EventCoMakerReplied, EventExtended, EventFeeNotified, EventFeePaid, EventReplied}

// Label is the event type in Chinese.
func (t EventType) Label() string {
	switch t {
	case EventReceiptConfirmed:
		return "确认收到申请"
	case EventSupplementRequested:
		return "通知补正"
	case EventSupplementReceived:
		return "收到补正"
	case EventThirdPartyConsulted:
		return "征求第三方意见"
	case EventThirdPartyReplied:
		return "收到第三方意见"
	case EventCoMakerConsulted:
		return "征求共同制作机关意见"
	case EventCoMakerReplied:
		return "收到共同制作机关意见"
	case EventExtended:
		return "延期答复"
	case EventFeeNotified:
		return "发出收费通知"
	case EventFeePaid:
		return "缴纳信息处理费"
	case EventReplied:
		return "答复办结"
	}
	return string(t)
}

// FeeMethod is how the 信息处理费 is charged: 按件 or 按量 (one per
// application). The values are those of internal/fee.
type FeeMethod string

// The two methods.
const (
	FeePerItem = FeeMethod("per_item")
	FeePerPage = FeeMethod("per_page")
)

// Label is the method in Chinese.
func (m FeeMethod) Label() string {
	switch m {
	case FeePerItem:
		return "按件计收"
	case FeePerPage:
		return "按量计收"
	}
	return string(m)
}

// Fee is a 收费通知's amount with the working behind it.
type Fee struct {
	Method FeeMethod `json:"method"`
	// Quantity is the number of items (按件) or pages (按量) charged.
	Quantity int `json:"quantity"`
	// Prior is, for 按件, the applicant's items already counted in the same
	// natural month.
	Prior  int       `json:"prior,omitempty"`
	Lines  []FeeLine `json:"lines"`
	Amount int64     `json:"amount"` // 元
	// Payment says how to pay (account, place), as printed on the notice.
	Payment string `json:"payment,omitempty"`
}

// FeeLine is one band of a fee.
type FeeLine struct {
	Label  string `json:"label"`
	Count  int    `json:"count"`
	Rate   int64  `json:"rate"`
	Amount int64  `json:"amount"`
}

// ApplicationEvent is one entry of an application's ledger. Every event has
// the date it happened, entered explicitly so that past cases can be
// entered; the other fields belong to the types named in their comments.
type ApplicationEvent struct {
	ID   int64     `json:"id,omitempty"`
	Seq  int       `json:"seq"`
	Type EventType `json:"type"`
	Date Date      `json:"date"`
	// Items and Deadline: supplement_requested.
	Items    string `json:"items,omitempty"`
	Deadline Date   `json:"deadline,omitzero"`
	// Party: the consulted third party or co-making organ.
	Party string `json:"party,omitempty"`
	// Days, ApprovedBy and NotifiedOn: extended.
	Days       int    `json:"days,omitempty"`
	ApprovedBy string `json:"approvedBy,omitempty"`
	NotifiedOn Date   `json:"notifiedOn,omitzero"`
	// Outcome: replied.
	Outcome Outcome `json:"outcome,omitempty"`
	// OverrideBy and OverrideReason: an administrator accepted an event
	// the rules would refuse (a late 补正 notice, a late correction or
	// payment). OverrideBy is set by the system from the acting admin.
	OverrideBy     string `json:"overrideBy,omitempty"`
	OverrideReason string `json:"overrideReason,omitempty"`
	// Fee: fee_notified.
	Fee *Fee `json:"fee,omitempty"`
	// Note is a free remark.
	Note       string    `json:"note,omitempty"`
	RecordedAt time.Time `json:"recordedAt"`
	RecordedBy string    `json:"recordedBy"`
}

// NotHeldKind separates the two cases counted as 本机关不掌握: the
// information does not exist (Art. 36 (四)) or another organ is
// responsible for it (Art. 36 (五)).
type NotHeldKind string

// The two cases.
const (
	NotHeldNotExist   = NotHeldKind("not_exist")
	NotHeldOtherOrgan = NotHeldKind("other_organ")
)

// Reply is the organ's answer, which closes the application.
type Reply struct {
	Outcome Outcome `json:"outcome"`
	Date    Date    `json:"date"`
	// Basis is the legal basis (法律依据) of a refusal.
	Basis string `json:"basis,omitempty"`
	// Reason explains the decision (理由).
	Reason string `json:"reason,omitempty"`
	// Provided lists the information provided: titles, 文号, 索引号 or the
	// URL of the published document, one per entry (granted, partially
	// granted).
	Provided []string `json:"provided,omitempty"`
	// Withheld says what was withheld from a partial disclosure (Art. 37).
	Withheld string `json:"withheld,omitempty"`
	// NotHeld, OtherOrgan and OtherOrganContact: unavailable.not_held.
	NotHeld           NotHeldKind `json:"notHeld,omitempty"`
	OtherOrgan        string      `json:"otherOrgan,omitempty"`
	OtherOrganContact string      `json:"otherOrganContact,omitempty"`
	// Content is further text for the reply letter.
	Content string `json:"content,omitempty"`
}

// Validate checks that the reply has an outcome and the fields that outcome
// requires: a refusal states its legal basis and reasons; a partial
// disclosure says what was withheld and why; "not held" because another
// organ holds it names that organ; a disclosure records what was provided.
func (r *Reply) Validate() error {
	var p Problems
	r.Basis, r.Reason, r.Withheld = strings.TrimSpace(r.Basis), strings.TrimSpace(r.Reason), strings.TrimSpace(r.Withheld)
	r.OtherOrgan, r.OtherOrganContact, r.Content = strings.TrimSpace(r.OtherOrgan), strings.TrimSpace(r.OtherOrganContact), strings.TrimSpace(r.Content)
	var provided []string
	for _, s := range r.Provided {
		if s = strings.TrimSpace(s); s != "" {
			provided = append(provided, s)
		}
	}
	r.Provided = provided
	if r.Outcome == "" {
		p.Add("outcome", "请选择办理结果。")
		return p.Err()
	}
	if !r.Outcome.Valid() {
		p.Add("outcome", "办理结果“"+string(r.Outcome)+"”无效，请从年度报告表三的21项结果中选择。")
		return p.Err()
	}
	if !r.Date.Valid() {
		p.Add("date", "请填写答复日期。")
	}
	switch g := r.Outcome.Group(); {
	case r.Outcome == OutcomeGranted:
		if len(r.Provided) == 0 {
			p.Add("provided", "予以公开的，请登记所提供的信息（文件名称、文号，或已公开文件的索引号、网址）。")
		}
	case r.Outcome == OutcomePartiallyGranted:
		if len(r.Provided) == 0 {
			p.Add("provided", "部分公开的，请登记所提供的信息。")
		}
		if r.Withheld == "" {
			p.Add("withheld", "部分公开的，请写明不予公开的内容（条例第三十七条）。")
		}
		if r.Reason == "" {
			p.Add("reason", "部分公开的，请说明不予公开部分的理由。")
		}
		if r.Basis == "" {
			p.Add("basis", "请写明不予公开部分的法律依据。")
		}
	case g == "withheld":
		if r.Basis == "" {
			p.Add("basis", "不予公开的，请写明法律依据。")
		}
		if r.Reason == "" {
			p.Add("reason", "不予公开的，请说明理由（条例第三十六条第三项）。")
		}
	case r.Outcome == OutcomeUnavailableNotHeld:
		switch r.NotHeld {
		case NotHeldNotExist:
		case NotHeldOtherOrgan:
			if r.OtherOrgan == "" {
				p.Add("otherOrgan", "不属于本机关负责公开的，能够确定负责机关的，请写明该机关的名称（条例第三十六条第五项）。")
			}
		default:
			p.Add("notHeld", "请选择“经检索没有所申请的信息”或“不属于本机关负责公开”。")
		}
	case g == "unavailable", g == "not_processed", r.Outcome == OutcomeOtherOther:
		if r.Reason == "" {
			p.Add("reason", "请说明理由。")
		}
	}
	for field, v := range map[string]string{"basis": r.Basis, "withheld": r.Withheld, "otherOrgan": r.OtherOrgan, "otherOrganContact": r.OtherOrganContact} {
		if tooLong(v, 500) {
			p.Add(field, "内容不能超过500个字。")
		}
	}
	if tooLong(r.Reason, 2000) || tooLong(r.Content, 4000) {
		p.Add("reason", "说明过长。")
	}
	return p.Err()
}

// AppealKind is the kind of remedy sought against the handling of an
// application: the column groups of table 四. The values are those of
// internal/annualreport.
type AppealKind string

// The three kinds.
const (
	AppealReconsideration      = AppealKind("reconsideration")       // 行政复议
	AppealLitigationDirect     = AppealKind("direct")                // 行政诉讼：未经复议直接起诉
	AppealLitigationAfterRecon = AppealKind("after_reconsideration") // 行政诉讼：复议后起诉
)

// AppealKinds lists them in table order.
var AppealKinds = []AppealKind{AppealReconsideration, AppealLitigationDirect, AppealLitigationAfterRecon}

// Label is the kind in Chinese.
func (k AppealKind) Label() string {
	switch k {
	case AppealReconsideration:
		return "行政复议"
	case AppealLitigationDirect:
		return "行政诉讼（未经复议直接起诉）"
	case AppealLitigationAfterRecon:
		return "行政诉讼（复议后起诉）"
	}
	return string(k)
}

// AppealResult is how an appeal ended: the four columns of table 四.
type AppealResult string

// The results.
const (
	AppealPending   = AppealResult("pending")   // 尚未审结
	AppealUpheld    = AppealResult("upheld")    // 结果维持
	AppealCorrected = AppealResult("corrected") // 结果纠正
	AppealOther     = AppealResult("other")     // 其他结果
)

// AppealResults lists them in table order.
var AppealResults = []AppealResult{AppealUpheld, AppealCorrected, AppealOther, AppealPending}

// Label is the result in Chinese.
func (r AppealResult) Label() string {
	switch r {
	case AppealPending:
		return "尚未审结"
	case AppealUpheld:
		return "结果维持"
	case AppealCorrected:
		return "结果纠正"
	case AppealOther:
		return "其他结果"
	}
	return string(r)
}

// Appeal is a 行政复议 or 行政诉讼 about an application.
type Appeal struct {
	ID            int64        `json:"id"`
	ApplicationID int64        `json:"-"`
	Kind          AppealKind   `json:"kind"`
	FiledOn       Date         `json:"filedOn"`
	Body          string       `json:"body"` // 复议机关或人民法院
	Result        AppealResult `json:"result"`
	ClosedOn      Date         `json:"closedOn,omitzero"`
	Note          string       `json:"note,omitempty"`
	CreatedAt     time.Time    `json:"createdAt"`
	UpdatedAt     time.Time    `json:"updatedAt"`
}

// Validate checks an appeal against the application's receipt date and
// today.
func (a *Appeal) Validate(received, today Date) error {
	var p Problems
	a.Body, a.Note = strings.TrimSpace(a.Body), strings.TrimSpace(a.Note)
	if a.Result == "" {
		a.Result = AppealPending
	}
	valid := false
	for _, k := range AppealKinds {
		valid = valid || k == a.Kind
	}
	if !valid {
		p.Add("kind", "请选择行政复议、行政诉讼（未经复议直接起诉）或行政诉讼（复议后起诉）。")
	}
	switch {
	case !a.FiledOn.Valid():
		p.Add("filedOn", "请填写申请复议或起诉的日期。")
	case !received.IsZero() && a.FiledOn.Before(received):
		p.Add("filedOn", "申请复议或起诉的日期不能早于收到政府信息公开申请之日。")
	case a.FiledOn.After(today):
		p.Add("filedOn", "日期不能晚于今天。")
	}
	if a.Body == "" {
		p.Add("body", "请填写复议机关或受理的人民法院。")
	} else if tooLong(a.Body, 100) {
		p.Add("body", "复议机关或法院名称不能超过100个字。")
	}
	valid = false
	for _, r := range AppealResults {
		valid = valid || r == a.Result
	}
	switch {
	case !valid:
		p.Add("result", "请选择结果维持、结果纠正、其他结果或尚未审结。")
	case a.Result == AppealPending && !a.ClosedOn.IsZero():
		p.Add("closedOn", "尚未审结的案件不应填写审结日期。")
	case a.Result != AppealPending && !a.ClosedOn.Valid():
		p.Add("closedOn", "请填写复议决定或裁判的日期。")
	case a.Result != AppealPending && a.FiledOn.Valid() && a.ClosedOn.Before(a.FiledOn):
		p.Add("closedOn", "审结日期不能早于申请复议或起诉的日期。")
	case a.Result != AppealPending && a.ClosedOn.After(today):
		p.Add("closedOn", "审结日期不能晚于今天。")
	}
	if tooLong(a.Note, 1000) {
		p.Add("note", "备注不能超过1000个字。")
	}
	return p.Err()
}

// ClockLine is one line of the explanation of a due date, in plain
// Chinese, with the machine fields behind it. Staff and the applicant see
// the same lines.
type ClockLine struct {
	Kind       string `json:"kind"`
	On         Date   `json:"on"`
	OldDue     Date   `json:"oldDue,omitzero"`
	NewDue     Date   `json:"newDue,omitzero"`
	PausedDays int    `json:"pausedDays,omitempty"`
	Text       string `json:"text"`
}

// ApplicationClock is the statutory clock of an application today,
// derived from its ledger (internal/clock).
type ApplicationClock struct {
	Status ApplicationStatus `json:"status"`
	// DueOn is the last day to reply; zero while a correction is awaited.
	DueOn              Date        `json:"dueOn,omitzero"`
	DaysLeft           int         `json:"daysLeft"`
	Paused             bool        `json:"paused"`
	PeriodStart        Date        `json:"periodStart,omitzero"`
	PausedDays         int         `json:"pausedDays"`
	ExtensionDays      int         `json:"extensionDays"`
	SupplementDeadline Date        `json:"supplementDeadline,omitzero"`
	FeeDeadline        Date        `json:"feeDeadline,omitzero"`
	CloseAs            Outcome     `json:"closeAs,omitempty"`
	CloseFrom          Date        `json:"closeFrom,omitzero"`
	ClosedOn           Date        `json:"closedOn,omitzero"`
	Late               bool        `json:"late"`
	Explanation        []ClockLine `json:"explanation"`
	// Problem is set when the clock cannot be computed, typically because
	// the working-day calendar lacks a year; the message says what to do.
	Problem string `json:"problem,omitempty"`
}

// ApplicationFile is an attachment: the applicant's, or a file provided
// with the reply. Its content is read separately.
type ApplicationFile struct {
	ID        int64     `json:"id"`
	Role      string    `json:"role"` // "applicant" or "reply"
	Name      string    `json:"name"`
	MIME      string    `json:"mime"`
	Label     string    `json:"label"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"createdAt"`
	Data      []byte    `json:"-"`
}

// Application is an application for government information
// (依申请公开申请).
type Application struct {
	ID         int64  `json:"id"`
	TrackingNo string `json:"trackingNo"`
	OrgID      int64  `json:"orgId"`
	OrgCode    string `json:"orgCode"`
	OrgName    string `json:"orgName"`

	Channel       Channel       `json:"channel"`
	ApplicantKind ApplicantKind `json:"applicantKind"`
	Request       InfoRequest   `json:"request"`
	SubmittedAt   time.Time     `json:"submittedAt"`
	// ReceivedOn is the 收到申请之日 of Art. 31; zero until the office
	// confirms an online application.
	ReceivedOn Date             `json:"receivedOn,omitzero"`
	State      ApplicationState `json:"state"`

	// DueOn, ClosedOn, Outcome and Late are kept in plain columns for
	// queries (the annual report counts from them); they are refreshed from
	// the ledger on every change.
	DueOn    Date    `json:"dueOn,omitzero"`
	ClosedOn Date    `json:"closedOn,omitzero"`
	Outcome  Outcome `json:"outcome,omitempty"`
	Late     bool    `json:"late"`

	Clock   *ApplicationClock  `json:"clock,omitempty"`
	Events  []ApplicationEvent `json:"events"`
	Reply   *Reply             `json:"reply,omitempty"`
	Appeals []Appeal           `json:"appeals"`
	Files   []ApplicationFile  `json:"files"`
	Note    string             `json:"note,omitempty"`

	CreatedBy string    `json:"createdBy"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`

	// Applicant is the personal data, filled only by
	// FindApplicationPersonal for those allowed to see it.
	Applicant *Applicant `json:"-"`
}

// Status is the queue status: unconfirmed, or the clock's.
func (a *Application) Status() ApplicationStatus {
	switch {
	case a.State == StateUnconfirmed:
		return StatusUnconfirmed
	case a.State == StateClosed:
		return StatusClosed
	case a.Clock != nil && a.Clock.Status != "":
		return a.Clock.Status
	}
	return StatusOnTime
}

// LastEvent returns the latest event of type t, or nil.
func (a *Application) LastEvent(t EventType) *ApplicationEvent {
	for i := len(a.Events) - 1; i >= 0; i-- {
		if a.Events[i].Type == t {
			return &a.Events[i]
		}
	}
	return nil
}

// Tracking is what the applicant sees with the tracking number and access
// code: status and timeline, never personal data.
type Tracking struct {
	TrackingNo  string            `json:"trackingNo"`
	OrgName     string            `json:"orgName"`
	Subject     string            `json:"subject"`
	Channel     Channel           `json:"channel"`
	SubmittedAt time.Time         `json:"submittedAt"`
	ReceivedOn  Date              `json:"receivedOn,omitzero"`
	Status      ApplicationStatus `json:"status"`
	StatusLabel string            `json:"statusLabel"`
	DueOn       Date              `json:"dueOn,omitzero"`
	DaysLeft    int               `json:"daysLeft"`
	Explanation []ClockLine       `json:"explanation"`
	Outcome     Outcome           `json:"outcome,omitempty"`
	OutcomeText string            `json:"outcomeLabel,omitempty"`
	ClosedOn    Date              `json:"closedOn,omitzero"`
	Problem     string            `json:"problem,omitempty"`
}

// ApplicationFilter selects applications in a queue. Nil fields do not
// filter. Every query is limited to what the actor may see.
type ApplicationFilter struct {
	OrgID         *int64 // exactly this org
	Within        *int64 // this org's subtree
	Status        *ApplicationStatus
	Outcome       *Outcome
	Channel       *Channel
	ApplicantKind *ApplicantKind
	// Year selects applications received (or, unconfirmed, submitted) in
	// that calendar year.
	Year *int
	// Applicant finds applications by an applicant's exact name, ID number
	// or phone number (matched on keyed hashes; the data is encrypted).
	Applicant *string
	Offset    int
	Limit     int // 0: all
}

// LetterKind names a letter generated for an application.
type LetterKind string

// The letters: the reply (告知书, worded per outcome) and the notices sent
// while handling.
const (
	LetterReply      = LetterKind("reply")       // 政府信息公开申请答复告知书
	LetterSupplement = LetterKind("supplement")  // 补正告知书
	LetterExtension  = LetterKind("extension")   // 延期答复告知书
	LetterThirdParty = LetterKind("third_party") // 征求第三方意见书
	LetterCoMaker    = LetterKind("co_maker")    // 征求意见函（共同制作机关）
	LetterFee        = LetterKind("fee")         // 收费通知
)

// LetterTemplate is an org's wording of a letter. Key is a LetterKind, or
// "reply.<outcome>" for the reply to one outcome.
type LetterTemplate struct {
	OrgID     int64     `json:"orgId"`
	Key       string    `json:"key"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Notice is an in-app reminder for a member of staff.
type Notice struct {
	ID            int64      `json:"id"`
	ApplicationID int64      `json:"applicationId"`
	TrackingNo    string     `json:"trackingNo"`
	Kind          string     `json:"kind"` // due_soon, overdue, closed, check_findings, document_expired
	Message       string     `json:"message"`
	CreatedAt     time.Time  `json:"createdAt"`
	ReadAt        *time.Time `json:"readAt,omitempty"`
	// DocumentID is set instead of ApplicationID on notices about a
	// document, such as new findings of a recheck (issue 7).
	DocumentID int64 `json:"documentId,omitempty"`
}

// ApplicationService handles applications for government information.
type ApplicationService interface {
	// SubmitApplication records an application from the public form and
	// returns it with its private access code (shown once).
	SubmitApplication(ctx context.Context, s *ApplicationSubmission) (*Application, string, error)
	// CreateApplication records an application an officer received offline.
	CreateApplication(ctx context.Context, s *ApplicationSubmission) (*Application, string, error)
	// TrackApplication is the applicant's view, with no personal data.
	TrackApplication(ctx context.Context, trackingNo, accessCode string) (*Tracking, error)
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	// FindApplicationPersonal also decrypts the applicant's personal data,
	// for those allowed to see it, and audits the view.
	FindApplicationPersonal(ctx context.Context, id int64) (*Application, error)
	FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, int, error)
	// AddApplicationEvent appends an event to the ledger and returns the
	// application with warnings for the officer.
	AddApplicationEvent(ctx context.Context, id int64, ev ApplicationEvent) (*Application, []string, error)
	// QuoteFee computes a fee without recording it.
	QuoteFee(ctx context.Context, id int64, method FeeMethod, quantity int) (*Fee, error)
	ReplyApplication(ctx context.Context, id int64, r Reply, files []Upload) (*Application, []string, error)
	AddAppeal(ctx context.Context, id int64, a *Appeal) error
	UpdateAppeal(ctx context.Context, id, appealID int64, a *Appeal) error
	// ApplicationFile returns an attachment with its content; the download
	// is audited.
	ApplicationFile(ctx context.Context, id, fileID int64) (*ApplicationFile, error)
	// AuditLetter records that a letter carrying personal data was made.
	AuditLetter(ctx context.Context, id int64, kind LetterKind) error

	// FindLetterTemplate returns the org's template for key, or the nearest
	// ancestor's; ENOTFOUND when none was saved (use the built-in one).
	FindLetterTemplate(ctx context.Context, orgID int64, key string) (*LetterTemplate, error)
	SetLetterTemplate(ctx context.Context, t *LetterTemplate) error
	DeleteLetterTemplate(ctx context.Context, orgID int64, key string) error

	FindNotices(ctx context.Context, unreadOnly bool, limit int) ([]*Notice, int, error)
	MarkNoticesRead(ctx context.Context) error
	NoticeEmail(ctx context.Context) (string, error)
	SetNoticeEmail(ctx context.Context, email string) error
}

// ApplicationAccess says what an actor may do with the applications
// handled by org. The org's officers (依申请公开经办人) read and handle
// them; supervisors and admins of the org or an ancestor read them; admins
// may also record events, which is how an override with a reason is
// entered. Personal data is shown to the org's officers and to
// supervisors only (an admin role alone manages accounts, not cases).
func ApplicationAccess(a *Actor, org *Org) (read, write, personal bool) {
	if a == nil || org == nil {
		return false, false, false
	}
	officer := a.HasRole(RoleOfficer, org.ID)
	read = officer || a.CanSupervise(org)
	write = officer || a.CanAdminister(org)
	personal = officer || a.HasRoleOver(RoleSupervisor, org)
	return read, write, personal
}

// Remaining says how the clock stands in words for lists: "剩3个工作日",
// "超期2个工作日", or "" when there is no running due date.
func (c *ApplicationClock) Remaining() string {
	if c == nil || c.DueOn.IsZero() || c.Problem != "" {
		return ""
	}
	switch c.Status {
	case StatusClosed, StatusUnconfirmed, StatusAwaitingSupplement:
		return ""
	}
	if c.DaysLeft < 0 {
		return "超期" + strconv.Itoa(-c.DaysLeft) + "个工作日"
	}
	if c.DaysLeft == 0 {
		return "今天到期"
	}
	return "剩" + strconv.Itoa(c.DaysLeft) + "个工作日"
}
