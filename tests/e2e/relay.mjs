// relay.mjs: a byte relay between a TCP port and a Unix socket.
//
// The suite runs Chromium in a network namespace of its own, with only a
// loopback interface, so that WebRTC media flows over 127.0.0.1 and nothing
// leaves the host. A server outside that namespace (SWS_E2E_SERVER) is
// reached through a Unix socket, which both namespaces see:
//
//   outside:  node relay.mjs unix:/tmp/x/relay.sock ws://HOST:PORT/PATH
//   inside:   relay({ listen: 'tcp:127.0.0.1:0', connect: 'unix:/tmp/x/relay.sock' })
//
// WebSocket frames pass untouched; only the TCP endpoints change.

import net from 'node:net';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

function parseEndpoint(spec) {
  if (spec.startsWith('unix:'))
    return { path: spec.slice(5) };
  if (/^wss?:\/\//.test(spec)) {
    const url = new URL(spec);
    return {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (url.protocol === 'wss:' ? 443 : 80)),
    };
  }
  const m = /^tcp:(\[[^\]]+\]|[^:]+):(\d+)$/.exec(spec);
  if (!m)
    throw new Error(`bad endpoint "${spec}": use unix:PATH, tcp:HOST:PORT or ws://HOST:PORT/`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

// Listens on `listen` and copies every connection to a new connection to
// `connect`. Resolves to the net.Server once it listens.
export function relay({ listen, connect, log = () => {} }) {
  const from = parseEndpoint(listen);
  const to = parseEndpoint(connect);
  const server = net.createServer((client) => {
    const upstream = net.connect(to);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = (what) => (err) => {
      if (err)
        log(`relay: ${what}: ${err.message}`);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close('client'));
    upstream.on('error', close('server'));
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
  });
  if (from.path && fs.existsSync(from.path))
    fs.unlinkSync(from.path);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(from.path ? { path: from.path } : { host: from.host, port: from.port }, () =>
      resolve(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [listen, connect] = process.argv.slice(2);
  if (!listen || !connect) {
    process.stderr.write('usage: node relay.mjs LISTEN CONNECT (unix:PATH, tcp:HOST:PORT, or ws://HOST:PORT/ to connect)\n');
    process.exit(2);
  }
  relay({ listen, connect, log: (m) => process.stderr.write(`${m}\n`) })
    .then(() => process.stdout.write('ready\n'))
    .catch((err) => {
      process.stderr.write(`relay: ${err.message}\n`);
      process.exit(1);
    });
  process.on('SIGTERM', () => process.exit(0));
}
