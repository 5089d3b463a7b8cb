package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"gongkai"
)

// TestMigration0007KeepsNotices: on SQLite migration 0007 rebuilds the
// notices table (application_id becomes optional, document_id is added);
// the reminders of an existing install survive it, and a notice must still
// be about exactly one application or document.
func TestMigration0007KeepsNotices(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ensureMigrationsTable(ctx); err != nil {
		t.Fatal(err)
	}
	ms, err := Migrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Version < 7 {
			if err := db.applyMigration(ctx, m); err != nil {
				t.Fatalf("%s: %v", m.Name, err)
			}
		}
	}
	now := ts(time.Date(2026, 5, 6, 2, 0, 0, 0, time.UTC))
	for _, q := range []string{
		`INSERT INTO orgs (id, code, name, kind, level, region_code, path, created_at, updated_at) VALUES (1, 'city', '示例市人民政府', 'government', 'city', '369900', '/1/', '` + now + `', '` + now + `')`,
		`INSERT INTO users (id, username, display_name, password_hash, created_at, updated_at) VALUES (1, 'officer', '经办人', 'x', '` + now + `', '` + now + `')`,
		`INSERT INTO applications (id, tracking_no, access_hash, org_id, channel, applicant_kind, form, delivery, personal, name_index, applicant_key, submitted_at, state, created_by, created_at, updated_at)
			VALUES (1, 'YSQ1', 'h', 1, 'online', 'natural', 'paper', 'pickup', 'p', 'n', 'k', '` + now + `', 'open', 'officer', '` + now + `', '` + now + `')`,
		`INSERT INTO notices (id, user_id, application_id, kind, message, created_at, read_at) VALUES (7, 1, 1, 'overdue', '申请 YSQ1 已超过答复期限。', '` + now + `', '` + now + `')`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if done, err := db.Migrate(ctx); err != nil || len(done) == 0 || done[len(done)-1] < 7 {
		t.Fatalf("migrate = %v, %v", done, err)
	}
	ctx = gongkai.WithActor(ctx, &gongkai.Actor{UserID: 1, Username: "officer"})
	ns, unread, err := db.FindNotices(ctx, false, 10)
	if err != nil || unread != 0 || len(ns) != 1 {
		t.Fatalf("notices after migration = %+v, %d, %v", ns, unread, err)
	}
	if n := ns[0]; n.ID != 7 || n.ApplicationID != 1 || n.TrackingNo != "YSQ1" || n.DocumentID != 0 || n.Kind != "overdue" || n.ReadAt == nil {
		t.Errorf("notice = %+v", n)
	}
	// A notice is about an application, a document or neither (annual
	// report reminders), never both.
	if _, err := db.write.ExecContext(ctx, `INSERT INTO notices (user_id, application_id, document_id, kind, message, created_at) VALUES (1, 1, 1, 'x', 'about both', '`+now+`')`); err == nil || !strings.Contains(err.Error(), "CHECK") {
		t.Errorf("a notice about both an application and a document: %v, want a CHECK failure", err)
	}
	if _, err := db.write.ExecContext(ctx, `INSERT INTO notices (user_id, kind, message, created_at) VALUES (1, 'report_due', '年报提醒', '`+now+`')`); err != nil {
		t.Errorf("a notice about neither (an annual report reminder) was refused: %v", err)
	}
	// The AUTOINCREMENT sequence carried over: new notices do not reuse ids.
	var id int64
	if err := db.write.QueryRowContext(ctx, `INSERT INTO notices (user_id, application_id, kind, message, created_at) VALUES (1, 1, 'x', 'y', '`+now+`') RETURNING id`).Scan(&id); err != nil || id <= 7 {
		t.Errorf("next notice id = %d, %v", id, err)
	}
}
