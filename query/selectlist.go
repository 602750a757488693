package query

import (
	"fmt"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/soql"
)

// selectList binds the SELECT list into the plan's output shape and
// columns.
func (b *binder) selectList(q *soql.Query) error {
	p := b.p
	for _, it := range q.Fields {
		if fc, ok := it.(*soql.FuncCall); ok && (fc.IsAggregate() || strings.EqualFold(fc.Name, "GROUPING")) {
			p.aggregate = true
		}
	}
	if q.GroupBy != nil {
		p.aggregate = true
	}
	if len(q.Fields) == 1 {
		if fc, ok := q.Fields[0].(*soql.FuncCall); ok && strings.EqualFold(fc.Name, "COUNT") && len(fc.Args) == 0 {
			if q.GroupBy != nil {
				return b.errAt(fc.NamePos, rapport.MalformedQuery, "COUNT() cannot be used with GROUP BY; use COUNT(Id)")
			}
			p.countOnly = true
			p.aggregate = false
			return nil
		}
	}
	if p.aggregate {
		return b.aggregateList(q)
	}
	// Record queries: column 0 is always the record's Id.
	p.cols = append(p.cols, column{expr: p.table.alias + "." + quote(metadata.ColID), storage: metadata.StoreID})
	seen := map[string]bool{}
	for _, it := range q.Fields {
		switch x := it.(type) {
		case *soql.FieldPath:
			key := strings.ToLower(strings.Join(b.trimPath(x.Segments), "."))
			if seen[key] {
				return b.errAt(x.NamePos, rapport.MalformedQuery, "duplicate field selected: %s", strings.Join(x.Segments, "."))
			}
			seen[key] = true
			if err := b.selectPath(x, ""); err != nil {
				return err
			}
		case *soql.FuncCall:
			name := strings.ToUpper(x.Name)
			switch name {
			case "TOLABEL", "FORMAT", "CONVERTCURRENCY":
			default:
				return b.errAt(x.NamePos, rapport.MalformedQuery, "%s can only be used in an aggregate query", x.Name)
			}
			fp, ok := x.Args[0].(*soql.FieldPath)
			if !ok {
				return b.errAt(x.NamePos, rapport.MalformedQuery, "%s takes a field", x.Name)
			}
			post := strings.ToLower(name)
			if name == "CONVERTCURRENCY" {
				post = ""
			}
			if err := b.selectPath(fp, post); err != nil {
				return err
			}
		case *soql.Fields:
			if err := b.selectFieldSet(x, q, seen); err != nil {
				return err
			}
		case *soql.SubQuery:
			if err := b.subquery(x); err != nil {
				return err
			}
		case *soql.TypeOf:
			if err := b.typeOf(x); err != nil {
				return err
			}
		}
	}
	return nil
}

// trimPath drops a leading object name or alias.
func (b *binder) trimPath(segs []string) []string {
	if len(segs) > 1 {
		if _, ok := b.names[strings.ToLower(segs[0])]; ok && b.p.root.FieldByRelationship(segs[0]) == nil {
			return segs[1:]
		}
	}
	return segs
}

// addCol adds a SQL column and returns its index.
func (b *binder) addCol(c column) int {
	b.p.cols = append(b.p.cols, c)
	return len(b.p.cols) - 1
}

// refExpr is the SQL of a field reference (see compile.go); binding needs it
// for columns.
func (b *binder) refCol(r *fieldRef) column {
	k := r.kind()
	return column{expr: refSQL(r), storage: k.storage}
}

// selectPath adds a field path to the output, nesting parent fields under
// their relationships.
func (b *binder) selectPath(fp *soql.FieldPath, post string) error {
	ref, err := b.field(fp)
	if err != nil {
		return err
	}
	segs := b.trimPath(fp.Segments)
	level := &b.p.out
	cands := []*join{b.p.table}
	key := ""
	for _, seg := range segs[:len(segs)-1] {
		var rel *metadata.Field
		var ids []string
		var next []*join
		for _, j := range cands {
			f := j.target.FieldByRelationship(seg)
			if f == nil {
				continue
			}
			if rel == nil {
				rel = f
			}
			ids = append(ids, j.alias+"."+quote(f.Column))
			for _, t := range f.ReferenceTo {
				if jj := b.joinByKey[key+"."+strings.ToLower(seg)+"|"+t]; jj != nil {
					next = append(next, jj)
				}
			}
		}
		key += "." + strings.ToLower(seg)
		var n *node
		for _, m := range *level {
			if m.rel && strings.EqualFold(m.name, rel.RelationshipName) {
				n = m
			}
		}
		if n == nil {
			n = &node{name: rel.RelationshipName, rel: true, col: -1, field: rel}
			n.idCol = b.addCol(column{expr: coalesce(ids), storage: metadata.StoreID})
			*level = append(*level, n)
		}
		level = &n.fields
		cands = next
	}
	name := segs[len(segs)-1]
	if ref.field != nil {
		name = ref.field.Name
	} else if ref.typeOf {
		name = "Type"
	}
	for _, m := range *level {
		if !m.rel && m.name == name {
			return nil // selected twice through different spellings
		}
	}
	col := 0 // the root's Id is column 0 already
	if !(len(segs) == 1 && ref.field != nil && ref.field.Column == metadata.ColID) {
		col = b.addCol(b.refCol(ref))
	}
	*level = append(*level, &node{name: name, field: ref.field, col: col, post: post})
	return nil
}

func coalesce(exprs []string) string {
	if len(exprs) == 1 {
		return exprs[0]
	}
	return "COALESCE(" + strings.Join(exprs, ", ") + ")"
}

func (b *binder) pathKey(segs []string) string {
	key := ""
	for _, s := range segs {
		key += "." + strings.ToLower(s)
	}
	return key
}

// selectFieldSet expands FIELDS(ALL|STANDARD|CUSTOM).
func (b *binder) selectFieldSet(x *soql.Fields, q *soql.Query, seen map[string]bool) error {
	if x.Set != soql.FieldsStandard && (q.Limit == nil || q.Limit.Value > maxFieldsAllRows) {
		return b.errAt(x.FieldsPos, rapport.MalformedQuery, "The SOQL FIELDS function must have a LIMIT of at most %d", maxFieldsAllRows)
	}
	for _, f := range b.p.root.LiveFields() {
		if !f.Stored() || (x.Set == soql.FieldsCustom && !f.Custom) || (x.Set == soql.FieldsStandard && f.Custom) {
			continue
		}
		if !b.access.FieldReadable(b.ctx, b.p.root, f) {
			continue
		}
		key := strings.ToLower(f.Name)
		if seen[key] {
			continue
		}
		seen[key] = true
		if err := b.selectPath(&soql.FieldPath{NamePos: x.FieldsPos, Segments: []string{f.Name}}, ""); err != nil {
			return err
		}
	}
	return nil
}

// subquery binds a child relationship subquery.
func (b *binder) subquery(x *soql.SubQuery) error {
	b.subs++
	if b.subs > maxSubqueries {
		return b.errAt(x.Lparen, rapport.MalformedQuery, "a query may have at most %d child relationship subqueries", maxSubqueries)
	}
	q := x.Query
	rel, ok := b.sch.ChildRelationship(b.p.root, q.From.Object.Name)
	if !ok || b.access.CanRead(b.ctx, rel.Child) != nil {
		return b.errAt(q.From.Object.NamePos, rapport.InvalidType, "Didn't understand relationship '%s' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.", q.From.Object.Name)
	}
	cp, err := b.env.bindPlan(q, rel.Child, "c", rel.Field)
	if err != nil {
		return err
	}
	if cp.aggregate || cp.countOnly {
		return b.errAt(q.Select, rapport.MalformedQuery, "aggregate functions are not allowed in a child relationship subquery")
	}
	if len(cp.children) > 0 {
		return b.errAt(q.Select, rapport.MalformedQuery, "child relationship subqueries nest one level")
	}
	child := &childPlan{name: rel.Name, p: cp, fk: rel.Field}
	b.p.children = append(b.p.children, child)
	b.p.out = append(b.p.out, &node{name: rel.Name, col: -1, child: child})
	return nil
}

// typeOf binds TYPEOF on a polymorphic relationship.
func (b *binder) typeOf(x *soql.TypeOf) error {
	segs := b.trimPath(x.Field.Segments)
	if len(segs) != 1 {
		return b.errAt(x.TypeOfPos, rapport.MalformedQuery, "TYPEOF takes a relationship of the queried object")
	}
	rel := b.p.root.FieldByRelationship(segs[0])
	if rel == nil || len(rel.ReferenceTo) < 2 {
		return b.errAt(x.Field.NamePos, rapport.MalformedQuery, "TYPEOF can only be used with a polymorphic relationship: %s", segs[0])
	}
	n := &node{name: rel.RelationshipName, rel: true, col: -1, field: rel, typeOf: map[string][]*node{}}
	n.idCol = b.addCol(column{expr: b.p.table.alias + "." + quote(rel.Column), storage: metadata.StoreID})
	addFields := func(obj *metadata.Object, fps []*soql.FieldPath, cands []*metadata.Object) ([]*node, error) {
		var out []*node
		for _, fp := range fps {
			if len(fp.Segments) != 1 {
				return nil, b.errAt(fp.NamePos, rapport.MalformedQuery, "TYPEOF fields are fields of the type named")
			}
			var exprs []string
			var field *metadata.Field
			for _, t := range cands {
				f := t.Field(fp.Segments[0])
				if f == nil || !b.access.FieldReadable(b.ctx, t, f) {
					continue
				}
				j := b.join("."+strings.ToLower(rel.RelationshipName), b.p.table, rel, t)
				exprs = append(exprs, j.alias+"."+quote(f.Column))
				if field == nil {
					field = f
				}
			}
			if field == nil {
				name := "the relationship"
				if obj != nil {
					name = obj.Name
				}
				return nil, b.errAt(fp.NamePos, rapport.InvalidField, "No such column '%s' on entity '%s'", fp.Segments[0], name)
			}
			expr := exprs[0]
			if len(exprs) > 1 {
				expr = "COALESCE(" + strings.Join(exprs, ", ") + ")"
			}
			col := b.addCol(column{expr: expr, storage: field.Storage()})
			out = append(out, &node{name: field.Name, field: field, col: col})
		}
		return out, nil
	}
	for _, w := range x.Whens {
		t := b.sch.Object(w.Type.Name)
		if t == nil || !allowedTarget(rel, t) {
			return b.errAt(w.Type.NamePos, rapport.MalformedQuery, "%s is not a type of %s", w.Type.Name, rel.RelationshipName)
		}
		nodes, err := addFields(t, w.Fields, []*metadata.Object{t})
		if err != nil {
			return err
		}
		n.typeOf[t.Name] = nodes
	}
	if x.Else != nil {
		var all []*metadata.Object
		for _, name := range rel.ReferenceTo {
			if t := b.sch.Object(name); t != nil {
				all = append(all, t)
			}
		}
		nodes, err := addFields(nil, x.Else, all)
		if err != nil {
			return err
		}
		n.typeElse = nodes
	}
	b.p.out = append(b.p.out, n)
	return nil
}

func allowedTarget(f *metadata.Field, o *metadata.Object) bool {
	for _, t := range f.ReferenceTo {
		if strings.EqualFold(t, o.Name) {
			return true
		}
	}
	return false
}

// aggregateList binds the SELECT list of an aggregate query: a flat row of
// grouped fields and aggregates, named as Salesforce names them.
func (b *binder) aggregateList(q *soql.Query) error {
	expr := 0
	for _, it := range q.Fields {
		var op operand
		var err error
		name := ""
		switch x := it.(type) {
		case *soql.FieldPath:
			var r *fieldRef
			if r, err = b.field(x); err != nil {
				return err
			}
			op = r
			name = x.Segments[len(x.Segments)-1]
			if r.field != nil {
				name = r.field.Name
			}
			if x.Alias != nil {
				name = x.Alias.Name
			}
		case *soql.FuncCall:
			op, err = b.call(x, true)
			if x.Alias != nil {
				name = x.Alias.Name
			} else {
				name = fmt.Sprintf("expr%d", expr)
				expr++
			}
		default:
			return b.errAt(it.Pos(), rapport.MalformedQuery, "only fields and aggregate functions can be selected in an aggregate query")
		}
		if err != nil {
			return err
		}
		k := op.kind()
		col := b.addCol(column{expr: "", storage: k.storage, count: k.count})
		b.p.out = append(b.p.out, &node{name: name, field: k.field, col: col, aggOp: op})
	}
	return nil
}
