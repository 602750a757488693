package metadata

// listViewObject holds the saved list views of the web app: which records
// of an object a view shows (Filters, JSON), in which columns and order.
// Salesforce keeps list views as metadata; Rapport keeps them as records so
// that each user's views are theirs, shared views are everyone's, and both
// come and go without a deployment.
func listViewObject() *Object {
	o := &Object{
		Name: "ListView", Label: "List View", PluralLabel: "List Views", KeyPrefix: "00B", NameField: "Name",
		Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		text("Name", "View Name", 40, required, isName),
		text("SobjectType", "Object", 40, required, createOnly),
		longTextArea("Columns", "Columns", 4000),
		longTextArea("Filters", "Filters", 32000),
		text("SortField", "Sort Field", 80),
		checkbox("SortDescending", "Sort Descending"),
		checkbox("IsShared", "Visible to All Users"),
	)
	return o
}

// recentViewObject remembers which records each user opened last, for
// "Recently Viewed" lists and the home page. One record per user and
// record (ViewKey is both IDs), stamped at each view.
func recentViewObject() *Object {
	o := &Object{
		Name: "RecentView", Label: "Recent View", PluralLabel: "Recent Views", KeyPrefix: "0RV", NameField: "Name",
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		text("Name", "Name", 255, isName),
		text("RecordId", "Record ID", 18, required),
		text("SobjectType", "Object", 80, required),
		text("ViewKey", "View Key", 36, required, unique, externalID),
		dateTime("LastViewedDate", "Last Viewed Date", required),
	)
	return o
}
