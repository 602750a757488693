// Runs the Salesforce CLI (sf) of node_modules on the Node.js 22 of
// node_modules, in a throw-away HOME, with telemetry, update checks and
// release notes off and no proxy: it talks only to the server on the
// loopback interface.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const clients = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(clients, 'node_modules', '.bin');
const run = join(clients, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');

// sfHome makes a throw-away HOME and returns sf, a function that runs one
// sf command there, and remove, which deletes the HOME.
export function sfHome() {
  const home = mkdtempSync(join(tmpdir(), 'rapport-sf-home-'));
  const env = (extra) => {
    const out = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (!/^(SF_|SFDX_|HTTPS?_PROXY|NO_PROXY|NODE_OPTIONS|XDG_)/i.test(k)) out[k] = v;
    }
    return {
      ...out,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      PATH: `${bin}:${process.env.PATH}`, // node is Node.js 22; sf spawns sf
      SF_DISABLE_TELEMETRY: 'true',
      SFDX_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_DISABLE_AUTOUPDATE: 'true',
      SFDX_DISABLE_DNS_CHECK: 'true',
      SF_DISABLE_DNS_CHECK: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_HIDE_RELEASE_NOTES: 'true',
      SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
      NO_COLOR: '1',
      ...extra,
    };
  };
  // sf runs one command; its stdout is parsed when it is JSON (--json).
  const sf = (args, extraEnv) =>
    new Promise((res) => {
      execFile(
        join(bin, 'node'),
        [run, ...args],
        { env: env(extraEnv), cwd: home, timeout: 240000, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          let json;
          try {
            json = JSON.parse(stdout);
          } catch {
            json = undefined;
          }
          res({ code: err ? (err.code ?? 1) : 0, stdout, stderr, json });
        },
      );
    });
  return { home, sf, remove: () => rmSync(home, { recursive: true, force: true }) };
}

// ok checks that an sf --json command succeeded and returns its result.
export function ok(r, what) {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  assert.ok(r.json, `${what} printed no JSON:\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.json.status, 0, `${what}: ${r.stdout}`);
  return r.json.result;
}

// accessToken gets an access token by the OAuth password grant with the
// server's connected app.
export async function accessToken(server) {
  const res = await fetch(`${server.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: server.clientId,
      client_secret: server.clientSecret,
      username: server.username,
      password: server.password,
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).access_token;
}
