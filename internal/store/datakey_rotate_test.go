package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"gongkai"
	"gongkai/internal/seal"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

// TestRotateDataKey: after a rotation every applicant's data, attachment
// and keyed hash is under the new key, the key file holds it and the old
// key is kept for old backups; a process still on the old key is refused;
// a rotation that committed but crashed before moving the key file is
// finished at the next start.
func TestRotateDataKey(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, d)
			open := func() *store.DB {
				t.Helper()
				db, err := store.Open(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				if err := db.CheckDataKey(ctx); err != nil {
					t.Fatal(err)
				}
				db.Validators = storetest.Validators
				return db
			}
			db := open()
			f := storetest.Fixture(t, db)
			at(db, "2024-06-03")
			s := submission("city-fgw", zhang)
			s.Files = []gongkai.Upload{{Name: "张小明身份证.pdf", MIME: "application/pdf", Label: "PDF 文档", Data: []byte("%PDF-1.4 张小明")}}
			app, _, err := db.SubmitApplication(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			keyFile := filepath.Join(cfg.DataDir, store.DataKeyFile)
			oldKey, err := os.ReadFile(keyFile)
			if err != nil {
				t.Fatal(err)
			}
			_, _, oldFP := db.DataKeyInfo()

			// Refusals change nothing.
			if _, err := db.RotateDataKey(ctx, []byte("short"), ""); gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Errorf("short key: %v", err)
			}
			same, _ := seal.ParseKey(string(oldKey))
			if _, err := db.RotateDataKey(ctx, same, ""); gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Errorf("same key: %v", err)
			}
			if _, err := db.RotateDataKey(ctx, seal.NewKey(), filepath.Join(t.TempDir(), "k")); gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Errorf("a file for a key kept in the key file: %v", err)
			}

			newKey := seal.NewKey()
			r, err := db.RotateDataKey(ctx, newKey, "")
			if err != nil {
				t.Fatal(err)
			}
			if r.Applications != 1 || r.Files != 1 || r.OldFingerprint != oldFP || r.KeyFile != keyFile {
				t.Errorf("rotation = %+v", r)
			}
			if b, _ := os.ReadFile(keyFile); !bytes.Equal(bytes.TrimSpace(b), []byte(seal.FormatKey(newKey))) {
				t.Error("the key file does not hold the new key")
			}
			if b, _ := os.ReadFile(r.OldKeyFile); !bytes.Equal(b, oldKey) {
				t.Errorf("the old key is not kept in %s", r.OldKeyFile)
			}
			// This handle still has the old key: it may not encrypt.
			if _, _, err := db.SubmitApplication(ctx, submission("city-fgw", zhang)); gongkai.ErrorCode(err) != gongkai.ECONFLICT {
				t.Errorf("submission with the old key: %v", err)
			}

			db2 := open()
			at(db2, "2024-06-03")
			officer2 := storetest.As(f.DeptOfficer)
			p, err := db2.FindApplicationPersonal(officer2, app.ID)
			if err != nil || p.Applicant.IDNumber != zhang.IDNumber {
				t.Fatalf("personal data after rotation: %v", err)
			}
			file, err := db2.ApplicationFile(officer2, app.ID, app.Files[0].ID)
			if err != nil || file.Name != "张小明身份证.pdf" || !bytes.Contains(file.Data, []byte("张小明")) {
				t.Fatalf("file after rotation = %+v, %v", file, err)
			}
			for _, q := range []string{zhang.IDNumber, zhang.Name, zhang.Phone} {
				list, _, err := db2.FindApplications(officer2, gongkai.ApplicationFilter{Applicant: ptr(q)})
				if err != nil || len(list) != 1 {
					t.Errorf("search by %q after rotation: %d, %v", q, len(list), err)
				}
			}

			// A crash after the commit: the database names the new key, the
			// key file still holds the old one and the new one waits.
			newer := seal.NewKey()
			if _, err := db2.RotateDataKey(ctx, newer, ""); err != nil {
				t.Fatal(err)
			}
			cur, _ := os.ReadFile(keyFile)
			if err := os.WriteFile(keyFile+".new", cur, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(keyFile, []byte(seal.FormatKey(newKey)+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			db3 := open()
			if b, _ := os.ReadFile(keyFile); !bytes.Equal(bytes.TrimSpace(b), []byte(seal.FormatKey(newer))) {
				t.Error("the interrupted rotation was not finished at start")
			}
			if _, err := db3.FindApplicationPersonal(storetest.As(f.DeptOfficer), app.ID); err != nil {
				t.Errorf("personal data after a resumed rotation: %v", err)
			}
		})
	}
}

// TestRotateDataKeyFromEnvironment: a key configured in the environment is
// rotated into a new file the operator names (never over an existing one),
// and a rotation that fails half-way leaves every record under the old key.
func TestRotateDataKeyFromEnvironment(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.Config(t, d)
			cfg.DataKey = seal.NewKey()
			db, err := store.Open(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := db.CheckDataKey(ctx); err != nil {
				t.Fatal(err)
			}
			db.Validators = storetest.Validators
			f := storetest.Fixture(t, db)
			at(db, "2024-06-03")
			var apps []*gongkai.Application
			for range 2 {
				app, _, err := db.SubmitApplication(ctx, submission("city-fgw", zhang))
				if err != nil {
					t.Fatal(err)
				}
				apps = append(apps, app)
			}
			if _, err := db.RotateDataKey(ctx, seal.NewKey(), ""); gongkai.ErrorCode(err) != gongkai.EINVALID {
				t.Errorf("no file for the new key: %v", err)
			}
			existing := filepath.Join(t.TempDir(), "taken.key")
			os.WriteFile(existing, []byte("x"), 0o600)
			if _, err := db.RotateDataKey(ctx, seal.NewKey(), existing); gongkai.ErrorCode(err) != gongkai.ECONFLICT {
				t.Errorf("over an existing file: %v", err)
			}

			// The second application's data is damaged: the rotation fails
			// and the first is still readable with the old key.
			if _, err := db.WriteDB().ExecContext(ctx, `UPDATE applications SET personal = 'gk1:broken' WHERE id = $1`, apps[1].ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.RotateDataKey(ctx, seal.NewKey(), filepath.Join(t.TempDir(), "new.key")); err == nil {
				t.Fatal("rotation over damaged data succeeded")
			}
			if _, err := db.FindApplicationPersonal(storetest.As(f.DeptOfficer), apps[0].ID); err != nil {
				t.Errorf("after a failed rotation: %v", err)
			}
			if _, _, err := db.SubmitApplication(ctx, submission("city-fgw", zhang)); err != nil {
				t.Errorf("the old key is refused after a failed rotation: %v", err)
			}

			if _, err := db.WriteDB().ExecContext(ctx, `DELETE FROM applications WHERE id = $1`, apps[1].ID); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "new.key")
			r, err := db.RotateDataKey(ctx, seal.NewKey(), out)
			if err != nil {
				t.Fatal(err)
			}
			if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 || r.KeyFile != out || r.OldKeyFile != "" {
				t.Errorf("new key file %s: %v %v, rotation %+v", out, st, err, r)
			}
		})
	}
}
