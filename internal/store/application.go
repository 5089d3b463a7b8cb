package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gongkai"
	"gongkai/internal/clock"
	"gongkai/internal/fee"
	"gongkai/internal/ident"
	"gongkai/internal/seal"
	"gongkai/internal/workday"
)

var _ gongkai.ApplicationService = (*DB)(nil)

// ApplicationConfig holds the local policy of the 依申请公开 module.
type ApplicationConfig struct {
	// Clock are the clock's settings; Clock.PauseWhileFeeUnpaid is the
	// open question of statutes §1.5 (default: the fee wait pauses the
	// reply clock; GONGKAI_FEE_PAUSES_CLOCK=0 turns it off).
	Clock clock.Settings
	// Fee are the 信息处理费 rates.
	Fee fee.Settings
	// SubmitPerHour and SubmitPerDay cap public submissions per client
	// address (0: no cap).
	SubmitPerHour, SubmitPerDay int
}

// DefaultApplicationConfig returns the statutory values and the defaults
// documented in docs/notes/i4-applications.md.
func DefaultApplicationConfig() ApplicationConfig {
	return ApplicationConfig{Clock: clock.DefaultSettings(), Fee: fee.DefaultSettings(), SubmitPerHour: 5, SubmitPerDay: 20}
}

// applicantValidators are the identifier checks of internal/ident.
var applicantValidators = gongkai.ApplicantValidators{
	CitizenID: func(s string) (gongkai.Date, bool, error) {
		id, err := ident.ParseCitizenID(s)
		return id.Birth, id.Legacy, err
	},
	CreditCode: ident.ValidateCreditCode,
	Mobile:     ident.IsMobile,
}

// The alphabet of tracking numbers and access codes: no 0/O, 1/I/L, so
// they can be read out on the phone and typed from a printed receipt.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func randomCode(n int) string {
	b := make([]byte, n)
	for i := range b {
		x, err := rand.Int(rand.Reader, big.NewInt(int64(len(codeAlphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = codeAlphabet[x.Int64()]
	}
	return string(b)
}

// NormalizeAccessCode removes the separators and spaces people type and
// upper-cases the code.
func NormalizeAccessCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToUpper(r)
	}, s)
}

// FormatAccessCode groups a code for reading: ABCDE-FGHJK.
func FormatAccessCode(s string) string {
	if len(s) == 10 {
		return s[:5] + "-" + s[5:]
	}
	return s
}

// accessHash is what is stored of an access code: a hash bound to the
// tracking number. The code has about 50 bits of entropy and lookups are
// throttled, so a fast hash suffices.
func accessHash(trackingNo, code string) string {
	h := sha256.Sum256([]byte("gongkai access code v1\x00" + trackingNo + "\x00" + code))
	return hex.EncodeToString(h[:])
}

// Keyed hashes for exact-match search over encrypted fields.
func normName(s string) string {
	return strings.Join(strings.Fields(strings.ToUpper(s)), "")
}

func normPhone(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	return strings.TrimPrefix(d, "86")
}

func (db *DB) indexes(a *gongkai.Applicant) (name, id, phone, key string) {
	return applicantIndexes(db.apps.keys, a)
}

func applicantIndexes(k *seal.Keys, a *gongkai.Applicant) (name, id, phone, key string) {
	name = k.Index("name", normName(a.Name))
	id = k.Index("id", strings.ToUpper(strings.TrimSpace(a.IDNumber)))
	phone = k.Index("phone", normPhone(a.Phone))
	// The applicant for 按件 fees: the same identity document, or failing
	// that the same name and contacts.
	key = id
	if key == "" {
		key = k.Index("applicant", normName(a.Name)+"|"+normPhone(a.Phone)+"|"+strings.ToLower(a.Email))
	}
	return
}

// personalAAD binds the ciphertext to its application, so it cannot be
// copied into another row.
func personalAAD(trackingNo string) string { return "application:" + trackingNo + ":personal" }

func fileAAD(trackingNo string, n int) string {
	return "application:" + trackingNo + ":file:" + strconv.Itoa(n)
}

// auditView is what the audit trail records of an application: never its
// personal data, which would otherwise sit in plain text in audit_log.
type auditView struct {
	TrackingNo    string                `json:"trackingNo"`
	Org           string                `json:"org"`
	Channel       gongkai.Channel       `json:"channel"`
	ApplicantKind gongkai.ApplicantKind `json:"applicantKind"`
	Subject       string                `json:"subject"`
	ReceivedOn    gongkai.Date          `json:"receivedOn,omitzero"`
	State         string                `json:"state"`
	DueOn         gongkai.Date          `json:"dueOn,omitzero"`
	Outcome       gongkai.Outcome       `json:"outcome,omitempty"`
	ClosedOn      gongkai.Date          `json:"closedOn,omitzero"`
	Files         int                   `json:"files,omitempty"`
}

func viewOf(a *gongkai.Application) auditView {
	return auditView{TrackingNo: a.TrackingNo, Org: a.OrgCode, Channel: a.Channel, ApplicantKind: a.ApplicantKind, Subject: a.Request.Summary(),
		ReceivedOn: a.ReceivedOn, State: string(a.State), DueOn: a.DueOn, Outcome: a.Outcome, ClosedOn: a.ClosedOn, Files: len(a.Files)}
}

func (tx *Tx) today() gongkai.Date { return gongkai.DateOf(tx.now) }

// SubmitApplication records an application from the public form. Nobody
// needs to be logged in; submissions are capped per client address.
func (db *DB) SubmitApplication(ctx context.Context, s *gongkai.ApplicationSubmission) (*gongkai.Application, string, error) {
	return db.createApplication(ctx, s, false)
}

// CreateApplication records an application an officer of the org received
// in person, by post, fax, e-mail or another online channel.
func (db *DB) CreateApplication(ctx context.Context, s *gongkai.ApplicationSubmission) (*gongkai.Application, string, error) {
	return db.createApplication(ctx, s, true)
}

func (db *DB) createApplication(ctx context.Context, s *gongkai.ApplicationSubmission, offline bool) (*gongkai.Application, string, error) {
	var app *gongkai.Application
	var code string
	err := db.inTx(ctx, func(tx *Tx) error {
		if err := tx.requireDataKey(ctx); err != nil {
			return err
		}
		today := tx.today()
		verr := s.Validate(offline, today, applicantValidators)
		var org *gongkai.Org
		var err error
		switch {
		case s.OrgID != 0:
			org, err = tx.findOrgByID(ctx, s.OrgID)
		case s.OrgCode != "":
			org, err = tx.findOrgByCode(ctx, s.OrgCode)
		}
		if gongkai.ErrorCode(err) == gongkai.ENOTFOUND {
			var p gongkai.Problems
			if e := gongkai.AsError(verr); e != nil {
				p = e.Problems
			}
			p.Add("org", "所选机关不存在，请从机关列表中选择。")
			return p.Err()
		}
		if err != nil {
			return err
		}
		if verr != nil {
			return verr
		}
		if offline {
			if _, write, _ := gongkai.ApplicationAccess(tx.actor, org); !write || !tx.actor.HasRole(gongkai.RoleOfficer, org.ID) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的依申请公开经办人可以登记该机关收到的申请。", org.Name)
			}
		}
		clientHash := ""
		if !offline && s.ClientIP != "" {
			clientHash = db.apps.keys.Index("client", s.ClientIP)
			if err := tx.checkSubmitRate(ctx, clientHash); err != nil {
				return err
			}
		}
		personal, err := json.Marshal(s.Applicant)
		if err != nil {
			return err
		}
		nameIx, idIx, phoneIx, key := db.indexes(&s.Applicant)
		code = randomCode(10)
		a := &gongkai.Application{OrgID: org.ID, OrgCode: org.Code, OrgName: org.Name, Channel: s.Channel, ApplicantKind: s.Applicant.Kind,
			Request: s.Request, SubmittedAt: tx.now, ReceivedOn: s.ReceivedOn, State: gongkai.StateUnconfirmed, Note: s.Note,
			CreatedAt: tx.now, UpdatedAt: tx.now, CreatedBy: actorName(tx.actor)}
		if offline {
			a.State = gongkai.StateOpen
		}
		r := s.Request
		// A tracking number is a date and five random characters: not
		// guessable in sequence, and short enough to read out. Retry on the
		// rare collision.
		for attempt := 0; ; attempt++ {
			// The date part is the receipt date when known (an intake of a
			// past case), else the day of submission.
			day := today
			if !s.ReceivedOn.IsZero() {
				day = s.ReceivedOn
			}
			a.TrackingNo = "YSQ" + strings.ReplaceAll(day.String(), "-", "") + randomCode(5)
			sp := "app_insert"
			if _, err := tx.ExecContext(ctx, `SAVEPOINT `+sp); err != nil {
				return err
			}
			err = tx.QueryRowContext(ctx, `INSERT INTO applications (tracking_no, access_hash, org_id, channel, applicant_kind, subject, doc_no, description,
				form, form_other, delivery, personal, name_index, id_index, phone_index, applicant_key, client_hash, submitted_at, received_on, state,
				note, created_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $18, $18) RETURNING id`,
				a.TrackingNo, accessHash(a.TrackingNo, code), org.ID, string(a.Channel), string(a.ApplicantKind), r.Subject, r.DocNo, r.Description,
				string(r.Form), r.FormOther, string(r.Delivery), db.apps.keys.Seal(personal, personalAAD(a.TrackingNo)), nameIx, idIx, phoneIx, key,
				clientHash, ts(tx.now), a.ReceivedOn, string(a.State), a.Note, a.CreatedBy).Scan(&a.ID)
			if err != nil && uniqueOn(err, "tracking_no") && attempt < 5 {
				if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT `+sp); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT `+sp); err != nil {
				return err
			}
			break
		}
		if err := tx.insertFiles(ctx, a, "applicant", s.Files); err != nil {
			return err
		}
		if err := tx.refreshApplication(ctx, a); err != nil {
			return err
		}
		action := "application.submit"
		if offline {
			action = "application.create"
		}
		if err := tx.audit(ctx, auditEntry{Action: action, ObjectType: "application", ObjectID: a.TrackingNo, Org: org, After: viewOf(a)}); err != nil {
			return err
		}
		app = a
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	return app, code, nil
}

func actorName(a *gongkai.Actor) string {
	switch {
	case a == nil:
		return "公众"
	case a.Name != "":
		return a.Name
	}
	return a.Username
}

// checkSubmitRate refuses a public submission over the per-address caps.
// Counting rows in the database (not memory) makes the cap hold across
// every node of a platform.
func (tx *Tx) checkSubmitRate(ctx context.Context, clientHash string) error {
	cfg := tx.db.AppConfig
	for _, w := range []struct {
		limit  int
		window time.Duration
		what   string
	}{{cfg.SubmitPerHour, time.Hour, "1小时"}, {cfg.SubmitPerDay, 24 * time.Hour, "24小时"}} {
		if w.limit <= 0 {
			continue
		}
		var n int
		var oldest sql.NullString
		from := tx.now.Add(-w.window)
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(submitted_at) FROM applications WHERE client_hash = $1 AND submitted_at >= $2`,
			clientHash, ts(from)).Scan(&n, &oldest); err != nil {
			return err
		}
		if n >= w.limit {
			retry := int(w.window.Seconds())
			if t, err := parseTS(oldest.String); err == nil {
				retry = max(int(t.Add(w.window).Sub(tx.now).Seconds())+1, 1)
			}
			return &gongkai.Error{Code: gongkai.ETOOMANY, RetryAfterSeconds: retry,
				Message: fmt.Sprintf("同一网络地址%s内最多提交%d件申请，请稍后再试；如需提交更多申请，可以当面、邮寄或传真提交。", w.what, w.limit)}
		}
	}
	return nil
}

// parseTS reads an instant as either database returns it for MIN() over a
// timestamp column (text on SQLite, possibly in driver format on
// PostgreSQL).
func parseTS(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.000000+00:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999-07", "2006-01-02 15:04:05.999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse instant %q", s)
}

func (tx *Tx) insertFiles(ctx context.Context, a *gongkai.Application, role string, files []gongkai.Upload) error {
	if len(files) == 0 {
		return nil
	}
	if err := tx.requireDataKey(ctx); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM application_files WHERE application_id = $1`, a.ID).Scan(&n); err != nil {
		return err
	}
	for i, f := range files {
		name := strings.TrimSpace(f.Name)
		if name == "" {
			name = "附件" + strconv.Itoa(i+1)
		}
		num := n + i + 1
		// The name may carry personal data too ("张三身份证.jpg").
		encName := tx.db.apps.keys.Seal([]byte(name), fileAAD(a.TrackingNo, num)+":name")
		content := tx.db.apps.keys.SealBytes(f.Data, fileAAD(a.TrackingNo, num))
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO application_files (application_id, role, name, mime, label, size, content, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, a.ID, role, encName, f.MIME, f.Label, len(f.Data), content, ts(tx.now)).Scan(&id); err != nil {
			return err
		}
		a.Files = append(a.Files, gongkai.ApplicationFile{ID: id, Role: role, Name: name, MIME: f.MIME, Label: f.Label, Size: int64(len(f.Data)), CreatedAt: tx.now})
	}
	return nil
}

const appColumns = `a.id, a.tracking_no, a.org_id, o.code, o.name, a.channel, a.applicant_kind, a.subject, a.doc_no, a.description,
	a.form, a.form_other, a.delivery, a.submitted_at, a.received_on, a.state, a.due_on, a.closed_on, COALESCE(a.outcome, ''), a.late,
	COALESCE(a.reply_json, ''), a.note, a.created_by, a.created_at, a.updated_at`

const appFrom = ` FROM applications a JOIN orgs o ON o.id = a.org_id`

func scanApplication(sc interface{ Scan(...any) error }) (*gongkai.Application, error) {
	var a gongkai.Application
	var reply string
	var channel, kind, form, delivery, state, outcome string
	if err := sc.Scan(&a.ID, &a.TrackingNo, &a.OrgID, &a.OrgCode, &a.OrgName, &channel, &kind, &a.Request.Subject, &a.Request.DocNo,
		&a.Request.Description, &form, &a.Request.FormOther, &delivery, &a.SubmittedAt, &a.ReceivedOn, &state, &a.DueOn, &a.ClosedOn,
		&outcome, &a.Late, &reply, &a.Note, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return nil, err
	}
	a.Channel, a.ApplicantKind, a.State, a.Outcome = gongkai.Channel(channel), gongkai.ApplicantKind(kind), gongkai.ApplicationState(state), gongkai.Outcome(outcome)
	a.Request.Form, a.Request.Delivery = gongkai.ProvisionForm(form), gongkai.Delivery(delivery)
	a.SubmittedAt, a.CreatedAt, a.UpdatedAt = a.SubmittedAt.UTC(), a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	if reply != "" {
		a.Reply = &gongkai.Reply{}
		if err := json.Unmarshal([]byte(reply), a.Reply); err != nil {
			return nil, fmt.Errorf("application %d reply: %w", a.ID, err)
		}
	}
	a.Events, a.Appeals, a.Files = []gongkai.ApplicationEvent{}, []gongkai.Appeal{}, []gongkai.ApplicationFile{}
	return &a, nil
}

// loadApplication reads an application with its ledger, appeals and file
// list, and computes its clock as of the transaction's day.
func (tx *Tx) loadApplication(ctx context.Context, id int64) (*gongkai.Application, *gongkai.Org, error) {
	a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+appColumns+appFrom+` WHERE a.id = $1`, id))
	if isNoRows(err) {
		return nil, nil, gongkai.Errorf(gongkai.ENOTFOUND, "申请不存在（编号 %d）。", id)
	}
	if err != nil {
		return nil, nil, err
	}
	org, err := tx.findOrgByID(ctx, a.OrgID)
	if err != nil {
		return nil, nil, err
	}
	events, err := tx.eventsOf(ctx, []int64{a.ID})
	if err != nil {
		return nil, nil, err
	}
	a.Events = append(a.Events, events[a.ID]...)
	if err := tx.loadAppeals(ctx, a); err != nil {
		return nil, nil, err
	}
	if err := tx.loadFileList(ctx, a); err != nil {
		return nil, nil, err
	}
	if err := tx.computeClock(ctx, a); err != nil {
		return nil, nil, err
	}
	return a, org, nil
}

// readable loads an application the actor may read; others get ENOTFOUND,
// so that the existence of another org's application is not revealed.
func (tx *Tx) readable(ctx context.Context, id int64) (*gongkai.Application, *gongkai.Org, error) {
	a, org, err := tx.loadApplication(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if read, _, _ := gongkai.ApplicationAccess(tx.actor, org); !read {
		return nil, nil, gongkai.Errorf(gongkai.ENOTFOUND, "申请不存在，或者您无权查看（编号 %d）。", id)
	}
	return a, org, nil
}

// writable loads an application the actor may act on.
func (tx *Tx) writable(ctx context.Context, id int64) (*gongkai.Application, *gongkai.Org, error) {
	a, org, err := tx.readable(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if _, write, _ := gongkai.ApplicationAccess(tx.actor, org); !write {
		return nil, nil, gongkai.Errorf(gongkai.EFORBIDDEN, "只有“%s”的依申请公开经办人可以办理该申请。", org.Name)
	}
	return a, org, nil
}

// FindApplicationByID returns an application without personal data.
func (db *DB) FindApplicationByID(ctx context.Context, id int64) (*gongkai.Application, error) {
	var a *gongkai.Application
	err := db.inReadTx(ctx, func(tx *Tx) (err error) { a, _, err = tx.readable(ctx, id); return })
	return a, err
}

// FindApplicationPersonal returns an application with the applicant's
// personal data decrypted, for the org's officers and supervisors, and
// records the view in the audit trail in the same transaction.
func (db *DB) FindApplicationPersonal(ctx context.Context, id int64) (*gongkai.Application, error) {
	var a *gongkai.Application
	err := db.inTx(ctx, func(tx *Tx) error {
		var org *gongkai.Org
		var err error
		if a, org, err = tx.readable(ctx, id); err != nil {
			return err
		}
		if _, _, personal := gongkai.ApplicationAccess(tx.actor, org); !personal {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "申请人的个人信息只向“%s”的依申请公开经办人及其监督人员显示。", org.Name)
		}
		if a.Applicant, err = tx.decryptApplicant(ctx, a); err != nil {
			return err
		}
		return tx.audit(ctx, auditEntry{Action: "application.view_personal", ObjectType: "application", ObjectID: a.TrackingNo, Org: org})
	})
	return a, err
}

func (tx *Tx) decryptApplicant(ctx context.Context, a *gongkai.Application) (*gongkai.Applicant, error) {
	var sealed string
	if err := tx.QueryRowContext(ctx, `SELECT personal FROM applications WHERE id = $1`, a.ID).Scan(&sealed); err != nil {
		return nil, err
	}
	plain, err := tx.db.apps.keys.Open(sealed, personalAAD(a.TrackingNo))
	if err != nil {
		return nil, &gongkai.Error{Code: gongkai.EINTERNAL, Message: "无法解密申请人信息：数据密钥不正确或数据已损坏。", Err: err}
	}
	var p gongkai.Applicant
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// TrackApplication answers the applicant's status lookup. A wrong number
// and a wrong code give the same answer.
func (db *DB) TrackApplication(ctx context.Context, trackingNo, code string) (*gongkai.Tracking, error) {
	trackingNo = strings.ToUpper(strings.TrimSpace(trackingNo))
	code = NormalizeAccessCode(code)
	notFound := gongkai.Errorf(gongkai.ENOTFOUND, "查询编号或查询码不正确，请核对后重新输入。")
	if trackingNo == "" || code == "" {
		return nil, notFound
	}
	var t *gongkai.Tracking
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var id int64
		var hash string
		err := tx.QueryRowContext(ctx, `SELECT id, access_hash FROM applications WHERE tracking_no = $1`, trackingNo).Scan(&id, &hash)
		if isNoRows(err) {
			accessHash(trackingNo, code) // same work either way
			return notFound
		}
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare([]byte(hash), []byte(accessHash(trackingNo, code))) != 1 {
			return notFound
		}
		a, _, err := tx.loadApplication(ctx, id)
		if err != nil {
			return err
		}
		t = trackingOf(a)
		return nil
	})
	return t, err
}

func trackingOf(a *gongkai.Application) *gongkai.Tracking {
	t := &gongkai.Tracking{TrackingNo: a.TrackingNo, OrgName: a.OrgName, Subject: a.Request.Summary(), Channel: a.Channel, SubmittedAt: a.SubmittedAt,
		ReceivedOn: a.ReceivedOn, Status: a.Status(), Outcome: a.Outcome, ClosedOn: a.ClosedOn, Explanation: []gongkai.ClockLine{}}
	t.StatusLabel = t.Status.Label()
	if a.Outcome != "" {
		t.OutcomeText = a.Outcome.Label()
	}
	if c := a.Clock; c != nil {
		t.DueOn, t.DaysLeft, t.Explanation, t.Problem = c.DueOn, c.DaysLeft, c.Explanation, c.Problem
	}
	return t
}

// clockEvents converts the ledger for internal/clock.
func clockEvents(evs []gongkai.ApplicationEvent) []clock.Event {
	out := make([]clock.Event, 0, len(evs))
	for _, e := range evs {
		out = append(out, clockEvent(e))
	}
	return out
}

func clockEvent(e gongkai.ApplicationEvent) clock.Event {
	return clock.Event{Kind: clock.EventKind(e.Type), On: e.Date, Items: e.Items, Deadline: e.Deadline, Party: e.Party, Days: e.Days,
		ApprovedBy: e.ApprovedBy, NotifiedOn: e.NotifiedOn, Outcome: e.Outcome, OverrideBy: e.OverrideBy, OverrideReason: e.OverrideReason}
}

// unconfirmedLine is the whole explanation of an online application the
// office has not yet confirmed.
func unconfirmedLine(a *gongkai.Application) gongkai.ClockLine {
	return gongkai.ClockLine{Kind: "submitted", On: gongkai.DateOf(a.SubmittedAt),
		Text: fmt.Sprintf("%s 通过网上提交申请，等待%s确认收到申请之日；答复期限自确认之日起计算（条例第三十一条第三项）。", gongkai.DateOf(a.SubmittedAt).Chinese(), a.OrgName)}
}

// computeClock fills a.Clock from the ledger. A calendar without the years
// the ledger needs is not a failure of the page: the clock carries a
// message for the administrator instead.
func (tx *Tx) computeClock(ctx context.Context, a *gongkai.Application) error {
	if a.State == gongkai.StateUnconfirmed {
		a.Clock = &gongkai.ApplicationClock{Status: gongkai.StatusUnconfirmed, Explanation: []gongkai.ClockLine{unconfirmedLine(a)}}
		return nil
	}
	cal, err := tx.db.workdays(ctx)
	if err != nil {
		return err
	}
	st, err := clock.Compute(a.ReceivedOn, clockEvents(a.Events), tx.db.AppConfig.Clock, cal, tx.today())
	if err != nil {
		if errors.Is(err, workday.ErrUnknownYear) {
			a.Clock = &gongkai.ApplicationClock{Status: gongkai.ApplicationStatus(a.State), DueOn: a.DueOn, Explanation: []gongkai.ClockLine{},
				Problem: calendarMessage(err)}
			if a.State == gongkai.StateOpen {
				a.Clock.Status = gongkai.StatusOnTime
			}
			return nil
		}
		return err
	}
	a.Clock = clockOf(st)
	return nil
}

func calendarMessage(err error) string {
	var u *workday.UnknownYearError
	if errors.As(err, &u) {
		return fmt.Sprintf("工作日历中没有%d年的节假日安排，无法计算答复期限。请管理员在“工作日历”中录入国务院办公厅的%d年放假通知。", u.Year, u.Year)
	}
	return "工作日历中缺少所需年份的节假日安排，无法计算答复期限。请管理员在“工作日历”中录入国务院办公厅的放假通知。"
}

func clockOf(st clock.State) *gongkai.ApplicationClock {
	c := &gongkai.ApplicationClock{Status: gongkai.ApplicationStatus(st.Status), DueOn: st.DueOn, DaysLeft: st.DaysLeft, Paused: st.Paused,
		PeriodStart: st.PeriodStart, PausedDays: st.PausedDays, ExtensionDays: st.ExtensionDays, SupplementDeadline: st.SupplementDeadline,
		FeeDeadline: st.FeeDeadline, CloseAs: st.CloseAs, CloseFrom: st.CloseFrom, ClosedOn: st.ClosedOn, Late: st.Late,
		Explanation: make([]gongkai.ClockLine, 0, len(st.Explanation))}
	for _, l := range st.Explanation {
		c.Explanation = append(c.Explanation, gongkai.ClockLine{Kind: string(l.Kind), On: l.On, OldDue: l.OldDue, NewDue: l.NewDue, PausedDays: l.PausedDays, Text: l.Text})
	}
	return c
}

// refreshApplication recomputes the clock and writes the plain columns
// derived from the ledger (due_on, state, closed_on, outcome, late), so
// queries and the annual report read them without replaying ledgers.
func (tx *Tx) refreshApplication(ctx context.Context, a *gongkai.Application) error {
	if err := tx.computeClock(ctx, a); err != nil {
		return err
	}
	if c := a.Clock; c != nil && c.Problem == "" && a.State != gongkai.StateUnconfirmed {
		a.DueOn = c.DueOn
		if c.Status == clockClosed {
			a.State, a.ClosedOn, a.Late = gongkai.StateClosed, c.ClosedOn, c.Late
		}
	}
	var reply any
	if a.Reply != nil {
		b, err := json.Marshal(a.Reply)
		if err != nil {
			return err
		}
		reply = string(b)
	}
	var outcome any
	if a.Outcome != "" {
		outcome = string(a.Outcome)
	}
	a.UpdatedAt = tx.now
	_, err := tx.ExecContext(ctx, `UPDATE applications SET received_on = $1, state = $2, due_on = $3, closed_on = $4, outcome = $5, late = $6,
		reply_json = $7, updated_at = $8 WHERE id = $9`, a.ReceivedOn, string(a.State), a.DueOn, a.ClosedOn, outcome, a.Late, reply, ts(tx.now), a.ID)
	return err
}

const clockClosed = gongkai.ApplicationStatus(clock.StatusClosed)

// eventsOf reads the ledgers of several applications.
func (tx *Tx) eventsOf(ctx context.Context, ids []int64) (map[int64][]gongkai.ApplicationEvent, error) {
	out := map[int64][]gongkai.ApplicationEvent{}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, len(chunk))
		ph := make([]string, len(chunk))
		for i, id := range chunk {
			args[i], ph[i] = id, "$"+strconv.Itoa(i+1)
		}
		rows, err := tx.QueryContext(ctx, `SELECT application_id, id, seq, kind, on_date, items, deadline, party, days, approved_by, notified_on,
			COALESCE(outcome, ''), override_by, override_reason, COALESCE(fee_json, ''), note, recorded_at, recorded_by
			FROM application_events WHERE application_id IN (`+strings.Join(ph, ", ")+`) ORDER BY application_id, seq`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var appID int64
			var e gongkai.ApplicationEvent
			var kind, outcome, feeJSON string
			if err := rows.Scan(&appID, &e.ID, &e.Seq, &kind, &e.Date, &e.Items, &e.Deadline, &e.Party, &e.Days, &e.ApprovedBy, &e.NotifiedOn,
				&outcome, &e.OverrideBy, &e.OverrideReason, &feeJSON, &e.Note, &e.RecordedAt, &e.RecordedBy); err != nil {
				rows.Close()
				return nil, err
			}
			e.Type, e.Outcome, e.RecordedAt = gongkai.EventType(kind), gongkai.Outcome(outcome), e.RecordedAt.UTC()
			if feeJSON != "" {
				e.Fee = &gongkai.Fee{}
				if err := json.Unmarshal([]byte(feeJSON), e.Fee); err != nil {
					rows.Close()
					return nil, err
				}
			}
			out[appID] = append(out[appID], e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (tx *Tx) loadAppeals(ctx context.Context, a *gongkai.Application) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, filed_on, body, result, closed_on, note, created_at, updated_at
		FROM application_appeals WHERE application_id = $1 ORDER BY filed_on, id`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p gongkai.Appeal
		var kind, result string
		if err := rows.Scan(&p.ID, &kind, &p.FiledOn, &p.Body, &result, &p.ClosedOn, &p.Note, &p.CreatedAt, &p.UpdatedAt); err != nil {
			return err
		}
		p.ApplicationID, p.Kind, p.Result = a.ID, gongkai.AppealKind(kind), gongkai.AppealResult(result)
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		a.Appeals = append(a.Appeals, p)
	}
	return rows.Err()
}

// loadFileList reads the attachments' metadata; names are decrypted.
func (tx *Tx) loadFileList(ctx context.Context, a *gongkai.Application) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, role, name, mime, label, size, created_at FROM application_files WHERE application_id = $1 ORDER BY id`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		var f gongkai.ApplicationFile
		var sealedName string
		if err := rows.Scan(&f.ID, &f.Role, &sealedName, &f.MIME, &f.Label, &f.Size, &f.CreatedAt); err != nil {
			return err
		}
		f.CreatedAt = f.CreatedAt.UTC()
		name, err := tx.db.apps.keys.Open(sealedName, fileAAD(a.TrackingNo, n)+":name")
		if err != nil {
			f.Name = "附件" + strconv.Itoa(n)
		} else {
			f.Name = string(name)
		}
		a.Files = append(a.Files, f)
	}
	return rows.Err()
}

// ApplicationFile returns an attachment with its content, decrypted, and
// audits the download. An applicant's files may be copies of identity
// documents, so they need the personal-data permission; reply files only
// the right to read the application.
func (db *DB) ApplicationFile(ctx context.Context, id, fileID int64) (*gongkai.ApplicationFile, error) {
	var out *gongkai.ApplicationFile
	err := db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.readable(ctx, id)
		if err != nil {
			return err
		}
		n := 0
		for i, f := range a.Files {
			if f.ID == fileID {
				n, out = i+1, &a.Files[i]
			}
		}
		if out == nil {
			return gongkai.Errorf(gongkai.ENOTFOUND, "附件不存在。")
		}
		if _, _, personal := gongkai.ApplicationAccess(tx.actor, org); out.Role == "applicant" && !personal {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "申请人提交的附件只向“%s”的依申请公开经办人及其监督人员显示。", org.Name)
		}
		var sealed []byte
		if err := tx.QueryRowContext(ctx, `SELECT content FROM application_files WHERE id = $1`, fileID).Scan(&sealed); err != nil {
			return err
		}
		if out.Data, err = tx.db.apps.keys.OpenBytes(sealed, fileAAD(a.TrackingNo, n)); err != nil {
			return &gongkai.Error{Code: gongkai.EINTERNAL, Message: "无法解密附件：数据密钥不正确或数据已损坏。", Err: err}
		}
		return tx.audit(ctx, auditEntry{Action: "application.file_view", ObjectType: "application", ObjectID: a.TrackingNo, Org: org,
			After: map[string]any{"file": fileID, "role": out.Role}})
	})
	return out, err
}

// AuditLetter records that a letter carrying the applicant's name and
// address was generated.
func (db *DB) AuditLetter(ctx context.Context, id int64, kind gongkai.LetterKind) error {
	return db.inTx(ctx, func(tx *Tx) error {
		a, org, err := tx.readable(ctx, id)
		if err != nil {
			return err
		}
		if _, _, personal := gongkai.ApplicationAccess(tx.actor, org); !personal {
			return gongkai.Errorf(gongkai.EFORBIDDEN, "文书载有申请人信息，只向“%s”的依申请公开经办人及其监督人员提供。", org.Name)
		}
		return tx.audit(ctx, auditEntry{Action: "application.letter", ObjectType: "application", ObjectID: a.TrackingNo, Org: org,
			After: map[string]string{"letter": string(kind)}})
	})
}

// visibleOrgs returns a condition on a.org_id limiting a query to the
// orgs whose applications the actor may read.
func (tx *Tx) visibleOrgs(ctx context.Context, arg func(any) string) (string, error) {
	a := tx.actor
	if a == nil {
		return "", gongkai.Errorf(gongkai.EUNAUTHORIZED, "请先登录。")
	}
	if a.System {
		return "1 = 1", nil
	}
	var ors []string
	var officerOrgs []string
	for _, g := range a.Grants {
		switch g.Role {
		case gongkai.RoleOfficer:
			officerOrgs = append(officerOrgs, arg(g.OrgID))
		case gongkai.RoleSupervisor, gongkai.RoleAdmin:
			org, err := tx.findOrgByID(ctx, g.OrgID)
			if err != nil {
				return "", err
			}
			ors = append(ors, `o.path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
		}
	}
	if len(officerOrgs) > 0 {
		ors = append(ors, `a.org_id IN (`+strings.Join(officerOrgs, ", ")+`)`)
	}
	if len(ors) == 0 {
		return "", gongkai.Errorf(gongkai.EFORBIDDEN, "只有依申请公开经办人、监督人员和管理员可以查看申请。")
	}
	return "(" + strings.Join(ors, " OR ") + ")", nil
}

// FindApplications returns the queue: the applications the actor may read
// that match f, most urgent first (awaiting confirmation, then open ones by
// due date, then closed ones, latest first), and the number matching.
// Statuses are computed from each ledger as of today.
func (db *DB) FindApplications(ctx context.Context, f gongkai.ApplicationFilter) ([]*gongkai.Application, int, error) {
	var out []*gongkai.Application
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.findApplications(ctx, f)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	total := len(out)
	if f.Offset > 0 {
		out = out[min(f.Offset, len(out)):]
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

func (tx *Tx) findApplications(ctx context.Context, f gongkai.ApplicationFilter) ([]*gongkai.Application, error) {
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	vis, err := tx.visibleOrgs(ctx, arg)
	if err != nil {
		return nil, err
	}
	where := []string{vis}
	if f.OrgID != nil {
		where = append(where, `a.org_id = `+arg(*f.OrgID))
	}
	if f.Within != nil {
		org, err := tx.findOrgByID(ctx, *f.Within)
		if err != nil {
			return nil, err
		}
		where = append(where, `o.path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
	}
	if f.Outcome != nil {
		where = append(where, `a.outcome = `+arg(string(*f.Outcome)))
	}
	if f.Channel != nil {
		where = append(where, `a.channel = `+arg(string(*f.Channel)))
	}
	if f.ApplicantKind != nil {
		where = append(where, `a.applicant_kind = `+arg(string(*f.ApplicantKind)))
	}
	if f.Year != nil {
		y := *f.Year
		from, to := gongkai.NewDate(y, 1, 1), gongkai.NewDate(y, 12, 31)
		where = append(where, `(a.received_on BETWEEN `+arg(from)+` AND `+arg(to)+` OR (a.received_on IS NULL AND a.submitted_at >= `+
			arg(ts(from.Time()))+` AND a.submitted_at < `+arg(ts(gongkai.NewDate(y+1, 1, 1).Time()))+`))`)
	}
	if f.Applicant != nil && strings.TrimSpace(*f.Applicant) != "" {
		q := strings.TrimSpace(*f.Applicant)
		k := tx.db.apps.keys
		conds := []string{`a.name_index = ` + arg(k.Index("name", normName(q))), `a.id_index = ` + arg(k.Index("id", strings.ToUpper(q)))}
		if p := normPhone(q); p != "" {
			conds = append(conds, `a.phone_index = `+arg(k.Index("phone", p)))
		}
		where = append(where, "("+strings.Join(conds, " OR ")+")")
	}
	if f.Status != nil {
		switch *f.Status {
		case gongkai.StatusUnconfirmed:
			where = append(where, `a.state = 'unconfirmed'`)
		case gongkai.StatusClosed:
			where = append(where, `a.state = 'closed'`)
		default:
			where = append(where, `a.state = 'open'`)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+appColumns+appFrom+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	var apps []*gongkai.Application
	var open []int64
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		apps = append(apps, a)
		if a.State != gongkai.StateUnconfirmed {
			open = append(open, a.ID)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Each listed application carries its events (the 台账 shows 补正,
	// 延期 and consultations) and its clock.
	events, err := tx.eventsOf(ctx, open)
	if err != nil {
		return nil, err
	}
	var kept []*gongkai.Application
	for _, a := range apps {
		a.Events = append(a.Events, events[a.ID]...)
		if a.State == gongkai.StateClosed {
			// Closed clocks do not change; the stored columns are enough.
			a.Clock = &gongkai.ApplicationClock{Status: gongkai.StatusClosed, DueOn: a.DueOn, ClosedOn: a.ClosedOn, Late: a.Late}
		} else if err := tx.computeClock(ctx, a); err != nil {
			return nil, err
		}
		if f.Status != nil && a.Status() != *f.Status {
			continue
		}
		kept = append(kept, a)
	}
	sortQueue(kept)
	return kept, nil
}

// sortQueue orders a queue: awaiting confirmation (oldest first), then
// open applications by due date (the paused-for-correction ones, which
// have none, after them), then closed ones, most recently closed first.
func sortQueue(apps []*gongkai.Application) {
	rank := func(a *gongkai.Application) int {
		switch {
		case a.State == gongkai.StateUnconfirmed:
			return 0
		case a.State == gongkai.StateOpen && a.Clock != nil && !a.Clock.DueOn.IsZero():
			return 1
		case a.State == gongkai.StateOpen:
			return 2
		}
		return 3
	}
	sort.SliceStable(apps, func(i, j int) bool {
		a, b := apps[i], apps[j]
		ra, rb := rank(a), rank(b)
		if ra != rb {
			return ra < rb
		}
		switch ra {
		case 0:
			return a.SubmittedAt.Before(b.SubmittedAt)
		case 1:
			if c := a.Clock.DueOn.Compare(b.Clock.DueOn); c != 0 {
				return c < 0
			}
		case 3:
			if c := a.ClosedOn.Compare(b.ClosedOn); c != 0 {
				return c > 0
			}
		}
		return a.ID < b.ID
	})
}
