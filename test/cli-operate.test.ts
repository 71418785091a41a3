// `skiff scale / rollout / cordon / uncordon / drain / label / annotate / edit / config /
// completion` as a user runs them: the CLI as its own process against a real API server on a
// real etcd, with the controller-manager in-process and stand-ins for the scheduler and the
// kubelets (pods bound round-robin and made Ready without containers).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { DaemonSet, Deployment, Node, Pod, PodDisruptionBudget } from '../api/types.js';
import type { ApiClient } from '../client/interfaces.js';
import { restClientFromKubeconfig } from '../client/rest.js';
import { startControllerManager, type ControllerManagerApp } from '../controller-manager/app.js';
import { parseFlags } from '../controller-manager/flags.js';
import { isReady, nodeObject, startStandIns, type StandIns } from './controller-standins.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { waitFor } from './harness/ports.js';
import { runSkiff, type SkiffOptions, type SkiffRun } from './harness/skiff-cli.js';

let api: TestApiServer;
let client: ApiClient;
let cm: ControllerManagerApp;
let standIns: StandIns;
let dir: string;

/** Runs the CLI with the test server's kubeconfig (or another, or none); `onStderr` sees stderr as it arrives. */
function skiffWith(opts: SkiffOptions & { kubeconfig?: string | null }, ...args: string[]): Promise<SkiffRun> {
  const kubeconfig = opts.kubeconfig === undefined ? api.kubeconfigPath : opts.kubeconfig;
  return runSkiff([...args, ...(kubeconfig ? [`--kubeconfig=${kubeconfig}`] : [])], opts);
}

const skiff = (...args: string[]) => skiffWith({}, ...args);

const deployments = () => client.for<Deployment>('deployments');
const imageOf = async (name: string) => (await deployments().get('default', name)).spec?.template.spec?.containers[0].image;
const podsOf = async (app: string) => (await client.for<Pod>('pods').list('default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

function deployment(name: string, replicas: number, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
      ...extra,
    },
  };
}

async function setImage(name: string, image: string): Promise<void> {
  await deployments().patch('default', name, 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'skiff-cli-operate-'));
  api = await startTestApiServer();
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  for (const n of ['node-a', 'node-b']) await client.for<Node>('nodes').create(undefined, nodeObject(n));
  cm = await startControllerManager(parseFlags(['--kubeconfig', api.kubeconfigPath, '--leader-elect=false', '--secure-port=0', '--controllers=*,-nodelifecycle']));
  standIns = startStandIns(client, { namespace: 'default', intervalMs: 50 });
});

afterAll(async () => {
  try {
    await standIns?.stop();
    await cm?.stop();
    await api?.stop();
  } finally {
    // Also when a stop fails (its etcd already gone): the temp dir never outlives the test.
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

describe('skiff scale and rollout', () => {
  it('follows a rollout, lists its history, undoes, restarts, pauses and resumes it', async () => {
    await deployments().create('default', deployment('web', 2));
    const first = await skiff('rollout', 'status', 'deploy/web', '--timeout=30s');
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expect(first.stdout).toMatch(/deployment "web" successfully rolled out\n$/);

    // New pods are held unready until rollout status has reported the rollout under way.
    standIns.readyBudget = 0;
    await setImage('web', 'busybox:2');
    const release = () => (standIns.readyBudget = Infinity);
    const second = await skiffWith({ onStdout: (text) => text.includes('Waiting for deployment') && release() }, 'rollout', 'status', 'deployment', 'web', '--timeout=30s');
    release();
    expect(second.code).toBe(0);
    // In a pipe each step is its own plain line, in kubectl's words.
    expect(second.stdout).toMatch(/^Waiting for deployment "web" rollout to finish: /m);
    expect(second.stdout).toMatch(/deployment "web" successfully rolled out\n$/);

    const history = await skiff('rollout', 'history', 'deploy/web');
    expect(history).toMatchObject({ code: 0, stdout: 'deployment.apps/web\nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n' });
    const one = await skiff('rollout', 'history', 'deploy/web', '--revision=1');
    expect(one.stdout).toMatch(/^deployment.apps\/web with revision #1\nPod Template:\n/);
    expect(one.stdout).toContain('image: busybox:1');

    expect(await skiff('rollout', 'undo', 'deploy/web')).toMatchObject({ code: 0, stdout: 'deployment.apps/web rolled back\n' });
    expect(await imageOf('web')).toBe('busybox:1');
    expect((await skiff('rollout', 'status', 'deploy/web', '--timeout=30s')).code).toBe(0);
    const missing = await skiff('rollout', 'undo', 'deploy/web', '--to-revision=9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('unable to find specified revision 9 in history of deployment.apps/web; it has revisions 2, 3');
    expect(await skiff('rollout', 'undo', 'deploy/web', '--to-revision=3')).toMatchObject({ code: 0, stdout: 'deployment.apps/web skipped rollback (current template already matches revision 3)\n' });

    expect(await skiff('rollout', 'restart', 'deploy/web')).toMatchObject({ code: 0, stdout: 'deployment.apps/web restarted\n' });
    const restarted = await deployments().get('default', 'web');
    expect(Date.parse(restarted.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect((await skiff('rollout', 'status', 'deploy/web', '--timeout=30s')).code).toBe(0);

    expect(await skiff('rollout', 'pause', 'deploy/web')).toMatchObject({ code: 0, stdout: 'deployment.apps/web paused\n' });
    const again = await skiff('rollout', 'pause', 'deploy/web');
    expect(again).toMatchObject({ code: 1, stderr: 'error: deployments.apps "web" is already paused\n' });
    const undoPaused = await skiff('rollout', 'undo', 'deploy/web');
    expect(undoPaused.stderr).toContain('you cannot roll back a paused deployment; resume it first with `skiff rollout resume deployment.apps/web`');
    expect(await skiff('rollout', 'resume', 'deploy/web')).toMatchObject({ code: 0, stdout: 'deployment.apps/web resumed\n' });

    const wrongKind = await skiff('rollout', 'pause', 'ds/web');
    expect(wrongKind).toMatchObject({ code: 1, stderr: 'error: rollout pause works on deployments, not daemonsets.apps\n' });
  });

  it('scales through the scale subresource, with --current-replicas as a precondition', async () => {
    expect(await skiff('scale', 'deploy/web', '--replicas=3')).toMatchObject({ code: 0, stdout: 'deployment.apps/web scaled\n' });
    await waitFor('3 pods', async () => (await podsOf('web')).length === 3);
    const refused = await skiff('scale', 'deployment', 'web', '--current-replicas=5', '--replicas=1');
    expect(refused).toMatchObject({ code: 1, stderr: 'error: Expected replicas to be 5, was 3\n' });
    expect((await deployments().get('default', 'web')).spec?.replicas).toBe(3);
    const notScalable = await skiff('scale', 'cm/settings', '--replicas=1');
    expect(notScalable.stderr).toMatch(/^error: configmaps cannot be scaled \(no scale subresource\); kinds that can: deployments.apps, replicasets.apps/);
    const bad = await skiff('scale', 'deploy/web', '--replicas=-1');
    expect(bad).toMatchObject({ code: 1, stderr: 'error: --replicas must be a whole number of replicas (0 or more), not "-1"\n' });
  });

  it('exits 1 when a rollout exceeds its progress deadline', async () => {
    standIns.readyBudget = 0;
    try {
      await deployments().create('default', deployment('stuck', 1, { progressDeadlineSeconds: 1 }));
      const r = await skiff('rollout', 'status', 'deploy/stuck', '--timeout=30s');
      expect(r).toMatchObject({ code: 1 });
      expect(r.stderr).toBe('error: deployment "stuck" exceeded its progress deadline\n');
      const once = await skiff('rollout', 'status', 'deploy/web', '--watch=false');
      expect(once).toMatchObject({ code: 0, stdout: 'deployment "web" successfully rolled out\n' });
    } finally {
      standIns.readyBudget = Infinity;
    }
  });

  it('follows, lists and undoes a DaemonSet rollout through its ControllerRevisions', async () => {
    const ds: DaemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:1' }] } } },
    };
    await client.for<DaemonSet>('daemonsets').create('default', ds);
    expect((await skiff('rollout', 'status', 'ds/agent', '--timeout=30s')).stdout).toMatch(/daemon set "agent" successfully rolled out\n$/);
    await client.for<DaemonSet>('daemonsets').patch('default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    await waitFor('revision 2', async () => (await skiff('rollout', 'history', 'ds/agent')).stdout.includes('\n2 '), 20_000, 200);
    expect((await skiff('rollout', 'undo', 'ds/agent')).stdout).toBe('daemonset.apps/agent rolled back\n');
    expect((await client.for<DaemonSet>('daemonsets').get('default', 'agent')).spec?.template.spec?.containers[0].image).toBe('agent:1');
    expect((await skiff('rollout', 'status', 'ds/agent', '--timeout=30s')).code).toBe(0);
  });
});

describe('skiff label and annotate', () => {
  it('sets, refuses to overwrite without --overwrite, removes, and selects by label', async () => {
    expect(await skiff('label', 'deploy', 'web', 'tier=front')).toMatchObject({ code: 0, stdout: 'deployment.apps/web labeled\n' });
    const refused = await skiff('label', 'deploy/web', 'tier=back');
    expect(refused).toMatchObject({ code: 1, stderr: "error: deployment.apps/web: 'tier' already has a value (front), and --overwrite is false\n" });
    expect((await skiff('label', 'deploy/web', 'tier=back', '--overwrite')).stdout).toBe('deployment.apps/web labeled\n');
    expect((await skiff('label', 'deploy/web', 'tier=back')).stdout).toBe('deployment.apps/web not labeled\n');
    expect((await deployments().get('default', 'web')).metadata?.labels).toEqual({ tier: 'back' });
    expect(await skiff('label', 'deploy/web', 'tier-', 'nothere-')).toMatchObject({ code: 0, stdout: 'deployment.apps/web labeled\n', stderr: 'label "nothere" not found.\n' });
    expect((await deployments().get('default', 'web')).metadata?.labels ?? {}).toEqual({});

    const annotated = await skiff('annotate', 'pods', '-l', 'app=web', 'note=checked by skiff');
    expect(annotated.code).toBe(0);
    const pods = await podsOf('web');
    expect(annotated.stdout.trim().split('\n').sort()).toEqual(pods.map((p) => `pod/${p.metadata?.name} annotated`).sort());
    expect(pods.every((p) => p.metadata?.annotations?.note === 'checked by skiff')).toBe(true);
  });
});

describe('skiff edit', () => {
  it('saves an edit; an invalid one reopens with the reasons on top; no change cancels', async () => {
    const editor = join(dir, 'editor.sh');
    writeFileSync(
      editor,
      `#!/bin/sh
n=$(cat "${dir}/count" 2>/dev/null || echo 0)
echo $((n + 1)) > "${dir}/count"
cp "$1" "${dir}/seen-$n.yaml"
if [ "$n" = 0 ]; then sed -i 's/^  replicas: .*/  replicas: -1/' "$1"; else sed -i 's/^  replicas: .*/  replicas: 2/' "$1"; fi
`,
    );
    chmodSync(editor, 0o755);
    const r = await skiffWith({ env: { KUBE_EDITOR: editor, EDITOR: 'false' } }, 'edit', 'deploy/web');
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: 'deployment.apps/web edited\n' });
    expect((await deployments().get('default', 'web')).spec?.replicas).toBe(2);
    const shown = parse(readFileSync(join(dir, 'seen-0.yaml'), 'utf8')) as Deployment;
    expect(shown).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
    expect(readFileSync(join(dir, 'seen-1.yaml'), 'utf8')).toMatch(/^# deployments.apps "web" was not valid:\n# \* spec.replicas: /);

    expect(await skiffWith({ env: { EDITOR: 'true', KUBE_EDITOR: '' } }, 'edit', 'deployment', 'web')).toMatchObject({ code: 0, stdout: 'Edit cancelled, no changes made.\n' });
  });
});

describe('skiff cordon, uncordon and drain', () => {
  it('cordons and uncordons, saying when a node already is', async () => {
    expect(await skiff('cordon', 'node-b')).toMatchObject({ code: 0, stdout: 'node/node-b cordoned\n' });
    expect((await client.for<Node>('nodes').get(undefined, 'node-b')).spec?.unschedulable).toBe(true);
    expect((await skiff('cordon', 'node-b')).stdout).toBe('node/node-b already cordoned\n');
    expect((await skiff('uncordon', 'node-b')).stdout).toBe('node/node-b uncordoned\n');
    expect((await client.for<Node>('nodes').get(undefined, 'node-b')).spec?.unschedulable).toBeUndefined();
    expect(await skiff('cordon', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): nodes "nope" not found\n' });
    expect(await skiff('drain', 'nope')).toMatchObject({ code: 1, stderr: 'error: unable to drain node "nope": Error from server (NotFound): nodes "nope" not found\n' });
  });

  it('drains through evictions: DaemonSet pods need --ignore-daemonsets, a PodDisruptionBudget holds it until it allows', async () => {
    // New pods go to node-b only: the stand-in scheduler does not read spec.unschedulable.
    standIns.nodes = ['node-b'];
    const onA = async () => (await client.for<Pod>('pods').list('default', { fieldSelector: 'spec.nodeName=node-a' })).items.filter((p) => !p.metadata?.deletionTimestamp);
    await waitFor('web pods ready', async () => (await podsOf('web')).filter(isReady).length === 2);
    const webOnA = (await onA()).filter((p) => p.metadata?.labels?.app === 'web');
    expect(webOnA.length).toBeGreaterThan(0);

    const dry = await skiff('drain', 'node-a', '--ignore-daemonsets', '--dry-run');
    expect(dry.code).toBe(0);
    const movable = (await onA()).filter((p) => p.metadata?.labels?.app !== 'agent');
    expect(dry.stdout).toBe(['node/node-a cordoned (dry run)', ...movable.map((p) => `evicting pod default/${p.metadata?.name} (dry run)`), 'node/node-a drained (dry run)', ''].join('\n'));
    expect((await client.for<Node>('nodes').get(undefined, 'node-a')).spec?.unschedulable).toBeUndefined();

    const refused = await skiff('drain', 'node-a');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('node/node-a cordoned\n');
    expect(refused.stderr).toMatch(/^error: unable to drain node "node-a": cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): default\/agent-/);
    expect(refused.stderr).toContain('node/node-a stays cordoned; `skiff uncordon node-a` makes it schedulable again');

    const pdb: PodDisruptionBudget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } };
    await client.for<PodDisruptionBudget>('poddisruptionbudgets').create('default', pdb);
    await waitFor('the budget counted', async () => (await client.for<PodDisruptionBudget>('poddisruptionbudgets').get('default', 'web')).status?.currentHealthy === 2);
    let loosened = false;
    const drained = await skiffWith(
      {
        onStderr: (text) => {
          // Once the budget has refused an eviction, let one pod go.
          if (!loosened && text.includes('(will retry after 0.3s)')) {
            loosened = true;
            void client.for<PodDisruptionBudget>('poddisruptionbudgets').patch('default', 'web', 'merge', { spec: { minAvailable: 1 } });
          }
        },
      },
      'drain',
      'node-a',
      '--ignore-daemonsets',
      '--eviction-retry=300ms',
      '--timeout=60s',
    );
    expect(drained, drained.stderr).toMatchObject({ code: 0 });
    expect(drained.stderr).toMatch(/^Warning: ignoring DaemonSet-managed Pods: default\/agent-/);
    expect(drained.stderr).toMatch(/error when evicting pods\/"web-[a-z0-9-]+" -n "default" \(will retry after 0.3s\): Cannot evict pod as it would violate the pod's disruption budget. The disruption budget web needs 2 healthy pods and has 2 currently./);
    const lines = drained.stdout.trim().split('\n');
    expect(lines[0]).toBe('node/node-a already cordoned');
    for (const p of webOnA) {
      expect(lines).toContain(`evicting pod default/${p.metadata?.name}`);
      expect(lines).toContain(`pod/${p.metadata?.name} evicted`);
    }
    expect(lines.at(-1)).toBe('node/node-a drained');
    const left = await onA();
    expect(left.map((p) => p.metadata?.labels?.app)).toEqual(['agent']);
  });

  it('drains only the selected pods, deleting them directly with --disable-eviction', async () => {
    await client.for<Node>('nodes').create(undefined, nodeObject('node-c'));
    standIns.nodes = ['node-c'];
    const webOnB = (await podsOf('web')).filter((p) => p.spec?.nodeName === 'node-b').map((p) => p.metadata?.name);
    expect(webOnB.length).toBeGreaterThan(0);
    // The budget (minAvailable 1) would allow one eviction at a time; a delete does not ask it.
    const r = await skiff('drain', 'node-b', '--pod-selector=app=web', '--disable-eviction', '--grace-period=0', '--timeout=30s');
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trim().split('\n');
    for (const name of webOnB) expect(lines).toEqual(expect.arrayContaining([`deleting pod default/${name}`, `pod/${name} deleted`]));
    expect(lines.at(-1)).toBe('node/node-b drained');
    // The DaemonSet pod (and stuck's) were not selected: they stay, without --ignore-daemonsets.
    const onB = (await client.for<Pod>('pods').list('default', { fieldSelector: 'spec.nodeName=node-b' })).items.filter((p) => !p.metadata?.deletionTimestamp);
    expect(onB.map((p) => p.metadata?.labels?.app).sort()).toEqual(['agent', 'stuck']);

    // A budget that never allows a disruption: the drain gives up at its --timeout.
    await client.for<PodDisruptionBudget>('poddisruptionbudgets').patch('default', 'web', 'merge', { spec: { minAvailable: 2 } });
    await waitFor('web ready on node-c', async () => (await podsOf('web')).filter((p) => p.spec?.nodeName === 'node-c' && isReady(p)).length === 2);
    await waitFor('the budget to allow nothing', async () => (await client.for<PodDisruptionBudget>('poddisruptionbudgets').get('default', 'web')).status?.disruptionsAllowed === 0);
    const stuck = await skiff('drain', 'node-c', '--pod-selector=app=web', '--timeout=2s', '--eviction-retry=500ms');
    expect(stuck.code).toBe(1);
    expect(stuck.stderr).toMatch(/^error: unable to drain node "node-c": global timeout reached: 2s \(evicting pods\/"web-[a-z0-9-]+" -n "default": Cannot evict pod as it would violate the pod's disruption budget\./m);
    expect(stuck.stderr).toContain('node/node-c stays cordoned');
  });
});

describe('skiff config and completion', () => {
  it('views, lists and switches contexts of a kubeconfig', async () => {
    const file = join(dir, 'kubeconfig');
    const config = parse(readFileSync(api.kubeconfigPath, 'utf8')) as { contexts: { name: string; context: object }[] };
    config.contexts.push({ name: 'staging', context: { ...config.contexts[0].context, namespace: 'staging' } });
    writeFileSync(file, stringify(config));
    const current = config.contexts[0].name;
    const run = (...args: string[]) => skiffWith({ kubeconfig: file }, 'config', ...args);
    const contexts = await run('get-contexts');
    expect(contexts.stdout).toMatch(new RegExp(`^CURRENT +NAME +CLUSTER +AUTHINFO +NAMESPACE\\n\\* +${current} .*\\n +staging .* staging\\n$`));
    expect(await run('use-context', 'staging')).toMatchObject({ code: 0, stdout: 'Switched to context "staging".\n' });
    expect((await run('current-context')).stdout).toBe('staging\n');
    expect(await run('use-context', 'nope')).toMatchObject({ code: 1 });
    expect(await run('set-context', '--current', '--namespace=kube-system')).toMatchObject({ code: 0, stdout: 'Context "staging" modified.\n' });
    // Commands in this context now default to its namespace.
    await client.for('configmaps').create('kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'only-in-kube-system' } });
    expect(await skiffWith({ kubeconfig: file }, 'get', 'cm', 'only-in-kube-system', '-o', 'name')).toMatchObject({ code: 0, stdout: 'configmap/only-in-kube-system\n' });
    const view = parse((await run('view', '--minify')).stdout) as { contexts: { name: string }[]; users: { user: { token: string } }[] };
    expect(view.contexts.map((c) => c.name)).toEqual(['staging']);
    expect(view.users[0].user.token).toBe('REDACTED');
    expect((await run('view', '--raw')).stdout).toContain(api.token);
  });

  it('prints a bash completion script that bash accepts, with the commands and kinds', async () => {
    const r = await skiffWith({ kubeconfig: null }, 'completion', 'bash');
    expect(r.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: r.stdout }).status).toBe(0);
    expect(r.stdout).toMatch(/"rollout"\) echo "status history undo restart pause resume"/);
    expect(r.stdout).toMatch(/"drain"\) echo "[^"]*--ignore-daemonsets[^"]*--delete-emptydir-data/);
    expect(r.stdout).toMatch(/_skiff_kinds="[^"]*\bdeploy\b/);
    expect(await skiffWith({ kubeconfig: null }, 'completion', 'fish')).toMatchObject({ code: 1, stderr: 'error: unsupported shell "fish"; supported: bash, zsh\n' });
  });
});
