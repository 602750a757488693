package tenant

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
	"github.com/rapportcrm/rapport/security"
)

// A standardProfile is a profile every org starts with, and what its own
// permission set grants.
type standardProfile struct {
	name, description string
	system            []string
	// objects maps an object to its permissions: r read, c create, e edit,
	// d delete.
	objects map[string]string
}

var businessObjects = []string{"Account", "Contact", "Lead", "Opportunity", "OpportunityContactRole", "Case", "Campaign",
	"CampaignMember", "Contract", "Task", "Event", "EmailMessage", "EmailMessageRelation", "Note"}

var setupObjects = []string{"Organization", "User", "Profile", "UserRole", "Group", "GroupMember", "PermissionSet",
	"ObjectPermissions", "FieldPermissions", "PermissionSetAssignment"}

func grants(perms string, objects ...string) map[string]string {
	out := map[string]string{}
	for _, o := range objects {
		out[o] = perms
	}
	return out
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

var standardUserObjects = merge(grants("r", setupObjects...), grants("r", "Campaign", "CampaignMember"),
	grants("rce", "Contract"),
	grants("rced", "Account", "Contact", "Lead", "Opportunity", "OpportunityContactRole", "Case", "Task", "Event", "EmailMessage", "EmailMessageRelation", "Note"))

// standardProfiles are the profiles of a new org, administrator first.
var standardProfiles = []standardProfile{
	{
		name: "System Administrator", description: "Full access to the org, its data and its set-up.",
		system: []string{security.ModifyAllData, security.ViewAllData, security.CustomizeApplication, security.ManageUsers,
			security.ManageSharing, security.ViewSetup, security.APIEnabled, security.TransferAnyEntity,
			"PermissionsRunReports", "PermissionsExportReport", "PermissionsSendMassEmail", "PermissionsEditReadonlyFields",
			security.BulkAPIHardDelete},
	},
	{
		name: "Standard User", description: "Creates and edits most records; no set-up.",
		system:  []string{security.APIEnabled, "PermissionsRunReports", "PermissionsExportReport"},
		objects: standardUserObjects,
	},
	{
		name: "Read Only", description: "Reads records; changes nothing.",
		system:  []string{security.APIEnabled, "PermissionsRunReports"},
		objects: merge(grants("r", setupObjects...), grants("r", businessObjects...)),
	},
	{
		name: "Marketing User", description: "Standard User, plus campaigns and mass email.",
		system:  []string{security.APIEnabled, "PermissionsRunReports", "PermissionsExportReport", "PermissionsSendMassEmail"},
		objects: merge(standardUserObjects, grants("rced", "Campaign", "CampaignMember")),
	},
}

// createProfiles creates the standard profiles with their permission sets
// and grants, and returns the profiles' IDs in the order of
// standardProfiles. ctx carries the system principal.
func (s *Service) createProfiles(ctx context.Context) ([]rapport.ID, error) {
	profiles := make([]map[string]any, len(standardProfiles))
	for i, sp := range standardProfiles {
		profiles[i] = map[string]any{"Name": sp.name, "Description": sp.description}
	}
	rs, err := must(s.records.Create(ctx, "Profile", profiles, record.WriteOptions{AllOrNone: true}))
	if err != nil {
		return nil, fmt.Errorf("create profiles: %w", err)
	}
	ids := make([]rapport.ID, len(rs))
	sets := make([]map[string]any, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
		sp := standardProfiles[i]
		set := map[string]any{"Name": strings.ReplaceAll(sp.name, " ", "_") + "_Profile", "Label": sp.name,
			"Description": "The permissions of the " + sp.name + " profile.", "IsOwnedByProfile": true, "ProfileId": string(r.ID)}
		for _, perm := range sp.system {
			set[perm] = true
		}
		sets[i] = set
	}
	setIDs, err := must(s.records.Create(ctx, "PermissionSet", sets, record.WriteOptions{AllOrNone: true}))
	if err != nil {
		return nil, fmt.Errorf("create profile permission sets: %w", err)
	}
	for i, sp := range standardProfiles {
		if err := s.grantStandard(ctx, setIDs[i].ID, sp); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

func must(rs []record.Result, err error) ([]record.Result, error) {
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.Err != nil {
			return nil, r.Err
		}
	}
	return rs, nil
}

// grantStandard creates the object and field grants of a standard profile
// in its own permission set.
func (s *Service) grantStandard(ctx context.Context, set rapport.ID, sp standardProfile) error {
	sch, err := s.records.Schema(ctx, rapport.CurrentPrincipal(ctx).OrgID)
	if err != nil {
		return err
	}
	var objPerms, fieldPerms []map[string]any
	for name, perms := range sp.objects {
		obj := sch.Object(name)
		if obj == nil {
			continue
		}
		objPerms = append(objPerms, map[string]any{"ParentId": string(set), "SobjectType": obj.Name,
			"PermissionsRead": strings.Contains(perms, "r"), "PermissionsCreate": strings.Contains(perms, "c"),
			"PermissionsEdit": strings.Contains(perms, "e"), "PermissionsDelete": strings.Contains(perms, "d")})
		fieldPerms = append(fieldPerms, record.FieldGrants(set, obj, obj.LiveFields(), strings.Contains(perms, "e"))...)
	}
	if len(objPerms) > 0 {
		if _, err := must(s.records.Create(ctx, "ObjectPermissions", objPerms, record.WriteOptions{AllOrNone: true})); err != nil {
			return fmt.Errorf("create object permissions: %w", err)
		}
	}
	for lo := 0; lo < len(fieldPerms); lo += record.MaxBatch {
		hi := min(lo+record.MaxBatch, len(fieldPerms))
		if _, err := must(s.records.Create(ctx, "FieldPermissions", fieldPerms[lo:hi], record.WriteOptions{AllOrNone: true})); err != nil {
			return fmt.Errorf("create field permissions: %w", err)
		}
	}
	return nil
}

// upgradeOrg brings an org made by an older build up to this one: the
// standard objects and fields it lacks, and, for each standard profile
// without its own permission set, the set with the standard grants.
func (s *Service) upgradeOrg(ctx context.Context, org rapport.ID) error {
	ctx = rapport.WithPrincipal(ctx, rapport.Principal{OrgID: org, System: true})
	added, err := s.records.SyncStandard(ctx, metadata.StandardObjects())
	if err != nil {
		return err
	}
	if len(added) > 0 {
		s.log.InfoContext(ctx, "standard metadata installed", "org_id", org, "count", len(added))
	}
	owned := map[rapport.ID]bool{}
	byName := map[string]rapport.ID{}
	err = s.records.Scan(ctx, "PermissionSet", []string{"ProfileId", "IsOwnedByProfile"}, func(v map[string]any) error {
		if id, ok := v["ProfileId"].(rapport.ID); ok && v["IsOwnedByProfile"] == true {
			owned[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = s.records.Scan(ctx, "Profile", []string{"Id", "Name"}, func(v map[string]any) error {
		if name, ok := v["Name"].(string); ok {
			byName[name] = v["Id"].(rapport.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, sp := range standardProfiles {
		prof, ok := byName[sp.name]
		if !ok || owned[prof] {
			continue
		}
		set := map[string]any{"Name": strings.ReplaceAll(sp.name, " ", "_") + "_Profile", "Label": sp.name,
			"Description": "The permissions of the " + sp.name + " profile.", "IsOwnedByProfile": true, "ProfileId": string(prof)}
		for _, perm := range sp.system {
			set[perm] = true
		}
		rs, err := must(s.records.Create(ctx, "PermissionSet", []map[string]any{set}, record.WriteOptions{AllOrNone: true}))
		if err != nil {
			return fmt.Errorf("permission set of %s: %w", sp.name, err)
		}
		if err := s.grantStandard(ctx, rs[0].ID, sp); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "profile permissions installed", "org_id", org, "profile", sp.name)
	}
	return nil
}
