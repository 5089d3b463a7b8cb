package web

func init() {
	for name, typ := range map[string]any{
		"portal/column":           ColumnPage{},
		"portal/group":            GroupPage{},
		"portal/guide":            GuidePage{},
		"portal/apply":            ApplyInfoPage{},
		"portal/document":         DocumentPage{},
		"admin/documents":         DocumentsPage{},
		"admin/document":          DocumentViewPage{},
		"admin/document_form":     DocumentFormPage{},
		"admin/timeliness":        TimelinessPage{},
		"admin/columns":           ColumnsPage{},
		"admin/guide":             GuideFormPage{},
		"admin/document_settings": DocumentSettingsPage{},
	} {
		pageTypes[name] = typ
	}
}
