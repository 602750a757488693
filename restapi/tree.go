package restapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/rapportcrm/rapport"
	"github.com/rapportcrm/rapport/metadata"
	"github.com/rapportcrm/rapport/record"
)

// Limits of an sObject Tree request.
const (
	maxTreeRecords = 200
	maxTreeDepth   = 5
	maxTreeTypes   = 5
)

// treeNode is one record of a tree, with the children it carries.
type treeNode struct {
	ref      string
	obj      *metadata.Object
	values   map[string]any
	parent   *treeNode
	link     *metadata.Field // the child's lookup to parent
	children []*treeNode
	id       rapport.ID
}

type treeError struct {
	ref string
	err error
}

type treeParser struct {
	sch   *metadata.Schema
	refs  map[string]bool
	types map[string]bool
	count int
	order []*treeNode
}

// parse reads the records of one level; parent and link are set for
// children.
func (p *treeParser) parse(raw []any, obj *metadata.Object, parent *treeNode, link *metadata.Field, depth int) ([]*treeNode, *treeError) {
	if depth > maxTreeDepth {
		return nil, &treeError{"", newError(codeLimitExceeded, "a tree may be at most %d levels deep", maxTreeDepth)}
	}
	var out []*treeNode
	for _, item := range raw {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, &treeError{"", newError(codeJSONParser, "each record must be a JSON object")}
		}
		p.count++
		if p.count > maxTreeRecords {
			return nil, &treeError{"", newError(codeLimitExceeded, "a tree request may carry at most %d records", maxTreeRecords)}
		}
		n := &treeNode{obj: obj, parent: parent, link: link, values: map[string]any{}}
		attrs, _ := m["attributes"].(map[string]any)
		n.ref, _ = attrs["referenceId"].(string)
		if n.ref == "" {
			return nil, &treeError{"", newError(codeInvalidBatchReq, "every record needs attributes.referenceId")}
		}
		if p.refs[n.ref] {
			return nil, &treeError{n.ref, newError(codeInvalidBatchReq, "Duplicate ReferenceId provided in the request: %s", n.ref)}
		}
		p.refs[n.ref] = true
		if t, _ := attrs["type"].(string); t != "" && !strings.EqualFold(t, obj.Name) {
			return nil, &treeError{n.ref, newError(rapport.InvalidType, "the record's type %s does not match %s", t, obj.Name)}
		}
		p.types[obj.Name] = true
		if len(p.types) > maxTreeTypes {
			return nil, &treeError{n.ref, newError(codeLimitExceeded, "a tree may hold at most %d object types", maxTreeTypes)}
		}
		p.order = append(p.order, n)
		for k, v := range m {
			if k == "attributes" {
				continue
			}
			if sub, ok := v.(map[string]any); ok {
				rel, found := p.sch.ChildRelationship(obj, k)
				recs, isList := sub["records"].([]any)
				if !found || !isList {
					return nil, &treeError{n.ref, rapport.FieldErrorf(rapport.InvalidField, []string{k}, "No such child relationship '%s' on %s", k, obj.Name)}
				}
				kids, terr := p.parse(recs, rel.Child, n, rel.Field, depth+1)
				if terr != nil {
					return nil, terr
				}
				n.children = append(n.children, kids...)
				continue
			}
			n.values[k] = v
		}
		out = append(out, n)
	}
	return out, nil
}

// Tree serves POST /composite/tree/{object}: records with nested children,
// all created or none.
func (a *API) Tree() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sch, o, err := a.schemaObject(r, r.PathValue("object"))
		if err != nil {
			a.writeError(w, r, err)
			return
		}
		var body struct {
			Records []any `json:"records"`
		}
		if err := decodeJSON(r, &body); err != nil {
			a.writeError(w, r, err)
			return
		}
		p := &treeParser{sch: sch, refs: map[string]bool{}, types: map[string]bool{}}
		roots, terr := p.parse(body.Records, o, nil, nil, 1)
		if terr != nil {
			a.writeTreeErrors(w, r, []treeError{*terr})
			return
		}
		ctx := r.Context()
		var created []rapport.ID
		level := roots
		for len(level) > 0 {
			errs, ids, err := a.createLevel(ctx, level)
			created = append(created, ids...)
			if err != nil || len(errs) > 0 {
				if uerr := a.undoCreates(ctx, created); uerr != nil && err == nil {
					err = uerr
				}
				if err != nil {
					a.writeError(w, r, err)
					return
				}
				a.writeTreeErrors(w, r, errs)
				return
			}
			var next []*treeNode
			for _, n := range level {
				for _, c := range n.children {
					c.values[c.link.Name] = string(n.id)
					next = append(next, c)
				}
			}
			level = next
		}
		results := make([]object, len(p.order))
		for i, n := range p.order {
			results[i] = object{{"referenceId", n.ref}, {"id", string(n.id)}}
		}
		writeJSON(w, http.StatusCreated, object{{"hasErrors", false}, {"results", results}})
	}
}

// createLevel creates the records of one level, one all-or-none call per
// object.
func (a *API) createLevel(ctx context.Context, level []*treeNode) ([]treeError, []rapport.ID, error) {
	byObj := map[*metadata.Object][]*treeNode{}
	var objs []*metadata.Object
	for _, n := range level {
		if byObj[n.obj] == nil {
			objs = append(objs, n.obj)
		}
		byObj[n.obj] = append(byObj[n.obj], n)
	}
	var errs []treeError
	var created []rapport.ID
	for _, o := range objs {
		nodes := byObj[o]
		recs := make([]map[string]any, len(nodes))
		for i, n := range nodes {
			recs[i] = n.values
		}
		rs, err := a.records.Create(ctx, o.Name, recs, record.WriteOptions{AllOrNone: true})
		if err != nil {
			if rapport.ErrorCode(err) == rapport.Internal {
				return nil, created, err
			}
			errs = append(errs, treeError{nodes[0].ref, err})
			continue
		}
		for i, res := range rs {
			switch {
			case res.Err == nil:
				nodes[i].id = res.ID
				created = append(created, res.ID)
			case rapport.ErrorCode(res.Err) != rapport.AllOrNoneOperationRolledBack:
				errs = append(errs, treeError{nodes[i].ref, res.Err})
			}
		}
		if len(errs) > 0 {
			// The call was all-or-none: nothing of it was kept.
			for _, n := range nodes {
				if n.id != "" {
					created = created[:len(created)-1]
					n.id = ""
				}
			}
			return errs, created, nil
		}
	}
	return errs, created, nil
}

func (a *API) writeTreeErrors(w http.ResponseWriter, r *http.Request, errs []treeError) {
	results := make([]object, len(errs))
	for i, e := range errs {
		var ref any
		if e.ref != "" {
			ref = e.ref
		}
		results[i] = object{{"referenceId", ref}, {"errors", []saveError{a.saveErrorOf(r.Context(), e.err)}}}
	}
	writeJSON(w, http.StatusBadRequest, object{{"hasErrors", true}, {"results", results}})
}
