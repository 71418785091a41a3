import { defineConfig } from 'vitest/config';

// Two projects: unit tests sit beside the code and need nothing running; integration and
// end-to-end tests under test/ start real etcd, containerd, iptables in namespaces they make.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{api,client,apiserver,scheduler,controller-manager,kubelet,cli,examples,deploy}/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
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
