// Package sqlstore implements record.Store and tenant.Directory once, over
// database/sql, for every SQL backend. A [Backend] (package sqlite or
// postgres) supplies what differs: connections and namespaces, column
// types, bind markers, value encoding and error codes. The SQL text emitted
// here is the common subset of SQLite and PostgreSQL, and is built only from
// physical names held in metadata and from bind parameters.
//
// Each org's namespace holds one table per object and these tables of its
// own:
//
//	_meta          key/value: schema version (org namespace layout) and metadata version
//	_counter       named counters: physical names, key prefixes, auto-numbers
//	_object        one row per object: its table and definition (JSON, fields apart)
//	_field         one row per field: its object's table, column and definition (JSON)
//	_history       field history, append-only
//	_bin           the recycle bin
//	_cleared_ref   lookups cleared by deletes, restored by undelete
//	_bulk_chunk    the results of each chunk of a bulk ingest job, written
//	               in the chunk's own transaction (bulk.go)
//	_search        the full-text index of SOSL: the words of each record of a
//	               searchable object, kept in every write's transaction (textindex.go)
//
// The system database also holds the job queue (queue_tasks; the DB is a
// jobs.Queue), bulk jobs (bulk_jobs) and, on PostgreSQL, their files in
// pieces (bulk_blobs).
package sqlstore
