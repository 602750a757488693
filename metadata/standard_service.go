package metadata

// The service objects: Case.

func caseObject() *Object {
	o := &Object{
		Name: "Case", Label: "Case", PluralLabel: "Cases", KeyPrefix: "500",
		NameField: "CaseNumber", Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	o.Fields = SystemFields(true)
	o.Fields = append(o.Fields,
		masterRecord("Case"),
		autoNumber("CaseNumber", "Case Number", "{00000000}", isName),
		// Salesforce refuses to delete a contact or an account that has
		// cases.
		lookup("ContactId", "Contact ID", "Contact", to("Contact"), children("Cases"), onDelete(Restrict)),
		lookup("AccountId", "Account ID", "Account", to("Account"), children("Cases"), onDelete(Restrict)),
		lookup("ParentId", "Parent Case ID", "Parent", to("Case"), children("Cases")),
		text("SuppliedName", "Name", 80),
		email("SuppliedEmail", "Email Address", 80),
		text("SuppliedPhone", "Phone", 40),
		text("SuppliedCompany", "Company", 80),
		picklist("Type", "Case Type", values("", "Mechanical", "Electrical", "Electronic", "Structural", "Other")),
		picklist("Status", "Status", []PicklistValue{
			{Value: "New", Default: true},
			{Value: "Working"},
			{Value: "Escalated"},
			{Value: "Closed", Closed: true},
		}, required, restricted),
		picklist("Reason", "Case Reason", values("",
			"Installation", "Equipment Complexity", "Performance", "Breakdown",
			"Equipment Design", "Feedback", "Other",
		)),
		picklist("Origin", "Case Origin", values("", "Phone", "Email", "Web")),
		text("Subject", "Subject", 255),
		picklist("Priority", "Priority", values("Medium", "High", "Medium", "Low")),
		longTextArea("Description", "Description", 32000),
		checkbox("IsClosed", "Closed", readOnly),
		dateTime("ClosedDate", "Closed Date", readOnly),
		checkbox("IsEscalated", "Escalated"),
		checkbox("HasCommentsUnreadByOwner", "Has Comments Unread By Owner", readOnly),
		checkbox("HasSelfServiceComments", "Has Self-Service Comments", readOnly),
		phone("ContactPhone", "Contact Phone", readOnly),
		phone("ContactMobile", "Contact Mobile", readOnly),
		email("ContactEmail", "Contact Email", 80, readOnly),
		phone("ContactFax", "Contact Fax", readOnly),
		textArea("Comments", "Internal Comments", 4000),
	)
	o.Fields = append(o.Fields, recordViews()...)
	o.Fields = append(o.Fields,
		checkbox("IsClosedOnCreate", "Closed When Created", readOnly),
	)
	return o
}
