import { describe, expect, it } from 'vitest';
import { parseKubeletFlags } from './flags.js';

const required = ['--kubeconfig=/k', '--container-runtime-endpoint=unix:///run/c.sock', '--hostname-override=n1', '--node-ip=10.200.0.11', '--root-dir=/var/lib/skiff/kubelet'];

describe('parseKubeletFlags', () => {
  it('takes kubelet flag names and durations', () => {
    const f = parseKubeletFlags([...required, '--cluster-dns=10.96.0.10,10.96.0.11', '--node-status-update-frequency=2s', '--container-restart-backoff-base=500ms', '--container-restart-backoff-max=1m', '--pod-cidr=10.244.1.0/24', '--node-labels=a=b,c=d', '--v=2']);
    expect(f.kubeconfig).toBe('/k');
    expect(f.verbosity).toBe(2);
    expect(f.config).toMatchObject({
      nodeName: 'n1',
      nodeIp: '10.200.0.11',
      runtimeEndpoint: 'unix:///run/c.sock',
      clusterDns: ['10.96.0.10', '10.96.0.11'],
      clusterDomain: 'cluster.local',
      nodeStatusUpdateFrequencyMs: 2000,
      nodeStatusReportFrequencyMs: 60_000,
      nodeLeaseRenewIntervalMs: 10_000,
      plegRelistPeriodMs: 1000,
      restartBackoffBaseMs: 500,
      restartBackoffMaxMs: 60_000,
      imageGcHighThresholdPercent: 85,
      imageGcLowThresholdPercent: 80,
      maxPods: 110,
      port: 10250,
      podCidr: '10.244.1.0/24',
      nodeLabels: { a: 'b', c: 'd' },
    });
  });

  it.each([
    [['--image-gc-high-threshold=70', '--image-gc-low-threshold=80'], /low-threshold must be below/],
    [['--tls-cert-file=/c'], /go together/],
    [['--node-labels=novalue'], /not key=value/],
  ])('rejects %j', (extra, msg) => {
    expect(() => parseKubeletFlags([...required, ...extra])).toThrow(msg);
  });
});
