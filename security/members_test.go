package security

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/rapportcrm/rapport"
)

// benchData is an org of 1,000 users in a five-level hierarchy of 341 roles.
func benchData() *Data {
	d := NewData()
	r := rand.New(rand.NewPCG(1, 2))
	var levels [][]rapport.ID
	var parents []rapport.ID
	for depth, n := range []int{1, 4, 16, 64, 256} {
		var ids []rapport.ID
		for i := 0; i < n; i++ {
			id := rapport.ID(fmt.Sprintf("00E%d_%d", depth, i))
			role := &Role{ID: id}
			if depth > 0 {
				role.Parent = parents[i/4]
			}
			d.Roles[id] = role
			ids = append(ids, id)
		}
		levels = append(levels, ids)
		parents = ids
	}
	for i := 0; i < 1000; i++ {
		depth := []int{1, 2, 3, 3, 4, 4, 4, 4, 4, 4}[i%10]
		id := rapport.ID(fmt.Sprintf("005%d", i))
		d.Users[id] = &User{ID: id, Role: levels[depth][r.IntN(len(levels[depth]))], Active: true}
	}
	return d
}

func BenchmarkMembers(b *testing.B) {
	d := benchData()
	n := 0
	for b.Loop() {
		n = len(d.Members())
	}
	b.ReportMetric(float64(n), "members")
}
