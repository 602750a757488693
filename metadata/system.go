package metadata

// Physical names of the system columns every object table has.
const (
	ColID               = "id"
	ColOwnerID          = "owner_id"
	ColCreatedDate      = "created_date"
	ColCreatedByID      = "created_by_id"
	ColLastModifiedDate = "last_modified_date"
	ColLastModifiedByID = "last_modified_by_id"
	ColSystemModstamp   = "system_modstamp"
	ColIsDeleted        = "is_deleted"
)

// System field API names.
const (
	FieldID               = "Id"
	FieldOwnerID          = "OwnerId"
	FieldCreatedDate      = "CreatedDate"
	FieldCreatedByID      = "CreatedById"
	FieldLastModifiedDate = "LastModifiedDate"
	FieldLastModifiedByID = "LastModifiedById"
	FieldSystemModstamp   = "SystemModstamp"
	FieldIsDeleted        = "IsDeleted"
)

// SystemFields returns fresh definitions of the fields Rapport maintains on
// every object. Objects that are owned (all but detail objects of a
// master-detail relationship and a few standard ones) also get OwnerId, a
// polymorphic lookup to User or Group.
func SystemFields(owned bool) []*Field {
	fs := []*Field{
		{Name: FieldID, Label: "Record ID", Type: TypeID, Column: ColID, System: true, ReadOnly: true},
	}
	if owned {
		fs = append(fs, &Field{
			Name: FieldOwnerID, Label: "Owner ID", Type: TypeLookup, Column: ColOwnerID,
			ReferenceTo: []string{"User", "Group"}, RelationshipName: "Owner",
			DeleteConstraint: Restrict, Required: true,
		})
	}
	fs = append(fs,
		&Field{Name: FieldCreatedDate, Label: "Created Date", Type: TypeDateTime, Column: ColCreatedDate, System: true, ReadOnly: true},
		&Field{Name: FieldCreatedByID, Label: "Created By ID", Type: TypeLookup, Column: ColCreatedByID,
			ReferenceTo: []string{"User"}, RelationshipName: "CreatedBy", System: true, ReadOnly: true, DeleteConstraint: Restrict},
		&Field{Name: FieldLastModifiedDate, Label: "Last Modified Date", Type: TypeDateTime, Column: ColLastModifiedDate, System: true, ReadOnly: true},
		&Field{Name: FieldLastModifiedByID, Label: "Last Modified By ID", Type: TypeLookup, Column: ColLastModifiedByID,
			ReferenceTo: []string{"User"}, RelationshipName: "LastModifiedBy", System: true, ReadOnly: true, DeleteConstraint: Restrict},
		&Field{Name: FieldSystemModstamp, Label: "System Modstamp", Type: TypeDateTime, Column: ColSystemModstamp, System: true, ReadOnly: true},
		&Field{Name: FieldIsDeleted, Label: "Deleted", Type: TypeCheckbox, Column: ColIsDeleted, System: true, ReadOnly: true},
	)
	return fs
}

// IsSystemColumn reports whether col is one of the fixed system columns.
func IsSystemColumn(col string) bool {
	switch col {
	case ColID, ColOwnerID, ColCreatedDate, ColCreatedByID, ColLastModifiedDate,
		ColLastModifiedByID, ColSystemModstamp, ColIsDeleted:
		return true
	}
	return false
}
