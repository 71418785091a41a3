import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { customScaleOf } from './subresources.js';

const obj = (spec: unknown, status: unknown): KubeObject => ({ apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w', namespace: 'ns', resourceVersion: '7' }, spec, status } as KubeObject);

describe('customScaleOf', () => {
  const paths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' };
  const cases: Array<{ name: string; obj: KubeObject; paths?: typeof paths; want: unknown }> = [
    { name: 'reads the three paths', obj: obj({ replicas: 3 }, { replicas: 2, selector: 'app=w' }), want: { spec: { replicas: 3 }, status: { replicas: 2, selector: 'app=w' } } },
    { name: 'missing values are 0 and no selector', obj: obj({}, undefined), want: { spec: { replicas: 0 }, status: { replicas: 0 } } },
    {
      name: 'nested paths',
      obj: obj({ scaling: { count: 4 } }, { observed: { count: 1 } }),
      paths: { specReplicasPath: '.spec.scaling.count', statusReplicasPath: '.status.observed.count', labelSelectorPath: '.spec.missing' },
      want: { spec: { replicas: 4 }, status: { replicas: 1 } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const scale = customScaleOf(c.obj, c.paths ?? paths);
      expect(scale).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'w', namespace: 'ns', resourceVersion: '7' } });
      expect({ spec: scale.spec, status: scale.status }).toEqual(c.want);
    });
  }
});
