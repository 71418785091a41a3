// A real etcd for a test: through testcontainers when a Docker-compatible engine answers
// (CI runs podman's API service), else as a child process. Either way the test gets one
// endpoint that stays the same across stop() / start(), so "etcd went away and came back"
// can be tested on both paths.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { freePort, waitFor } from './ports.js';

export const ETCD_IMAGE = 'localhost/skiff-test/etcd:3.4';

/** The label naming the test run (the vitest main process's PID) a container belongs to. */
export const RUN_LABEL = 'skiff.test-run-pid';

export interface TestEtcd {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  mode: 'container' | 'process';
  /** Stops etcd, keeping its data and port. */
  stop(): Promise<void>;
  /** Starts it again after stop(), on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and removes everything it left. */
  destroy(): Promise<void>;
}

export function etcdMode(): 'container' | 'process' {
  const forced = process.env.SKIFF_TEST_ETCD;
  if (forced === 'container' || forced === 'process') return forced;
  return process.env.DOCKER_HOST ? 'container' : 'process';
}

export async function startEtcd(mode: 'container' | 'process' = etcdMode()): Promise<TestEtcd> {
  return mode === 'container' ? startEtcdContainer() : startEtcdProcess();
}

async function healthy(endpoint: string): Promise<boolean> {
  const res = await fetch(`${endpoint}/health`);
  if (!res.ok) return false;
  const body = (await res.json()) as { health?: string };
  return body.health === 'true';
}

async function startEtcdProcess(): Promise<TestEtcd> {
  const dataDir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  const port = await freePort();
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn(
      'etcd',
      [
        '--name=test',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${endpoint}`,
        `--advertise-client-urls=${endpoint}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=test=http://127.0.0.1:${peerPort}`,
        '--log-level=error',
        '--logger=zap',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const proc = child;
    await waitFor(`etcd on ${endpoint}`, async () => {
      if (proc.exitCode !== null) throw new Error(`etcd exited with ${proc.exitCode}: ${stderr}`);
      return healthy(endpoint);
    });
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    endpoint,
    mode: 'process',
    stop,
    start,
    destroy: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startEtcdContainer(): Promise<TestEtcd> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const container: StartedTestContainer = await new GenericContainer(ETCD_IMAGE)
    .withExposedPorts({ container: 2379, host: port })
    .withUlimits({ nofile: { soft: 4096, hard: 4096 }, nproc: { soft: 4096, hard: 4096 } })
    .withCommand([
      '--name=test',
      '--data-dir=/tmp/etcd-data',
      '--listen-client-urls=http://0.0.0.0:2379',
      '--advertise-client-urls=http://127.0.0.1:2379',
      '--log-level=error',
      '--logger=zap',
    ])
    .withWaitStrategy(Wait.forHttp('/health', 2379))
    // Which run owns it, so the sweep of another run going on at the same time leaves it alone.
    .withLabels({ [RUN_LABEL]: process.env.SKIFF_TEST_RUN_PID ?? String(process.ppid) })
    .start();
  return {
    endpoint,
    mode: 'container',
    stop: async () => {
      await container.stop({ remove: false, timeout: 5_000 });
    },
    start: async () => {
      await container.restart();
      await waitFor(`etcd container on ${endpoint}`, () => healthy(endpoint));
    },
    destroy: async () => {
      await container.stop({ remove: true, timeout: 0 });
    },
  };
}
