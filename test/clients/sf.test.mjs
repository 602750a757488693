// The Salesforce CLI (sf), unchanged, against a real rapport serve: login
// with an access token, then the data and sobject commands with --json.
// sf runs on the Node.js 22 of node_modules, in a throw-away HOME, with
// telemetry, update checks and release notes off, and no proxy: it talks
// only to the server on the loopback interface.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startRapport, failureWatch } from './lib/rapport.mjs';
import { sfHome, ok, accessToken } from './lib/sf.mjs';

const server = await startRapport({ name: 'sf tests' });
// Search is being built: until /search is served its test is a TODO. (Ask
// before any test is declared: node:test may start running them at the
// first await after that.)
const searchServed = await (async () => {
  const res = await fetch(`${server.url}/services/data/v64.0/search?q=${encodeURIComponent('FIND {Probe}')}`, {
    headers: { Authorization: `Bearer ${await accessToken(server)}` },
  });
  return res.status !== 404;
})();
const watch = failureWatch(server);
const { home, sf, remove } = sfHome();
after(async () => {
  watch.report();
  await server.stop();
  remove();
});

const it = (name, fn) => test(name, watch.wrap(name, fn));

const ORG = 'rapport';
let token;

before(async () => {
  token = await accessToken(server);
});

// requestsSince lists the requests the server logged after mark.
const mark = () => server.requests().length;
const requestsSince = (n) => server.requests().slice(n);

// noFailures checks that sf got no 404, 405 or 5xx: everything it asked
// was served.
function noFailures(reqs, what) {
  const bad = reqs.filter((r) => r.status >= 500 || r.status === 404 || r.status === 405);
  assert.deepEqual(bad.map((r) => `${r.method} ${r.path}?${r.params} ${r.status}`), [], `${what} got failures`);
}

it('sf org login access-token', async () => {
  const m = mark();
  const r = await sf(['org', 'login', 'access-token', '--instance-url', server.url, '--no-prompt', '--alias', ORG, '--json'], {
    SF_ACCESS_TOKEN: token,
  });
  const res = ok(r, 'org login access-token');
  assert.equal(res.username, server.username);
  assert.equal(res.orgId, server.orgId);
  assert.equal(res.instanceUrl.replace(/\/$/, ''), server.url);
  assert.equal(res.isDevHub, false); // the ScratchOrgInfo probe was refused
  assert.equal(res.isSandbox, false);
  assert.equal(res.name, 'sf tests'); // from the Organization query
  assert.equal(res.orgEdition, 'Enterprise Edition');
  assert.match(res.instanceApiVersion, /^[1-9]\d\.0$/);

  // What sf asked for on the way, and what it got.
  const reqs = requestsSince(m);
  const seen = (method, path, status) => reqs.some((q) => q.method === method && path.test(q.path) && q.status === status);
  assert.ok(seen('GET', /^\/services\/oauth2\/userinfo$/, 200), 'no userinfo');
  assert.ok(seen('GET', new RegExp(`^/services/data/v\\d\\d\\.0/sobjects/User/${server.userId}$`), 200), 'no User fetch');
  assert.ok(seen('GET', /^\/services\/data\/v\d\d\.0\/query$/, 400), 'no refused ScratchOrgInfo probe');
  assert.ok(seen('GET', /^\/services\/data\/?$/, 200), 'no version list');
  noFailures(reqs, 'login');
});

it('sf with the access token as --target-org, without a login', async () => {
  const fresh = sfHome();
  try {
    const t = await accessToken(server);
    const res = ok(
      await fresh.sf(['data', 'query', '-o', t, '-q', `SELECT Id, Username FROM User WHERE Id = '${server.userId}'`, '--json'], {
        SF_ORG_INSTANCE_URL: server.url,
      }),
      'query with a token as the org',
    );
    assert.equal(res.totalSize, 1);
    assert.equal(res.records[0].Username, server.username);
  } finally {
    fresh.remove();
  }
});

let id;

it('sf data create record', async () => {
  const m = mark();
  const res = ok(
    await sf(['data', 'create', 'record', '-o', ORG, '-s', 'Account', '-v', "Name='SF Co' NumberOfEmployees=5 Phone='555 0100'", '--json']),
    'data create record',
  );
  assert.equal(res.success, true);
  assert.match(res.id, /^001\w{15}$/);
  id = res.id;
  noFailures(requestsSince(m), 'create');
});

it('sf data get record, by id and by --where', async () => {
  const byId = ok(await sf(['data', 'get', 'record', '-o', ORG, '-s', 'Account', '-i', id, '--json']), 'get by id');
  assert.equal(byId.Id, id);
  assert.equal(byId.Name, 'SF Co');
  assert.equal(byId.NumberOfEmployees, 5); // sf sent "5": coerced to the field's type
  assert.equal(byId.Phone, '555 0100');
  assert.equal(byId.attributes.type, 'Account');
  const byWhere = ok(await sf(['data', 'get', 'record', '-o', ORG, '-s', 'Account', '-w', "Name='SF Co'", '--json']), 'get by where');
  assert.equal(byWhere.Id, id);
});

it('sf data update record', async () => {
  const res = ok(
    await sf(['data', 'update', 'record', '-o', ORG, '-s', 'Account', '-i', id, '-v', "Name='SF Two' NumberOfEmployees=7", '--json']),
    'update by id',
  );
  assert.equal(res.success, true);
  assert.equal(res.id, id);
  const got = ok(await sf(['data', 'get', 'record', '-o', ORG, '-s', 'Account', '-i', id, '--json']), 'get');
  assert.equal(got.Name, 'SF Two');
  assert.equal(got.NumberOfEmployees, 7);
  ok(await sf(['data', 'update', 'record', '-o', ORG, '-s', 'Account', '-w', "Name='SF Two'", '-v', "Phone='555 0199'", '--json']), 'update by where');
  const again = ok(await sf(['data', 'get', 'record', '-o', ORG, '-s', 'Account', '-i', id, '--json']), 'get');
  assert.equal(again.Phone, '555 0199');
});

it('sf data query, with columns=true and parent fields', async () => {
  ok(await sf(['data', 'create', 'record', '-o', ORG, '-s', 'Contact', '-v', `LastName='Sfc One' AccountId='${id}'`, '--json']), 'create contact');
  ok(await sf(['data', 'create', 'record', '-o', ORG, '-s', 'Contact', '-v', `LastName='Sfc Two' AccountId='${id}'`, '--json']), 'create contact');
  const m = mark();
  const res = ok(
    await sf(['data', 'query', '-o', ORG, '-q', "SELECT Id, Name, NumberOfEmployees, Owner.Name FROM Account WHERE Name LIKE 'SF%'", '--json']),
    'data query',
  );
  assert.equal(res.totalSize, 1);
  assert.equal(res.done, true);
  assert.equal(res.records[0].Id, id);
  assert.equal(res.records[0].Name, 'SF Two');
  assert.equal(res.records[0].NumberOfEmployees, 7);
  assert.equal(res.records[0].Owner.Name, 'Administrator');
  const reqs = requestsSince(m);
  assert.ok(reqs.some((r) => /\/query$/.test(r.path) && r.params === 'columns,q' && r.status === 200), 'no columns=true call');
  noFailures(reqs, 'query');

  // The table and CSV formats are laid out from columnMetadata.
  const csv = await sf(['data', 'query', '-o', ORG, '-r', 'csv', '-q', "SELECT Name, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name LIKE 'SF%'"]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trim().split('\n');
  // sf flattens a child subquery into totalSize and records.N columns.
  assert.deepEqual(lines[0].split(','), [
    'Name',
    'Owner.Name',
    'Contacts.totalSize',
    'Contacts.records.0.LastName',
    'Contacts.totalSize',
    'Contacts.records.1.LastName',
  ]);
  assert.deepEqual(lines.slice(1), ['SF Two,Administrator,2,Sfc One,2,Sfc Two']);

  const agg = ok(
    await sf(['data', 'query', '-o', ORG, '-q', "SELECT AccountId, COUNT(Id) FROM Contact WHERE LastName LIKE 'Sfc%' GROUP BY AccountId", '--json']),
    'aggregate query',
  );
  assert.deepEqual(agg.records.map(({ AccountId, expr0 }) => ({ AccountId, expr0 })), [{ AccountId: id, expr0: 2 }]);
});

// In columnMetadata a GROUP BY field is not an aggregate: sf renames expr0,
// expr1, … after the columns marked aggregate.
it('sf data query: GROUP BY in the CSV format', async () => {
  const r = await sf(['data', 'query', '-o', ORG, '-r', 'csv', '-q', "SELECT AccountId, COUNT(Id) FROM Contact WHERE LastName LIKE 'Sfc%' GROUP BY AccountId"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['AccountId,count(Id)', `${id},2`]);
});

it('sf data query follows locators past 2,000 rows', async () => {
  const n = 2100;
  for (let i = 0; i < n; i += 200) {
    const records = Array.from({ length: Math.min(200, n - i) }, (_, j) => ({
      attributes: { type: 'Contact' },
      LastName: `SfBulk ${String(i + j).padStart(4, '0')}`,
    }));
    const res = await fetch(`${server.url}/services/data/v64.0/composite/sobjects`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ allOrNone: true, records }),
    });
    assert.equal(res.status, 200);
    assert.ok((await res.json()).every((r) => r.success));
  }
  const m = mark();
  const res = ok(
    await sf(['data', 'query', '-o', ORG, '-q', "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'SfBulk%' ORDER BY LastName", '--json']),
    'big query',
  );
  assert.equal(res.totalSize, n);
  assert.equal(res.records.length, n);
  assert.equal(res.records[n - 1].LastName, `SfBulk ${n - 1}`);
  assert.equal(new Set(res.records.map((r) => r.Id)).size, n);
  assert.ok(requestsSince(m).some((r) => /\/query\/[^/]+$/.test(r.path) && r.status === 200), 'no queryMore call');
});

it('sf data export tree, then import tree', async () => {
  const out = join(home, 'tree');
  const exp = ok(
    await sf(['data', 'export', 'tree', '-o', ORG, '--plan', '--output-dir', out, '-q',
      "SELECT Id, Name, NumberOfEmployees, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name = 'SF Two'", '--json']),
    'export tree',
  );
  assert.ok(exp, 'no export result');
  const imp = ok(await sf(['data', 'import', 'tree', '-o', ORG, '--plan', join(out, 'Account-Contact-plan.json'), '--json']), 'import tree');
  assert.deepEqual(imp.map((r) => r.type).sort(), ['Account', 'Contact', 'Contact']);
  const copy = imp.find((r) => r.type === 'Account').id;
  assert.notEqual(copy, id);
  const q = ok(
    await sf(['data', 'query', '-o', ORG, '-q', `SELECT Name, NumberOfEmployees, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = '${copy}'`, '--json']),
    'query copy',
  );
  assert.equal(q.records[0].Name, 'SF Two');
  assert.equal(q.records[0].NumberOfEmployees, 7);
  assert.deepEqual(q.records[0].Contacts.records.map((r) => r.LastName), ['Sfc One', 'Sfc Two']);
});

it('sf data query --use-tooling-api: an unknown Tooling object is INVALID_TYPE', async () => {
  const r = await sf(['data', 'query', '-o', ORG, '--use-tooling-api', '-q', 'SELECT Id FROM SandboxProcess', '--json']);
  assert.equal(r.json?.status, 1, r.stdout);
  assert.equal(r.json.name, 'INVALID_TYPE');
});

if (searchServed) {
  it('sf data search', async () => {
    const res = ok(await sf(['data', 'search', '-o', ORG, '-q', 'FIND {Sfc} RETURNING Contact(LastName ORDER BY LastName)', '--json']), 'data search');
    const q = ok(await sf(['data', 'query', '-o', ORG, '-q', "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Sfc %' ORDER BY LastName, Id", '--json']), 'query');
    assert.ok(q.totalSize >= 2);
    assert.deepEqual(
      res.searchRecords.map((r) => [r.attributes.type, r.LastName]),
      q.records.map((r) => ['Contact', r.LastName]),
    );
  });
} else {
  test.todo('sf data search: /search is not served yet');
}

it('sf sobject describe and list', async () => {
  const d = ok(await sf(['sobject', 'describe', '-o', ORG, '-s', 'Account', '--json']), 'sobject describe');
  assert.equal(d.name, 'Account');
  assert.equal(d.keyPrefix, '001');
  const name = d.fields.find((f) => f.name === 'Name');
  assert.equal(name.type, 'string');
  assert.ok(d.childRelationships.some((r) => r.relationshipName === 'Contacts'));
  const list = ok(await sf(['sobject', 'list', '-o', ORG, '--sobject', 'all', '--json']), 'sobject list');
  assert.ok(list.includes('Account') && list.includes('Contact'), JSON.stringify(list).slice(0, 200));
});

it('sf data delete record, then query --all-rows', async () => {
  const res = ok(await sf(['data', 'delete', 'record', '-o', ORG, '-s', 'Account', '-i', id, '--json']), 'delete');
  assert.equal(res.success, true);
  const gone = await sf(['data', 'get', 'record', '-o', ORG, '-s', 'Account', '-i', id, '--json']);
  assert.notEqual(gone.code, 0);
  assert.equal(gone.json.status, 1);
  const live = ok(await sf(['data', 'query', '-o', ORG, '-q', `SELECT Id FROM Account WHERE Id = '${id}'`, '--json']), 'query');
  assert.equal(live.totalSize, 0);
  const all = ok(
    await sf(['data', 'query', '-o', ORG, '--all-rows', '-q', `SELECT Id, IsDeleted FROM Account WHERE Id = '${id}'`, '--json']),
    'query --all-rows',
  );
  assert.equal(all.totalSize, 1);
  assert.equal(all.records[0].IsDeleted, true);
});

it('sf org display', async () => {
  const res = ok(await sf(['org', 'display', '-o', ORG, '--json']), 'org display');
  assert.equal(res.id, server.orgId);
  assert.equal(res.username, server.username);
  assert.equal(res.connectedStatus, 'Connected');
});
