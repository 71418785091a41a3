// The example Greeting controller (examples/greeting) against a real API server: its CRD
// applied with kubectl, the controller running in-process on skiff's client, Greetings made
// with kubectl. It creates and repairs the owned ConfigMap, follows spec changes, reports
// through /status with observedGeneration, refuses to take over a ConfigMap it does not own,
// and records Events.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { ConfigMap, Event } from '../api/types.js';
import { createEventRecorder, type ApiEventRecorder } from '../client/events.js';
import { isNotFound } from '../client/errors.js';
import { createLogger } from '../client/log.js';
import { restClientFromKubeconfig, type RestClient } from '../client/rest.js';
import { GreetingController } from '../examples/greeting/controller.js';
import { GREETINGS, type Greeting } from '../examples/greeting/greeting.js';
import { startTestApiServer, type TestApiServer } from './harness/apiserver.js';
import { kubectlFor } from './harness/kubectl.js';
import { waitFor } from './harness/ports.js';

let api: TestApiServer;
let dir: string;
let client: RestClient;
let recorder: ApiEventRecorder;
const stop = new AbortController();
let running: Promise<void> | undefined;

const kc = kubectlFor(() => api.kubeconfigPath, () => join(dir, 'cache'));

beforeAll(async () => {
  api = await startTestApiServer();
  dir = mkdtempSync(join(tmpdir(), 'skiff-crd-example-'));
  await kc.ok('apply', '-f', 'examples/greeting/crd.yaml');
  await kc.ok('wait', '--for=condition=Established', '--timeout=10s', 'crd/greetings.examples.skiff.dev');
  const log = createLogger('greeting-controller-test');
  client = restClientFromKubeconfig({ kubeconfig: api.kubeconfigPath });
  recorder = createEventRecorder({ client, component: 'greeting-controller', logger: log });
  running = new GreetingController({ client, recorder, log, namespace: 'default', workers: 2 }).run(stop.signal);
});
afterAll(async () => {
  stop.abort();
  await running;
  await recorder?.flush();
  await api?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const configMaps = () => client.for<ConfigMap>('configmaps');
const greetings = () => client.resource<Greeting>(GREETINGS);

async function configMapText(name: string): Promise<string | undefined> {
  try {
    return (await configMaps().get('default', name)).data?.['greeting.txt'];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

describe('the Greeting example controller', () => {
  it('creates the ConfigMap and reports Ready with the observed generation', async () => {
    await kc.ok('apply', '-f', 'examples/greeting/greeting.yaml');
    await waitFor('the greeting ConfigMap', async () => (await configMapText('greeting-hello')) === 'Hello, world!\nHello, skiff!\n', 10_000);
    await waitFor('Ready on the status', async () => (await greetings().get('default', 'hello')).status?.conditions?.[0]?.status === 'True', 10_000);
    const hello = await greetings().get('default', 'hello');
    expect(hello.status).toMatchObject({ configMapName: 'greeting-hello', observedGeneration: 1 });
    const cm = await configMaps().get('default', 'greeting-hello');
    expect(cm.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Greeting', name: 'hello', uid: hello.metadata?.uid, controller: true });
    expect(await kc.ok('get', 'greetings')).toMatch(/hello\s+Hello\s+greeting-hello\s+True\s+\d+s/);
  });

  it('follows a spec change (schema defaults included)', async () => {
    await kc.ok('patch', 'greeting', 'hello', '--type=merge', '-p', '{"spec":{"message":"Goodbye","recipients":null}}');
    await waitFor('the new text', async () => (await configMapText('greeting-hello')) === 'Goodbye, world!\n', 10_000);
    await waitFor('observedGeneration 2', async () => (await greetings().get('default', 'hello')).status?.observedGeneration === 2, 10_000);
  });

  it('repairs the ConfigMap when it is deleted or edited', async () => {
    await configMaps().delete('default', 'greeting-hello');
    await waitFor('the ConfigMap back', async () => (await configMapText('greeting-hello')) === 'Goodbye, world!\n', 10_000);
    await kc.ok('patch', 'configmap', 'greeting-hello', '--type=merge', '-p', '{"data":{"greeting.txt":"tampered"}}');
    await waitFor('the text restored', async () => (await configMapText('greeting-hello')) === 'Goodbye, world!\n', 10_000);
  });

  it('never takes over a ConfigMap it does not own', async () => {
    await configMaps().create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting-taken' }, data: { mine: 'yes' } });
    await kc.run(['apply', '-f', '-'], { input: stringify({ apiVersion: 'examples.skiff.dev/v1', kind: 'Greeting', metadata: { name: 'taken' }, spec: { message: 'Hi' } }) });
    await waitFor('the conflict on the status', async () => (await greetings().get('default', 'taken')).status?.conditions?.[0]?.reason === 'ConfigMapConflict', 10_000);
    expect((await configMaps().get('default', 'greeting-taken')).data).toEqual({ mine: 'yes' });
  });

  it('records Events on the Greeting', async () => {
    await recorder.flush();
    const events = await client.for<Event>('events').list('default', { fieldSelector: 'involvedObject.kind=Greeting' });
    const reasons = new Set(events.items.map((e) => `${e.involvedObject.name}/${e.reason}`));
    expect(reasons).toContain('hello/ConfigMapCreated');
    expect(reasons).toContain('hello/ConfigMapUpdated');
    expect(reasons).toContain('taken/ConfigMapConflict');
  });

  it('runs as its own process from a kubeconfig (main.ts) and stops cleanly on SIGTERM', async () => {
    await kc.ok('create', 'namespace', 'proc');
    const child = spawn('node_modules/.bin/tsx', ['examples/greeting/main.ts', `--kubeconfig=${api.kubeconfigPath}`, '--namespace=proc', '--workers=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await kc.run(['apply', '-n', 'proc', '-f', '-'], { input: stringify({ apiVersion: 'examples.skiff.dev/v1', kind: 'Greeting', metadata: { name: 'p' }, spec: { message: 'Hey' } }) });
      await waitFor('the process to make the ConfigMap', async () => {
        try {
          return (await configMaps().get('proc', 'greeting-p')).data?.['greeting.txt'] === 'Hey, world!\n';
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      }, 20_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // Logs (pino, to stderr) say it stopped, and nothing went wrong on the way.
    expect(stderr).toContain('greeting controller stopped');
    expect(stderr).not.toMatch(/"level":(40|50|60)/);
  });

  it('invalid Greetings are refused by the CRD schema', async () => {
    const r = await kc.run(['apply', '-f', '-'], { input: stringify({ apiVersion: 'examples.skiff.dev/v1', kind: 'Greeting', metadata: { name: 'bad' }, spec: { message: '', punctuation: ';' } }) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('spec.message: Invalid value: ""');
    expect(r.stderr).toContain('spec.punctuation: Unsupported value: ";"');
  });
});
