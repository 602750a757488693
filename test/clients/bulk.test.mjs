// Bulk API 2.0 from the real clients against a real rapport serve:
// jsforce's bulk2 (load, upsert, delete, query) and the sf CLI's
// data import/upsert/export/delete bulk.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsforce from 'jsforce';
import { startRapport, failureWatch } from './lib/rapport.mjs';
import { sfHome, ok } from './lib/sf.mjs';

const server = await startRapport({ name: 'bulk tests' });
const watch = failureWatch(server);
const { home, sf, remove } = sfHome();
after(async () => {
  watch.report();
  await server.stop();
  remove();
});

const it = (name, fn) => test(name, watch.wrap(name, fn));

const ORG = 'bulk';
let conn;

before(async () => {
  conn = new jsforce.Connection({ loginUrl: server.url });
  await conn.login(server.username, server.password);
  conn.bulk2.pollInterval = 200;
  conn.bulk2.pollTimeout = 120000;
});

// count counts records with a REST query.
async function count(where) {
  const res = await conn.query(`SELECT Id FROM Contact WHERE ${where}`);
  return res.totalSize;
}

// records reads a bulk2 query's record stream to its end.
function drain(stream) {
  return new Promise((res, rej) => {
    const out = [];
    stream.on('record', (r) => out.push(r));
    stream.on('end', () => res(out));
    stream.on('error', rej);
  });
}

// ---- jsforce bulk2 ----

it('jsforce bulk2 loads, upserts, queries and deletes', async () => {
  const input = [];
  for (let i = 0; i < 1200; i++) {
    input.push({ LastName: `Jsf${String(i).padStart(4, '0')}`, FirstName: i % 2 ? 'Odd, "quoted"' : null, Email: i === 7 ? 'not-an-email' : `jsf${i}@example.com` });
  }
  const res = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input });
  assert.equal(res.successfulResults.length, 1199);
  assert.equal(res.failedResults.length, 1);
  assert.equal(res.unprocessedRecords.length, 0);
  assert.match(res.failedResults[0].sf__Error, /^INVALID_EMAIL_ADDRESS:.*:Email --$/);
  assert.equal(res.failedResults[0].LastName, 'Jsf0007');
  for (const r of res.successfulResults) {
    assert.match(r.sf__Id, /^003\w{15}$/);
    assert.equal(r.sf__Created, 'true');
  }
  assert.equal(await count("LastName LIKE 'Jsf%'"), 1199);
  assert.equal(await count("LastName LIKE 'Jsf%' AND FirstName = null"), 600); // null went as #N/A

  // Upsert by Id: every row an update.
  const ups = res.successfulResults.slice(0, 10).map((r) => ({ Id: r.sf__Id, Title: 'Upserted' }));
  const up = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'upsert', externalIdFieldName: 'Id', input: ups });
  assert.equal(up.successfulResults.length, 10);
  assert.ok(up.successfulResults.every((r) => r.sf__Created === 'false'));
  assert.equal(await count("Title = 'Upserted'"), 10);

  // Query, one page, quoted values back as they went in.
  const rows = await drain(await conn.bulk2.query("SELECT Id, LastName, FirstName FROM Contact WHERE LastName LIKE 'Jsf%' ORDER BY LastName"));
  assert.equal(rows.length, 1199);
  assert.equal(rows[1].LastName, 'Jsf0001');
  assert.equal(rows[1].FirstName, 'Odd, "quoted"');

  // Delete half of them.
  const del = res.successfulResults.slice(0, 600).map((r) => ({ Id: r.sf__Id }));
  const gone = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'delete', input: del });
  assert.equal(gone.successfulResults.length, 600);
  assert.equal(await count("LastName LIKE 'Jsf%'"), 599);
});

it('jsforce bulk2 reports a failed job', async () => {
  await assert.rejects(
    conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input: 'LastName,Nope__c\nA,1\n' }),
    (err) => {
      assert.match(err.message, /Field name not found : Nope__c/);
      return true;
    },
  );
});

// ---- sf data … bulk ----

it('sf data import, upsert, export and delete bulk', async () => {
  const token = conn.accessToken;
  ok(await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--no-prompt', '--alias', ORG, '--json'], { SF_ACCESS_TOKEN: token }), 'login');

  const file = join(home, 'contacts.csv');
  let csv = 'LastName,FirstName,Email\n';
  for (let i = 0; i < 2500; i++) csv += `Sfb${String(i).padStart(4, '0')},"Sf, ${i}",sfb${i}@example.com\n`;
  writeFileSync(file, csv);
  const imp = ok(await sf(['data', 'import', 'bulk', '--file', file, '--sobject', 'Contact', '--wait', '5', '--target-org', ORG, '--json']), 'data import bulk');
  assert.equal(imp.processedRecords, 2500);
  assert.equal(imp.successfulRecords, 2500);
  assert.equal(imp.failedRecords, 0);
  assert.equal(await count("LastName LIKE 'Sfb%'"), 2500);

  // Export them, as CSV.
  const out = join(home, 'export.csv');
  const exp = ok(await sf(['data', 'export', 'bulk', '--query', "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Sfb%' ORDER BY LastName",
    '--output-file', out, '--wait', '5', '--target-org', ORG, '--json']), 'data export bulk');
  assert.equal(exp.totalSize, 2500);
  const lines = readFileSync(out, 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, 2501);
  assert.match(lines[0], /^"?Id"?,"?LastName"?$/);
  const ids = lines.slice(1).map((l) => l.split(',')[0].replaceAll('"', ''));

  // Upsert by Id: a new title for the first 100.
  const upFile = join(home, 'upsert.csv');
  writeFileSync(upFile, 'Id,Title\n' + ids.slice(0, 100).map((id) => `${id},Bulk upserted`).join('\n') + '\n');
  // (sf data upsert and delete bulk answer {jobInfo, records}.)
  const up = ok(await sf(['data', 'upsert', 'bulk', '--file', upFile, '--sobject', 'Contact', '--external-id', 'Id', '--wait', '5', '--target-org', ORG, '--json']), 'data upsert bulk');
  assert.equal(up.jobInfo.state, 'JobComplete');
  assert.equal(up.jobInfo.numberRecordsProcessed, 100);
  assert.equal(up.records.successfulResults.length, 100);
  assert.ok(up.records.successfulResults.every((r) => r.sf__Created === 'false'));
  assert.equal(await count("Title = 'Bulk upserted'"), 100);

  // Delete the rest.
  const delFile = join(home, 'delete.csv');
  writeFileSync(delFile, 'Id\n' + ids.slice(100).join('\n') + '\n');
  const del = ok(await sf(['data', 'delete', 'bulk', '--file', delFile, '--sobject', 'Contact', '--wait', '5', '--target-org', ORG, '--json']), 'data delete bulk');
  assert.equal(del.jobInfo.numberRecordsProcessed, 2400);
  assert.equal(del.jobInfo.numberRecordsFailed, 0);
  assert.equal(await count("LastName LIKE 'Sfb%'"), 100);
});
