// `skiff get / apply / delete` as a user runs them: the CLI as its own process with
// --kubeconfig, against a real API server on a real etcd.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { KubeObject } from '../api/types.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { runSkiff, type SkiffRun } from './harness/skiff-cli.js';

let api: TestApiServer;
let dir: string;

function skiff(...args: string[]): Promise<SkiffRun> {
  return skiffWith({}, ...args);
}

/** Runs the CLI with the test server's kubeconfig (or another), feeding `input` to stdin. */
function skiffWith(opts: { input?: string; kubeconfig?: string }, ...args: string[]): Promise<SkiffRun> {
  return runSkiff([...args, `--kubeconfig=${opts.kubeconfig ?? api.kubeconfigPath}`], { input: opts.input });
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const deployment = (labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {${labels}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;
const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
  api = await startTestApiServer();
});

afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff apply, get, delete', () => {
  it('applies a multi-document file: created, then unchanged, then configured with a dropped label gone', async () => {
    const first = file('app.yaml', `${deployment('app: web, tier: front')}---\n${configMap}`);
    const created = await skiff('apply', '-f', first);
    expect(created).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\nconfigmap/settings created\n' });

    const again = await skiff('apply', '-f', first);
    expect(again).toMatchObject({ code: 0, stdout: 'deployment.apps/web unchanged\nconfigmap/settings unchanged\n' });

    const changed = file('app2.yaml', `${deployment('app: web')}---\n${configMap.replace('fast', 'safe')}`);
    const configured = await skiff('apply', '-f', changed);
    expect(configured).toMatchObject({ code: 0, stdout: 'deployment.apps/web configured\nconfigmap/settings configured\n' });

    const live = parse((await skiff('get', 'deploy', 'web', '-o', 'yaml')).stdout) as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
    expect(live.metadata.labels).toEqual({ app: 'web' });
    expect(JSON.parse(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'])).toMatchObject({ metadata: { labels: { app: 'web' } } });
    expect(await skiff('get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}')).toMatchObject({ code: 0, stdout: 'safe' });
  });

  it('gets tables as kubectl prints them: padded, wide, labels, several kinds, all namespaces', async () => {
    const table = await skiff('get', 'deployments');
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME {3}READY {3}UP-TO-DATE {3}AVAILABLE {3}AGE$/);
    expect(row).toMatch(/^web {4}0\/2 /);

    const wide = await skiff('get', 'deploy', '-o', 'wide', '--show-labels');
    expect(wide.stdout.split('\n')[0]).toMatch(/ {3}CONTAINERS {3}IMAGES +SELECTOR +LABELS$/);
    expect(wide.stdout).toContain('nginx:1.27');
    expect(wide.stdout).toMatch(/app=web\n$/);

    const two = await skiff('get', 'deploy,cm');
    expect(two.stdout).toMatch(/deployment\.apps\/web /);
    expect(two.stdout).toMatch(/\n\nNAME +DATA +AGE\n/);
    expect(two.stdout).toMatch(/configmap\/settings +1 /);

    const everything = await skiff('get', 'all');
    expect(everything.code).toBe(0);
    expect(everything.stdout).toMatch(/deployment\.apps\/web +0\/2 /);

    const all = await skiff('get', 'cm', '-A');
    expect(all.stdout.split('\n')[0]).toMatch(/^NAMESPACE {3}NAME /);
    expect(all.stdout).toMatch(/\ndefault +settings /);

    const empty = await skiff('get', 'pods', '-n', 'kube-system', '-l', 'app=none');
    expect(empty).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in kube-system namespace.\n' });

    const missing = await skiff('get', 'deploy', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): deployments.apps "nope" not found');
  });

  it('prints names, JSON and jsonpath ranges', async () => {
    expect(await skiff('get', 'deploy,cm', '-o', 'name')).toMatchObject({ code: 0, stdout: 'deployment.apps/web\nconfigmap/settings\n' });
    const list = JSON.parse((await skiff('get', 'cm', '-o', 'json')).stdout) as { kind: string; items: { metadata: { name: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.metadata.name)).toContain('settings');
    const ranged = await skiff('get', 'deploy', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}');
    expect(ranged.stdout).toBe('web=2\n');
  });

  it('reports a YAML syntax error as file:line:col and applies nothing', async () => {
    const broken = file('broken.yaml', `${configMap.replace('settings', 'other')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\ndata:\n  a: [1,\n`);
    const r = await skiff('apply', '-f', broken);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: `));
    expect(r.stderr).toContain('nothing was applied');
    expect((await skiff('get', 'cm', 'other')).code).toBe(1);
  });

  it('names each failing field of an invalid object, and applies the rest', async () => {
    const bad = file(
      'bad.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: broken}
spec:
  replicas: -1
  selector: {matchLabels: {app: b}}
  template:
    metadata: {labels: {app: b}}
    spec:
      containers:
      - name: b
---
${configMap.replace('settings', 'fine')}`,
    );
    const r = await skiff('apply', '-f', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error when applying ${bad}#1 (deployment.apps/broken): Error from server (Invalid)`);
    expect(r.stderr).toMatch(/ {2}- spec\.replicas: /);
    expect(r.stderr).toMatch(/ {2}- spec\.template\.spec\.containers\[0\]\.image: /);
    expect(r.stdout).toBe('configmap/fine created\n');
  });

  it('says which kinds exist for an unknown kind', async () => {
    const r = await skiff('apply', '-f', file('gizmo.yaml', 'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: g}\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Gizmo \(apiVersion example\.com\/v1\).*the kinds it serves are: .*deployments\.apps \(deploy\)/);
    const g = await skiff('get', 'gizmos');
    expect(g.code).toBe(1);
    expect(g.stderr).toContain('pods (po)');
  });

  it('deletes by manifest, by name, and by selector', async () => {
    const r = await skiff('delete', '-f', join(dir, 'app2.yaml'), '--wait');
    expect(r).toMatchObject({ code: 0, stdout: 'deployment.apps "web" deleted\nconfigmap "settings" deleted\n' });
    expect((await skiff('get', 'deploy', 'web')).code).toBe(1);

    expect(await skiff('delete', 'cm', 'fine', '--wait=false')).toMatchObject({ code: 0, stdout: 'configmap "fine" deleted\n' });
    const again = await skiff('delete', 'cm', 'fine');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('NotFound');
    expect((await skiff('delete', 'cm', 'fine', '--ignore-not-found')).code).toBe(0);
  });

  it('applies stdin and directories (-R), reads cluster-scoped kinds, deletes by selector and --all', async () => {
    const ns = await skiffWith({ input: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n' }, 'apply', '-f', '-');
    expect(ns).toMatchObject({ code: 0, stdout: 'namespace/team created\n' });
    expect((await skiff('get', 'ns', 'team')).stdout).toMatch(/^NAME +STATUS +AGE\nteam +Active +/);

    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    const cm = (name: string, tier: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {tier: ${tier}}}\n`;
    writeFileSync(join(tree, 'a.yaml'), cm('a', 'front'));
    writeFileSync(join(tree, 'sub', 'b.yaml'), cm('b', 'back'));
    expect((await skiff('apply', '-n', 'team', '-f', tree)).stdout).toBe('configmap/a created\n');
    expect((await skiff('apply', '-n', 'team', '-R', '-f', tree)).stdout).toBe('configmap/a unchanged\nconfigmap/b created\n');

    // --context picks a context whose namespace is the default for -n.
    const twoContexts = parse(readFileSync(api.kubeconfigPath, 'utf8')) as { contexts: { name: string; context: Record<string, string> }[] };
    twoContexts.contexts.push({ name: 'team-ctx', context: { ...twoContexts.contexts[0].context, namespace: 'team' } });
    const kubeconfig = file('two-contexts', stringify(twoContexts));
    expect(await skiffWith({ kubeconfig }, 'get', 'cm', '--context', 'team-ctx', '-o', 'name', '-l', 'tier')).toMatchObject({ stdout: 'configmap/a\nconfigmap/b\n' });
    expect(await skiffWith({ kubeconfig }, 'get', 'cm', '--context', 'team-ctx', '-o', 'name', '--field-selector', 'metadata.name=b')).toMatchObject({ stdout: 'configmap/b\n' });

    expect(await skiff('delete', 'cm', '-n', 'team', '-l', 'tier=back')).toMatchObject({ code: 0, stdout: 'configmap "b" deleted\n' });
    expect(await skiff('get', 'cm', '-n', 'team', '-o', 'name', '-l', 'tier')).toMatchObject({ stdout: 'configmap/a\n' });
    const all = await skiff('delete', 'cm', '-n', 'team', '--all');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('configmap "a" deleted\n');
    expect(await skiff('get', 'cm', '-n', 'team', '-l', 'tier')).toMatchObject({ stdout: '', stderr: 'No resources found in team namespace.\n' });
  });

  it('warns when it patches an object that apply did not make, and keeps its other fields', async () => {
    const client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
    try {
      await client.for('configmaps').create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made-by-hand' }, data: { old: '1' } } as KubeObject);
    } finally {
      client.close();
    }
    const r = await skiffWith({ input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made-by-hand}\ndata: {new: "2"}\n' }, 'apply', '-f', '-');
    expect(r).toMatchObject({ code: 0, stdout: 'configmap/made-by-hand configured\n' });
    expect(r.stderr).toContain('Warning: configmap/made-by-hand was not made by apply');
    expect(JSON.parse((await skiff('get', 'cm', 'made-by-hand', '-o', 'jsonpath={.data}')).stdout)).toEqual({ new: '2', old: '1' });
    expect((await skiff('delete', 'cm', 'made-by-hand')).code).toBe(0);
  });

  it('applies on the server: conflicts name the field and its manager, --force-conflicts takes it over', async () => {
    const cm = (mode: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {mode: ${mode}}\n`;
    expect(await skiffWith({ input: cm('fast') }, 'apply', '--server-side', '-f', '-')).toMatchObject({ code: 0, stdout: 'configmap/ssa serverside-applied\n' });
    const other = await skiffWith({ input: cm('slow') }, 'apply', '--server-side', '--field-manager=other', '-f', '-');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('conflict with "skiff"');
    expect(other.stderr).toContain('.data.mode');
    expect(other.stderr).toContain('--force-conflicts');
    expect((await skiff('get', 'cm', 'ssa', '-o', 'jsonpath={.data.mode}')).stdout).toBe('fast');
    expect((await skiffWith({ input: cm('slow') }, 'apply', '--server-side', '--force-conflicts', '--field-manager=other', '-f', '-')).code).toBe(0);
    expect((await skiff('get', 'cm', 'ssa', '-o', 'jsonpath={.data.mode}')).stdout).toBe('slow');
    expect((await skiff('delete', 'cm', 'ssa')).code).toBe(0);
  });

  it('creates with create -f (an existing object is an error), and a server dry run stores nothing', async () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made}\ndata: {a: "1"}\n';
    expect(await skiffWith({ input: cm }, 'create', '--dry-run=server', '-f', '-')).toMatchObject({ code: 0, stdout: 'configmap/made created (server dry run)\n' });
    expect((await skiff('get', 'cm', 'made')).code).toBe(1);
    expect(await skiffWith({ input: cm }, 'create', '-f', '-')).toMatchObject({ code: 0, stdout: 'configmap/made created\n' });
    const again = await skiffWith({ input: cm }, 'create', '-f', '-');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('AlreadyExists');
    expect((await skiff('delete', 'cm', 'made')).code).toBe(0);
  });

  it('says which server it could not reach', async () => {
    const config = file('dead-kubeconfig', `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: dead, context: {cluster: c, user: u}}]\ncurrent-context: dead\n`);
    const r = await skiffWith({ kubeconfig: config }, 'get', 'pods');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach the API server at https://127.0.0.1:1 (context "dead")');
  });
});
