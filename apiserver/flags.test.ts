import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CERT_DIR, parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('has kube-apiserver defaults', () => {
    expect(parseFlags([])).toMatchObject({
      etcdServers: ['http://127.0.0.1:2379'],
      bindAddress: '0.0.0.0',
      securePort: 6443,
      certDir: DEFAULT_CERT_DIR,
      serviceClusterIpRange: '10.96.0.0/16',
      serviceNodePortRange: '30000-32767',
      eventTtl: 3_600_000,
      defaultNotReadyTolerationSeconds: 300,
      defaultUnreachableTolerationSeconds: 300,
      maxRequestsInflight: 400,
      maxMutatingRequestsInflight: 200,
      maxRequestBodyBytes: 3 * 1024 * 1024,
      etcdCompactionInterval: 300_000,
    });
  });

  it.each([
    [['--etcd-servers=http://a:2379, http://b:2379'], { etcdServers: ['http://a:2379', 'http://b:2379'] }],
    [['--event-ttl=1h30m'], { eventTtl: 5_400_000 }],
    [['--event-ttl', '250ms'], { eventTtl: 250 }],
    [['--etcd-compaction-interval=0'], { etcdCompactionInterval: 0 }],
    [['--secure-port=0', '--bind-address=127.0.0.1'], { securePort: 0, bindAddress: '127.0.0.1' }],
    [['--v=4'], { v: 4 }],
    [['--service-node-port-range=20000-20100'], { serviceNodePortRange: '20000-20100' }],
  ])('%j', (argv, want) => {
    expect(parseFlags(argv)).toMatchObject(want);
  });

  it.each([['--secure-port=abc'], ['--secure-port=-1'], ['--event-ttl=5 minutes'], ['--service-node-port-range=40000-30000'], ['--service-node-port-range=1-70000'], ['--no-such-flag']])(
    'refuses %s',
    (flag) => {
      expect(() => parseFlags([flag])).toThrow(CommanderError);
    },
  );
});
