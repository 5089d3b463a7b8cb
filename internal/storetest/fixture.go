package storetest

import (
	"testing"

	"gongkai"
	"gongkai/internal/ident"
	"gongkai/internal/store"
)

// Fix is a small org tree with staff, for tests:
//
//	city (示例市人民政府, government)
//	├── dept (示例市发展和改革委员会, department)
//	└── county (城东区人民政府, government)
//	    └── countyDept (城东区民政局, department)
type Fix struct {
	City, Dept, County, CountyDept *gongkai.Org
	// CityAdmin administers the city's subtree; CitySupervisor supervises
	// it; DeptEditor, DeptReviewer1..3 and DeptOfficer work in dept;
	// CountyAdmin administers the county only.
	CityAdmin, CitySupervisor, DeptEditor, DeptReviewer1, DeptReviewer2, DeptReviewer3, DeptOfficer, CountyAdmin *gongkai.User
	// Password is every fixture user's password.
	Password string
}

// FixtureOrgs are the orgs of the fixture with valid identifiers (credit
// codes carry correct GB 32100 check characters).
func FixtureOrgs() []*gongkai.Org {
	return []*gongkai.Org{
		{Code: "city", Name: "示例市人民政府", ShortName: "示例市", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCity, CreditCode: creditCode("369900", "MB000001"), RegionCode: "369900"},
		{Code: "city-fgw", Name: "示例市发展和改革委员会", ShortName: "市发展改革委", Kind: gongkai.OrgDepartment, ParentCode: "city", CreditCode: creditCode("369900", "MB000002"), RegionCode: "369900"},
		{Code: "chengdong", Name: "示例市城东区人民政府", ShortName: "城东区", Kind: gongkai.OrgGovernment, Level: gongkai.LevelCounty, ParentCode: "city", CreditCode: creditCode("369902", "MB000003"), RegionCode: "369902"},
		{Code: "chengdong-mzj", Name: "示例市城东区民政局", ShortName: "城东区民政局", Kind: gongkai.OrgDepartment, ParentCode: "chengdong", CreditCode: creditCode("369902", "MB000004"), RegionCode: "369902"},
	}
}

// creditCode makes a fictional but valid 统一社会信用代码 for a 机关 ("11").
func creditCode(region, orgBody string) string {
	c, err := ident.ComposeCreditCode("11", region, orgBody)
	if err != nil {
		panic(err)
	}
	return c
}

// Fixture creates the fixture tree and staff in db.
func Fixture(t testing.TB, db *store.DB) *Fix {
	t.Helper()
	ctx := System()
	orgs := FixtureOrgs()
	for _, o := range orgs {
		if err := db.CreateOrg(ctx, o); err != nil {
			t.Fatalf("create org %s: %v", o.Code, err)
		}
	}
	f := &Fix{City: orgs[0], Dept: orgs[1], County: orgs[2], CountyDept: orgs[3], Password: "correct horse battery"}
	user := func(name string, org *gongkai.Org, roles ...gongkai.Role) *gongkai.User {
		u := &gongkai.User{Username: name, DisplayName: name}
		for _, r := range roles {
			u.Grants = append(u.Grants, gongkai.Grant{OrgCode: org.Code, Role: r})
		}
		if err := db.CreateUser(ctx, u, f.Password); err != nil {
			t.Fatalf("create user %s: %v", name, err)
		}
		return u
	}
	f.CityAdmin = user("cityadmin", f.City, gongkai.RoleAdmin)
	f.CitySupervisor = user("citysuper", f.City, gongkai.RoleSupervisor)
	f.DeptEditor = user("depteditor", f.Dept, gongkai.RoleEditor)
	f.DeptReviewer1 = user("deptrev1", f.Dept, gongkai.RoleReviewer1)
	f.DeptReviewer2 = user("deptrev2", f.Dept, gongkai.RoleReviewer2)
	f.DeptReviewer3 = user("deptrev3", f.Dept, gongkai.RoleReviewer3)
	f.DeptOfficer = user("deptofficer", f.Dept, gongkai.RoleOfficer)
	f.CountyAdmin = user("countyadmin", f.County, gongkai.RoleAdmin)
	return f
}

// Publish creates a document in org as the fixture's department editor,
// submits it and approves it at the three review levels, so it is
// published (or scheduled, when the update says so).
func Publish(t testing.TB, db *store.DB, f *Fix, org string, u gongkai.DocumentUpdate) *gongkai.Document {
	t.Helper()
	doc, err := db.CreateDocument(As(f.DeptEditor), org, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SubmitDocument(As(f.DeptEditor), doc.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*gongkai.User{f.DeptReviewer1, f.DeptReviewer2, f.DeptReviewer3} {
		if doc, err = db.ReviewDocument(As(r), doc.ID, gongkai.Approve, ""); err != nil {
			t.Fatal(err)
		}
	}
	return doc
}
