package web

func init() {
	pageTypes["portal/ysqgk_form"] = ApplyPage{}
	pageTypes["portal/ysqgk_done"] = ApplyDonePage{}
	pageTypes["portal/ysqgk_track"] = TrackPage{}
	pageTypes["admin/applications"] = ApplicationsPage{}
	pageTypes["admin/application_new"] = ApplicationNewPage{}
	pageTypes["admin/application_created"] = ApplicationCreatedPage{}
	pageTypes["admin/application"] = ApplicationPage{}
	pageTypes["admin/letter"] = LetterPage{}
	pageTypes["admin/letter_templates"] = LetterTemplatesPage{}
	pageTypes["admin/letter_template"] = LetterTemplatePage{}
	pageTypes["admin/notices"] = NoticesPage{}
}
