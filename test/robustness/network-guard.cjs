'use strict';
/**
 * A guard against network use, for the no-network tests: it replaces every way a Node program opens a socket or
 * asks DNS (net, tls, dgram, http, https, http2, dns, fetch) with a function that reports the attempt and throws.
 * Pipes are not affected: stdio and IPC streams are sockets made from file descriptors, which never `connect`.
 * With `{ childProcess: true }` it also refuses starting processes (the preload uses it; the test process itself
 * needs child_process to start the server).
 *
 *   require('./network-guard.cjs').install((what) => …)     in-process, to record
 *   node --require ./network-guard-preload.cjs …            in a child process, to crash loudly (exit 97)
 */
const net = require('node:net');
const tls = require('node:tls');
const dgram = require('node:dgram');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');
const http2 = require('node:http2');
const childProcess = require('node:child_process');

function install(onViolation, options = {}) {
  const originals = [];
  const block = (obj, name, label) => {
    if (!obj || typeof obj[name] !== 'function') return;
    const original = obj[name];
    originals.push([obj, name, original]);
    obj[name] = function guarded() {
      onViolation(label);
      throw new Error(`network use refused by the test guard: ${label}`);
    };
  };
  // Sockets: connecting out, listening in, datagrams.
  block(net.Socket.prototype, 'connect', 'net.Socket#connect');
  block(net, 'connect', 'net.connect');
  block(net, 'createConnection', 'net.createConnection');
  block(net.Server.prototype, 'listen', 'net.Server#listen');
  block(tls, 'connect', 'tls.connect');
  block(dgram, 'createSocket', 'dgram.createSocket');
  // HTTP clients.
  for (const [mod, label] of [[http, 'http'], [https, 'https']]) {
    block(mod, 'request', `${label}.request`);
    block(mod, 'get', `${label}.get`);
  }
  block(http2, 'connect', 'http2.connect');
  // DNS, callback and promise forms.
  for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveTxt', 'resolveSrv', 'reverse']) {
    block(dns, name, `dns.${name}`);
    block(dns.promises, name, `dns.promises.${name}`);
  }
  block(dns.Resolver && dns.Resolver.prototype, 'resolve', 'dns.Resolver#resolve');
  block(globalThis, 'fetch', 'fetch');
  if (options.childProcess) {
    for (const name of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) block(childProcess, name, `child_process.${name}`);
  }
  return () => {
    for (const [obj, name, original] of originals.reverse()) obj[name] = original;
  };
}

module.exports = { install };
