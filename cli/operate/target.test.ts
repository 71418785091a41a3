import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, ResourceRegistry } from '../../api/resources.js';
import { parseTargets } from './target.js';

const registry = new ResourceRegistry(BUILTIN_RESOURCES);
const named = (args: string[]) => parseTargets(args, registry).map((t) => `${t.type.resource}/${t.name}`);

describe('parseTargets', () => {
  it.each([
    { args: ['deploy/web'], want: ['deployments/web'] },
    { args: ['deployment', 'web', 'api'], want: ['deployments/web', 'deployments/api'] },
    { args: ['rs/web-1', 'ds/agent'], want: ['replicasets/web-1', 'daemonsets/agent'] },
  ])('$args', ({ args, want }) => expect(named(args)).toEqual(want));

  it.each([
    { args: [], error: 'say which object' },
    { args: ['deploy'], error: 'say which deploy' },
    { args: ['deploy/'], error: 'expected KIND/NAME' },
    { args: ['deploy', 'rs/web'], error: 'give plain names' },
    { args: ['widgets/w'], error: 'the server doesn\'t have a resource type "widgets"; the kinds it serves are: ' },
  ])('refuses $args', ({ args, error }) => expect(() => named(args)).toThrow(error));
});
