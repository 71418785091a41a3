import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { kubeconfigFiles, loadClientConfig } from './kubeconfig.js';

let dir: string;
const b64 = (s: string) => Buffer.from(s).toString('base64');

function write(path: string, doc: unknown): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, typeof doc === 'string' ? doc : stringify(doc));
  return full;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubeconfig-'));
  write('a/ca.crt', 'CA-FROM-FILE');
  write('a/token', 'file-token\n');
  write('a/client.crt', 'CERT');
  write('a/client.key', 'KEY');
  write('a/config', {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'lab',
    clusters: [
      { name: 'lab', cluster: { server: 'https://127.0.0.1:6443/', 'certificate-authority': 'ca.crt' } },
      { name: 'shared', cluster: { server: 'https://from-a:6443' } },
    ],
    users: [
      { name: 'admin', user: { token: 'secret' } },
      { name: 'filetoken', user: { tokenFile: './token' } },
      { name: 'certs', user: { 'client-certificate': 'client.crt', 'client-key': join(dir, 'a/client.key') } },
    ],
    contexts: [
      { name: 'lab', context: { cluster: 'lab', user: 'admin', namespace: 'team' } },
      { name: 'tok', context: { cluster: 'lab', user: 'filetoken' } },
      { name: 'certs', context: { cluster: 'lab', user: 'certs' } },
      { name: 'shared', context: { cluster: 'shared', user: 'admin' } },
      { name: 'broken', context: { cluster: 'nowhere', user: 'admin' } },
    ],
  });
  write('b/config', {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'other',
    clusters: [
      { name: 'shared', cluster: { server: 'https://from-b:6443' } },
      { name: 'other', cluster: { server: 'https://other:6443', 'insecure-skip-tls-verify': true, 'certificate-authority-data': b64('CA-DATA') } },
    ],
    users: [{ name: 'certdata', user: { 'client-certificate-data': b64('C'), 'client-key-data': b64('K') } }],
    contexts: [{ name: 'other', context: { cluster: 'other', user: 'certdata' } }],
  });
  write('home/.kube/config', { 'current-context': 'h', clusters: [{ name: 'h', cluster: { server: 'https://home:6443' } }], contexts: [{ name: 'h', context: { cluster: 'h' } }] });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kubeconfig', () => {
  it('picks files as kubectl does: --kubeconfig, then KUBECONFIG, then ~/.kube/config', () => {
    expect(kubeconfigFiles({ kubeconfig: '/x', env: { KUBECONFIG: '/y' } })).toEqual({ files: ['/x'], explicit: true });
    expect(kubeconfigFiles({ env: { KUBECONFIG: '/y::/z' } })).toEqual({ files: ['/y', '/z'], explicit: false });
    expect(kubeconfigFiles({ env: {}, home: '/h' })).toEqual({ files: ['/h/.kube/config'], explicit: false });
    expect(loadClientConfig({ env: {}, home: join(dir, 'home') }).server).toBe('https://home:6443');
  });

  it('resolves the current context: server, CA file relative to the kubeconfig, token, namespace', () => {
    const c = loadClientConfig({ kubeconfig: join(dir, 'a/config') });
    expect(c).toMatchObject({ server: 'https://127.0.0.1:6443', token: 'secret', namespace: 'team', insecureSkipTLSVerify: false, contextName: 'lab' });
    expect(c.ca?.toString()).toBe('CA-FROM-FILE');
  });

  it.each([
    ['tok', { tokenFile: 'a/token', namespace: 'default' }],
    ['certs', { cert: 'CERT', key: 'KEY' }],
  ])('--context %s', (context, want) => {
    const c = loadClientConfig({ kubeconfig: join(dir, 'a/config'), context });
    if ('tokenFile' in want) expect(c.tokenFile).toBe(join(dir, want.tokenFile));
    if ('namespace' in want) expect(c.namespace).toBe(want.namespace);
    if ('cert' in want) expect([c.cert?.toString(), c.key?.toString()]).toEqual([want.cert, want.key]);
  });

  it('merges KUBECONFIG files with the first definition of each name winning', () => {
    const env = { KUBECONFIG: [join(dir, 'a/config'), join(dir, 'missing'), join(dir, 'b/config')].join(':') };
    expect(loadClientConfig({ env }).contextName).toBe('lab');
    expect(loadClientConfig({ env, context: 'shared' }).server).toBe('https://from-a:6443');
    const other = loadClientConfig({ env, context: 'other' });
    expect(other).toMatchObject({ server: 'https://other:6443', insecureSkipTLSVerify: true });
    expect([other.ca?.toString(), other.cert?.toString(), other.key?.toString()]).toEqual(['CA-DATA', 'C', 'K']);
    const reversed = { KUBECONFIG: [join(dir, 'b/config'), join(dir, 'a/config')].join(':') };
    expect(loadClientConfig({ env: reversed }).contextName).toBe('other');
    expect(loadClientConfig({ env: reversed, context: 'shared' }).server).toBe('https://from-b:6443');
  });

  it.each([
    [{ context: 'nope' }, /kubeconfig .*a\/config: context "nope" not found/],
    [{ context: 'broken' }, /cluster "nowhere" \(of context "broken"\) not found/],
  ])('explains what is wrong: %j', (opts, message) => {
    expect(() => loadClientConfig({ kubeconfig: join(dir, 'a/config'), ...opts })).toThrow(message);
  });

  it('refuses a missing --kubeconfig file and a config without current-context', () => {
    expect(() => loadClientConfig({ kubeconfig: join(dir, 'nope') })).toThrow(/no such file/);
    const f = write('c/config', { clusters: [], contexts: [] });
    expect(() => loadClientConfig({ kubeconfig: f })).toThrow(/no current-context is set \(use --context\)/);
  });
});
