package metadata

import (
	"sort"
	"strings"
)

// An Object is a record type: a standard object such as Account or a custom
// object such as Session__c.
type Object struct {
	Name        string `json:"name"` // API name
	Label       string `json:"label"`
	PluralLabel string `json:"pluralLabel"`
	Description string `json:"description,omitempty"`
	// KeyPrefix is the 3-character ID prefix of the object's records.
	KeyPrefix string `json:"keyPrefix"`
	// Table is the physical table name, stable for the object's life.
	Table  string `json:"table"`
	Custom bool   `json:"custom,omitempty"`
	// NameField is the API name of the field that names a record (usually
	// Name).
	NameField string `json:"nameField,omitempty"`
	// TrackHistory turns field history on for the object; each field opts
	// in with Field.TrackHistory.
	TrackHistory bool `json:"trackHistory,omitempty"`
	// Queryable etc. describe what the APIs allow.
	Createable bool `json:"createable"`
	Updateable bool `json:"updateable"`
	Deletable  bool `json:"deletable"`
	Searchable bool `json:"searchable,omitempty"`
	// SharingModel is the org-wide default: who may see and change the
	// records of users other than themselves (see the Sharing constants).
	SharingModel string `json:"sharingModel,omitempty"`
	// SharingRules open records to groups beyond the org-wide default.
	SharingRules []SharingRule `json:"sharingRules,omitempty"`
	// Deleted marks an object deleted but not yet purged.
	Deleted bool `json:"deleted,omitempty"`

	Fields []*Field `json:"fields"`

	byName map[string]*Field
}

// A SharingRule shares records with a group: owner-based rules share the
// records owned by members of From, criteria-based rules the records whose
// Field compares with Value by Op. Groups are named as the security package
// names them (a public group's Id, role:<roleId>, rolesub:<roleId>).
type SharingRule struct {
	Name   string `json:"name"`
	From   string `json:"from,omitempty"`  // owner-based
	Field  string `json:"field,omitempty"` // criteria-based
	Op     string `json:"op,omitempty"`    // equals, notEqual, lessThan, greaterThan, lessOrEqual, greaterOrEqual, contains, startsWith
	Value  string `json:"value,omitempty"`
	To     string `json:"to"`
	Access string `json:"access"` // Read or Edit
}

// Org-wide defaults, as Salesforce names them.
const (
	SharingPrivate            = "Private"            // owners, their managers and shares
	SharingRead               = "Read"               // everyone reads; owners and shares edit
	SharingReadWrite          = "ReadWrite"          // everyone reads and edits
	SharingControlledByParent = "ControlledByParent" // access follows the master record
)

// Sharing returns the object's org-wide default: Controlled by Parent for
// the detail of a master-detail relationship, else its SharingModel, or
// Public Read/Write when none is set.
func (o *Object) Sharing() string {
	for _, f := range o.Fields {
		if f.Type == TypeMasterDetail && !f.Deleted {
			return SharingControlledByParent
		}
	}
	if o.SharingModel == "" {
		return SharingReadWrite
	}
	return o.SharingModel
}

// Field returns the field with the given API name, matched case-insensitively.
// Deleted fields are not found.
func (o *Object) Field(name string) *Field {
	if o.byName == nil {
		o.index()
	}
	f := o.byName[strings.ToLower(name)]
	if f == nil || f.Deleted {
		return nil
	}
	return f
}

// FieldByRelationship returns the reference field whose relationship name is
// name (Account for AccountId), matched case-insensitively.
func (o *Object) FieldByRelationship(name string) *Field {
	for _, f := range o.Fields {
		if !f.Deleted && f.RelationshipName != "" && strings.EqualFold(f.RelationshipName, name) {
			return f
		}
	}
	return nil
}

// LiveFields returns the fields that are not deleted, in definition order.
func (o *Object) LiveFields() []*Field {
	out := make([]*Field, 0, len(o.Fields))
	for _, f := range o.Fields {
		if !f.Deleted {
			out = append(out, f)
		}
	}
	return out
}

// AnyField returns the field named name even if it is deleted.
func (o *Object) AnyField(name string) *Field {
	if o.byName == nil {
		o.index()
	}
	return o.byName[strings.ToLower(name)]
}

func (o *Object) index() {
	o.byName = make(map[string]*Field, len(o.Fields))
	for _, f := range o.Fields {
		o.byName[strings.ToLower(f.Name)] = f
	}
}

// Clone returns a deep copy of o.
func (o *Object) Clone() *Object {
	c := *o
	c.Fields = make([]*Field, len(o.Fields))
	for i, f := range o.Fields {
		c.Fields[i] = f.Clone()
	}
	c.byName = nil
	return &c
}

// A Schema is an org's whole metadata at one version: every object, with
// lookups by API name, key prefix and child relationship.
type Schema struct {
	Version int64
	objects map[string]*Object // lower-case API name → object
	prefix  map[string]*Object
	sorted  []*Object
}

// NewSchema indexes objects into a schema.
func NewSchema(version int64, objects []*Object) *Schema {
	s := &Schema{
		Version: version,
		objects: make(map[string]*Object, len(objects)),
		prefix:  make(map[string]*Object, len(objects)),
	}
	for _, o := range objects {
		o.index()
		s.objects[strings.ToLower(o.Name)] = o
		s.prefix[o.KeyPrefix] = o
		s.sorted = append(s.sorted, o)
	}
	sort.Slice(s.sorted, func(i, j int) bool { return s.sorted[i].Name < s.sorted[j].Name })
	return s
}

// Object returns the live object with the given API name, matched
// case-insensitively, or nil.
func (s *Schema) Object(name string) *Object {
	o := s.objects[strings.ToLower(name)]
	if o == nil || o.Deleted {
		return nil
	}
	return o
}

// AnyObject returns the object named name even if it is deleted.
func (s *Schema) AnyObject(name string) *Object { return s.objects[strings.ToLower(name)] }

// ByPrefix returns the object whose records' IDs start with prefix.
func (s *Schema) ByPrefix(prefix string) *Object {
	o := s.prefix[prefix]
	if o == nil || o.Deleted {
		return nil
	}
	return o
}

// Objects returns the live objects sorted by API name.
func (s *Schema) Objects() []*Object {
	out := make([]*Object, 0, len(s.sorted))
	for _, o := range s.sorted {
		if !o.Deleted {
			out = append(out, o)
		}
	}
	return out
}

// AllObjects returns every object, deleted ones included.
func (s *Schema) AllObjects() []*Object { return s.sorted }

// A ChildRelationship is a reference from a child object's field to a parent
// object, seen from the parent.
type ChildRelationship struct {
	Name  string // Contacts
	Child *Object
	Field *Field
}

// ChildRelationships returns the relationships whose children point at o.
func (s *Schema) ChildRelationships(o *Object) []ChildRelationship {
	var out []ChildRelationship
	for _, child := range s.Objects() {
		for _, f := range child.LiveFields() {
			if !f.Type.IsReference() {
				continue
			}
			for _, target := range f.ReferenceTo {
				if strings.EqualFold(target, o.Name) {
					out = append(out, ChildRelationship{Name: f.ChildRelationshipName, Child: child, Field: f})
				}
			}
		}
	}
	return out
}

// ChildRelationship finds the child relationship named name on o.
func (s *Schema) ChildRelationship(o *Object, name string) (ChildRelationship, bool) {
	for _, r := range s.ChildRelationships(o) {
		if r.Name != "" && strings.EqualFold(r.Name, name) {
			return r, true
		}
	}
	return ChildRelationship{}, false
}
