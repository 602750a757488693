package sqlstore

import (
	"reflect"
	"testing"
)

// The index's migration must be the last one, after those appended by
// other files' init functions, so that orgs migrated before it existed run
// it and nothing else.
func TestSearchMigrationIsLast(t *testing.T) {
	last := orgMigrations[len(orgMigrations)-1]
	if reflect.ValueOf(last).Pointer() != reflect.ValueOf(searchMigration).Pointer() {
		t.Errorf("the last org migration is not searchMigration: %d migrations", len(orgMigrations))
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
