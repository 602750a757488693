package record

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/security"
)

// Counters that allocate physical names and key prefixes. They only grow, so
// a name or prefix is never reused, even after a purge.
const (
	counterTable  = "name:table"
	counterColumn = "name:column"
	counterPrefix = "keyprefix:custom"
)

// InstallObjects creates objects whose definitions are complete but for
// physical names (the standard objects, an app's objects) in one
// transaction. Objects are created in the order given; key prefixes are kept.
func (s *Service) InstallObjects(ctx context.Context, objs []*metadata.Object) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		for _, o := range objs {
			o = o.Clone()
			if err := assignNames(ctx, tx, o); err != nil {
				return err
			}
			if err := tx.CreateObject(ctx, o); err != nil {
				return fmt.Errorf("install %s: %w", o.Name, err)
			}
		}
		_, err := tx.BumpSchema(ctx)
		return err
	})
	s.Forget(p.OrgID)
	return err
}

// assignNames gives an object and its fields physical names where they have
// none.
func assignNames(ctx context.Context, tx Tx, o *metadata.Object) error {
	if o.Table == "" {
		n, err := tx.Next(ctx, counterTable, 1, 1)
		if err != nil {
			return err
		}
		o.Table = fmt.Sprintf("t%d", n)
	}
	for _, f := range o.Fields {
		if err := assignColumn(ctx, tx, f); err != nil {
			return err
		}
	}
	return nil
}

func assignColumn(ctx context.Context, tx Tx, f *metadata.Field) error {
	if f.Column != "" || f.Storage() == metadata.StoreNone {
		return nil
	}
	n, err := tx.Next(ctx, counterColumn, 1, 1)
	if err != nil {
		return err
	}
	f.Column = fmt.Sprintf("c%d", n)
	return nil
}

// changeSchema runs fn in a write transaction, bumps the schema version and
// reloads the org's metadata.
func (s *Service) changeSchema(ctx context.Context, fn func(tx Tx, p rapport.Principal, sch *metadata.Schema) error) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if err := s.canCustomize(ctx); err != nil {
		return err
	}
	sch, err := s.Schema(ctx, p.OrgID)
	if err != nil {
		return err
	}
	err = s.store.Write(ctx, p.OrgID, func(tx Tx) error {
		if err := fn(tx, p, sch); err != nil {
			return err
		}
		if line, ok := ctx.Value(auditKey{}).(string); ok && !p.System {
			if err := s.audit(ctx, tx, sch, "Customize", "schemaChange", line); err != nil {
				return err
			}
		}
		_, err := tx.BumpSchema(ctx)
		return err
	})
	s.Forget(p.OrgID)
	return err
}

// auditKey carries a schema change's audit-trail line to changeSchema.
type auditKey struct{}

// withAudit describes a schema change for the audit trail.
func withAudit(ctx context.Context, format string, args ...any) context.Context {
	return context.WithValue(ctx, auditKey{}, fmt.Sprintf(format, args...))
}

func liveObject(sch *metadata.Schema, name string) (*metadata.Object, error) {
	o := sch.Object(name)
	if o == nil {
		return nil, unknownObject(name)
	}
	return o.Clone(), nil
}

// CreateObject creates a custom object from def: its API name must end in
// __c. The object gets the system fields, a name field (def may supply one,
// Text or AutoNumber, marked NameField) and def's other fields. It returns
// the object as created.
func (s *Service) CreateObject(ctx context.Context, def *metadata.Object) (*metadata.Object, error) {
	if err := metadata.CheckCustomName("object", def.Name); err != nil {
		return nil, err
	}
	if err := s.canCustomize(ctx); err != nil {
		return nil, err
	}
	o := &metadata.Object{
		Name: def.Name, Label: strings.TrimSpace(def.Label), PluralLabel: strings.TrimSpace(def.PluralLabel),
		Description: def.Description, Custom: true, TrackHistory: def.TrackHistory,
		Createable: true, Updateable: true, Deletable: true, Searchable: true,
	}
	if o.Label == "" {
		o.Label = strings.ReplaceAll(strings.TrimSuffix(def.Name, "__c"), "_", " ")
	}
	if o.PluralLabel == "" {
		o.PluralLabel = o.Label + "s"
	}
	if utf8.RuneCountInString(o.Label) > 40 || utf8.RuneCountInString(o.PluralLabel) > 40 {
		return nil, rapport.FieldErrorf(rapport.InvalidArgument, []string{"Label"}, "object labels are limited to 40 characters")
	}
	var nameDef *metadata.Field
	var others []*metadata.Field
	for _, f := range def.Fields {
		if f.NameField {
			nameDef = f
		} else {
			others = append(others, f)
		}
	}
	owned := true
	for _, f := range others {
		if f.Type == metadata.TypeMasterDetail {
			owned = false
		}
	}
	o.Fields = metadata.SystemFields(owned)
	name := &metadata.Field{Name: "Name", Label: o.Label + " Name", Type: metadata.TypeText, Length: 80, NameField: true, Required: true}
	if nameDef != nil {
		name.Label = firstNonEmpty(nameDef.Label, name.Label)
		switch nameDef.Type {
		case metadata.TypeText, "":
			if nameDef.Length > 0 {
				name.Length = nameDef.Length
			}
		case metadata.TypeAutoNumber:
			name.Type = metadata.TypeAutoNumber
			name.Length = 0
			name.Required = false
			name.DisplayFormat = nameDef.DisplayFormat
			name.StartingNumber = nameDef.StartingNumber
		default:
			return nil, rapport.FieldErrorf(rapport.InvalidArgument, []string{"Name"}, "a name field is Text or AutoNumber, not %s", nameDef.Type)
		}
		name.TrackHistory = nameDef.TrackHistory
	}
	if err := checkNameField(name); err != nil {
		return nil, err
	}
	o.Fields = append(o.Fields, name)
	o.NameField = "Name"
	var created *metadata.Object
	ctx = withAudit(ctx, "Created custom object %s with %d fields", o.Name, len(others))
	err := s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		if sch.AnyObject(o.Name) != nil {
			return rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{o.Name}, "an object named %s already exists", o.Name)
		}
		for _, def := range others {
			f, err := checkNewField(sch, o, def, 0)
			if err != nil {
				return err
			}
			o.Fields = append(o.Fields, f)
		}
		n, err := tx.Next(ctx, counterPrefix, 0, 1)
		if err != nil {
			return err
		}
		o.KeyPrefix, err = customPrefix(n)
		if err != nil {
			return err
		}
		if err := assignNames(ctx, tx, o); err != nil {
			return err
		}
		if err := tx.CreateObject(ctx, o); err != nil {
			return err
		}
		created = o
		return s.grantNew(ctx, tx, sch, o, o.LiveFields(), true)
	})
	s.forgetSecurity(rapport.CurrentPrincipal(ctx).OrgID)
	return created, err
}

func checkNameField(f *metadata.Field) error {
	if f.Type == metadata.TypeText && (f.Length < 1 || f.Length > 255) {
		return rapport.FieldErrorf(rapport.InvalidArgument, []string{"Name"}, "the name field's length must be 1 to 255")
	}
	if f.Type == metadata.TypeAutoNumber && !strings.Contains(f.DisplayFormat, "{0") {
		return rapport.FieldErrorf(rapport.InvalidArgument, []string{"Name"}, "an auto-number display format needs a number such as {0000}")
	}
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// customPrefix turns the n-th custom object into its key prefix: a00, a01,
// …, azz, b00, …, as Salesforce allocates them.
func customPrefix(n int64) (string, error) {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	const perLetter = 62 * 62
	letter := n / perLetter
	if letter >= 26 {
		return "", rapport.Errorf(rapport.InvalidArgument, "this org has used all custom object key prefixes")
	}
	rest := n % perLetter
	return string([]byte{byte('a' + letter), digits[rest/62], digits[rest%62]}), nil
}

// checkNewField validates a new field definition for object o and returns
// the field to create, with defaults filled in. records is how many records o
// has (master-detail needs none).
func checkNewField(sch *metadata.Schema, o *metadata.Object, def *metadata.Field, records int64) (*metadata.Field, error) {
	f := def.Clone()
	f.Column = ""
	f.System, f.ReadOnly, f.Deleted, f.NameField = false, false, false, false
	f.Custom = true
	if err := metadata.CheckCustomName("field", f.Name); err != nil {
		return nil, err
	}
	if o.AnyField(f.Name) != nil {
		return nil, rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{f.Name}, "a field named %s already exists on %s", f.Name, o.Name)
	}
	if f.Label = strings.TrimSpace(f.Label); f.Label == "" {
		f.Label = strings.ReplaceAll(strings.TrimSuffix(f.Name, "__c"), "_", " ")
	}
	if err := checkFieldShape(sch, o, f, true); err != nil {
		return nil, err
	}
	if f.Type == metadata.TypeMasterDetail && records > 0 {
		return nil, rapport.FieldErrorf(rapport.InvalidArgument, []string{f.Name}, "a master-detail field can only be added to an object without records; add a lookup, fill it in on every record, then change it to master-detail")
	}
	return f, nil
}

// checkFieldShape checks the type-specific attributes of a field definition
// and fills in defaults.
func checkFieldShape(sch *metadata.Schema, o *metadata.Object, f *metadata.Field, isNew bool) error {
	bad := func(format string, args ...any) error {
		return rapport.FieldErrorf(rapport.InvalidArgument, []string{f.Name}, "%s: %s", f.Name, fmt.Sprintf(format, args...))
	}
	known := false
	for _, t := range metadata.FieldTypes {
		known = known || t == f.Type
	}
	if f.Type == metadata.TypeFormula {
		return bad("formula fields are not available yet: they come with the formula language")
	}
	if !known {
		return bad("unknown field type %q", f.Type)
	}
	if f.Type == metadata.TypeSummary {
		f.Picklist, f.ReferenceTo, f.RelationshipName, f.ChildRelationshipName, f.DeleteConstraint = nil, nil, "", "", ""
		if err := checkSummary(sch, o, f); err != nil {
			return err
		}
		if utf8.RuneCountInString(f.Label) > 40 {
			return bad("a label is at most 40 characters")
		}
		return nil
	}
	f.Summary, f.ReturnType = nil, ""
	switch f.Type {
	case metadata.TypeText:
		if f.Length == 0 {
			f.Length = 255
		}
		if f.Length < 1 || f.Length > 255 {
			return bad("a text field's length must be 1 to 255")
		}
	case metadata.TypeTextArea:
		f.Length = 255
	case metadata.TypeLongTextArea, metadata.TypeHTML:
		if f.Length == 0 {
			f.Length = 32768
		}
		if f.Length < 256 || f.Length > 131072 {
			return bad("a long text area's length must be 256 to 131,072")
		}
	case metadata.TypeEmail, metadata.TypePhone, metadata.TypeURL, metadata.TypeMultiPicklist, metadata.TypePicklist:
		f.Length = 0
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		if f.Precision == 0 {
			f.Precision = 18
			if f.Type == metadata.TypeCurrency {
				f.Scale = 2
			}
		}
		if f.Precision < 1 || f.Precision > 18 || f.Scale < 0 || f.Scale > f.Precision {
			return bad("precision must be 1 to 18 and scale 0 to the precision")
		}
	case metadata.TypeAutoNumber:
		if !strings.Contains(f.DisplayFormat, "{0") {
			return bad("an auto-number display format needs a number such as {0000}")
		}
		f.Required = false
	}
	if f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist {
		if f.Picklist == nil || len(f.Picklist.Values) == 0 {
			return bad("a picklist needs at least one value")
		}
		seen := map[string]bool{}
		defaults := 0
		for _, v := range f.Picklist.Values {
			key := strings.ToLower(strings.TrimSpace(v.Value))
			if key == "" || utf8.RuneCountInString(v.Value) > 255 || strings.Contains(v.Value, ";") {
				return bad("picklist values must be 1 to 255 characters without ';': %q", v.Value)
			}
			if seen[key] {
				return bad("duplicate picklist value %q", v.Value)
			}
			seen[key] = true
			if v.Default {
				defaults++
			}
		}
		if defaults > 1 && f.Type == metadata.TypePicklist {
			return bad("a picklist has at most one default value")
		}
	} else {
		f.Picklist = nil
	}
	if f.Type.IsReference() {
		if len(f.ReferenceTo) != 1 {
			return bad("a lookup points at exactly one object")
		}
		target := sch.Object(f.ReferenceTo[0])
		if target == nil && strings.EqualFold(f.ReferenceTo[0], o.Name) {
			target = o // a self-lookup on a new object
		}
		if target == nil {
			return bad("the lookup target %s does not exist", f.ReferenceTo[0])
		}
		f.ReferenceTo = []string{target.Name}
		base := strings.TrimSuffix(f.Name, "__c")
		if f.RelationshipName == "" {
			f.RelationshipName = base
		}
		f.RelationshipName = metadata.RelationshipSuffix(strings.TrimSuffix(f.RelationshipName, "__r"))
		if !metadata.ValidAPIName(strings.TrimSuffix(f.RelationshipName, "__r")) {
			return bad("relationship name %q is not valid", f.RelationshipName)
		}
		if isNew && o.FieldByRelationship(f.RelationshipName) != nil {
			return bad("relationship name %s is already used on %s", f.RelationshipName, o.Name)
		}
		if f.ChildRelationshipName == "" {
			f.ChildRelationshipName = strings.TrimSuffix(o.Name, "__c") + "s"
		}
		f.ChildRelationshipName = metadata.RelationshipSuffix(strings.TrimSuffix(f.ChildRelationshipName, "__r"))
		if !metadata.ValidAPIName(strings.TrimSuffix(f.ChildRelationshipName, "__r")) {
			return bad("child relationship name %q is not valid", f.ChildRelationshipName)
		}
		if isNew {
			if _, taken := sch.ChildRelationship(target, f.ChildRelationshipName); taken {
				return bad("child relationship name %s is already used on %s", f.ChildRelationshipName, target.Name)
			}
		}
		switch f.Type {
		case metadata.TypeMasterDetail:
			f.Required = true
			f.DeleteConstraint = metadata.Cascade
			n := 0
			for _, g := range o.LiveFields() {
				if g.Type == metadata.TypeMasterDetail && g.Name != f.Name {
					n++
				}
			}
			if n >= 2 {
				return bad("an object has at most two master-detail fields")
			}
		case metadata.TypeLookup:
			if f.DeleteConstraint == "" {
				f.DeleteConstraint = metadata.SetNull
			}
			if f.Required && f.DeleteConstraint == metadata.SetNull {
				return bad("a required lookup cannot be cleared when its target is deleted: choose Restrict or Cascade")
			}
		}
	} else {
		f.ReferenceTo, f.RelationshipName, f.ChildRelationshipName, f.DeleteConstraint = nil, "", "", ""
	}
	if f.Unique || f.ExternalID {
		switch f.Type {
		case metadata.TypeText, metadata.TypeEmail, metadata.TypeNumber, metadata.TypeAutoNumber:
		default:
			return bad("only text, email, number and auto-number fields can be unique or external IDs")
		}
	}
	if f.CaseSensitive && !f.Unique {
		f.CaseSensitive = false
	}
	if f.DefaultValue != "" {
		if _, err := Coerce(f, f.DefaultValue); err != nil {
			return bad("the default value %q does not fit the field", f.DefaultValue)
		}
	}
	if f.Type == metadata.TypeCheckbox {
		f.Required = false
		if f.DefaultValue == "" {
			f.DefaultValue = "false"
		}
	}
	if utf8.RuneCountInString(f.Label) > 40 {
		return bad("a label is at most 40 characters")
	}
	return nil
}

// CreateField adds a custom field to an object, standard or custom.
func (s *Service) CreateField(ctx context.Context, object string, def *metadata.Field) (*metadata.Field, error) {
	ctx = withAudit(ctx, "Created custom field %s (%s) on %s", def.Name, def.Type, object)
	var created *metadata.Field
	err := s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		n := int64(0)
		if def.Type == metadata.TypeMasterDetail {
			if n, err = tx.Count(ctx, o); err != nil {
				return err
			}
		}
		f, err := checkNewField(sch, o, def, n)
		if err != nil {
			return err
		}
		if err := assignColumn(ctx, tx, f); err != nil {
			return err
		}
		o.Fields = append(o.Fields, f)
		if err := tx.AddField(ctx, o, f); err != nil {
			return err
		}
		if r, ok := rollupOf(sch, o, f); ok {
			if err := tx.Summarize(ctx, r, nil); err != nil {
				return err
			}
		}
		created = f
		return s.grantNew(ctx, tx, sch, o, []*metadata.Field{f}, false)
	})
	s.forgetSecurity(rapport.CurrentPrincipal(ctx).OrgID)
	return created, err
}

// UpdateField changes a field: its API name (custom fields; a metadata-only
// rename), label, help text, attributes, picklist values and, where no data
// would be lost, its type, length, precision and scale.
func (s *Service) UpdateField(ctx context.Context, object, field string, def *metadata.Field) (*metadata.Field, error) {
	ctx = withAudit(ctx, "Changed field %s on %s (name %s, type %s, label %q)", field, object, def.Name, def.Type, def.Label)
	var updated *metadata.Field
	err := s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		old := o.Field(field)
		if old == nil {
			return UnknownField(o, field)
		}
		f := old.Clone()
		if old.System || !old.Custom {
			// Standard fields keep their type and name; labels, help text,
			// history tracking and picklist values may change.
			f.Label = firstNonEmpty(def.Label, old.Label)
			f.HelpText, f.Description, f.TrackHistory = def.HelpText, def.Description, def.TrackHistory
			if old.Picklist != nil && def.Picklist != nil {
				f.Picklist = def.Picklist
			}
			if def.Type != "" && def.Type != old.Type || def.Name != "" && !strings.EqualFold(def.Name, old.Name) {
				return rapport.FieldErrorf(rapport.InvalidArgument, []string{old.Name}, "%s is a standard field: its name and type cannot change", old.Name)
			}
			if err := checkFieldShape(sch, o, f, false); err != nil && !old.System {
				return err
			}
		} else {
			f = def.Clone()
			f.Column, f.Custom = old.Column, true
			if f.Name == "" {
				f.Name = old.Name
			}
			if f.Type == "" {
				f.Type = old.Type
			}
			if !strings.EqualFold(f.Name, old.Name) {
				if err := metadata.CheckCustomName("field", f.Name); err != nil {
					return err
				}
				if o.AnyField(f.Name) != nil {
					return rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{f.Name}, "a field named %s already exists on %s", f.Name, o.Name)
				}
			}
			if f.Type.IsReference() && len(f.ReferenceTo) == 0 {
				f.ReferenceTo = old.ReferenceTo
			}
			if f.Type == metadata.TypeSummary && f.Summary == nil && old.Summary != nil {
				f.Summary = old.Clone().Summary
			}
			if (f.Type == metadata.TypeSummary) != (old.Type == metadata.TypeSummary) {
				return rapport.FieldErrorf(rapport.InvalidArgument, []string{old.Name}, "%s: a roll-up summary cannot change to or from another type; delete the field and create a new one", old.Name)
			}
			if !strings.EqualFold(f.Name, old.Name) {
				if err := usedBySummary(sch, o.Name, old.Name, "renamed"); err != nil {
					return err
				}
			}
			if f.Type != old.Type {
				if err := usedBySummary(sch, o.Name, old.Name, "changed to another type"); err != nil {
					return err
				}
			}
			if f.Label = strings.TrimSpace(f.Label); f.Label == "" {
				f.Label = old.Label
			}
			if err := checkFieldShape(sch, o, f, false); err != nil {
				return err
			}
			if err := s.checkTypeChange(ctx, tx, o, old, f); err != nil {
				return err
			}
			if f.Type == metadata.TypeSummary && old.Storage() != f.Storage() {
				return rapport.FieldErrorf(rapport.InvalidArgument, []string{old.Name}, "%s: this roll-up would hold %s instead of %s; delete the field and create a new one",
					old.Name, typeName(f.ReturnType), typeName(old.ReturnType))
			}
		}
		for i, g := range o.Fields {
			if g == old {
				o.Fields[i] = f
			}
		}
		if err := tx.ChangeField(ctx, o, old, f); err != nil {
			return err
		}
		if r, ok := rollupOf(sch, o, f); ok && !old.Summary.Equal(f.Summary) {
			if err := tx.Summarize(ctx, r, nil); err != nil {
				return err
			}
		}
		updated = f
		return nil
	})
	return updated, err
}

// checkTypeChange refuses changes that would lose data.
func (s *Service) checkTypeChange(ctx context.Context, tx Tx, o *metadata.Object, old, f *metadata.Field) error {
	loss := func(why string) error {
		return rapport.FieldErrorf(rapport.InvalidFieldTypeChange, []string{old.Name},
			"changing %s from %s to %s would lose data: %s", old.Name, describeType(old), describeType(f), why)
	}
	if old.Type.IsReference() || f.Type.IsReference() {
		if !(old.Type.IsReference() && f.Type.IsReference()) || !strings.EqualFold(old.ReferenceTo[0], f.ReferenceTo[0]) {
			if old.Type != f.Type || !strings.EqualFold(old.ReferenceTo[0], f.ReferenceTo[0]) {
				return loss("a lookup keeps its type and target")
			}
		}
		if old.Type == metadata.TypeLookup && f.Type == metadata.TypeMasterDetail {
			vals, err := tx.Count(ctx, o)
			if err != nil {
				return err
			}
			if vals > 0 {
				return loss("a lookup becomes master-detail only on an object without records")
			}
		}
		return nil
	}
	os, ns := old.Storage(), f.Storage()
	if old.Type == metadata.TypeAutoNumber && f.Type != metadata.TypeAutoNumber && f.Type != metadata.TypeText {
		return loss("an auto-number can only become text")
	}
	if f.Type == metadata.TypeAutoNumber && old.Type != metadata.TypeAutoNumber {
		return loss("a field cannot become an auto-number")
	}
	sample := func() ([]any, error) {
		vals, err := tx.Values(ctx, o, old, 100001)
		if err != nil {
			return nil, err
		}
		if len(vals) > 100000 {
			return nil, loss("too many distinct values to check")
		}
		return vals, nil
	}
	switch {
	case os == ns && os == metadata.StoreText:
		n, err := tx.MaxLength(ctx, o, old)
		if err != nil {
			return err
		}
		if n > MaxLength(f) {
			return loss(fmt.Sprintf("a value is %d characters long, more than %d", n, MaxLength(f)))
		}
		if old.Type != f.Type && (f.Type == metadata.TypeEmail || f.Type == metadata.TypePicklist && f.Picklist.Restricted ||
			f.Type == metadata.TypeMultiPicklist && f.Picklist.Restricted || f.Type == metadata.TypePicklist && old.Type == metadata.TypeMultiPicklist) {
			vals, err := sample()
			if err != nil {
				return err
			}
			for _, v := range vals {
				s := v.(string)
				if f.Type == metadata.TypePicklist && strings.Contains(s, ";") {
					return loss(fmt.Sprintf("the value %q holds several selections", s))
				}
				if _, err := Coerce(f, s); err != nil {
					return loss(fmt.Sprintf("the value %q does not fit", s))
				}
			}
		}
	case os == ns && os == metadata.StoreDecimal:
		if f.Precision-f.Scale < old.Precision-old.Scale || f.Scale < old.Scale {
			vals, err := sample()
			if err != nil {
				return err
			}
			for _, v := range vals {
				c, err := Coerce(f, v)
				if err != nil || c != v {
					return loss(fmt.Sprintf("the value %v does not fit %d digits with %d after the point", v, f.Precision, f.Scale))
				}
			}
		}
	case os == ns:
	case ns == metadata.StoreText && (os == metadata.StoreDecimal || os == metadata.StoreBool || os == metadata.StoreDate || os == metadata.StoreTime):
		if f.Type == metadata.TypePicklist || f.Type == metadata.TypeMultiPicklist || f.Type == metadata.TypeEmail || f.Type == metadata.TypeURL {
			return loss("numbers, dates and checkboxes become text, text area or phone fields only")
		}
		vals, err := sample()
		if err != nil {
			return err
		}
		for _, v := range vals {
			if utf8.RuneCountInString(FormatValue(v)) > MaxLength(f) {
				return loss(fmt.Sprintf("the value %v is longer than %d characters", v, MaxLength(f)))
			}
		}
	case os == metadata.StoreText && ns == metadata.StoreDecimal:
		vals, err := sample()
		if err != nil {
			return err
		}
		for _, v := range vals {
			if _, err := Coerce(f, v); err != nil {
				return loss(fmt.Sprintf("the value %q is not a number that fits", v))
			}
		}
	default:
		return loss("the types do not convert")
	}
	return nil
}

func describeType(f *metadata.Field) string {
	switch f.Type {
	case metadata.TypeText:
		return fmt.Sprintf("Text(%d)", f.Length)
	case metadata.TypeNumber, metadata.TypeCurrency, metadata.TypePercent:
		return fmt.Sprintf("%s(%d, %d)", f.Type, f.Precision, f.Scale)
	}
	return string(f.Type)
}

// DeleteField deletes a custom field. Its column and data stay until
// PurgeField, and UndeleteField brings it back.
func (s *Service) DeleteField(ctx context.Context, object, field string) error {
	ctx = withAudit(ctx, "Deleted field %s on %s", field, object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		f := o.Field(field)
		if f == nil {
			return UnknownField(o, field)
		}
		if !f.Custom {
			return rapport.FieldErrorf(rapport.DeleteFailed, []string{f.Name}, "%s is a standard field and cannot be deleted", f.Name)
		}
		if err := usedBySummary(sch, o.Name, f.Name, "deleted"); err != nil {
			return err
		}
		f.Deleted = true
		return tx.SaveObject(ctx, o)
	})
}

// UndeleteField restores a deleted field with its data.
func (s *Service) UndeleteField(ctx context.Context, object, field string) error {
	ctx = withAudit(ctx, "Undeleted field %s on %s", field, object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		f := o.AnyField(field)
		if f == nil || !f.Deleted {
			return UnknownField(o, field)
		}
		f.Deleted = false
		if err := tx.SaveObject(ctx, o); err != nil {
			return err
		}
		// A roll-up missed the changes made while it was deleted.
		if r, ok := rollupOf(sch, o, f); ok {
			return tx.Summarize(ctx, r, nil)
		}
		return nil
	})
}

// PurgeField removes a deleted field and its data for good.
func (s *Service) PurgeField(ctx context.Context, object, field string) error {
	ctx = withAudit(ctx, "Purged field %s on %s and its data", field, object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		f := o.AnyField(field)
		if f == nil || !f.Deleted {
			return rapport.FieldErrorf(rapport.InvalidArgument, []string{field}, "only a deleted field can be purged: delete %s first", field)
		}
		kept := o.Fields[:0]
		for _, g := range o.Fields {
			if g != f {
				kept = append(kept, g)
			}
		}
		o.Fields = kept
		return tx.DropField(ctx, o, f)
	})
}

// UpdateObject changes a custom object's API name (metadata only), labels,
// description and history tracking; a standard object's labels and
// tracking.
func (s *Service) UpdateObject(ctx context.Context, object string, def *metadata.Object) (*metadata.Object, error) {
	ctx = withAudit(ctx, "Changed object %s (name %q, label %q, sharing %q, %d sharing rules)", object, def.Name, def.Label, def.SharingModel, len(def.SharingRules))
	var updated *metadata.Object
	err := s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		if def.Name != "" && !strings.EqualFold(def.Name, o.Name) {
			if !o.Custom {
				return rapport.FieldErrorf(rapport.InvalidArgument, []string{o.Name}, "%s is a standard object and cannot be renamed", o.Name)
			}
			if err := metadata.CheckCustomName("object", def.Name); err != nil {
				return err
			}
			if sch.AnyObject(def.Name) != nil {
				return rapport.FieldErrorf(rapport.DuplicateDeveloperName, []string{def.Name}, "an object named %s already exists", def.Name)
			}
			oldName := o.Name
			o.Name = def.Name
			// Lookups elsewhere name their target by API name: follow the rename.
			for _, other := range sch.AllObjects() {
				if other.Name == oldName {
					continue
				}
				changed := false
				c := other.Clone()
				for _, f := range c.Fields {
					for i, t := range f.ReferenceTo {
						if strings.EqualFold(t, oldName) {
							f.ReferenceTo[i] = def.Name
							changed = true
						}
					}
					if f.Summary != nil && strings.EqualFold(f.Summary.ChildObject, oldName) {
						f.Summary.ChildObject = def.Name
						changed = true
					}
				}
				if changed {
					if err := tx.SaveObject(ctx, c); err != nil {
						return err
					}
				}
			}
			for _, f := range o.Fields {
				for i, t := range f.ReferenceTo {
					if strings.EqualFold(t, oldName) {
						f.ReferenceTo[i] = def.Name
					}
				}
			}
		}
		o.Label = firstNonEmpty(def.Label, o.Label)
		o.PluralLabel = firstNonEmpty(def.PluralLabel, o.PluralLabel)
		o.Description = def.Description
		o.TrackHistory = def.TrackHistory
		if def.SharingModel != "" {
			if err := checkSharing(o, def.SharingModel); err != nil {
				return err
			}
			o.SharingModel = def.SharingModel
		}
		if def.SharingRules != nil {
			if err := checkRules(o, def.SharingRules); err != nil {
				return err
			}
			o.SharingRules = def.SharingRules
		}
		if err := tx.SaveObject(ctx, o); err != nil {
			return err
		}
		updated = o
		return nil
	})
	return updated, err
}

// DeleteObject deletes a custom object; its table and data stay until
// PurgeObject, and UndeleteObject brings it back. Lookups from other objects
// to it must be deleted first.
func (s *Service) DeleteObject(ctx context.Context, object string) error {
	ctx = withAudit(ctx, "Deleted object %s", object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o, err := liveObject(sch, object)
		if err != nil {
			return err
		}
		if !o.Custom {
			return rapport.Errorf(rapport.DeleteFailed, "%s is a standard object and cannot be deleted", o.Name)
		}
		for _, rel := range sch.ChildRelationships(o) {
			if rel.Child.Name != o.Name {
				return rapport.FieldErrorf(rapport.DeleteFailed, []string{rel.Field.Name},
					"%s.%s refers to %s: delete that field first", rel.Child.Name, rel.Field.Name, o.Name)
			}
		}
		if err := usedBySummary(sch, o.Name, "", "deleted"); err != nil {
			return err
		}
		o.Deleted = true
		return tx.SaveObject(ctx, o)
	})
}

// UndeleteObject restores a deleted custom object with its records.
func (s *Service) UndeleteObject(ctx context.Context, object string) error {
	ctx = withAudit(ctx, "Undeleted object %s", object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o := sch.AnyObject(object)
		if o == nil || !o.Deleted {
			return unknownObject(object)
		}
		o = o.Clone()
		o.Deleted = false
		return tx.SaveObject(ctx, o)
	})
}

// PurgeObject removes a deleted custom object, its table and its data for
// good. Its key prefix is never given out again.
func (s *Service) PurgeObject(ctx context.Context, object string) error {
	ctx = withAudit(ctx, "Purged object %s and its records", object)
	return s.changeSchema(ctx, func(tx Tx, p rapport.Principal, sch *metadata.Schema) error {
		o := sch.AnyObject(object)
		if o == nil || !o.Deleted {
			return rapport.Errorf(rapport.InvalidArgument, "only a deleted object can be purged: delete %s first", object)
		}
		return tx.DropObject(ctx, o.Clone())
	})
}

// canCustomize checks that the principal may change metadata.
func (s *Service) canCustomize(ctx context.Context) error {
	pol, err := s.Policy(ctx)
	if err != nil || pol == nil {
		return err
	}
	if !pol.Has(security.CustomizeApplication) && !pol.Has(security.ModifyAllData) {
		return rapport.Errorf(rapport.InsufficientAccess, "insufficient access rights: changing objects and fields needs the Customize Application permission")
	}
	return nil
}

// checkSharing checks an org-wide default for obj.
func checkSharing(obj *metadata.Object, model string) error {
	if obj.Sharing() == metadata.SharingControlledByParent && security.MasterField(obj) != nil && obj.Custom && model != metadata.SharingControlledByParent {
		return rapport.Errorf(rapport.InvalidArgument, "%s is the detail of a master-detail relationship: its access is controlled by its parent", obj.Name)
	}
	switch model {
	case metadata.SharingPrivate, metadata.SharingRead, metadata.SharingReadWrite:
		if obj.Field(metadata.FieldOwnerID) == nil {
			return rapport.Errorf(rapport.InvalidArgument, "%s has no owner: its access is controlled by its parent", obj.Name)
		}
		return nil
	case metadata.SharingControlledByParent:
		if security.MasterField(obj) == nil {
			return rapport.Errorf(rapport.InvalidArgument, "%s has no master record to take its access from", obj.Name)
		}
		return nil
	}
	return rapport.Errorf(rapport.InvalidArgument, "unknown sharing model %q: use Private, Read, ReadWrite or ControlledByParent", model)
}

// checkRules checks sharing rules for obj.
func checkRules(obj *metadata.Object, rules []metadata.SharingRule) error {
	names := map[string]bool{}
	for _, r := range rules {
		switch {
		case !metadata.ValidAPIName(r.Name) || names[strings.ToLower(r.Name)]:
			return rapport.Errorf(rapport.InvalidArgument, "sharing rule name %q is not valid or is used twice", r.Name)
		case (r.From == "") == (r.Field == ""):
			return rapport.Errorf(rapport.InvalidArgument, "sharing rule %s shares by owner (From) or by criteria (Field), one of them", r.Name)
		case r.To == "":
			return rapport.Errorf(rapport.InvalidArgument, "sharing rule %s needs a group to share with (To)", r.Name)
		case r.Access != "Read" && r.Access != "Edit":
			return rapport.Errorf(rapport.InvalidArgument, "sharing rule %s gives Read or Edit access, not %q", r.Name, r.Access)
		case r.Field != "" && obj.Field(r.Field) == nil:
			return UnknownField(obj, r.Field)
		case r.From != "" && obj.Field(metadata.FieldOwnerID) == nil:
			return rapport.Errorf(rapport.InvalidArgument, "%s has no owner: owner-based rules do not apply", obj.Name)
		}
		switch r.Op {
		case "", "equals", "notEqual", "lessThan", "greaterThan", "lessOrEqual", "greaterOrEqual", "contains", "startsWith":
		default:
			return rapport.Errorf(rapport.InvalidArgument, "sharing rule %s: unknown operator %q", r.Name, r.Op)
		}
		names[strings.ToLower(r.Name)] = true
	}
	return nil
}
