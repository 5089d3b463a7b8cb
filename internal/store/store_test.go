package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := gongkai.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if field != "" {
		if e := gongkai.AsError(err); e == nil || e.Field != field {
			t.Fatalf("error field = %+v, want %q", e, field)
		}
	}
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		again, err := db.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second Migrate applied %v, %v; want nothing", again, err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v < 1 {
			t.Fatalf("SchemaVersion = %d, %v", v, err)
		}
		if _, err := db.WriteDB().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', 'x')`); err != nil {
			t.Fatal(err)
		}
		_, err = db.Migrate(ctx)
		wantCode(t, err, gongkai.ECONFLICT, "")
		if !strings.Contains(err.Error(), "9999") {
			t.Errorf("error %q does not name the newer version", err)
		}
	})
}

func TestMigrationNamesMatch(t *testing.T) {
	lite, err := store.Migrations(store.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := store.Migrations(store.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []store.Migration) (out []string) {
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if diff := cmp.Diff(names(lite), names(pg)); diff != "" {
		t.Errorf("SQLite and PostgreSQL migrations differ (-sqlite +postgres):\n%s", diff)
	}
}

func TestOrgs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := storetest.System()

		t.Run("TreeOrder", func(t *testing.T) {
			orgs, err := db.FindOrgs(ctx, gongkai.OrgFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, o := range orgs {
				codes = append(codes, o.Code)
			}
			want := []string{"city", "chengdong", "chengdong-mzj", "city-fgw"}
			if diff := cmp.Diff(want, codes); diff != "" {
				t.Errorf("tree order mismatch (-want +got):\n%s", diff)
			}
		})
		t.Run("Subtree", func(t *testing.T) {
			orgs, err := db.FindOrgs(ctx, gongkai.OrgFilter{Within: &f.County.ID})
			if err != nil || len(orgs) != 2 || orgs[0].Code != "chengdong" || orgs[1].Code != "chengdong-mzj" {
				t.Fatalf("subtree of county = %v, %v", orgs, err)
			}
			if got := orgs[1].ParentCode; got != "chengdong" {
				t.Errorf("ParentCode = %q", got)
			}
			if !orgs[1].Within(f.City.ID) || orgs[1].Within(f.Dept.ID) {
				t.Errorf("Within wrong for path %v", orgs[1].Path)
			}
		})
		t.Run("DepartmentInheritsLevel", func(t *testing.T) {
			if f.CountyDept.Level != gongkai.LevelCounty {
				t.Errorf("county department level = %q, want county", f.CountyDept.Level)
			}
		})
		t.Run("ErrDuplicateCode", func(t *testing.T) {
			o := storetest.FixtureOrgs()[1]
			o.CreditCode = ""
			o.OrgCode = "MB0000094"
			wantCode(t, db.CreateOrg(ctx, o), gongkai.EINVALID, "code")
		})
		t.Run("ErrDuplicateCreditCode", func(t *testing.T) {
			o := &gongkai.Org{Code: "other", Name: "其他局", Kind: gongkai.OrgDepartment, ParentCode: "city", CreditCode: f.Dept.CreditCode, RegionCode: "369900"}
			wantCode(t, db.CreateOrg(ctx, o), gongkai.EINVALID, "creditCode")
		})
		t.Run("ErrUnknownParent", func(t *testing.T) {
			o := &gongkai.Org{Code: "x-dept", Name: "某局", Kind: gongkai.OrgDepartment, ParentCode: "nowhere", OrgCode: "MB0000094", RegionCode: "369900"}
			wantCode(t, db.CreateOrg(ctx, o), gongkai.ENOTFOUND, "parent")
		})
		t.Run("ErrInvalidFields", func(t *testing.T) {
			o := &gongkai.Org{Code: "Bad Code", Kind: "ministry", ParentCode: "city"}
			err := db.CreateOrg(ctx, o)
			wantCode(t, err, gongkai.EINVALID, "code")
			var fields []string
			for _, p := range gongkai.AsError(err).Problems {
				fields = append(fields, p.Field)
			}
			if diff := cmp.Diff([]string{"code", "name", "kind", "level", "creditCode", "regionCode"}, fields); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrForbidden", func(t *testing.T) {
			o := &gongkai.Org{Code: "county-new", Name: "城东区新局", Kind: gongkai.OrgDepartment, ParentCode: "city", OrgCode: "MB0000094", RegionCode: "369900"}
			wantCode(t, db.CreateOrg(storetest.As(f.CountyAdmin), o), gongkai.EFORBIDDEN, "")
			o.ParentCode = "chengdong"
			if err := db.CreateOrg(storetest.As(f.CountyAdmin), o); err != nil {
				t.Fatalf("county admin creating in own subtree: %v", err)
			}
		})
		t.Run("Update", func(t *testing.T) {
			name := "示例市发展和改革委员会（示例市粮食和物资储备局）"
			o, err := db.UpdateOrg(storetest.As(f.CityAdmin), f.Dept.ID, gongkai.OrgUpdate{Name: &name})
			if err != nil || o.Name != name || o.Code != "city-fgw" {
				t.Fatalf("UpdateOrg = %+v, %v", o, err)
			}
			_, err = db.UpdateOrg(storetest.As(f.CountyAdmin), f.Dept.ID, gongkai.OrgUpdate{Name: &name})
			wantCode(t, err, gongkai.EFORBIDDEN, "")
		})
	})
}

func TestSites(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := storetest.As(f.CityAdmin)
		city := &gongkai.Site{OrgCode: "city", Code: "www", Name: "示例市人民政府门户网站", Hosts: []string{"www.shili.gov.cn", "LOCALHOST:8080"},
			Footer: gongkai.SiteFooter{SiteIDCode: "3699000001", Sponsor: "示例市人民政府办公室"}}
		if err := db.CreateSite(ctx, city); err != nil {
			t.Fatal(err)
		}
		if !city.IsDefault {
			t.Error("first site is not the default")
		}
		county := &gongkai.Site{OrgCode: "chengdong", Code: "chengdong", Name: "城东区人民政府网站", Hosts: []string{"cd.shili.gov.cn"}}
		if err := db.CreateSite(storetest.As(f.CountyAdmin), county); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ host, want string }{
			{"www.shili.gov.cn", "www"}, {"localhost:8080", "www"}, {"CD.shili.gov.cn.", "chengdong"}, {"unknown.example", "www"},
		} {
			s, err := db.FindSiteByHost(context.Background(), tc.host)
			if err != nil || s.Code != tc.want {
				t.Errorf("FindSiteByHost(%q) = %v, %v; want %s", tc.host, s, err, tc.want)
			}
		}
		dup := &gongkai.Site{OrgCode: "chengdong", Code: "cd2", Name: "重复", Hosts: []string{"cd.shili.gov.cn"}}
		wantCode(t, db.CreateSite(storetest.As(f.CountyAdmin), dup), gongkai.EINVALID, "hosts")
		bad := &gongkai.Site{OrgCode: "chengdong", Code: "cd3", Name: "坏", Footer: gongkai.SiteFooter{SiteIDCode: "12345"}}
		wantCode(t, db.CreateSite(storetest.As(f.CountyAdmin), bad), gongkai.EINVALID, "siteIdCode")
		wantCode(t, db.CreateSite(storetest.As(f.CountyAdmin), &gongkai.Site{OrgCode: "city", Code: "x", Name: "x"}), gongkai.EFORBIDDEN, "")

		yes := true
		hosts := []string{"cd.shili.gov.cn", "chengdong.localhost"}
		s, err := db.UpdateSite(storetest.As(f.CountyAdmin), county.ID, gongkai.SiteUpdate{IsDefault: &yes, Hosts: &hosts})
		if err != nil || !s.IsDefault {
			t.Fatalf("UpdateSite = %+v, %v", s, err)
		}
		all, _ := db.FindSites(context.Background())
		defaults := 0
		for _, s := range all {
			if s.IsDefault {
				defaults++
			}
		}
		if defaults != 1 || all[0].Code != "chengdong" {
			t.Errorf("after switching default: %d defaults, first %s", defaults, all[0].Code)
		}
	})
}

func TestUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		admin := storetest.As(f.CityAdmin)
		t.Run("Grants", func(t *testing.T) {
			u, err := db.FindUserByUsername(admin, "depteditor")
			if err != nil {
				t.Fatal(err)
			}
			want := []gongkai.Grant{{OrgID: f.Dept.ID, OrgCode: "city-fgw", OrgName: "示例市发展和改革委员会", Role: gongkai.RoleEditor}}
			if diff := cmp.Diff(want, u.Grants); diff != "" {
				t.Errorf("grants mismatch (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrDuplicateUsername", func(t *testing.T) {
			u := &gongkai.User{Username: "DeptEditor", Grants: []gongkai.Grant{{OrgCode: "city", Role: gongkai.RoleEditor}}}
			wantCode(t, db.CreateUser(admin, u, "long enough password"), gongkai.EINVALID, "username")
		})
		t.Run("ErrShortPassword", func(t *testing.T) {
			u := &gongkai.User{Username: "newbie", Grants: []gongkai.Grant{{OrgCode: "city", Role: gongkai.RoleEditor}}}
			wantCode(t, db.CreateUser(admin, u, "九个字符的密码啊啊"), gongkai.EINVALID, "password")
		})
		t.Run("ErrUnknownRole", func(t *testing.T) {
			u := &gongkai.User{Username: "newbie", Grants: []gongkai.Grant{{OrgCode: "city", Role: "boss"}}}
			wantCode(t, db.CreateUser(admin, u, "long enough password"), gongkai.EINVALID, "roles")
		})
		t.Run("ErrUnknownOrg", func(t *testing.T) {
			u := &gongkai.User{Username: "newbie", Grants: []gongkai.Grant{{OrgCode: "nowhere", Role: gongkai.RoleEditor}}}
			wantCode(t, db.CreateUser(admin, u, "long enough password"), gongkai.ENOTFOUND, "org")
		})
		t.Run("ErrForbiddenAcrossOrgs", func(t *testing.T) {
			u := &gongkai.User{Username: "newbie", Grants: []gongkai.Grant{{OrgCode: "city-fgw", Role: gongkai.RoleEditor}}}
			wantCode(t, db.CreateUser(storetest.As(f.CountyAdmin), u, "long enough password"), gongkai.EFORBIDDEN, "")
			_, err := db.SetGrants(storetest.As(f.CountyAdmin), f.DeptEditor.ID, []gongkai.Grant{{OrgCode: "chengdong", Role: gongkai.RoleAdmin}})
			wantCode(t, err, gongkai.EFORBIDDEN, "")
		})
		t.Run("Visibility", func(t *testing.T) {
			users, err := db.FindUsers(storetest.As(f.CountyAdmin), gongkai.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != 1 || users[0].Username != "countyadmin" {
				t.Errorf("county admin sees %v; want only themself", users)
			}
			users, _ = db.FindUsers(admin, gongkai.UserFilter{Within: &f.Dept.ID})
			if len(users) != 5 {
				t.Errorf("users within dept = %d, want 5", len(users))
			}
		})
		t.Run("SetGrantsKeepsOthers", func(t *testing.T) {
			u := &gongkai.User{Username: "twohats", Grants: []gongkai.Grant{{OrgCode: "city-fgw", Role: gongkai.RoleEditor}, {OrgCode: "chengdong", Role: gongkai.RoleOfficer}}}
			if err := db.CreateUser(admin, u, "long enough password"); err != nil {
				t.Fatal(err)
			}
			got, err := db.SetGrants(storetest.As(f.CountyAdmin), u.ID, []gongkai.Grant{{OrgCode: "chengdong-mzj", Role: gongkai.RoleReviewer1}})
			if err != nil {
				t.Fatal(err)
			}
			roles := map[string]gongkai.Role{}
			for _, g := range got.Grants {
				roles[g.OrgCode] = g.Role
			}
			want := map[string]gongkai.Role{"city-fgw": gongkai.RoleEditor, "chengdong-mzj": gongkai.RoleReviewer1}
			if diff := cmp.Diff(want, roles); diff != "" {
				t.Errorf("grants mismatch (-want +got):\n%s", diff)
			}
		})
	})
}

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }

		s, token, err := db.Login(ctx, "DeptEditor ", f.Password, "10.0.0.1", gongkai.SessionAPI)
		if err != nil || token == "" || s.Kind != gongkai.SessionAPI {
			t.Fatalf("Login = %+v, %q, %v", s, token, err)
		}
		if !s.ExpiresAt.Equal(now.Add(30 * time.Minute)) {
			t.Errorf("ExpiresAt = %v, want now+30m", s.ExpiresAt)
		}
		a, _, err := db.Authenticate(ctx, token)
		if err != nil || a.Username != "depteditor" || !a.HasRole(gongkai.RoleEditor, f.Dept.ID) {
			t.Fatalf("Authenticate = %+v, %v", a, err)
		}
		// Idle for 29 minutes, used, idle 29 more: still valid (sliding).
		now = now.Add(29 * time.Minute)
		if _, _, err := db.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		now = now.Add(29 * time.Minute)
		if _, _, err := db.Authenticate(ctx, token); err != nil {
			t.Fatalf("session expired despite activity: %v", err)
		}
		now = now.Add(31 * time.Minute)
		_, _, err = db.Authenticate(ctx, token)
		wantCode(t, err, gongkai.EUNAUTHORIZED, "")

		_, token2, err := db.Login(ctx, "depteditor", f.Password, "10.0.0.1", gongkai.SessionWeb)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Logout(ctx, token2); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.Authenticate(ctx, token2)
		wantCode(t, err, gongkai.EUNAUTHORIZED, "")
		if err := db.Logout(ctx, token2); err != nil {
			t.Errorf("second logout: %v", err)
		}
		if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want the one idle session", n, err)
		}
	})
}

func TestLoginRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }

		_, _, errWrongPw := db.Login(ctx, "depteditor", "wrong password!", "10.0.0.2", gongkai.SessionWeb)
		_, _, errNoUser := db.Login(ctx, "nobody", "wrong password!", "10.0.0.3", gongkai.SessionWeb)
		wantCode(t, errWrongPw, gongkai.EUNAUTHORIZED, "")
		if gongkai.ErrorMessage(errWrongPw) != gongkai.ErrorMessage(errNoUser) {
			t.Errorf("wrong password %q and unknown user %q differ", errWrongPw, errNoUser)
		}

		// Per account: 5 failures from different addresses lock the account.
		for i := range 4 {
			now = now.Add(time.Minute)
			db.Login(ctx, "deptofficer", "wrong password!", "10.1.0."+string(rune('1'+i)), gongkai.SessionWeb)
		}
		_, _, err := db.Login(ctx, "deptofficer", f.Password, "10.9.9.9", gongkai.SessionWeb)
		if err != nil {
			t.Fatalf("4 failures must not lock: %v", err)
		}
		// The success cleared the account's failures; fail 5 times now.
		first := now
		for range 5 {
			now = now.Add(time.Minute)
			db.Login(ctx, "deptofficer", "wrong password!", "10.2.0.1", gongkai.SessionWeb)
		}
		_, _, err = db.Login(ctx, "deptofficer", f.Password, "10.9.9.9", gongkai.SessionWeb)
		wantCode(t, err, gongkai.ETOOMANY, "")
		// Unlocks when the oldest of the last five leaves the 15-minute window.
		wantRetry := first.Add(time.Minute).Add(15 * time.Minute).Sub(now)
		if got := gongkai.AsError(err).RetryAfterSeconds; got != int(wantRetry.Seconds()) {
			t.Errorf("RetryAfterSeconds = %d, want %d", got, int(wantRetry.Seconds()))
		}
		// The address 10.2.0.1 is locked for every account too.
		_, _, err = db.Login(ctx, "cityadmin", f.Password, "10.2.0.1", gongkai.SessionWeb)
		wantCode(t, err, gongkai.ETOOMANY, "")
		now = now.Add(wantRetry)
		if _, _, err := db.Login(ctx, "deptofficer", f.Password, "10.9.9.9", gongkai.SessionWeb); err != nil {
			t.Errorf("after the window: %v", err)
		}

		// A disabled account cannot log in, with the same message.
		if _, err := db.SetDisabled(storetest.As(f.CityAdmin), f.DeptReviewer1.ID, true); err != nil {
			t.Fatal(err)
		}
		_, _, err = db.Login(ctx, "deptrev1", f.Password, "10.3.0.1", gongkai.SessionWeb)
		wantCode(t, err, gongkai.EUNAUTHORIZED, "")
	})
}

func TestAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := context.Background()
		v, err := db.VerifyAudit(ctx)
		if err != nil || v.BrokenSeq != 0 || v.Checked < 12 {
			t.Fatalf("VerifyAudit = %+v, %v", v, err)
		}
		// Supervisors see records of their subtree only.
		recs, total, err := db.FindAuditRecords(storetest.As(f.CitySupervisor), gongkai.AuditFilter{Within: &f.County.ID})
		if err != nil || total == 0 {
			t.Fatalf("FindAuditRecords = %d, %v", total, err)
		}
		for _, r := range recs {
			if r.ObjectID != "chengdong" && r.ObjectID != "chengdong-mzj" && r.ObjectID != "countyadmin" {
				t.Errorf("record %d about %s outside the county subtree", r.Seq, r.ObjectID)
			}
		}
		_, _, err = db.FindAuditRecords(storetest.As(f.DeptEditor), gongkai.AuditFilter{})
		wantCode(t, err, gongkai.EFORBIDDEN, "")
		action := "org.create"
		recs, _, err = db.FindAuditRecords(storetest.As(f.CitySupervisor), gongkai.AuditFilter{Action: &action, Limit: 100})
		if err != nil || len(recs) != 4 {
			t.Fatalf("org.create records = %d, %v; want 4", len(recs), err)
		}
		if recs[0].Seq <= recs[1].Seq || recs[0].ActorName != "test" || len(recs[0].After) == 0 {
			t.Errorf("record = %+v", recs[0])
		}

		// Edit one row behind the application's back: verify names it.
		target := recs[2].Seq
		if _, err := db.WriteDB().ExecContext(ctx, `UPDATE audit_log SET actor_name = 'mallory' WHERE seq = $1`, target); err != nil {
			t.Fatal(err)
		}
		v, err = db.VerifyAudit(ctx)
		if err != nil || v.BrokenSeq != target {
			t.Fatalf("after edit VerifyAudit = %+v, %v; want broken at %d", v, err, target)
		}
	})
}

func TestAuditDeletedTail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		storetest.Fixture(t, db)
		ctx := context.Background()
		if _, err := db.WriteDB().ExecContext(ctx, `DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)`); err != nil {
			t.Fatal(err)
		}
		v, err := db.VerifyAudit(ctx)
		if err != nil || v.BrokenSeq == 0 {
			t.Fatalf("deleted last record not detected: %+v, %v", v, err)
		}
	})
}

func TestAuditConcurrentAppends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := storetest.Fixture(t, db)
		ctx := storetest.As(f.CityAdmin)
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				name := "示例市发展和改革委员会" + strings.Repeat("·", i%3)
				_, err := db.UpdateOrg(ctx, f.Dept.ID, gongkai.OrgUpdate{Name: &name})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		v, err := db.VerifyAudit(context.Background())
		if err != nil || v.BrokenSeq != 0 {
			t.Fatalf("chain broken under concurrency: %+v, %v", v, err)
		}
	})
}

func TestBackupRestore(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	f := storetest.Fixture(t, db)
	out := filepath.Join(t.TempDir(), "backup", "gongkai.db")
	if err := db.Backup(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	wantCode(t, db.Backup(context.Background(), out), gongkai.ECONFLICT, "")

	// Restore = put the file in place as gongkai.db of a data directory.
	restored, err := store.Open(context.Background(), store.Config{DataDir: filepath.Dir(out)})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := restored.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	o, err := restored.FindOrgByCode(context.Background(), "city-fgw")
	if err != nil || o.Name != f.Dept.Name {
		t.Fatalf("restored org = %+v, %v", o, err)
	}
	if v, err := restored.VerifyAudit(context.Background()); err != nil || v.BrokenSeq != 0 {
		t.Fatalf("restored audit chain: %+v, %v", v, err)
	}
}

func TestBackupPostgresRefused(t *testing.T) {
	db := storetest.Open(t, store.Postgres)
	wantCode(t, db.Backup(context.Background(), filepath.Join(t.TempDir(), "x.db")), gongkai.EINVALID, "")
}
