// Package bulkapi serves Salesforce's Bulk API 2.0 under
// /services/data/vNN.0/jobs: ingest jobs (insert, update, upsert by
// external ID, delete, hardDelete) and query jobs (query, queryAll), as
// jsforce's bulk2 and sf data import/upsert/delete/export bulk use them.
//
// # Endpoints
//
//	POST   jobs/ingest                      create; JobInfo in state Open
//	PUT    jobs/ingest/{id}/batches         the CSV data, once per job; 201
//	PATCH  jobs/ingest/{id}                 {"state":"UploadComplete"|"Aborted"}
//	GET    jobs/ingest/{id}                 JobInfo with progress
//	GET    jobs/ingest/{id}/successfulResults   "sf__Id","sf__Created",<input columns>
//	GET    jobs/ingest/{id}/failedResults       "sf__Id","sf__Error",<input columns>
//	GET    jobs/ingest/{id}/unprocessedrecords  <input columns> of rows never written
//	DELETE jobs/ingest/{id}                 204
//	GET    jobs/ingest[?queryLocator=]      {"done","records":[JobInfo],"nextRecordsUrl"}
//	POST   jobs/query                       create; state UploadComplete, queued
//	GET    jobs/query/{id}/results[?locator=&maxRecords=]  CSV page; Sforce-Locator, Sforce-NumberOfRecords
//	PATCH, GET, DELETE jobs/query/{id}, GET jobs/query   as for ingest
//
// Errors are Salesforce's array [{"errorCode","message"}]: an unknown job
// is 404 NOT_FOUND, a bad job definition 400 INVALIDJOB (also for a second
// upload), a call the job's state forbids 400 INVALIDJOBSTATE, data over
// Options.MaxUpload 413 REQUEST_ENTITY_TOO_LARGE, and hardDelete for a
// principal Options.CanHardDelete refuses 400 FEATURENOTENABLED.
//
// # States
//
//	Open ──upload, close──▶ UploadComplete ──scan──▶ InProgress ──all chunks──▶ JobComplete
//	Open, UploadComplete, InProgress ──abort──▶ Aborted
//	UploadComplete, InProgress ──bad data or a chunk out of retries──▶ Failed
//
// A query job starts in UploadComplete. A job is deleted only when final
// (an ingest job also in UploadComplete); its data, results and chunk
// records go with it.
//
// # CSV
//
// UTF-8 (a byte-order mark is dropped), a header row of field API names,
// RFC 4180 quoting read by encoding/csv with the job's columnDelimiter
// (COMMA, TAB, PIPE, SEMICOLON, CARET, BACKQUOTE); values are not trimmed.
// The header line must end as the job's lineEnding says (LF or CRLF), or
// the job fails with ClientInputError. An empty value leaves a field as it
// is (update, upsert) or takes its default (insert); #N/A sets null.
// Relationship columns name a parent by one of its fields:
// Account.ExtId__c, ReportsTo.Email, Owner.Id, and for a polymorphic
// lookup Type:Relationship.Field (Lead:Who.Email); the type prefix on a
// plain lookup is an error. The parent's field must be Id, an external ID,
// a unique field, its name field or an email field (Salesforce's idLookup
// fields); the values are resolved in one query per column and chunk, and
// a value with no parent fails its row with INVALID_FIELD. delete and
// hardDelete read the Id column and ignore others.
//
// Job-level problems (malformed CSV, an unknown column, a wrong delimiter
// or line ending, no data) fail the job with errorMessage before anything
// is written: processing scans the whole file first. Row-level problems (a
// ragged row, a bad value, a missing parent, validation, duplicates) fail
// that row only, in failedResults with sf__Error "CODE:message:fields --";
// the other rows are written.
//
// # Processing and crash safety
//
// Work runs on the persistent job queue (package jobs) in the system
// database: closing a job queues a bulk.ingest task, which scans the data
// and queues one bulk.chunk task per Options.ChunkSize rows (5,000); a
// query job queues a bulk.query task. Chunks run in parallel, as many as
// the runner has workers, each as the job's user (rapport.Principal of
// the job's creator), through record.Service, so validation, defaults,
// derived fields, history and access checks apply as for single records.
//
// Each chunk is one transaction of the org's namespace: its records, and,
// through record.WriteOptions.Then, a row of _bulk_chunk holding the
// chunk's results, keyed by (job, chunk). A chunk that runs again (after a
// crash, or a lease lost) finds its row, or collides with it on commit and
// is rolled back, so every input row is written and reported exactly once.
// Progress and the final counts are sums over _bulk_chunk; the job
// completes when every chunk has its row.
//
// Uploaded data and query results are stored durably before they are
// used: under a directory (DirBlobs; DATA/bulk/<jobId>/ on SQLite) or in
// the system database in 1 MB pieces (SQLBlobs; PostgreSQL, where any
// server process may work any job). Result files of ingest jobs are not
// stored: they are the input rows of each chunk joined with its results.
//
// # Query results
//
// A query job runs the SOQL as its user and stores the whole result as
// CSV: header of field paths (Id, Account.Name), values double-quoted,
// null empty, booleans true/false, datetimes 2006-01-02T15:04:05.000Z,
// with an index of every 1,000th row's offset. Without maxRecords a page
// holds every remaining row (jsforce cannot read more than one page); the
// last page sends "Sforce-Locator: null". Every page repeats the header.
// Subqueries, aggregates, GROUP BY and OFFSET are refused at creation.
package bulkapi
