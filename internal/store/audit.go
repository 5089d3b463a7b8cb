package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gongkai"
)

var _ gongkai.AuditService = (*DB)(nil)

// auditEntry is what a change reports about itself.
type auditEntry struct {
	Action     string
	ObjectType string
	ObjectID   string
	Org        *gongkai.Org // the org the object belongs to, for subtree filters
	Before     any
	After      any
}

// audit appends a record to the chain inside tx. It first bumps the chain
// head: that UPDATE takes a row lock on PostgreSQL (and SQLite has one
// writer), so concurrent transactions append one after another and the
// chain never forks.
func (tx *Tx) audit(ctx context.Context, e auditEntry) error {
	var seq int64
	var prev string
	if err := tx.QueryRowContext(ctx, `UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&seq, &prev); err != nil {
		return fmt.Errorf("audit head: %w", err)
	}
	rec := gongkai.AuditRecord{
		Seq: seq, At: tx.now, Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, PrevHash: prev,
	}
	if a := tx.actor; a != nil {
		rec.ActorID, rec.ActorName = a.UserID, a.Username
	} else {
		rec.ActorName = "anonymous"
	}
	orgPath := ""
	if e.Org != nil {
		rec.OrgID = e.Org.ID
		orgPath = pathString(e.Org.Path)
	}
	var err error
	if rec.Before, err = auditJSON(e.Before); err != nil {
		return err
	}
	if rec.After, err = auditJSON(e.After); err != nil {
		return err
	}
	rec.Hash = auditHash(&rec)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log
		(seq, at, actor_id, actor_name, org_id, org_path, action, object_type, object_id, before_json, after_json, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		rec.Seq, ts(rec.At), nullInt(rec.ActorID), rec.ActorName, nullInt(rec.OrgID), orgPath, rec.Action, rec.ObjectType, rec.ObjectID,
		nullJSON(rec.Before), nullJSON(rec.After), rec.PrevHash, rec.Hash); err != nil {
		return fmt.Errorf("audit insert: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE audit_head SET hash = $1 WHERE id = 1`, rec.Hash)
	return err
}

func auditJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return b, nil
}

// auditHash is SHA-256 over the previous hash and every stored field, each
// on its own line in a fixed order. SHA-256 rather than SM3: it is in Go's
// standard library and FIPS-validated, and the chain only has to detect
// tampering, which both do equally (docs/decisions.md).
func auditHash(r *gongkai.AuditRecord) string {
	h := sha256.New()
	for _, f := range []string{
		r.PrevHash,
		strconv.FormatInt(r.Seq, 10),
		ts(r.At),
		strconv.FormatInt(r.ActorID, 10),
		r.ActorName,
		strconv.FormatInt(r.OrgID, 10),
		r.Action,
		r.ObjectType,
		r.ObjectID,
		string(r.Before),
		string(r.After),
	} {
		fmt.Fprintf(h, "%d:%s\n", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func nullInt(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

func nullJSON(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}

const auditColumns = `seq, at, COALESCE(actor_id, 0), actor_name, COALESCE(org_id, 0), action, object_type, object_id,
	COALESCE(before_json, ''), COALESCE(after_json, ''), prev_hash, hash`

func scanAudit(sc interface{ Scan(...any) error }) (*gongkai.AuditRecord, error) {
	var r gongkai.AuditRecord
	var before, after string
	if err := sc.Scan(&r.Seq, &r.At, &r.ActorID, &r.ActorName, &r.OrgID, &r.Action, &r.ObjectType, &r.ObjectID,
		&before, &after, &r.PrevHash, &r.Hash); err != nil {
		return nil, err
	}
	r.At = r.At.UTC()
	if before != "" {
		r.Before = json.RawMessage(before)
	}
	if after != "" {
		r.After = json.RawMessage(after)
	}
	return &r, nil
}

// FindAuditRecords returns records, newest first, and the total matching.
// Supervisors and admins see records about orgs in their subtrees; the
// system actor sees everything.
func (db *DB) FindAuditRecords(ctx context.Context, f gongkai.AuditFilter) ([]*gongkai.AuditRecord, int, error) {
	actor := gongkai.ActorFrom(ctx)
	if actor == nil || !actor.IsSupervisor() {
		return nil, 0, gongkai.Errorf(gongkai.EFORBIDDEN, "只有监督人员和管理员可以查看审计日志。")
	}
	var recs []*gongkai.AuditRecord
	var total int
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var where []string
		var args []any
		arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
		if f.Within != nil {
			org, err := tx.findOrgByID(ctx, *f.Within)
			if err != nil {
				return err
			}
			if !actor.CanSupervise(org) {
				return gongkai.Errorf(gongkai.EFORBIDDEN, "您无权查看“%s”的审计日志。", org.Name)
			}
			where = append(where, `org_path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
		} else if !actor.System {
			// Limit to the subtrees the actor supervises.
			var ors []string
			for _, g := range actor.Grants {
				if g.Role != gongkai.RoleSupervisor && g.Role != gongkai.RoleAdmin {
					continue
				}
				org, err := tx.findOrgByID(ctx, g.OrgID)
				if err != nil {
					return err
				}
				ors = append(ors, `org_path LIKE `+arg(likePrefix(pathString(org.Path)))+` ESCAPE '\'`)
			}
			where = append(where, "("+strings.Join(ors, " OR ")+")")
		}
		if f.ActorName != nil && *f.ActorName != "" {
			where = append(where, `actor_name = `+arg(*f.ActorName))
		}
		if f.Action != nil && *f.Action != "" {
			where = append(where, `action LIKE `+arg(likePrefix(*f.Action))+` ESCAPE '\'`)
		}
		if f.ObjectType != nil && *f.ObjectType != "" {
			where = append(where, `object_type = `+arg(*f.ObjectType))
		}
		if f.ObjectID != nil && *f.ObjectID != "" {
			where = append(where, `object_id = `+arg(*f.ObjectID))
		}
		if f.From != nil {
			where = append(where, `at >= `+arg(ts(*f.From)))
		}
		if f.To != nil {
			where = append(where, `at < `+arg(ts(*f.To)))
		}
		cond := ""
		if len(where) > 0 {
			cond = " WHERE " + strings.Join(where, " AND ")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+cond, args...).Scan(&total); err != nil {
			return err
		}
		limit := f.Limit
		if limit <= 0 || limit > 500 {
			limit = 50
		}
		q := `SELECT ` + auditColumns + ` FROM audit_log` + cond + ` ORDER BY seq DESC LIMIT ` + arg(limit) + ` OFFSET ` + arg(max(f.Offset, 0))
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			recs = append(recs, r)
		}
		return rows.Err()
	})
	return recs, total, err
}

// VerifyAudit walks the whole chain in order and reports the first record
// whose stored hash does not match its content or whose link to the
// previous record is broken (an edited, deleted or inserted row).
func (db *DB) VerifyAudit(ctx context.Context) (gongkai.AuditVerification, error) {
	var v gongkai.AuditVerification
	err := db.inReadTx(ctx, func(tx *Tx) error {
		var headSeq int64
		var headHash string
		if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rows.Close()
		prev, want := "", int64(1)
		for rows.Next() {
			r, err := scanAudit(rows)
			if err != nil {
				return err
			}
			v.Checked++
			switch {
			case r.Seq != want:
				v.BrokenSeq, v.Reason = want, fmt.Sprintf("第 %d 条记录缺失（下一条为第 %d 条）", want, r.Seq)
			case r.PrevHash != prev:
				v.BrokenSeq, v.Reason = r.Seq, fmt.Sprintf("第 %d 条记录与前一条的链接不符", r.Seq)
			case auditHash(r) != r.Hash:
				v.BrokenSeq, v.Reason = r.Seq, fmt.Sprintf("第 %d 条记录的内容与其哈希值不符，可能被修改", r.Seq)
			}
			if v.BrokenSeq != 0 {
				return nil
			}
			prev, want = r.Hash, r.Seq+1
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if want-1 != headSeq || prev != headHash {
			v.BrokenSeq, v.Reason = want, fmt.Sprintf("审计链末尾的记录被删除（应有 %d 条，实有 %d 条）", headSeq, want-1)
		}
		return nil
	})
	return v, err
}

// pathString encodes an org path as "/1/5/12/" so that a subtree is a
// prefix match.
func pathString(p []int64) string {
	var b strings.Builder
	b.WriteByte('/')
	for _, id := range p {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte('/')
	}
	return b.String()
}

func parsePath(s string) []int64 {
	var p []int64
	for _, part := range strings.Split(strings.Trim(s, "/"), "/") {
		if id, err := strconv.ParseInt(part, 10, 64); err == nil {
			p = append(p, id)
		}
	}
	return p
}
