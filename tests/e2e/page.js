// page.js: the browser side of the end-to-end suite.
//
// Bundled with esbuild (JsSIP's npm package is CommonJS) and loaded by
// page.html. It drives one JsSIP user agent and reports everything that
// happens to it -- UA and session events, ICE states, and every SIP message
// sent or received on the WebSocket -- through window.sipwsReport(), a
// binding that the runner (e2e.mjs) installs with page.exposeBinding().
// The runner calls the functions of window.e2e with page.evaluate().

import JsSIP from 'jssip';

const report = (event) => {
  event.t = Date.now();
  if (typeof window.sipwsReport === 'function')
    window.sipwsReport(event).catch(() => {});
};

// SDP bodies are long and say nothing about SIP routing: the trace shows
// their size and the candidates only, so that a failure log stays readable.
function summarize(text) {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0)
    return text;
  const head = text.slice(0, split);
  const body = text.slice(split + 4);
  if (!/^content-type:\s*application\/sdp/im.test(head) || body.length === 0)
    return text;
  const candidates = body.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
  return `${head}\r\n\r\n[SDP, ${body.length} bytes; ${candidates.join('; ') || 'no candidates'}]`;
}

function headerOf(text, name, compact) {
  const end = text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const re = new RegExp(`^(?:${name}${compact ? `|${compact}` : ''})\\s*:\\s*(.*)$`, 'im');
  const m = re.exec(head);
  return m ? m[1].trim() : '';
}

function traceSip(dir, data) {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  if (text.trim() === '')
    return;                               // keep-alive CRLF
  report({
    type: 'sip',
    dir,
    first: text.slice(0, text.indexOf('\r\n')),
    callId: headerOf(text, 'Call-ID', 'i'),
    cseq: headerOf(text, 'CSeq'),
    text: summarize(text),
  });
}

// JsSIP's WebSocket transport, with every frame traced in both directions.
class TracedSocket extends JsSIP.WebSocketInterface {
  send(message) {
    traceSip('out', message);
    return super.send(message);
  }

  _onMessage(event) {
    traceSip('in', event.data);
    super._onMessage(event);
  }

  _onClose(event) {
    report({ type: 'transport', event: 'closed', code: event.code, reason: event.reason });
    super._onClose(event);
  }
}

const state = {
  ua: null,
  domain: '',
  session: null,        // the latest call, incoming or outgoing
  sessions: [],
};

const mediaConstraints = { audio: true, video: false };
// No STUN or TURN: the calls are between two pages on one host, and the
// suite must not send anything off it.
const pcConfig = { iceServers: [] };

function sessionSummary(session) {
  return {
    index: state.sessions.indexOf(session),
    callId: session._request ? session._request.call_id : '',
    direction: session.direction,
  };
}

function watchSession(session) {
  state.sessions.push(session);
  state.session = session;
  const base = () => sessionSummary(session);

  const watchPc = (pc) => {
    const iceReport = () =>
      report({ type: 'ice', ...base(), state: pc.iceConnectionState });
    pc.addEventListener('iceconnectionstatechange', iceReport);
    pc.addEventListener('connectionstatechange', () =>
      report({ type: 'pc', ...base(), state: pc.connectionState }));
  };
  if (session.connection)
    watchPc(session.connection);
  else
    session.on('peerconnection', (e) => watchPc(e.peerconnection));

  for (const name of ['progress', 'accepted', 'confirmed']) {
    session.on(name, (e) => report({
      type: 'session', event: name, ...base(),
      originator: e && e.originator,
      status: e && e.response ? e.response.status_code : 0,
    }));
  }
  for (const name of ['ended', 'failed']) {
    session.on(name, (e) => report({
      type: 'session', event: name, ...base(),
      originator: e.originator,
      cause: e.cause,
      status: e.message && e.message.status_code ? e.message.status_code : 0,
      method: e.message && e.message.method ? e.message.method : '',
    }));
  }
  session.on('getusermediafailed', (e) =>
    report({ type: 'session', event: 'getusermediafailed', ...base(), cause: String(e) }));
}

// JsSIP logs through the `debug` module, which styles its lines with %c
// and leaves %s and %o to the console. The runner reads console messages
// as plain text, so they are formatted here into one string.
function plain(value) {
  if (typeof value === 'string')
    return value;
  try {
    return JSON.stringify(value);
  } catch (e) {
    return String(value);
  }
}

function formatLogArgs(args) {
  const rest = args.slice(1);
  let text = String(args[0]).replace(/%([sdifoOjc%])/g, (all, f) => {
    if (f === '%')
      return '%';
    if (rest.length === 0)
      return all;
    const v = rest.shift();
    return f === 'c' ? '' : plain(v);
  });
  for (const v of rest)
    text += ` ${plain(v)}`;
  return text;
}

window.e2e = {
  start({ wsUri, user, domain, password }) {
    // JsSIP's own log goes to the console, which the runner captures.
    JsSIP.debug.formatArgs = function formatArgs(args) {
      const text = `${this.namespace} ${formatLogArgs(args)}`;
      args.splice(0, args.length, text);
    };
    JsSIP.debug.enable('JsSIP:*');
    state.domain = domain;
    const socket = new TracedSocket(wsUri);
    const ua = new JsSIP.UA({
      sockets: [socket],
      uri: `sip:${user}@${domain}`,
      display_name: user,
      register: true,
      register_expires: 600,
      // Digest credentials (RFC 3261 §22), for a server with [auth].
      ...(password ? { password } : {}),
      session_timers: false,
      user_agent: `sipws-e2e JsSIP/${JsSIP.version}`,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
    });
    state.ua = ua;

    ua.on('connected', () => report({ type: 'ua', event: 'connected' }));
    ua.on('disconnected', () => report({ type: 'ua', event: 'disconnected' }));
    ua.on('registered', (e) =>
      report({ type: 'ua', event: 'registered', status: e.response.status_code }));
    ua.on('unregistered', (e) =>
      report({ type: 'ua', event: 'unregistered', status: e && e.response ? e.response.status_code : 0 }));
    ua.on('registrationFailed', (e) => report({
      type: 'ua', event: 'registrationFailed', cause: e.cause,
      status: e.response ? e.response.status_code : 0,
    }));
    ua.on('newMessage', (e) => {
      if (e.originator !== 'remote')
        return;
      report({
        type: 'message',
        from: e.request.from.uri.toString(),
        contentType: e.request.getHeader('Content-Type') || '',
        body: e.request.body,
      });
    });
    ua.on('newRTCSession', (e) => {
      if (e.originator !== 'remote')
        return;
      watchSession(e.session);
      report({
        type: 'incoming',
        ...sessionSummary(e.session),
        from: e.request.from.uri.toString(),
      });
    });
    ua.start();
    return JsSIP.version;
  },

  message(target, text) {
    state.ua.sendMessage(target, text, {
      contentType: 'text/plain;charset=utf-8',
      eventHandlers: {
        succeeded: (e) => report({ type: 'messageSent', status: e.response.status_code }),
        failed: (e) => report({
          type: 'messageFailed', cause: e.cause,
          status: e.response ? e.response.status_code : 0,
        }),
      },
    });
  },

  call(target) {
    const session = state.ua.call(target, { mediaConstraints, pcConfig });
    watchSession(session);
    return sessionSummary(session);
  },

  answer() {
    const session = state.session;
    if (!session || session.direction !== 'incoming')
      throw new Error('no incoming call to answer');
    session.answer({ mediaConstraints, pcConfig });
  },

  hangup() {
    const session = state.session;
    if (!session || session.isEnded())
      throw new Error('no call to hang up');
    session.terminate();
  },

  // Ends whatever call is still up, so that a failed step leaves nothing
  // behind for the next one.
  hangupAll() {
    let n = 0;
    for (const session of state.sessions) {
      if (!session.isEnded()) {
        try {
          session.terminate();
          n++;
        } catch (e) {
          // terminated meanwhile
        }
      }
    }
    return n;
  },

  async stats() {
    const session = state.session;
    if (!session || !session.connection)
      return { bytesReceived: 0, packetsReceived: 0, ice: 'none' };
    const pc = session.connection;
    const reports = await pc.getStats();
    let bytesReceived = 0;
    let packetsReceived = 0;
    let pair = '';
    reports.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        bytesReceived += r.bytesReceived || 0;
        packetsReceived += r.packetsReceived || 0;
      }
      if (r.type === 'candidate-pair' && r.state === 'succeeded' && r.nominated) {
        const local = reports.get(r.localCandidateId);
        const remote = reports.get(r.remoteCandidateId);
        if (local && remote)
          pair = `${local.address}:${local.port} <-> ${remote.address}:${remote.port}`;
      }
    });
    return { bytesReceived, packetsReceived, ice: pc.iceConnectionState, pair };
  },

  unregister() {
    state.ua.unregister({ all: false });
  },

  isRegistered() {
    return state.ua ? state.ua.isRegistered() : false;
  },

  stop() {
    if (state.ua)
      state.ua.stop();
  },
};

report({ type: 'page', event: 'loaded', jssip: JsSIP.version });
