import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { mergeKubeconfigs } from '../../client/kubeconfig.js';
import { contextRows, loadKubeconfigs, setContext, useContext, viewConfig } from './kubeconfig-view.js';

let dir: string;
let first: string;
let second: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-config-view-'));
  first = join(dir, 'a');
  second = join(dir, 'b');
  writeFileSync(
    first,
    `# the lab's config\n${stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'lab', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } }],
      users: [{ name: 'admin', user: { token: 'secret-token' } }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'admin', namespace: 'web' } }],
    })}`,
  );
  writeFileSync(
    second,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'prod',
      clusters: [{ name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority': 'ca.crt' } }],
      users: [{ name: 'ops', user: { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' } }],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'ops' } }],
    }),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const load = () => loadKubeconfigs({ env: { KUBECONFIG: `${first}:${join(dir, 'missing')}:${second}` } });

describe('config view', () => {
  it('merges the files, hides secrets, resolves relative paths', () => {
    const { files, configs } = loadKubeconfigs({ env: { KUBECONFIG: `${first}:${join(dir, 'missing')}:${second}` } });
    expect(files).toEqual([first, second]);
    const view = viewConfig(mergeKubeconfigs(configs));
    expect(view['current-context']).toBe('prod');
    expect(view.clusters).toEqual([
      { name: 'lab', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': 'DATA+OMITTED' } },
      { name: 'prod', cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority': join(dir, 'ca.crt') } },
    ]);
    expect(view.users).toEqual([
      { name: 'admin', user: { token: 'REDACTED' } },
      { name: 'ops', user: { 'client-certificate-data': 'DATA+OMITTED', 'client-key-data': 'DATA+OMITTED' } },
    ]);
  });

  it('--raw shows secrets; --minify keeps only the current context', () => {
    const merged = mergeKubeconfigs(load().configs);
    const view = viewConfig(merged, { minify: true, raw: true, context: 'lab' });
    expect(view.contexts).toEqual([{ name: 'lab', context: { cluster: 'lab', user: 'admin', namespace: 'web' } }]);
    expect(view.users).toEqual([{ name: 'admin', user: { token: 'secret-token' } }]);
    expect(view['current-context']).toBe('lab');
    expect(() => viewConfig({ ...merged, currentContext: undefined }, { minify: true })).toThrow('current-context must exist in order to minify');
  });

  it('lists contexts with the current one marked', () => {
    expect(contextRows(mergeKubeconfigs(load().configs))).toEqual([
      ['', 'lab', 'lab', 'admin', 'web'],
      ['*', 'prod', 'prod', 'ops', ''],
    ]);
  });
});

describe('config use-context', () => {
  it('writes to the file that sets current-context, keeping its comments; refuses unknown names', () => {
    const { files, configs } = load();
    expect(() => useContext(files, configs, 'nope')).toThrow('no context exists with the name: "nope"; the contexts are: lab, prod');
    expect(useContext(files, configs, 'lab')).toBe(second);
    expect(readFileSync(second, 'utf8')).toContain('current-context: lab');
    expect(readFileSync(first, 'utf8')).not.toContain('current-context');
    // With no file setting one, the first file gets it, its comment kept.
    const only = loadKubeconfigs({ kubeconfig: first });
    expect(useContext(only.files, only.configs, 'lab')).toBe(first);
    expect(readFileSync(first, 'utf8')).toMatch(/^# the lab's config\n[\s\S]*current-context: lab/);
  });
});

describe('config set-context', () => {
  it('changes a context in the file that defines it, and creates new ones in the first file', () => {
    const { files, configs } = load();
    expect(setContext(files, configs, 'prod', { namespace: 'payments' })).toEqual({ file: second, created: false });
    expect(setContext(files, configs, 'lab', { namespace: 'web2', user: 'ops' })).toEqual({ file: first, created: false });
    expect(setContext(files, configs, 'fresh', { cluster: 'lab', user: 'admin' })).toEqual({ file: first, created: true });
    const after = mergeKubeconfigs(load().configs);
    expect(after.contexts.get('prod')).toEqual({ cluster: 'prod', user: 'ops', namespace: 'payments' });
    expect(after.contexts.get('lab')).toEqual({ cluster: 'lab', user: 'ops', namespace: 'web2' });
    expect(after.contexts.get('fresh')).toEqual({ cluster: 'lab', user: 'admin' });
    expect(readFileSync(first, 'utf8')).toMatch(/^# the lab's config\n/);
  });
});
