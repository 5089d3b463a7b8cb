package web

import (
	"testing"

	"github.com/jba/templatecheck"
)

// pageTypes pairs every page template with the struct it is rendered with.
// A new template without an entry fails the test, so every page is
// type-checked.
var pageTypes = map[string]any{
	"portal/home":       PortalHomePage{},
	"portal/error":      ErrorPage{},
	"admin/error":       AdminErrorPage{},
	"admin/login":       LoginPage{},
	"admin/home":        HomePage{},
	"admin/password":    PasswordPage{},
	"admin/audit":       AuditPage{},
	"admin/calendar":    CalendarPage{},
	"admin/orgs":        OrgsPage{},
	"admin/org_form":    OrgFormPage{},
	"admin/users":       UsersPage{},
	"admin/user_form":   UserFormPage{},
	"admin/sites":       SitesPage{},
	"admin/site_form":   SiteFormPage{},
	"admin/check":       CheckPage{},
	"admin/check_lists": CheckListsPage{},
}

func TestTemplatesTypeCheck(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := parseTemplates(a)
	if err != nil {
		t.Fatal(err)
	}
	for name, tmpl := range tm.pages {
		typ, ok := pageTypes[name]
		if !ok {
			t.Errorf("template %s has no page type in pageTypes", name)
			continue
		}
		if err := templatecheck.CheckHTML(tmpl, typ); err != nil {
			t.Errorf("template %s: %v", name, err)
		}
	}
	for name := range pageTypes {
		if tm.pages[name] == nil {
			t.Errorf("pageTypes names %s, which is not a template", name)
		}
	}
}
