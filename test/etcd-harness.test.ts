import { afterAll, describe, expect, it } from 'vitest';
import { Etcd3 } from 'etcd3';
import { startEtcd, type TestEtcd } from './harness/etcd.js';

// The child-process path is kept working even when the suite runs on testcontainers.
describe.each(['process', process.env.DOCKER_HOST ? 'container' : undefined].filter(Boolean) as ('process' | 'container')[])(
  'etcd harness (%s)',
  (mode) => {
    let etcd: TestEtcd | undefined;
    afterAll(async () => etcd?.destroy());

    it('starts, keeps data across stop/start on the same endpoint', async () => {
      etcd = await startEtcd(mode);
      const client = new Etcd3({ hosts: etcd.endpoint });
      try {
        await client.put('/k').value('v1');
        await etcd.stop();
        await etcd.start();
        expect(await client.get('/k').string()).toBe('v1');
      } finally {
        client.close();
      }
    });
  },
);
