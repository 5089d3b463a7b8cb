package gongkai

import (
	"context"
	"encoding/json"
	"time"
)

// AuditRecord says who changed what, when, and how. Records are written in
// the same transaction as the change and chained: each stores the hash of
// the previous one, so an edited or deleted record breaks the chain.
type AuditRecord struct {
	Seq        int64           `json:"seq"`
	At         time.Time       `json:"at"`
	ActorID    int64           `json:"actorId,omitempty"`
	ActorName  string          `json:"actorName"`
	OrgID      int64           `json:"orgId,omitempty"`
	Action     string          `json:"action"` // e.g. "org.create", "user.password"
	ObjectType string          `json:"objectType"`
	ObjectID   string          `json:"objectId"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	PrevHash   string          `json:"prevHash"`
	Hash       string          `json:"hash"`
}

// AuditFilter selects audit records. Nil fields do not filter.
type AuditFilter struct {
	Within     *int64 // records about orgs in this subtree
	ActorName  *string
	Action     *string
	ObjectType *string
	ObjectID   *string
	From, To   *time.Time
	Offset     int
	Limit      int
}

// AuditVerification is the result of checking the whole chain.
type AuditVerification struct {
	Checked int64
	// BrokenSeq is the first record whose hash or link does not match, 0
	// when the chain is intact.
	BrokenSeq int64
	Reason    string
}

// AuditService reads the audit trail. Writing happens inside each store
// transaction, never through this interface.
type AuditService interface {
	FindAuditRecords(ctx context.Context, filter AuditFilter) ([]*AuditRecord, int, error)
	VerifyAudit(ctx context.Context) (AuditVerification, error)
}
