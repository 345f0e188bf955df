// The status page: a snapshot from the JSON API, then live updates from
// the event stream (/api/v1/events). Everything shown comes from SIP
// clients, so it is only ever inserted as text, never as HTML.
'use strict';

const STATES = { 0: 'unknown', 1: 'dialing', 2: 'ringing-out', 4: 'active', 5: 'held', 7: 'terminated' };
const MAX_EVENTS = 50;

// A token given as ?access_token= (or #access_token=) when the page was
// opened: needed when the server is not on this machine.
const token = new URLSearchParams(location.search).get('access_token') ||
              new URLSearchParams(location.hash.slice(1)).get('access_token');

const registrations = new Map();   // D-Bus path -> object
const calls = new Map();
const seen = new Set();            // paths already shown, to flash new rows
let status = null;

function api(path) {
  const headers = token ? { Authorization: 'Bearer ' + token } : {};
  return fetch(path, { headers, cache: 'no-store' }).then((response) => {
    if (!response.ok)
      throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  });
}

function $(id) {
  return document.getElementById(id);
}

function cell(row, label, text, className) {
  const td = row.insertCell();
  td.dataset.label = label;
  td.textContent = text === undefined || text === null || text === '' ? '–' : String(text);
  if (className)
    td.className = className;
  return td;
}

function duration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0)
    return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0)
    return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function clock(us) {
  return us ? new Date(us / 1000).toLocaleTimeString() : '';
}

function byId(a, b) {
  const n = (path) => Number(path.slice(path.lastIndexOf('/') + 1));
  return n(a.path) - n(b.path);
}

function renderStatus() {
  if (!status)
    return;
  $('version').textContent = status.version;
  $('registration-count').textContent = registrations.size;
  $('call-count').textContent = [...calls.values()].filter((c) => c.state !== 7).length;
  $('connection-count').textContent = status.connection_count;
  $('messages').textContent = `${status.messages_received} / ${status.messages_sent}`;
  $('uptime').textContent = duration(status.uptime);
  $('listen-uris').textContent = status.listen_uris.join(', ');
}

function renderRegistrations() {
  const body = $('registrations').tBodies[0];
  const now = Date.now() * 1000;
  body.replaceChildren();
  for (const reg of [...registrations.values()].sort(byId)) {
    const row = body.insertRow();
    row.dataset.path = reg.path;
    if (!seen.has(reg.path)) {
      seen.add(reg.path);
      row.className = 'new';
    }
    cell(row, 'Address of record', reg.aor);
    cell(row, 'Contact', reg.contact);
    cell(row, 'User agent', reg.user_agent);
    cell(row, 'From', reg.remote_address);
    cell(row, 'Expires in', duration((reg.expires - now) / 1e6));
  }
  $('registrations-empty').hidden = registrations.size > 0;
  $('registrations').hidden = registrations.size === 0;
}

function renderCalls() {
  const body = $('calls').tBodies[0];
  const now = Date.now() * 1000;
  body.replaceChildren();
  for (const call of [...calls.values()].sort(byId).reverse()) {
    const row = body.insertRow();
    const state = STATES[call.state] || 'unknown';
    row.dataset.path = call.path;
    if (!seen.has(call.path)) {
      seen.add(call.path);
      row.className = 'new';
    }
    cell(row, 'Caller', call.caller);
    cell(row, 'Callee', call.callee);
    cell(row, 'State', state, 'state state-' + state);
    cell(row, 'Started', clock(call.start_time));
    if (call.answer_time)
      cell(row, 'Duration', duration(((call.end_time || now) - call.answer_time) / 1e6));
    else
      cell(row, 'Duration', '');
    cell(row, 'Final', call.termination_code || '');
  }
  $('calls-empty').hidden = calls.size > 0;
  $('calls').hidden = calls.size === 0;
}

function render() {
  renderStatus();
  renderRegistrations();
  renderCalls();
  document.body.dataset.registrations = registrations.size;
  document.body.dataset.calls = calls.size;
}

function logEvent(ev) {
  const list = $('events');
  const item = document.createElement('li');
  const who = ev.object ? (ev.object.aor || `${ev.object.caller} → ${ev.object.callee}`) : '';
  const extra = ev.new_state ? ` ${ev.old_state} → ${ev.new_state}` : (ev.reason ? ` (${ev.reason})` : '');
  item.textContent = `${clock(ev.time)} ${ev.event} ${who}${extra}`;
  list.prepend(item);
  while (list.children.length > MAX_EVENTS)
    list.lastElementChild.remove();
}

function apply(ev) {
  switch (ev.event) {
  case 'registered':
    registrations.set(ev.path, ev.object);
    break;
  case 'unregistered':
    registrations.delete(ev.path);
    break;
  case 'call-added':
  case 'call-state':
    calls.set(ev.path, ev.object);
    break;
  case 'call-removed':
    calls.delete(ev.path);
    break;
  default:
    return;
  }
  logEvent(ev);
  render();
}

async function refresh() {
  try {
    const [st, regs, cs] = await Promise.all([
      api('api/v1/status'), api('api/v1/registrations'), api('api/v1/calls'),
    ]);
    status = st;
    registrations.clear();
    regs.forEach((r) => registrations.set(r.path, r));
    calls.clear();
    cs.forEach((c) => calls.set(c.path, c));
    render();
  } catch (e) {
    setLive('down', e.message);
  }
}

function setLive(state, text) {
  const live = $('live');
  live.dataset.state = state;
  live.textContent = text;
}

function connect() {
  const url = 'api/v1/events' + (token ? '?access_token=' + encodeURIComponent(token) : '');
  const source = new EventSource(url);
  // Subscribed first, then the snapshot: nothing falls in between, and
  // an event that the snapshot already shows is applied twice harmlessly.
  source.onopen = () => {
    setLive('live', 'live');
    refresh();
  };
  source.onmessage = (message) => apply(JSON.parse(message.data));
  source.onerror = () => setLive('down', 'disconnected, retrying…');
}

connect();
// Counters (messages, connections) have no events: poll them gently;
// expiry countdowns tick every second.
setInterval(() => api('api/v1/status').then((st) => { status = st; renderStatus(); }).catch(() => {}), 5000);
setInterval(() => { renderRegistrations(); renderCalls(); }, 1000);
