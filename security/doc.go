// Package security is Rapport's access model, as data: what a user may do
// with objects and fields (profiles and permission sets) and which records
// they may see and change (org-wide defaults, the role hierarchy, groups,
// sharing rules and manual shares).
//
// Permissions are grants kept in the standard objects PermissionSet (each
// profile owns one; system permissions are its checkbox fields),
// ObjectPermissions, FieldPermissions and PermissionSetAssignment. A user's
// access is the union of the grants of their profile's permission set and
// of the sets assigned to them. A field is readable when some set grants it;
// required and system fields are always readable.
//
// Record access is kept in two tables of the org's namespace, maintained in
// the same transaction as the change that affects them:
//
//	_group_member(group_id, user_id)   flattened membership: user_id belongs to group_id
//	_share(record_id, group_id, access, cause)   record shared with a group
//
// Groups are public groups (nested groups flattened), role groups ("role
// and superiors", "role, subordinates and superiors") and every user, as
// the group of that user and the users above them in the role hierarchy.
// So "the owner or a manager of the owner" is owner_id IN (the user's
// groups), and a share to a group reaches its members and their managers.
// A row filter is therefore one indexed subquery; Data, Policy and the
// predicate functions here hold no I/O: the record layer loads and stores.
package security
