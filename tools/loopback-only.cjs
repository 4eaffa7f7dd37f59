'use strict';
// Preload for the Agents Playground (node --require tools/loopback-only.cjs ...).
//
// Keeps the process on this machine:
//   - every server listen() is pinned to 127.0.0.1 (unix sockets and inherited handles are left alone);
//   - every outbound TCP/TLS socket to a non-loopback address is refused before any packet is sent;
//   - DNS look-ups of names other than localhost fail instead of asking a resolver;
//   - UDP datagrams to non-loopback addresses are dropped with an error.
// Refusals are reported once per destination on stderr, so a test log shows what the tool tried to reach.

const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const LOOPBACK_HOST = '127.0.0.1';
const reported = new Set();

function isLoopbackName(host) {
  if (host === undefined || host === null || host === '') {
    return true; // Node's default for connect() is localhost.
  }
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) {
    return true;
  }
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') {
    return true;
  }
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function refusal(what, host) {
  const key = `${what}:${host}`;
  if (!reported.has(key)) {
    reported.add(key);
    process.stderr.write(`[loopback-only] refused ${what} to ${host}\n`);
  }
  const err = new Error(`loopback-only: ${what} to ${host} refused (only 127.0.0.1 is allowed)`);
  err.code = 'ECONNREFUSED';
  return err;
}

// ---- listen(): pin to 127.0.0.1 -------------------------------------------------------------
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen(options[, cb]) or listen(handle[, backlog][, cb])
    if (first.path !== undefined || first._handle !== undefined || first.fd !== undefined || first.handle !== undefined) {
      return originalListen.apply(this, args);
    }
    args[0] = { ...first, host: LOOPBACK_HOST, ipv6Only: false };
    return originalListen.apply(this, args);
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) {
    return originalListen.apply(this, args); // unix socket path / named pipe
  }
  // listen([port][, host][, backlog][, cb])
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
  const port = typeof first === 'function' || first === undefined ? 0 : first;
  let backlog;
  if (typeof args[1] === 'number') {
    backlog = args[1];
  } else if (typeof args[2] === 'number') {
    backlog = args[2];
  }
  const options = { port: Number(port) || 0, host: LOOPBACK_HOST };
  if (backlog !== undefined) {
    options.backlog = backlog;
  }
  return callback ? originalListen.call(this, options, callback) : originalListen.call(this, options);
};

// ---- connect(): loopback only ---------------------------------------------------------------
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connect(...args) {
  let options = args[0];
  if (Array.isArray(options)) {
    options = options[0]; // internal normalized form [options, cb]
  }
  let host;
  let isPath = false;
  if (options !== null && typeof options === 'object') {
    isPath = options.path !== undefined;
    host = options.host;
  } else if (typeof options === 'string' && !/^\d+$/.test(options)) {
    isPath = true;
  } else {
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (!isPath && !isLoopbackName(host)) {
    const err = refusal('connection', host);
    process.nextTick(() => this.destroy(err));
    return this;
  }
  return originalConnect.apply(this, args);
};

// ---- DNS: only localhost resolves -----------------------------------------------------------
function guardCallbackStyle(name) {
  const original = dns[name];
  if (typeof original !== 'function') {
    return;
  }
  dns[name] = function guarded(hostname, ...rest) {
    if (isLoopbackName(hostname)) {
      return original.call(this, hostname, ...rest);
    }
    const callback = rest[rest.length - 1];
    const err = refusal(`dns ${name}`, hostname);
    err.code = 'ENOTFOUND';
    if (typeof callback === 'function') {
      process.nextTick(() => callback(err));
      return undefined;
    }
    throw err;
  };
}

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
  guardCallbackStyle(name);
}

if (dns.promises) {
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
    const original = dns.promises[name];
    if (typeof original !== 'function') {
      continue;
    }
    dns.promises[name] = function guarded(hostname, ...rest) {
      if (isLoopbackName(hostname)) {
        return original.call(this, hostname, ...rest);
      }
      const err = refusal(`dns ${name}`, hostname);
      err.code = 'ENOTFOUND';
      return Promise.reject(err);
    };
  }
}

for (const Resolver of [dns.Resolver, dns.promises && dns.promises.Resolver]) {
  if (!Resolver) {
    continue;
  }
  for (const name of ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveTxt', 'resolveSrv']) {
    const original = Resolver.prototype[name];
    if (typeof original !== 'function') {
      continue;
    }
    Resolver.prototype[name] = function guarded(hostname, ...rest) {
      if (isLoopbackName(hostname)) {
        return original.call(this, hostname, ...rest);
      }
      const err = refusal(`dns ${name}`, hostname);
      err.code = 'ENOTFOUND';
      const callback = rest[rest.length - 1];
      if (typeof callback === 'function') {
        process.nextTick(() => callback(err));
        return undefined;
      }
      return Promise.reject(err);
    };
  }
}

// ---- UDP: loopback only ---------------------------------------------------------------------
const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function send(...args) {
  // send(msg[, offset, length][, port][, address][, cb])
  const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
  const address = args.find((a, i) => i > 0 && typeof a === 'string');
  if (address !== undefined && !isLoopbackName(address)) {
    const err = refusal('datagram', address);
    if (callback) {
      process.nextTick(() => callback(err));
    }
    return undefined;
  }
  return originalSend.apply(this, args);
};

module.exports = { isLoopbackName };
