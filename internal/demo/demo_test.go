package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gongkai"
	"gongkai/internal/demo"
	"gongkai/internal/store"
	"gongkai/internal/storetest"
)

func TestSeed(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	var out bytes.Buffer
	res, err := demo.Seed(context.Background(), db, &out)
	if err != nil {
		t.Fatal(err)
	}
	ctx := storetest.System()
	orgs, _ := db.FindOrgs(ctx, gongkai.OrgFilter{})
	var govs, cityDepts int
	for _, o := range orgs {
		if o.Kind == gongkai.OrgGovernment && o.ParentCode == "shili" {
			govs++
		}
		if o.Kind == gongkai.OrgDepartment && o.ParentCode == "shili" {
			cityDepts++
		}
	}
	if govs != 3 || cityDepts != 8 {
		t.Errorf("demo has %d districts/counties and %d city departments, want 3 and 8", govs, cityDepts)
	}
	// Every printed password logs in.
	for _, a := range res.Accounts {
		if !strings.Contains(out.String(), a.Password) {
			t.Errorf("password of %s not printed", a.Username)
		}
		if _, _, err := db.Login(context.Background(), a.Username, a.Password, "127.0.0.1", gongkai.SessionWeb); err != nil {
			t.Errorf("login %s: %v", a.Username, err)
		}
	}
	site, err := db.FindSiteByHost(context.Background(), "chengdong.localhost:8080")
	if err != nil || site.Code != "chengdong" {
		t.Errorf("chengdong.localhost:8080 → %v, %v", site, err)
	}
	// A second run adds nothing.
	out.Reset()
	res, err = demo.Seed(context.Background(), db, &out)
	if err != nil || res.Seeded {
		t.Fatalf("second seed = %+v, %v", res, err)
	}
	if after, _ := db.FindOrgs(ctx, gongkai.OrgFilter{}); len(after) != len(orgs) {
		t.Errorf("second seed changed the org count: %d → %d", len(orgs), len(after))
	}
}
