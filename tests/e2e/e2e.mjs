// e2e.mjs: real browser softphones against the real sipwsd.
//
// Starts a private D-Bus session bus and sipwsd on a free loopback port (or
// uses the server named by SWS_E2E_SERVER), then headless Chromium with
// pages that each run a JsSIP user agent (page.js), and walks them through
// ten steps: register, MESSAGE, a call with media, D-Bus views of it, hang
// up, CANCEL, an unknown callee, Call.Hangup over D-Bus, a page closed
// mid-call, unregister. Output is TAP: one "ok"/"not ok" line per step,
// everything else -- the SIP messages each page sent and received, the
// pages' consoles (JsSIP's log), the daemon's --verbose log -- as
// time-stamped "#" lines in the order it happened.
//
// Run through run-e2e.sh, which checks the prerequisites and enters the
// network namespace.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { relay } from './relay.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const started = Date.now();

const BUS_NAME = 'org.sipws.Server1';
const ROOT = '/org/sipws/Server1';
const CALL_ACTIVE = 4;
const CALL_TERMINATED = 7;
const STEPS = 15;

const cfg = {
  server: process.env.SWS_E2E_SERVER || '',
  domain: process.env.SWS_E2E_DOMAIN || 'example.com',
  chromium: process.env.SWS_E2E_CHROMIUM || '/usr/bin/chromium',
  daemon: process.env.SWS_DAEMON || '',
  ctl: process.env.SWS_CTL || '',
  buildDir: process.env.SWS_E2E_BUILDDIR || '',
  netns: process.env.SWS_E2E_NETNS === 'inside',
  relaySocket: process.env.SWS_E2E_RELAY_SOCKET || '',
  stepTimeout: Number(process.env.SWS_E2E_STEP_TIMEOUT || 25) * 1000,
  suiteTimeout: Number(process.env.SWS_E2E_TIMEOUT || 170) * 1000,
};
const ownServer = cfg.server === '';

/* ---- output ------------------------------------------------------------ */

function elapsed() {
  return ((Date.now() - started) / 1000).toFixed(3).padStart(8);
}

function diag(source, text) {
  for (const line of String(text).split(/\r?\n/)) {
    if (line !== '')
      process.stdout.write(`# ${elapsed()} [${source}] ${line}\n`);
  }
}

function tap(line) {
  process.stdout.write(`${line}\n`);
}

function bailOut(reason) {
  tap(`Bail out! ${reason}`);
  process.exit(1);
}

/* ---- small helpers ----------------------------------------------------- */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Calls fn every `interval` ms until it returns something truthy; throws
// with the last value described when `timeout` runs out.
async function pollUntil(what, fn, { timeout = 5000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last && last.ok !== false)
        return last;
    } catch (err) {
      last = { error: err.message };
    }
    if (Date.now() >= deadline)
      throw new Error(`${what} (after ${timeout / 1000} s; last seen: ${JSON.stringify(last)})`);
    await sleep(interval);
  }
}

function run(cmd, args, { env = process.env, timeout = 10000 } = {}) {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port }, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

function lines(stream, cb) {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      cb(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (buf !== '')
      cb(buf);
  });
}

/* ---- the private bus and the daemon ------------------------------------ */

const sys = {
  tmp: '',
  bus: null,
  busAddress: '',
  daemon: null,
  daemonExit: null,
  wsUri: '',
  http: null,
  relay: null,
};

function busEnv() {
  return { ...process.env, DBUS_SESSION_BUS_ADDRESS: sys.busAddress };
}

async function startBus() {
  const bus = spawn('dbus-daemon',
    ['--session', '--nofork', '--print-address=1', `--address=unix:dir=${sys.tmp}`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  sys.bus = bus;
  lines(bus.stderr, (l) => {
    if (!/Failed to set fd limit/.test(l))
      diag('dbus-daemon', l);
  });
  sys.busAddress = await withTimeout(new Promise((resolve, reject) => {
    bus.once('error', reject);
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
    lines(bus.stdout, (l) => resolve(l.trim()));
  }), 10000, 'starting dbus-daemon');
  diag('suite', `private session bus at ${sys.busAddress}`);
}

async function startDaemon() {
  const port = await freePort();
  const config = path.join(sys.tmp, 'sipwsd.conf');
  // The defaults, whatever $XDG_CONFIG_HOME/sipws/sipwsd.conf says.
  fs.writeFileSync(config, '# sipws e2e: defaults only\n');
  sys.wsUri = `ws://127.0.0.1:${port}`;
  const env = { ...busEnv(), G_DEBUG: 'fatal-criticals' };
  delete env.G_MESSAGES_DEBUG;
  const daemon = spawn(cfg.daemon, ['--listen', sys.wsUri, '--config', config, '--verbose'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  sys.daemon = daemon;
  lines(daemon.stdout, (l) => diag('sipwsd', l));
  lines(daemon.stderr, (l) => diag('sipwsd', l));
  daemon.on('exit', (code, signal) => {
    sys.daemonExit = { code, signal };
    diag('suite', `sipwsd exited (status ${code}, signal ${signal})`);
  });
  await pollUntil('sipwsd to listen and own org.sipws.Server1', async () => {
    if (sys.daemonExit)
      throw new Error('sipwsd exited');
    if (!(await canConnect(port)))
      return false;
    const r = await dbus(['call', 'org.freedesktop.DBus', '/org/freedesktop/DBus',
      'org.freedesktop.DBus', 'NameHasOwner', 's', BUS_NAME]);
    return r.data[0] === true;
  }, { timeout: 10000, interval: 50 });
  // --verbose is "info"; the daemon's few debug lines help read a failure.
  await run('busctl', ['--user', 'set-property', BUS_NAME, ROOT, `${BUS_NAME}.Manager`,
    'LogLevel', 's', 'debug'], { env: busEnv() });
  diag('suite', `sipwsd ${cfg.daemon} listening on ${sys.wsUri}`);
}

async function stopDaemon() {
  if (!sys.daemon || sys.daemonExit)
    return;
  sys.daemon.kill('SIGTERM');
  try {
    await pollUntil('sipwsd to exit after SIGTERM', () => sys.daemonExit, { timeout: 5000 });
  } catch (err) {
    diag('suite', `${err.message}: killing it`);
    sys.daemon.kill('SIGKILL');
  }
}

/* ---- D-Bus, with busctl (JSON out) and gdbus ---------------------------- */

async function dbus(args) {
  const r = await run('busctl', ['--user', '--json=short', ...args], { env: busEnv() });
  if (r.code !== 0)
    throw new Error(`busctl ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return JSON.parse(r.stdout);
}

async function managerProperty(name) {
  const r = await dbus(['get-property', BUS_NAME, ROOT, `${BUS_NAME}.Manager`, name]);
  return r.data;
}

// { path: { interface: { property: value } } } for every object.
async function managedObjects() {
  const r = await dbus(['call', BUS_NAME, ROOT, 'org.freedesktop.DBus.ObjectManager',
    'GetManagedObjects']);
  const out = {};
  for (const [objPath, ifaces] of Object.entries(r.data[0])) {
    out[objPath] = {};
    for (const [iface, props] of Object.entries(ifaces)) {
      out[objPath][iface] = {};
      for (const [name, v] of Object.entries(props))
        out[objPath][iface][name] = v.data;
    }
  }
  return out;
}

async function callObject(callId) {
  const objects = await managedObjects();
  for (const [objPath, ifaces] of Object.entries(objects)) {
    const call = ifaces[`${BUS_NAME}.Call`];
    if (call && call.CallId === callId)
      return { path: objPath, ...call };
  }
  return null;
}

async function registrationPaths(aor) {
  const objects = await managedObjects();
  return Object.entries(objects)
    .filter(([, ifaces]) => ifaces[`${BUS_NAME}.Registration`] &&
      ifaces[`${BUS_NAME}.Registration`].Aor === aor)
    .map(([objPath]) => objPath);
}

function describeCall(c) {
  return c ? `${c.path} State=${c.State} StateReason=${c.StateReason} ` +
    `TerminationCode=${c.TerminationCode} TerminatedBy=${c.TerminatedBy}` : 'no Call object';
}

async function waitCallState(callId, wanted, timeout = 5000) {
  return pollUntil(`the Call object of ${callId} to reach State ${wanted}`, async () => {
    const c = await callObject(callId);
    return c && c.State === wanted ? c : { ok: false, seen: describeCall(c) };
  }, { timeout });
}

/* ---- the pages ---------------------------------------------------------- */

function aor(user) {
  return `sip:${user}@${cfg.domain}`;
}

class Phone {
  constructor(name, page) {
    this.name = name;
    this.page = page;
    this.events = [];
    this.waiters = new Set();
    this.closed = false;
  }

  mark() {
    return this.events.length;
  }

  onEvent(ev) {
    this.events.push(ev);
    if (ev.type === 'sip') {
      const arrow = ev.dir === 'out' ? '>>> sent' : '<<< received';
      diag(this.name, `${arrow} ${ev.first}`);
      for (const l of ev.text.split('\r\n').slice(1))
        diag(this.name, `    ${l}`);
    } else {
      const { type, t, ...rest } = ev;
      diag(this.name, `${type} ${JSON.stringify(rest)}`);
    }
    for (const w of [...this.waiters])
      w();
  }

  // The first event from index `since` on that `pred` accepts.
  waitFor(what, pred, { since = 0, timeout = 10000 } = {}) {
    const find = () => this.events.slice(since).find(pred);
    return new Promise((resolve, reject) => {
      const hit = find();
      if (hit)
        return resolve(hit);
      const waiter = () => {
        const ev = find();
        if (ev) {
          this.waiters.delete(waiter);
          clearTimeout(timer);
          resolve(ev);
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.name}: ${what} did not happen within ${timeout / 1000} s`));
      }, timeout);
      this.waiters.add(waiter);
    });
  }

  sessionEvent(what, event, check, opts) {
    return this.waitFor(`${what}`, (e) => e.type === 'session' && e.event === event &&
      (!check || check(e)), opts);
  }

  // A session that ended although the step waits for something else: the
  // reason is worth more than a time-out.
  async waitSession(what, event, { callId, since, timeout = 10000 }) {
    const wanted = this.sessionEvent(what, event, (e) => !callId || e.callId === callId,
      { since, timeout });
    const ended = this.waitFor('end', (e) => e.type === 'session' &&
      (e.event === 'failed' || e.event === 'ended') && e.event !== event &&
      (!callId || e.callId === callId), { since, timeout: timeout + 1000 });
    const early = ended.then((e) => {
      throw new Error(`${this.name}: the call ${e.event} (originator ${e.originator}, ` +
        `cause "${e.cause}", status ${e.status}) instead of: ${what}`);
    }, () => new Promise(() => {}));
    return Promise.race([wanted, early]);
  }

  sipReceived(what, pred, opts) {
    return this.waitFor(what, (e) => e.type === 'sip' && e.dir === 'in' && pred(e), opts);
  }

  eval(fn, arg) {
    return this.page.evaluate(fn, arg);
  }
}

async function openPhone(context, baseUrl, wsUri, name, { user = name, password } = {}) {
  const page = await context.newPage();
  const phone = new Phone(name, page);
  await page.exposeBinding('sipwsReport', (_source, ev) => phone.onEvent(ev));
  page.on('console', (msg) => diag(`${name} console`, `${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => diag(name, `page error: ${err.message}`));
  page.on('close', () => {
    phone.closed = true;
  });
  await page.goto(`${baseUrl}/`);
  await page.waitForFunction(() => typeof window.e2e === 'object', null, { timeout: 10000 });
  const version = await phone.eval((o) => window.e2e.start(o),
    { wsUri, user, domain: cfg.domain, password });
  diag(name, `JsSIP ${version} user agent for ${aor(user)} on ${wsUri}`);
  return phone;
}

/* ---- the page server ----------------------------------------------------- */

async function bundlePage(outDir) {
  const esbuild = await import('esbuild');
  const outfile = path.join(outDir, 'page.bundle.js');
  await esbuild.build({
    entryPoints: [path.join(here, 'page.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome100',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}

// getUserMedia wants a secure context: http://127.0.0.1 is one.
function servePage(bundle) {
  const files = {
    '/': { file: path.join(here, 'page.html'), type: 'text/html; charset=utf-8' },
    '/page.bundle.js': { file: bundle, type: 'text/javascript; charset=utf-8' },
  };
  const server = http.createServer((req, res) => {
    const entry = files[new URL(req.url, 'http://x').pathname];
    if (req.url === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-store' });
    res.end(fs.readFileSync(entry.file));
  });
  return new Promise((resolve) => {
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve(server));
  });
}

/* ---- the steps ------------------------------------------------------------ */

const results = [];
const ctx = {};        // what the steps share: phones, the call of step 3

// alice and bob, as step 1 left them.
function phones() {
  if (!ctx.alice || !ctx.bob)
    throw new Error('alice and bob have no pages: step 1 failed');
  return ctx;
}

function dbusOnly(what) {
  return ownServer ? '' : ` (external server: ${what} not checked, no D-Bus)`;
}

async function callAndAnswer(caller, callee, { media = false } = {}) {
  const mA = caller.mark();
  const mB = callee.mark();
  const info = await caller.eval((t) => window.e2e.call(t), aor(callee.name));
  const callId = info.callId;
  diag('suite', `${caller.name} calls ${aor(callee.name)}, Call-ID ${callId}`);
  const incoming = await callee.waitFor(`the INVITE from ${caller.name}`,
    (e) => e.type === 'incoming', { since: mB });
  if (incoming.callId !== callId)
    throw new Error(`the callee saw Call-ID ${incoming.callId}, the caller sent ${callId}`);
  await caller.waitSession('a provisional response (ringing)', 'progress', { callId, since: mA });
  await callee.eval(() => window.e2e.answer());
  await Promise.all([
    caller.waitSession('confirmed', 'confirmed', { callId, since: mA }),
    callee.waitSession('confirmed', 'confirmed', { callId, since: mB }),
  ]);
  if (media) {
    const iceUp = (p, since) => p.waitFor('ICE connected',
      (e) => e.type === 'ice' && e.callId === callId && (e.state === 'connected' || e.state === 'completed'),
      { since, timeout: 10000 });
    await Promise.all([iceUp(caller, mA), iceUp(callee, mB)]);
  }
  return { callId, mA, mB };
}

async function rtpFlows(phone) {
  // bytesReceived > 0 proves that media flowed; 25 packets (half a second
  // of 20 ms frames) that it keeps flowing.
  return pollUntil(`${phone.name}: inbound-rtp bytesReceived > 0 and 25 packets`, async () => {
    const s = await phone.eval(() => window.e2e.stats());
    return s.bytesReceived > 0 && s.packetsReceived >= 25 ? s : { ok: false, ...s };
  }, { timeout: 10000, interval: 250 });
}

async function expectEnded(phone, callId, originator, since, timeout = 10000) {
  const e = await phone.waitSession(`the end of the call (originator ${originator})`, 'ended',
    { callId, since, timeout });
  if (e.originator !== originator)
    throw new Error(`${phone.name}: the call ended with originator ${e.originator}, ` +
      `cause "${e.cause}", expected originator ${originator}`);
  return e;
}

function byeReceived(phone, callId, since) {
  return phone.sipReceived('a BYE', (e) => e.first.startsWith('BYE ') && e.callId === callId,
    { since, timeout: 10000 });
}

/* ---- a second daemon, with Digest authentication -------------------------- */

// `sipwsctl passwd`, the password on stdin as a script would give it.
function ctlPasswd(file, realm, user, password) {
  return new Promise((resolve) => {
    const child = spawn(cfg.ctl, ['passwd', '--file', file, '--realm', realm, user],
      { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
    child.stdin.end(`${password}\n`);
  });
}

async function startAuthDaemon(usersFile) {
  const port = await freePort();
  const config = path.join(sys.tmp, 'sipwsd-auth.conf');
  fs.writeFileSync(config, `[auth]\nusers-file=${usersFile}\nrealm=${cfg.domain}\n`);
  const uri = `ws://127.0.0.1:${port}`;
  const env = { ...process.env, G_DEBUG: 'fatal-criticals' };
  delete env.G_MESSAGES_DEBUG;
  const daemon = spawn(cfg.daemon, ['--listen', uri, '--config', config, '--no-dbus', '--verbose'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] });
  sys.authDaemon = daemon;
  lines(daemon.stdout, (l) => diag('sipwsd-auth', l));
  lines(daemon.stderr, (l) => diag('sipwsd-auth', l));
  await pollUntil('the second sipwsd to listen', () => canConnect(port), { timeout: 10000, interval: 50 });
  return { uri, port };
}

function stopAuthDaemon() {
  if (sys.authDaemon) {
    sys.authDaemon.kill('SIGTERM');
    sys.authDaemon = null;
  }
}

/* ---- the HTTP API and status page of the daemon -------------------------- */

function httpBase() {
  const url = new URL(ctx.wsUri);
  url.protocol = 'http:';
  url.pathname = '/';
  url.search = '';
  return url.toString();
}

async function apiGet(path) {
  const response = await fetch(new URL(path, httpBase()));
  if (response.status !== 200)
    throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.json();
}

// D-Bus property name -> the API's JSON key (sws_json_key_from_property).
function jsonKey(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

// Every D-Bus property of `props` equals the JSON member of `obj`.
function sameAsDbus(what, props, obj) {
  const wrong = [];
  for (const [name, value] of Object.entries(props)) {
    const expected = value === '/' && /Registration$/.test(name) ? null : value;
    const got = obj[jsonKey(name)];
    if (JSON.stringify(got) !== JSON.stringify(expected))
      wrong.push(`${name}: D-Bus ${JSON.stringify(expected)}, HTTP ${JSON.stringify(got)}`);
  }
  if (wrong.length)
    throw new Error(`${what} differs: ${wrong.join('; ')}`);
}

async function openStatusPage() {
  const page = await ctx.context.newPage();
  ctx.statusErrors = [];
  page.on('pageerror', (err) => ctx.statusErrors.push(`uncaught: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error')
      ctx.statusErrors.push(`console: ${m.text()}`);
  });
  await page.goto(httpBase(), { timeout: 10000 });
  await page.waitForSelector('#live[data-state="live"]', { timeout: 5000 });
  return page;
}

function statusPageErrors() {
  return ctx.statusErrors && ctx.statusErrors.length
    ? `JavaScript errors on the status page: ${ctx.statusErrors.join(' | ')}` : null;
}

const steps = [
  ['the status page at / loads, goes live and lists nobody', async () => {
    ctx.statusPage = await openStatusPage();
    const page = ctx.statusPage;
    const regs = await page.getAttribute('body', 'data-registrations');
    if (regs !== '0')
      throw new Error(`the page shows ${regs} registrations before anyone registered`);
    const errors = statusPageErrors();
    if (errors)
      throw new Error(errors);
    return `live, sipwsd ${await page.textContent('#version')}, listening on ` +
      `${await page.textContent('#listen-uris')}`;
  }, { dbus: true }],

  ['both pages REGISTER', async () => {
    const { context, baseUrl, wsUri } = ctx;
    ctx.alice = await openPhone(context, baseUrl, wsUri, 'alice');
    ctx.bob = await openPhone(context, baseUrl, wsUri, 'bob');
    const registered = (p) => p.waitFor('REGISTER answered 200 (registered)',
      (e) => e.type === 'ua' && (e.event === 'registered' || e.event === 'registrationFailed'))
      .then((e) => {
        if (e.event !== 'registered')
          throw new Error(`${p.name}: registration failed: ${e.cause} (status ${e.status})`);
      });
    await Promise.all([registered(ctx.alice), registered(ctx.bob)]);
    if (!ownServer)
      return 'both got 200' + dbusOnly('Registration objects');
    const count = await managerProperty('RegistrationCount');
    const a = await registrationPaths(aor('alice'));
    const b = await registrationPaths(aor('bob'));
    if (a.length !== 1 || b.length !== 1 || count !== 2)
      throw new Error(`expected one binding each on D-Bus: alice ${a}, bob ${b}, RegistrationCount ${count}`);
    return `both got 200; ${a[0]} and ${b[0]} on D-Bus`;
  }],

  ['a MESSAGE from alice arrives at bob with its text', async () => {
    const { alice, bob } = phones();
    const text = `Hello bob, ${new Date().toISOString()}: grüße, ☎ «sipws»`;
    const mA = alice.mark();
    const mB = bob.mark();
    await alice.eval(([t, x]) => window.e2e.message(t, x), [aor('bob'), text]);
    const got = await bob.waitFor('the MESSAGE', (e) => e.type === 'message', { since: mB });
    if (got.body !== text)
      throw new Error(`bob got the text ${JSON.stringify(got.body)}, alice sent ${JSON.stringify(text)}`);
    if (got.from !== aor('alice'))
      throw new Error(`the MESSAGE came from ${got.from}, not ${aor('alice')}`);
    const sent = await alice.waitFor('the answer to the MESSAGE',
      (e) => e.type === 'messageSent' || e.type === 'messageFailed', { since: mA });
    if (sent.type !== 'messageSent')
      throw new Error(`alice's MESSAGE failed: ${sent.cause} (status ${sent.status})`);
    return `text intact (${Buffer.byteLength(text)} bytes of UTF-8), alice got ${sent.status}`;
  }],

  ['a call with fake audio: answered, confirmed, ICE connected, RTP both ways', async () => {
    const { alice, bob } = phones();
    const call = await callAndAnswer(alice, bob, { media: true });
    ctx.call = call;
    const [a, b] = await Promise.all([rtpFlows(alice), rtpFlows(bob)]);
    return `Call-ID ${call.callId}; alice received ${a.bytesReceived} bytes ` +
      `(${a.packetsReceived} packets), bob ${b.bytesReceived} (${b.packetsReceived}), ` +
      `over ${a.pair || a.ice}`;
  }],

  ['while up, the D-Bus Call object is active and `sipwsctl calls --json` lists it', async () => {
    if (!ctx.call)
      throw new Error('no call from step 3');
    const { callId } = ctx.call;
    const c = await callObject(callId);
    if (!c)
      throw new Error(`no Call object has CallId ${callId}`);
    if (c.State !== CALL_ACTIVE)
      throw new Error(`${describeCall(c)}: expected State ${CALL_ACTIVE} (active)`);
    if (!cfg.ctl || !fs.existsSync(cfg.ctl))
      throw new Error(`sipwsctl is not built (SWS_CTL=${cfg.ctl || 'unset'})`);
    const r = await run(cfg.ctl, ['calls', '--json'], { env: busEnv() });
    if (r.code !== 0)
      throw new Error(`sipwsctl calls --json: exit ${r.code}: ${r.stderr.trim()}`);
    let list;
    try {
      list = JSON.parse(r.stdout);
    } catch (err) {
      throw new Error(`sipwsctl calls --json printed no JSON: ${err.message}: ${r.stdout.slice(0, 200)}`);
    }
    diag('sipwsctl', r.stdout);
    if (!Array.isArray(list))
      throw new Error('sipwsctl calls --json did not print a JSON array');
    const entry = list.find((x) => x && x.call_id === callId);
    if (!entry)
      throw new Error(`sipwsctl calls --json does not list call_id ${callId}`);
    if (entry.state !== CALL_ACTIVE && entry.state !== 'active')
      throw new Error(`sipwsctl lists the call with state ${JSON.stringify(entry.state)}`);
    // The object describes this call: its parties and their bindings (the
    // INVITE came on the WebSocket alice registered on, and went to bob's).
    const [aliceReg] = await registrationPaths(aor('alice'));
    const [bobReg] = await registrationPaths(aor('bob'));
    const wrong = [];
    if (c.Caller !== aor('alice'))
      wrong.push(`Caller is "${c.Caller}", not ${aor('alice')}`);
    if (c.Callee !== aor('bob'))
      wrong.push(`Callee is "${c.Callee}", not ${aor('bob')}`);
    if (c.CallerRegistration !== aliceReg)
      wrong.push(`CallerRegistration is "${c.CallerRegistration}", not alice's ${aliceReg}`);
    if (c.CalleeRegistration !== bobReg)
      wrong.push(`CalleeRegistration is "${c.CalleeRegistration}", not bob's ${bobReg}`);
    if (wrong.length)
      throw new Error(`${c.path} is active and listed by sipwsctl, but ${wrong.join('; ')}`);
    return `${c.path} State=4, CallerRegistration ${aliceReg}, CalleeRegistration ${bobReg}; ` +
      `sipwsctl lists call_id ${callId} with state ${JSON.stringify(entry.state)}`;
  }, { dbus: true, readOnly: true }],

  ['while up, /api/v1/registrations, /api/v1/calls and /api/v1/status agree with D-Bus', async () => {
    const objects = await managedObjects();
    const [regs, calls, status] = await Promise.all([
      apiGet('api/v1/registrations'), apiGet('api/v1/calls'), apiGet('api/v1/status')]);
    const byPath = (list) => new Map(list.map((o) => [o.path, o]));
    const httpRegs = byPath(regs);
    const httpCalls = byPath(calls);
    let nRegs = 0;
    let nCalls = 0;
    for (const [objPath, ifaces] of Object.entries(objects)) {
      for (const [iface, map, kind] of [['Registration', httpRegs, 'registration'], ['Call', httpCalls, 'call']]) {
        const props = ifaces[`${BUS_NAME}.${iface}`];
        if (!props)
          continue;
        const obj = map.get(objPath);
        if (!obj)
          throw new Error(`${objPath} is on D-Bus but not in the API's ${kind}s`);
        sameAsDbus(objPath, props, obj);
        map.delete(objPath);
        if (kind === 'call')
          nCalls++;
        else
          nRegs++;
      }
    }
    const extra = [...httpRegs.keys(), ...httpCalls.keys()];
    if (extra.length)
      throw new Error(`the API lists objects D-Bus does not have: ${extra.join(', ')}`);
    for (const name of ['RegistrationCount', 'CallCount', 'ConnectionCount', 'Version', 'StartTime']) {
      const value = await managerProperty(name);
      if (status[jsonKey(name)] !== value)
        throw new Error(`status ${jsonKey(name)} is ${status[jsonKey(name)]}, D-Bus ${name} ${value}`);
    }
    return `${nRegs} registrations and ${nCalls} call(s), every property equal; status counters equal`;
  }, { dbus: true, readOnly: true }],

  ['the status page shows both registrations and the active call without a reload', async () => {
    const page = ctx.statusPage;
    if (!page)
      throw new Error('no status page from step 1');
    await page.waitForFunction(() => document.body.dataset.registrations === '2' &&
      document.querySelector('#calls tbody td.state-active') !== null, null, { timeout: 5000 });
    const aors = await page.$$eval('#registrations tbody tr td:first-child',
      (tds) => tds.map((td) => td.textContent).sort());
    if (JSON.stringify(aors) !== JSON.stringify([aor('alice'), aor('bob')].sort()))
      throw new Error(`the page lists ${JSON.stringify(aors)}`);
    const rows = await page.$$eval('#calls tbody tr',
      (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
    const active = rows.find((r) => r[2] === 'active');
    if (!active || active[0] !== aor('alice') || active[1] !== aor('bob'))
      throw new Error(`no active call alice -> bob on the page: ${JSON.stringify(rows)}`);
    const outDir = cfg.buildDir || sys.tmp;
    const wide = path.join(outDir, 'status-page.png');
    await page.screenshot({ path: wide, fullPage: true });
    // A phone's screen: nothing wider than the viewport.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    const narrow = path.join(outDir, 'status-page-phone.png');
    await page.screenshot({ path: narrow, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    if (overflow > 390)
      throw new Error(`on a 390 px wide screen the page is ${overflow} px wide`);
    const errors = statusPageErrors();
    if (errors)
      throw new Error(errors);
    return `alice and bob listed, call active; screenshots ${wide} and ${narrow}`;
  }, { dbus: true, readOnly: true }],

  ['the caller hangs up: the callee sees the end, the Call object ends terminated', async () => {
    if (!ctx.call)
      throw new Error('no call from step 3');
    const { alice, bob } = phones();
    const { callId } = ctx.call;
    const mA = alice.mark();
    const mB = bob.mark();
    await alice.eval(() => window.e2e.hangup());
    await expectEnded(alice, callId, 'local', mA);
    await byeReceived(bob, callId, mB);
    await expectEnded(bob, callId, 'remote', mB);
    const ok = await alice.sipReceived('the 200 to the BYE',
      (e) => e.callId === callId && / BYE$/.test(e.cseq), { since: mA });
    if (!ok.first.startsWith('SIP/2.0 2'))
      throw new Error(`alice's BYE got ${ok.first}`);
    ctx.call = null;
    if (!ownServer)
      return 'bob got the BYE, alice its 200' + dbusOnly('the Call object');
    const c = await waitCallState(callId, CALL_TERMINATED);
    return `bob got the BYE, alice ${ok.first.slice(8)}; ${describeCall(c)}`;
  }],

  ['a call cancelled while ringing: the callee sees it cancelled, the caller gets 487', async () => {
    const { alice, bob } = phones();
    const mA = alice.mark();
    const mB = bob.mark();
    const { callId } = await alice.eval((t) => window.e2e.call(t), aor('bob'));
    await bob.waitFor('the INVITE', (e) => e.type === 'incoming' && e.callId === callId, { since: mB });
    await alice.waitSession('a provisional response (ringing)', 'progress', { callId, since: mA });
    await alice.eval(() => window.e2e.hangup());
    const failed = await bob.sessionEvent('the call to fail', 'failed', (e) => e.callId === callId,
      { since: mB });
    if (failed.originator !== 'remote' || failed.cause !== 'Canceled')
      throw new Error(`bob's call failed with originator ${failed.originator}, cause "${failed.cause}", ` +
        'expected remote "Canceled"');
    const final = await alice.sipReceived('a final response to the INVITE',
      (e) => e.callId === callId && / INVITE$/.test(e.cseq) && /^SIP\/2\.0 [2-6]/.test(e.first),
      { since: mA });
    if (!final.first.startsWith('SIP/2.0 487'))
      throw new Error(`alice's cancelled INVITE got ${final.first}, not 487`);
    let note = '';
    if (ownServer) {
      const c = await waitCallState(callId, CALL_TERMINATED);
      note = `; ${describeCall(c)}`;
    }
    return `bob: "${failed.cause}", alice: ${final.first.slice(8)}${note}`;
  }],

  ['a call to an unregistered user fails with 404 or 480', async () => {
    const { alice } = phones();
    const mA = alice.mark();
    const target = aor(`nobody-${process.pid}`);
    const { callId } = await alice.eval((t) => window.e2e.call(t), target);
    const failed = await alice.sessionEvent('the call to fail', 'failed', (e) => e.callId === callId,
      { since: mA });
    if (failed.originator !== 'remote' || ![404, 480].includes(failed.status))
      throw new Error(`the call to ${target} failed with originator ${failed.originator}, ` +
        `status ${failed.status}, cause "${failed.cause}"`);
    return `${target}: ${failed.status} (${failed.cause})`;
  }],

  ['Call.Hangup over D-Bus ends an active call on both pages', async () => {
    const { alice, bob } = phones();
    const { callId, mA, mB } = await callAndAnswer(bob, alice);
    const c = await waitCallState(callId, CALL_ACTIVE);
    const r = await run('gdbus', ['call', '--session', '--dest', BUS_NAME, '--object-path', c.path,
      '--method', `${BUS_NAME}.Call.Hangup`], { env: busEnv() });
    if (r.code !== 0)
      throw new Error(`gdbus call ${c.path} Hangup: ${r.stderr.trim()}`);
    await Promise.all([
      byeReceived(alice, callId, mA),
      byeReceived(bob, callId, mB),
      expectEnded(alice, callId, 'remote', mA),
      expectEnded(bob, callId, 'remote', mB),
    ]);
    const end = await waitCallState(callId, CALL_TERMINATED);
    return `both got a BYE; ${describeCall(end)}`;
  }, { dbus: true }],

  ['a page closed mid-call: the other side gets a BYE, the registration disappears', async () => {
    const { alice, context, baseUrl, wsUri } = phones();
    const carol = await openPhone(context, baseUrl, wsUri, 'carol');
    ctx.carol = carol;
    await carol.waitFor('registered', (e) => e.type === 'ua' && e.event === 'registered');
    const { callId, mA } = await callAndAnswer(alice, carol);
    const regs = ownServer ? await registrationPaths(aor('carol')) : [];
    if (ownServer && regs.length !== 1)
      throw new Error(`carol has ${regs.length} Registration objects before the close`);
    diag('suite', 'closing the page of carol');
    await carol.page.close();
    await byeReceived(alice, callId, mA);
    await expectEnded(alice, callId, 'remote', mA);
    // Seen from SIP: a new call to carol finds no binding.
    const m2 = alice.mark();
    const again = await alice.eval((t) => window.e2e.call(t), aor('carol'));
    const refused = await alice.sessionEvent('the call to the closed page to fail', 'failed',
      (e) => e.callId === again.callId, { since: m2, timeout: 8000 });
    if (![404, 480].includes(refused.status))
      throw new Error(`a new call to carol failed with status ${refused.status} ("${refused.cause}"), ` +
        'not 404 or 480: the binding seems to outlive the WebSocket');
    const sipNote = `alice got a BYE; a new call to carol got ${refused.status}`;
    if (!ownServer)
      return sipNote + dbusOnly('the Registration object');
    await pollUntil(`${regs[0]} to go`, async () => {
      const objects = await managedObjects();
      return !(regs[0] in objects) || { ok: false, still: regs[0] };
    });
    const left = await registrationPaths(aor('carol'));
    if (left.length !== 0)
      throw new Error(`carol still has Registration objects ${left}`);
    const c = await waitCallState(callId, CALL_TERMINATED);
    return `${sipNote}; ${regs[0]} is gone; ${describeCall(c)}`;
  }],

  ['both unregister: no binding, call or connection remains', async () => {
    const { alice, bob } = phones();
    const unregistered = (p, since) => p.waitFor('unregistered',
      (e) => e.type === 'ua' && e.event === 'unregistered', { since });
    const mA = alice.mark();
    const mB = bob.mark();
    await alice.eval(() => window.e2e.unregister());
    await bob.eval(() => window.e2e.unregister());
    await Promise.all([unregistered(alice, mA), unregistered(bob, mB)]);
    for (const p of [alice, bob]) {
      const ok = await p.sipReceived('the 200 to the un-REGISTER',
        (e) => / REGISTER$/.test(e.cseq) && /^SIP\/2\.0 [2-6]/.test(e.first), { since: p === alice ? mA : mB });
      if (!ok.first.startsWith('SIP/2.0 200'))
        throw new Error(`${p.name}'s un-REGISTER got ${ok.first}`);
    }
    if (!ownServer) {
      await Promise.all([alice.eval(() => window.e2e.stop()), bob.eval(() => window.e2e.stop())]);
      return 'both got 200' + dbusOnly('what remains in the server');
    }
    const counts = await pollUntil('RegistrationCount and CallCount to be 0', async () => {
      const reg = await managerProperty('RegistrationCount');
      const calls = await managerProperty('CallCount');
      return reg === 0 && calls === 0 ? { reg, calls } : { ok: false, reg, calls };
    });
    const objects = await managedObjects();
    const regs = Object.keys(objects).filter((p) => objects[p][`${BUS_NAME}.Registration`]);
    if (regs.length)
      throw new Error(`Registration objects remain: ${regs.join(', ')}`);
    const live = Object.entries(objects)
      .filter(([, i]) => i[`${BUS_NAME}.Call`] && i[`${BUS_NAME}.Call`].State !== CALL_TERMINATED)
      .map(([p, i]) => `${p} State=${i[`${BUS_NAME}.Call`].State}`);
    if (live.length)
      throw new Error(`Call objects not terminated: ${live.join(', ')}`);
    // Stopped user agents close their WebSockets: nothing stays behind.
    await Promise.all([alice.eval(() => window.e2e.stop()), bob.eval(() => window.e2e.stop())]);
    const conns = await pollUntil('ConnectionCount to be 0', async () => {
      const n = await managerProperty('ConnectionCount');
      return n === 0 ? { n } : { ok: false, n };
    });
    const ended = Object.values(objects).filter((i) => i[`${BUS_NAME}.Call`]).length;
    return `both got 200; RegistrationCount ${counts.reg}, CallCount ${counts.calls}, ` +
      `ConnectionCount ${conns.n}; ${ended} ended Call objects linger`;
  }],

  ['with [auth]: JsSIP registers through a 401 and sends a MESSAGE through a 407; a wrong password fails', async () => {
    const users = path.join(sys.tmp, 'users');
    const password = 'correct horse battery';
    for (const user of ['dave', 'erin']) {
      const set = await ctlPasswd(users, cfg.domain, user, `${password} ${user}`);
      if (set.code !== 0)
        throw new Error(`sipwsctl passwd ${user}: exit ${set.code}: ${set.stderr.trim()}`);
    }
    const { uri, port } = await startAuthDaemon(users);
    const pages = [];
    try {
      const [dave, erin] = await Promise.all(['dave', 'erin'].map((user) =>
        openPhone(ctx.context, ctx.baseUrl, uri, user, { password: `${password} ${user}` })));
      pages.push(dave, erin);
      for (const p of [dave, erin]) {
        const reg = await p.waitFor(`${p.name}'s REGISTER to end`,
          (e) => e.type === 'ua' && (e.event === 'registered' || e.event === 'registrationFailed'));
        if (reg.event !== 'registered')
          throw new Error(`${p.name}'s registration failed: ${reg.cause} (status ${reg.status})`);
      }
      const challenge = await dave.sipReceived('the 401 to the first REGISTER',
        (e) => e.first.startsWith('SIP/2.0 401'));
      const mark = dave.mark();
      const markErin = erin.mark();
      await dave.eval(([t, x]) => window.e2e.message(t, x), [aor('erin'), 'through a 407']);
      await dave.sipReceived('a 407 to the MESSAGE', (e) => e.first.startsWith('SIP/2.0 407'),
        { since: mark });
      const got = await erin.waitFor('the MESSAGE at erin', (e) => e.type === 'message',
        { since: markErin });
      const sent = await dave.waitFor('the answer to the MESSAGE',
        (e) => e.type === 'messageSent' || e.type === 'messageFailed', { since: mark });
      if (sent.type !== 'messageSent' || got.body !== 'through a 407')
        throw new Error(`the MESSAGE: ${sent.type} ${sent.status}, received ${JSON.stringify(got.body)}`);

      const mallory = await openPhone(ctx.context, ctx.baseUrl, uri, 'mallory',
        { user: 'dave', password: 'wrong' });
      pages.push(mallory);
      const bad = await mallory.waitFor('the REGISTER with a wrong password to end',
        (e) => e.type === 'ua' && (e.event === 'registered' || e.event === 'registrationFailed'));
      if (bad.event === 'registered')
        throw new Error('a wrong password registered');
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/status`);
      const status = await response.json();
      if (!(status.auth_failures >= 1) || status.registration_count !== 2)
        throw new Error(`auth daemon: auth_failures ${status.auth_failures}, ` +
          `registration_count ${status.registration_count}`);
      return `dave and erin: ${challenge.first.trim()} then 200; a MESSAGE through a 407; wrong password: ` +
        `${bad.cause} (${bad.status}); auth_failures ${status.auth_failures}`;
    } finally {
      for (const p of pages)
        await p.eval(() => window.e2e.stop()).catch(() => {});
      for (const p of pages)
        await p.page.close().catch(() => {});
      stopAuthDaemon();
    }
  }, { dbus: true }],

  ['the status page saw everyone go, with no JavaScript error all along', async () => {
    const page = ctx.statusPage;
    if (!page)
      throw new Error('no status page from step 1');
    await page.waitForFunction(() => document.body.dataset.registrations === '0' &&
      document.querySelector('#calls tbody td.state-active') === null, null, { timeout: 5000 });
    const events = await page.$$eval('#events li', (lis) => lis.map((li) => li.textContent));
    const unregistered = events.filter((e) => / unregistered /.test(e)).length;
    if (unregistered < 2)
      throw new Error(`the event list shows ${unregistered} unregistrations: ${events.slice(0, 5).join(' | ')}`);
    const errors = statusPageErrors();
    if (errors)
      throw new Error(errors);
    await page.close();
    return `no registration, no active call; ${events.length} events listed`;
  }, { dbus: true }],
];

async function cleanUpCalls() {
  for (const p of [ctx.alice, ctx.bob, ctx.carol]) {
    if (p && !p.closed) {
      try {
        const n = await p.eval(() => window.e2e.hangupAll());
        if (n)
          diag('suite', `${p.name}: ended ${n} call(s) left by the failed step`);
      } catch (err) {
        diag('suite', `${p.name}: cleaning up: ${err.message}`);
      }
    }
  }
  await sleep(500);
}

async function runSteps() {
  for (let i = 0; i < steps.length; i++) {
    const n = i + 1;
    const [title, fn, opts = {}] = steps[i];
    if (opts.dbus && !ownServer) {
      tap(`ok ${n} - ${title} # SKIP needs the D-Bus API of the sipwsd the suite starts (SWS_E2E_SERVER is set)`);
      results.push('skip');
      continue;
    }
    if (Date.now() - started > cfg.suiteTimeout) {
      tap(`not ok ${n} - ${title}: not run, the suite's ${cfg.suiteTimeout / 1000} s are up`);
      results.push('fail');
      continue;
    }
    diag('suite', `---- step ${n}: ${title}`);
    const t0 = Date.now();
    const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
    try {
      const note = await withTimeout(fn(), cfg.stepTimeout, `step ${n}`);
      tap(`ok ${n} - ${title}${note ? `: ${note}` : ''} [${secs()} s]`.replace(/#/g, '(hash)'));
      results.push('pass');
    } catch (err) {
      tap(`not ok ${n} - ${title}: ${err.message} [${secs()} s]`.replace(/#/g, '(hash)'));
      results.push('fail');
      // A step that only looked leaves the call of step 3 to step 5.
      if (!opts.readOnly)
        await cleanUpCalls();
    }
  }
}

/* ---- main ------------------------------------------------------------------ */

async function main() {
  tap('TAP version 13');
  tap(`1..${STEPS}`);

  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    bailOut(`playwright-core cannot be loaded (npm ci in tests/e2e): ${err.message}`);
  }
  if (!fs.existsSync(cfg.chromium))
    bailOut(`${cfg.chromium} is not installed (apt-get install chromium)`);
  if (ownServer && !(cfg.daemon && fs.existsSync(cfg.daemon)))
    bailOut(`SWS_DAEMON must name the sipwsd binary (got "${cfg.daemon}")`);
  if (!cfg.netns)
    diag('suite', 'no network namespace (SWS_E2E_NETNS=0): media may use any interface');

  sys.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sws-e2e-'));
  const outDir = cfg.buildDir || sys.tmp;
  let browser = null;
  let bundle;
  try {
    bundle = await bundlePage(outDir);
  } catch (err) {
    bailOut(`esbuild could not bundle page.js with JsSIP: ${err.message}`);
  }
  try {
    if (ownServer) {
      await startBus();
      await startDaemon();
      ctx.wsUri = sys.wsUri;
    } else if (cfg.relaySocket) {
      sys.relay = await relay({ listen: 'tcp:127.0.0.1:0', connect: `unix:${cfg.relaySocket}`,
        log: (m) => diag('relay', m) });
      const url = new URL(cfg.server);
      ctx.wsUri = `ws://127.0.0.1:${sys.relay.address().port}${url.pathname}${url.search}`;
      diag('suite', `testing ${cfg.server} through ${ctx.wsUri}; the D-Bus steps and checks are skipped`);
    } else {
      ctx.wsUri = cfg.server;
      diag('suite', `testing ${cfg.server}; the D-Bus steps and checks are skipped`);
    }

    sys.http = await servePage(bundle);
    ctx.baseUrl = `http://127.0.0.1:${sys.http.address().port}`;
    browser = await chromium.launch({
      executablePath: cfg.chromium,
      headless: true,
      timeout: 30000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        '--allow-loopback-in-peer-connection',
        '--disable-features=WebRtcHideLocalIpsWithMdns',
      ],
    });
    diag('suite', `Chromium ${browser.version()} (${cfg.chromium}), pages served from ${ctx.baseUrl}`);
    ctx.context = await browser.newContext({ permissions: ['microphone'] });
    await runSteps();
  } catch (err) {
    diag('suite', `set-up failed: ${err.stack || err.message}`);
    for (let n = results.length + 1; n <= STEPS; n++) {
      tap(`not ok ${n} - not run: set-up failed: ${err.message.split('\n')[0]}`.replace(/#/g, '(hash)'));
      results.push('fail');
    }
  } finally {
    if (browser)
      await browser.close().catch(() => {});
    await stopDaemon();
    stopAuthDaemon();
    if (sys.bus)
      sys.bus.kill('SIGTERM');
    if (sys.http)
      sys.http.close();
    if (sys.relay)
      sys.relay.close();
    fs.rmSync(sys.tmp, { recursive: true, force: true });
  }

  const count = (k) => results.filter((r) => r === k).length;
  let failed = count('fail');
  if (ownServer && sys.daemonExit && sys.daemonExit.code !== 0) {
    diag('suite', `sipwsd did not exit cleanly on SIGTERM: status ${sys.daemonExit.code}, ` +
      `signal ${sys.daemonExit.signal}`);
    failed++;
  }
  const total = ((Date.now() - started) / 1000).toFixed(1);
  diag('suite', `e2e: ${count('pass')} passed, ${failed} failed, ${count('skip')} skipped in ${total} s`);
  process.exit(failed === 0 ? 0 : 1);
}

// meson's time-out, or ^C: take the daemon and the bus down too (the
// browser goes with playwright-core's own handlers).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    diag('suite', `${signal}: stopping`);
    if (sys.daemon && !sys.daemonExit)
      sys.daemon.kill('SIGKILL');
    if (sys.authDaemon)
      sys.authDaemon.kill('SIGKILL');
    if (sys.bus)
      sys.bus.kill('SIGTERM');
    process.exit(1);
  });
}

main().catch((err) => {
  diag('suite', err.stack || String(err));
  bailOut(`the suite crashed: ${err.message}`);
});
