// Starts a real `rapport serve` for a test file: a fresh data directory in
// a temporary folder, an org and a connected app made with the rapport
// command, and the server on a free loopback port. The server logs every
// request at debug level; requests() reads that log back and dump() prints
// it when a test failed.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// binary returns the rapport binary: $RAPPORT_BIN, or one built now into dir.
function binary(dir) {
  if (process.env.RAPPORT_BIN) return process.env.RAPPORT_BIN;
  const bin = join(dir, 'rapport');
  execFileSync('go', ['build', '-o', bin, './cmd/rapport'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  return bin;
}

function run(bin, args, input) {
  const out = execFileSync(bin, args, {
    input,
    env: { ...process.env, RAPPORT_LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return JSON.parse(out.toString());
}

// startRapport creates an org and a connected app in a new data directory,
// starts the server, and resolves once it listens.
export async function startRapport({ name = 'Client Tests' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-clients-'));
  const bin = binary(dir);
  const data = join(dir, 'data');
  const username = `admin.${randomBytes(4).toString('hex')}@clients.test`;
  const password = `Pw ${randomBytes(6).toString('hex')} 9`;
  // UTC, so that the tests compute TODAY as the server does.
  const org = run(bin, ['org', 'create', '--data', data, '--name', name, '--username', username,
    '--password', '-', '--time-zone', 'UTC'], password + '\n');
  const app = run(bin, ['connected-app', 'create', '--data', data, '--org', org.orgId, '--name', 'Client tests']);

  const logFile = join(dir, 'server.log');
  const log = createWriteStream(logFile);
  const child = spawn(bin, ['serve', '--data', data, '--addr', '127.0.0.1:0'], {
    env: { ...process.env, RAPPORT_LOG_LEVEL: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.pipe(log);
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  // If the test process dies before stop(), the server goes with it.
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  const url = await new Promise((res, rej) => {
    let out = '';
    const timer = setTimeout(() => rej(new Error('rapport serve did not start within 30s:\n' + out)), 30000);
    child.stdout.on('data', (b) => {
      out += b;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        res(m[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`rapport serve exited (${code ?? signal}) before listening:\n${out}\n${readLog(logFile)}`));
    });
  });

  return {
    url,
    orgId: org.orgId,
    userId: org.userId,
    username,
    password,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    dir,
    // requests lists the requests the server logged so far.
    requests() {
      return readLog(logFile).split('\n').filter((l) => / msg=request /.test(l)).map(parseLine);
    },
    // dump prints the server's log to stderr.
    dump(why) {
      process.stderr.write(`\n---- rapport serve log (${why}) ----\n${readLog(logFile)}---- end of log ----\n`);
    },
    async stop() {
      process.removeListener('exit', orphan);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20000);
        await exited;
        clearTimeout(t);
      }
      await new Promise((res) => log.end(res));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

// parseLine reads one slog text line into an object of its keys.
function parseLine(line) {
  const out = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S*)/g)) {
    out[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
  }
  if (out.status) out.status = Number(out.status);
  return out;
}

// failureWatch records which tests of a file failed, so that the server
// log is printed once, at the end, when any did.
export function failureWatch(server) {
  let failed = [];
  return {
    // wrap wraps a test body so that a failure is remembered.
    wrap(name, fn) {
      return async (t) => {
        try {
          await fn(t);
        } catch (err) {
          failed.push(name);
          throw err;
        }
      };
    },
    report() {
      if (failed.length > 0) server.dump(`failed: ${failed.join(', ')}`);
    },
  };
}
