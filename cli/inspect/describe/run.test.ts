import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, ResourceRegistry } from '../../../api/resources.js';
import { resolveKind } from '../../resources/connection.js';
import { parseDescribeArgs } from './run.js';

const registry = new ResourceRegistry(BUILTIN_RESOURCES);
const parse = (...args: string[]) => parseDescribeArgs(args, (k) => resolveKind(k, registry)).map((t) => [t.type.resource, t.names]);

describe('describe arguments', () => {
  it.each([
    [['pod', 'web', 'api'], [['pods', ['web', 'api']]]],
    [['deploy'], [['deployments', []]]],
    [['deploy,svc', 'web'], [['deployments', ['web']], ['services', ['web']]]],
    [['deploy/web', 'svc/web'], [['deployments', ['web']], ['services', ['web']]]],
  ])('%j', (args, want) => expect(parse(...args)).toEqual(want));

  it('says what is wrong', () => {
    expect(() => parse()).toThrow(/you must name a kind/);
    expect(() => parse('deploy/web', 'api')).toThrow('"api" is not KIND/NAME');
    expect(() => parse('deploymnt')).toThrow(/doesn't have a resource type "deploymnt"/);
  });
});
