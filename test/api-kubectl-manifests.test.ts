// kubectl as an outside client: the objects `kubectl create ... --dry-run=client -o json`
// builds (with the shapes and empty structs real kubectl sends, such as `resources: {}` and
// `creationTimestamp: null`) must pass skiff's defaulting and validation unchanged, and the
// invalid values kubectl passes through must come back as the causes Kubernetes reports.

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDefaults } from '../api/defaults.js';
import { ResourceRegistry } from '../api/resources.js';
import type { KubeObject } from '../api/types.js';
import { validateObject } from '../api/validation.js';

const run = promisify(execFile);
const registry = new ResourceRegistry();
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'skiff-api-kubectl-'));
});

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Runs `kubectl create <args> --dry-run=client -o json` offline, with a throwaway home. */
async function kubectlCreate(args: string[]): Promise<KubeObject> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, KUBECONFIG: join(home, 'absent-kubeconfig') };
  const { stdout } = await run('kubectl', ['create', '--dry-run=client', '-o', 'json', ...args], { env, timeout: 30_000 });
  return JSON.parse(stdout) as KubeObject;
}

/** What the API server does with a POST body: namespace from the path, a uid, defaults, validation. */
function admit(obj: KubeObject, namespace = 'default'): string[] {
  const type = registry.byKind(obj.apiVersion!, obj.kind!);
  if (!type) throw new Error(`kubectl produced an unserved kind ${obj.apiVersion}/${obj.kind}`);
  const meta = (obj.metadata ??= {});
  if (type.namespaced) meta.namespace = namespace;
  obj.metadata = { ...meta, uid: '6f1e4c2a-0d1b-4a53-9d55-3c1f5b7c9e10' };
  delete (obj as { status?: unknown }).status;
  applyDefaults(type, obj);
  return validateObject(type, obj).map((c) => `${c.field} ${c.reason}`);
}

describe('objects kubectl builds', () => {
  it.each<[string, string[]]>([
    ['deployment', ['deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80']],
    ['deployment with two images', ['deployment', 'pair', '--image=nginx:1.27', '--image=busybox']],
    ['job', ['job', 'pi', '--image=perl:5.34', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(20)']],
    ['ClusterIP service', ['service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:8443']],
    ['headless service', ['service', 'clusterip', 'headless', '--clusterip=None']],
    ['NodePort service', ['service', 'nodeport', 'web', '--tcp=80:8080', '--node-port=30080']],
    ['ExternalName service', ['service', 'externalname', 'db', '--external-name=db.example.com']],
    ['configmap', ['configmap', 'game', '--from-literal=lives=3', '--from-literal=game.properties=enemies=aliens']],
    ['secret', ['secret', 'generic', 'db', '--from-literal=password=hunter2', '--type=Opaque']],
    ['namespace', ['namespace', 'team-a']],
    ['service account', ['serviceaccount', 'builder']],
    ['priority class', ['priorityclass', 'high', '--value=1000', '--description=batch jobs']],
    ['pod disruption budget', ['poddisruptionbudget', 'web', '--selector=app=web', '--min-available=50%']],
  ])('%s is accepted', async (_name, args) => {
    expect(admit(await kubectlCreate(args))).toEqual([]);
  });
});

describe('invalid values kubectl passes through', () => {
  it.each<[string, string[], string[]]>([
    ['upper-case deployment name', ['deployment', 'Web', '--image=nginx'], ['metadata.name FieldValueInvalid']],
    ['negative replicas', ['deployment', 'web', '--image=nginx', '--replicas=-1'], ['spec.replicas FieldValueInvalid']],
    ['container port out of range', ['deployment', 'web', '--image=nginx', '--port=70000'], ['spec.template.spec.containers[0].ports[0].containerPort FieldValueInvalid']],
    ['service name starting with a digit', ['service', 'clusterip', '1web', '--tcp=80'], ['metadata.name FieldValueInvalid']],
    ['namespace name with a dot', ['namespace', 'team.a'], ['metadata.name FieldValueInvalid']],
    ['user priority above the limit', ['priorityclass', 'huge', '--value=2000000000'], ['value FieldValueForbidden']],
    ['TLS secret without its key', ['secret', 'generic', 'tls', '--type=kubernetes.io/tls', '--from-literal=tls.crt=pem'], ['data[tls.key] FieldValueRequired']],
  ])('%s', async (_name, args, expected) => {
    expect(admit(await kubectlCreate(args))).toEqual(expected);
  });
});
