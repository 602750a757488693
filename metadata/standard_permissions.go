package metadata

// The objects permissions are kept in, as in Salesforce: a PermissionSet
// (each profile owns one) grants system permissions through its checkbox
// fields, object permissions through ObjectPermissions rows and field-level
// security through FieldPermissions rows; PermissionSetAssignment gives a
// permission set to a user; GroupMember puts users and groups in groups.

// SystemPermissions lists the system permission fields of PermissionSet, in
// the order set-up pages show them.
var SystemPermissions = []struct{ Field, Label string }{
	{"PermissionsModifyAllData", "Modify All Data"},
	{"PermissionsViewAllData", "View All Data"},
	{"PermissionsCustomizeApplication", "Customize Application"},
	{"PermissionsManageUsers", "Manage Users"},
	{"PermissionsManageSharing", "Manage Sharing"},
	{"PermissionsViewSetup", "View Setup and Configuration"},
	{"PermissionsApiEnabled", "API Enabled"},
	{"PermissionsTransferAnyEntity", "Transfer Record"},
	{"PermissionsRunReports", "Run Reports"},
	{"PermissionsExportReport", "Export Reports"},
	{"PermissionsSendMassEmail", "Mass Email"},
	{"PermissionsEditReadonlyFields", "Edit Read Only Fields"},
	{"PermissionsBulkApiHardDelete", "Bulk API Hard Delete"},
}

func permissionSetObject() *Object {
	o := &Object{
		Name: "PermissionSet", Label: "Permission Set", PluralLabel: "Permission Sets", KeyPrefix: "0PS",
		NameField: "Label", Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		text("Name", "Name", 80, required, unique),
		text("Label", "Label", 80, required, isName),
		textArea("Description", "Description", 255),
		checkbox("IsOwnedByProfile", "Is Owned by Profile", readOnly),
		lookup("ProfileId", "Profile ID", "Profile", to("Profile"), readOnly, onDelete(Cascade), children("PermissionSets")),
	)
	for _, p := range SystemPermissions {
		o.Fields = append(o.Fields, checkbox(p.Field, p.Label))
	}
	return o
}

func objectPermissionsObject() *Object {
	o := &Object{
		Name: "ObjectPermissions", Label: "Object Permissions", PluralLabel: "Object Permissions", KeyPrefix: "110",
		Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("ParentId", "Parent ID", "Parent", to("PermissionSet"), required, createOnly, onDelete(Cascade), children("ObjectPerms")),
		text("SobjectType", "Sobject Type Name", 80, required, createOnly),
		checkbox("PermissionsRead", "Read"),
		checkbox("PermissionsCreate", "Create"),
		checkbox("PermissionsEdit", "Edit"),
		checkbox("PermissionsDelete", "Delete"),
		checkbox("PermissionsViewAllRecords", "View All"),
		checkbox("PermissionsModifyAllRecords", "Modify All"),
	)
	return o
}

func fieldPermissionsObject() *Object {
	o := &Object{
		Name: "FieldPermissions", Label: "Field Permissions", PluralLabel: "Field Permissions", KeyPrefix: "01k",
		Createable: true, Updateable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("ParentId", "Parent ID", "Parent", to("PermissionSet"), required, createOnly, onDelete(Cascade), children("FieldPerms")),
		text("SobjectType", "Sobject Type Name", 80, required, createOnly),
		text("Field", "Field Name", 120, required, createOnly),
		checkbox("PermissionsRead", "Read Access"),
		checkbox("PermissionsEdit", "Edit Access"),
	)
	return o
}

func permissionSetAssignmentObject() *Object {
	o := &Object{
		Name: "PermissionSetAssignment", Label: "Permission Set Assignment", PluralLabel: "Permission Set Assignments", KeyPrefix: "0Pa",
		Createable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("AssigneeId", "Assignee ID", "Assignee", to("User"), required, createOnly, onDelete(Cascade), children("PermissionSetAssignments")),
		lookup("PermissionSetId", "Permission Set ID", "PermissionSet", to("PermissionSet"), required, createOnly, onDelete(Cascade), children("Assignments")),
	)
	return o
}

func groupMemberObject() *Object {
	o := &Object{
		Name: "GroupMember", Label: "Group Member", PluralLabel: "Group Members", KeyPrefix: "011",
		Createable: true, Deletable: true,
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		lookup("GroupId", "Group ID", "Group", to("Group"), required, createOnly, onDelete(Cascade), children("GroupMembers")),
		lookup("UserOrGroupId", "User/Group ID", "UserOrGroup", to("User", "Group"), required, createOnly, onDelete(Cascade), children("GroupMemberships")),
	)
	return o
}

// setupAuditTrailObject is the log of set-up changes: metadata, users,
// roles, groups and permissions. Rapport writes it; nobody edits it.
func setupAuditTrailObject() *Object {
	o := &Object{
		Name: "SetupAuditTrail", Label: "Setup Audit Trail", PluralLabel: "Setup Audit Trail", KeyPrefix: "0Ym",
	}
	o.Fields = SystemFields(false)
	o.Fields = append(o.Fields,
		text("Action", "Action", 255, readOnly),
		text("Section", "Section", 255, readOnly),
		textArea("Display", "Display", 1000, readOnly),
		text("DelegateUser", "Delegate User", 80, readOnly),
		text("ResponsibleNamespacePrefix", "Namespace Prefix", 15, readOnly),
	)
	return o
}
