/**
 * Paths and `file:` URIs, as the server turns every message's URI into a path (`uriToPath`) and every published
 * file's path into a URI (`pathToUri`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { openDocument, pathToUri, uriToPath } from '../../server/src/lsp/convert';

const posix = process.platform !== 'win32';

test('a file URI becomes its path: percent-encoded bytes decoded, the rest read as UTF-8', { skip: posix ? false : 'POSIX paths' }, () => {
  assert.equal(uriToPath('file:///repo/My%20Tenant/ca.yaml'), '/repo/My Tenant/ca.yaml');
  assert.equal(uriToPath('file:///repo/caf%C3%A9/ca.yaml'), '/repo/café/ca.yaml');
  // Not percent-encoded (some clients send names as they are), a character beyond U+FFFF included.
  assert.equal(uriToPath('file:///repo/café/🔒 policies/ca.yaml'), '/repo/café/🔒 policies/ca.yaml');
  assert.equal(uriToPath('file:///repo/%F0%9F%94%92/ca.yaml'), '/repo/🔒/ca.yaml');
  // A `%` not followed by two hex digits is the character itself.
  assert.equal(uriToPath('file:///repo/100%/a%zz.yaml'), '/repo/100%/a%zz.yaml');
  assert.equal(uriToPath('FILE:///repo/x.yaml'), '/repo/x.yaml');
  assert.equal(uriToPath('file://localhost/repo/x.yaml'), '/repo/x.yaml');
  assert.equal(uriToPath('file://Server/share/x.yaml'), '//server/share/x.yaml');
  assert.equal(uriToPath('file:///repo/x.yaml?query#fragment'), '/repo/x.yaml');
});

test('a URI that names no file here gives no path', () => {
  for (const uri of ['untitled:Untitled-1', 'https://example.com/x.yaml', 'file:///repo/a%2Fb.yaml', 'file:///repo/a%5cb.yaml', 'file:///repo/a%00.yaml', 'file://a%2Fb/x.yaml', 'file:relative/x.yaml', 42 as unknown as string]) {
    assert.equal(uriToPath(uri), undefined, String(uri));
    // Asked again (the answer is kept): the same.
    assert.equal(uriToPath(uri), undefined, String(uri));
  }
});

test('a name that is not UTF-8 keeps its bytes both ways', { skip: posix ? false : 'POSIX paths' }, () => {
  const uri = 'file:///repo/inv%FFname.yaml';
  const path = uriToPath(uri);
  assert.ok(path?.startsWith('/repo/inv'));
  assert.notEqual(path, '/repo/inv\uFFFDname.yaml', 'the byte is kept, not replaced');
  assert.equal(pathToUri(path!), uri);
});

test('paths and URIs go both ways, asked once or many times', { skip: posix ? false : 'POSIX paths' }, () => {
  for (const path of ['/repo/tenant/compliance/a.yaml', '/repo/My Tenant/ca #1.json', '/repo/café/🔒/x.yaml', '/repo/100%/x.yaml']) {
    const uri = pathToUri(path);
    for (let i = 0; i < 3; i++) assert.equal(uriToPath(uri), path, uri);
  }
});

test('a URI longer than any file system path is still answered', { skip: posix ? false : 'POSIX paths' }, () => {
  const long = `/repo/${'a'.repeat(20_000)}.yaml`;
  assert.equal(uriToPath(`file://${long}`), long);
  assert.equal(uriToPath(`file://${long}`), long);
});

test("a plain path's URI is the one `pathToFileURL` gives, without asking it", { skip: posix ? false : 'POSIX paths' }, () => {
  // Every printable ASCII character, in every place a segment can hold it, and the paths `pathToFileURL` rewrites
  // (dot segments, empty segments, a trailing slash or dot): `pathToUri` answers as it does.
  const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  // (A path that starts with `//` names a network share, and keeps its host: not what `pathToFileURL` gives.)
  const paths = ['/', '/a', '/a/', '/a/.', '/a/..', '/a/./b', '/a/../b', '/a//b', '/a/b//', '/.a/..b/...', '/a/.b./c..', '/ä/b', '/a b', '/a\tb'];
  for (const c of chars) paths.push(`/${c}`, `/a${c}b`, `/a/${c}`, `/a${c}/b`, `/${c}${c}/x.yaml`);
  for (const path of paths.filter((p) => !p.startsWith('//'))) assert.equal(pathToUri(path), pathToFileURL(path).href, JSON.stringify(path));
  assert.equal(pathToUri('//server/share/x.yaml'), 'file://server/share/x.yaml');
});

test('an open document is found by its path, however the client wrote its URI', { skip: posix ? false : 'POSIX paths' }, () => {
  const path = '/repo/Conditional Access (prod)/ca.yaml';
  // As VS Code writes it (`(` and `)` percent-encoded), unlike `pathToFileURL`.
  const vscode = 'file:///repo/Conditional%20Access%20%28prod%29/ca.yaml';
  assert.notEqual(vscode, pathToUri(path));
  const open = new Map([
    [vscode, 'buffer'],
    ['file:///repo/other.yaml', 'other'],
  ]);
  const documents = { get: (u: string) => open.get(u), keys: () => [...open.keys()] };
  assert.equal(openDocument(documents, path), 'buffer');
  assert.equal(openDocument(documents, '/repo/other.yaml'), 'other');
  assert.equal(openDocument(documents, '/repo/closed.yaml'), undefined);
});
