package security

import (
	"strconv"
	"strings"

	"github.com/rapportcrm/rapport/metadata"
)

// SQL is how a predicate names tables and binds values in the statement it
// joins.
type SQL interface {
	// Arg binds a value and returns its marker.
	Arg(v any) string
	// Table qualifies a table of the org's namespace (an object's table or
	// _share, _group_member).
	Table(name string) string
	// InSet writes "expr is one of the rows of subquery" in the form the
	// engine drives an index scan from (IN, or PostgreSQL's = ANY(ARRAY(…))).
	InSet(expr, subquery string) string
}

// maxParentDepth bounds the chain of controlled-by-parent objects.
const maxParentDepth = 4

// masterFields names the lookups a standard controlled-by-parent object
// takes its access from. An email follows its case, the record it is
// related to or its task, whichever it has: access to any one of them is
// access to the email.
var masterFields = map[string][]string{
	"Contact":                {"AccountId"},
	"OpportunityContactRole": {"OpportunityId"},
	"CampaignMember":         {"CampaignId"},
	"EmailMessage":           {"ParentId", "RelatedToId", "ActivityId"},
	"EmailMessageRelation":   {"EmailMessageId"},
}

// MasterField returns the lookup a controlled-by-parent object takes its
// access from: its master-detail field, or the first standard one.
func MasterField(obj *metadata.Object) *metadata.Field {
	if fs := MasterFields(obj); len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// MasterFields returns every lookup a controlled-by-parent object takes its
// access from: its master-detail field, or the standard ones.
func MasterFields(obj *metadata.Object) []*metadata.Field {
	for _, f := range obj.LiveFields() {
		if f.Type == metadata.TypeMasterDetail {
			return []*metadata.Field{f}
		}
	}
	var out []*metadata.Field
	for _, name := range masterFields[obj.Name] {
		if f := obj.Field(name); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// implicitChildren are the children whose visibility makes their parent
// account readable, as Salesforce's implicit sharing does.
var implicitChildren = map[string][]string{"Account": {"Opportunity", "Case"}}

func col(alias, column string) string { return alias + `."` + column + `"` }

// RowFilter returns a SQL condition on the table aliased alias that keeps
// the rows of obj the user may access at level, or "" when every row is
// allowed. An inactive user gets a condition that is never true.
func RowFilter(sch *metadata.Schema, p *Policy, obj *metadata.Object, alias string, level Level, w SQL) string {
	return rowFilter(sch, p, obj, alias, level, w, 0)
}

func rowFilter(sch *metadata.Schema, p *Policy, obj *metadata.Object, alias string, level Level, w SQL, depth int) string {
	if !p.Active {
		return "1 = 0"
	}
	op := p.Object(obj.Name)
	switch level {
	case Read:
		if op.ViewAll || op.ModifyAll {
			return ""
		}
	default:
		if op.ModifyAll {
			return ""
		}
	}
	model := obj.Sharing()
	owner := obj.Field(metadata.FieldOwnerID)
	if model == metadata.SharingControlledByParent {
		if masters := MasterFields(obj); len(masters) > 0 && depth < maxParentDepth {
			return parentFilter(sch, p, obj, masters, owner, alias, level, w, depth)
		}
		model = metadata.SharingPrivate
	}
	switch {
	case model == metadata.SharingReadWrite && level <= Edit:
		return ""
	case model == metadata.SharingRead && level == Read:
		return ""
	}
	return ownedOrShared(sch, p, obj, owner, alias, level, w, depth)
}

// groupsOf is the subquery of the user's groups, parenthesised.
func groupsOf(p *Policy, alias string, w SQL) string { return "(" + groupsQuery(p, alias, w) + ")" }

func groupsQuery(p *Policy, alias string, w SQL) string {
	gm := "gm_" + alias
	return "SELECT " + gm + ".group_id FROM " + w.Table("_group_member") + " " + gm + " WHERE " + gm + ".user_id = " + w.Arg(string(p.User))
}

// ownedOrShared keeps the records the user (or someone below them) owns,
// the records shared with their groups, and those sharing rules open to
// them.
func ownedOrShared(sch *metadata.Schema, p *Policy, obj *metadata.Object, owner *metadata.Field, alias string, level Level, w SQL, depth int) string {
	var conds []string
	sh := "sh_" + alias
	if p.Narrow() {
		// Few visible owners: index-driven sets let the engine look the
		// user's records and shares up (SQLite's multi-index OR,
		// PostgreSQL's bitmap OR of array lookups) instead of testing each
		// row of the table.
		if owner != nil {
			conds = append(conds, w.InSet(col(alias, owner.Column), groupsQuery(p, alias, w)))
		}
		conds = append(conds, w.InSet(col(alias, metadata.ColID), "SELECT "+sh+".record_id FROM "+w.Table("_share")+" "+sh+
			" WHERE "+sh+".access >= "+strconv.Itoa(int(level))+" AND "+sh+".group_id IN "+groupsOf(p, alias, w)))
	} else {
		if owner != nil {
			conds = append(conds, col(alias, owner.Column)+" IN "+groupsOf(p, alias, w))
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM "+w.Table("_share")+" "+sh+" WHERE "+sh+".record_id = "+col(alias, metadata.ColID)+
			" AND "+sh+".access >= "+strconv.Itoa(int(level))+" AND "+sh+".group_id IN "+groupsOf(p, alias, w)+")")
	}
	for _, r := range obj.SharingRules {
		lvl, ok := ParseLevel(r.Access)
		if !ok || lvl < level || !p.InGroup(r.To) {
			continue
		}
		if c := ruleCond(obj, owner, r, alias, w); c != "" {
			conds = append(conds, c)
		}
	}
	if level == Read {
		for _, childName := range implicitChildren[obj.Name] {
			child := sch.Object(childName)
			if child == nil || !p.Object(child.Name).Read {
				continue
			}
			fk := child.Field("AccountId")
			if fk == nil {
				continue
			}
			ca := alias + "i" + strconv.Itoa(len(conds))
			inner := rowFilter(sch, p, child, ca, Read, w, depth+1)
			cond := "EXISTS (SELECT 1 FROM " + w.Table(child.Table) + " " + ca + " WHERE " + col(ca, fk.Column) + " = " + col(alias, metadata.ColID) +
				" AND NOT " + col(ca, metadata.ColIsDeleted)
			if inner != "" {
				cond += " AND (" + inner + ")"
			}
			conds = append(conds, cond+")")
		}
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// parentFilter keeps the records whose master the user may access; a
// record without a master falls back to its owner.
func parentFilter(sch *metadata.Schema, p *Policy, obj *metadata.Object, masters []*metadata.Field, owner *metadata.Field, alias string, level Level, w SQL, depth int) string {
	parentLevel := level
	if level == All {
		parentLevel = Edit
	}
	var parts, unset []string
	for _, master := range masters {
		fk := col(alias, master.Column)
		unset = append(unset, fk+" IS NULL")
		for _, name := range master.ReferenceTo {
			parent := sch.Object(name)
			if parent == nil {
				continue
			}
			pa := alias + "p"
			inner := rowFilter(sch, p, parent, pa, parentLevel, w, depth+1)
			if !p.Object(parent.Name).Read {
				continue
			}
			cond := "EXISTS (SELECT 1 FROM " + w.Table(parent.Table) + " " + pa + " WHERE " + col(pa, metadata.ColID) + " = " + fk
			if inner != "" {
				cond += " AND (" + inner + ")"
			}
			parts = append(parts, cond+")")
		}
	}
	if owner != nil {
		parts = append(parts, "("+strings.Join(unset, " AND ")+" AND "+ownedOrShared(sch, p, obj, owner, alias, level, w, depth)+")")
	}
	if len(parts) == 0 {
		return "1 = 0"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// ruleCond is the condition of one sharing rule.
func ruleCond(obj *metadata.Object, owner *metadata.Field, r metadata.SharingRule, alias string, w SQL) string {
	if r.From != "" {
		if owner == nil {
			return ""
		}
		return col(alias, owner.Column) + " IN (SELECT gr_" + alias + ".user_id FROM " + w.Table("_group_member") + " gr_" + alias + " WHERE gr_" + alias + ".group_id = " + w.Arg(SourceGroup(r.From)) + ")"
	}
	f := obj.Field(r.Field)
	if f == nil || !f.Stored() {
		return ""
	}
	c := col(alias, f.Column)
	var v any = r.Value
	switch f.Storage() {
	case metadata.StoreDecimal:
		n, err := strconv.ParseFloat(r.Value, 64)
		if err != nil {
			return ""
		}
		v = n
	case metadata.StoreBool:
		v = strings.EqualFold(r.Value, "true")
	case metadata.StoreText:
		c = "lower(" + c + ")"
		v = strings.ToLower(r.Value)
	}
	switch r.Op {
	case "equals", "":
		return c + " = " + w.Arg(v)
	case "notEqual":
		return "(" + col(alias, f.Column) + " IS NULL OR " + c + " <> " + w.Arg(v) + ")"
	case "lessThan":
		return c + " < " + w.Arg(v)
	case "greaterThan":
		return c + " > " + w.Arg(v)
	case "lessOrEqual":
		return c + " <= " + w.Arg(v)
	case "greaterOrEqual":
		return c + " >= " + w.Arg(v)
	case "contains":
		return c + ` LIKE ` + w.Arg("%"+escapeLike(strings.ToLower(r.Value))+"%") + ` ESCAPE '\'`
	case "startsWith":
		return c + ` LIKE ` + w.Arg(escapeLike(strings.ToLower(r.Value))+"%") + ` ESCAPE '\'`
	}
	return ""
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
