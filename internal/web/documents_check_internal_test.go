package web

func init() {
	pageTypes["admin/findings"] = OpenFindingsPage{}
}
