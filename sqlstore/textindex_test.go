package sqlstore

import (
	"reflect"
	"testing"
)

// The migrations keep their places: an org's layout version counts the
// entries it has had, so an entry moved or inserted would run the wrong
// migration on existing orgs.
func TestMigrationOrder(t *testing.T) {
	want := []any{bulkChunkTable, securityTables, searchMigration, referenceIndexMigration, rollupMigration, nameStatsMigration}
	if len(orgMigrations) != 1+len(want) {
		t.Fatalf("%d org migrations, want %d: append new ones and update this test", len(orgMigrations), 1+len(want))
	}
	for i, fn := range want {
		if reflect.ValueOf(orgMigrations[i+1]).Pointer() != reflect.ValueOf(fn).Pointer() {
			t.Errorf("org migration %d moved", i+2)
		}
	}
}

func TestSearchDocRange(t *testing.T) {
	var last int64 = -1
	for _, prefix := range []string{"000", "001", "003", "00Q", "00a", "a0B", "zzz"} {
		lo, hi := SearchDocRange(prefix)
		if lo <= last || hi <= lo {
			t.Errorf("SearchDocRange(%q) = %d, %d after %d", prefix, lo, hi, last)
		}
		last = hi
	}
	if _, hi := SearchDocRange("zzz"); hi < 0 {
		t.Errorf("SearchDocRange(zzz) overflows: %d", hi)
	}
}
