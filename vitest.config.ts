import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit beside the code and need nothing running; integration and
// end-to-end tests under test/ start real etcd, containerd, iptables in namespaces they make.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Unit tests first (group 0), then integration (group 1): vitest needs projects
          // with different worker limits in different groups.
          sequence: { groupOrder: 0 },
          include: ['{api,client,apiserver,scheduler,controller-manager,kubelet,cli,examples,deploy}/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/harness/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          // Two cores: real processes per file, so keep files from starving each other.
          maxWorkers: 2,
          fileParallelism: true,
        },
      },
    ],
  },
});
