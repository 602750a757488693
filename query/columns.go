package query

import (
	"context"
	"strings"

	"github.com/rapportcrm/rapport/metadata"
)

// Columns describes what a query selects, for Salesforce's columnMetadata.
func (s *Service) Columns(ctx context.Context, src string) ([]Column, error) {
	pq, err := s.prepare(ctx, src)
	if err != nil {
		return nil, err
	}
	p := pq.p
	if p.countOnly {
		return []Column{}, nil
	}
	if p.aggregate {
		out := make([]Column, len(p.out))
		for i, n := range p.out {
			col := Column{Name: n.name, DisplayName: n.name, Aggregate: true}
			if c, ok := n.aggOp.(*call); ok {
				col.DisplayName = strings.ToLower(c.name) + "(" + argName(c) + ")"
				if !isAggregate(c.name) {
					col.Aggregate = false
				}
				col.Type, col.Numeric = "Integer", true
				if c.out.field != nil && !c.out.count {
					col.Type = apexType(c.out.field)
				}
			} else if n.field != nil {
				// A GROUP BY field is not an aggregate: the sf CLI numbers
				// its exprN columns by the ones that are.
				col = fieldColumn(n.name, n.field)
			}
			out[i] = col
		}
		return out, nil
	}
	return nodeColumns(p.out), nil
}

func argName(c *call) string {
	if c.arg == nil {
		return ""
	}
	if r, ok := c.arg.(*fieldRef); ok && r.field != nil {
		return r.field.Name
	}
	return ""
}

func nodeColumns(nodes []*node) []Column {
	out := make([]Column, 0, len(nodes))
	for _, n := range nodes {
		switch {
		case n.child != nil:
			out = append(out, Column{Name: n.name, DisplayName: n.name, Aggregate: true, Join: nodeColumns(n.child.p.out)})
		case n.rel:
			fields := n.fields
			if n.typeOf != nil {
				fields = n.typeElse
				for _, fs := range n.typeOf {
					fields = append(fields, fs...)
				}
			}
			fk := ""
			if n.field != nil {
				fk = n.field.Name
			}
			out = append(out, Column{Name: n.name, DisplayName: n.name, ForeignKey: fk, Type: "", Join: nodeColumns(fields)})
		default:
			if n.field == nil {
				out = append(out, Column{Name: n.name, DisplayName: n.name, Type: "String", Text: true})
				continue
			}
			out = append(out, fieldColumn(n.name, n.field))
		}
	}
	return out
}

func fieldColumn(name string, f *metadata.Field) Column {
	c := Column{Name: name, DisplayName: name, Type: apexType(f), Custom: f.Custom,
		Insertable: f.Writable(true), Updatable: f.Writable(false)}
	switch f.Storage() {
	case metadata.StoreDecimal:
		c.Numeric = true
	case metadata.StoreBool:
		c.Boolean = true
	case metadata.StoreText, metadata.StoreID:
		c.Text = true
	}
	return c
}

// apexType names a field's type as Apex does.
func apexType(f *metadata.Field) string {
	switch f.Storage() {
	case metadata.StoreDecimal:
		if f.Scale == 0 && f.Precision > 0 && f.Precision <= 9 {
			return "Integer"
		}
		return "Double"
	case metadata.StoreBool:
		return "Boolean"
	case metadata.StoreDate:
		return "Date"
	case metadata.StoreDateTime:
		return "Datetime"
	case metadata.StoreTime:
		return "Time"
	case metadata.StoreID:
		return "Id"
	}
	return "String"
}
