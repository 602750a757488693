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
