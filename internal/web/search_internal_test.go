package web

// The 一网通查 pages, registered for the template type-check.
func init() {
	pageTypes["portal/search"] = SearchPage{}
	pageTypes["admin/search"] = SearchAdminPage{}
}
