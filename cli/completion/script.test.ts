import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { bashScript, commandSpecs, zshScript } from './script.js';

function program(): Command {
  const p = new Command('skiff');
  p.command('get').argument('<kinds>').option('-n, --namespace <ns>').option('-o, --output <format>').option('--show-labels');
  p.command('up').option('--data-dir <dir>');
  const rollout = p.command('rollout');
  rollout.command('status').argument('<target...>').option('--timeout <d>');
  rollout.command('undo').argument('<target...>').option('--to-revision <n>');
  p.command('completion').argument('<shell>');
  return p;
}

/** The words bash would offer after `line` (the last word is the one being completed). */
function complete(script: string, line: string): string[] {
  const words = line.split(' ');
  // A stand-in `skiff` on the PATH answers `skiff get KIND [-n NS] -o name` with names that
  // show what it was asked.
  const fakeSkiff = `skiff() { if [ "$3" = "-n" ]; then echo "$2/web-in-$4"; else echo "$2/web"; echo "$2/api"; fi; }`;
  const r = spawnSync('bash', ['-c', `${script}\n${fakeSkiff}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _skiff; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter(Boolean).sort();
}

describe('commandSpecs', () => {
  it('walks the command tree: flags, flags taking values, kind arguments', () => {
    const specs = commandSpecs(program());
    expect(specs.map((s) => s.path.join(' '))).toEqual(['', 'get', 'up', 'rollout', 'rollout status', 'rollout undo', 'completion']);
    const get = specs.find((s) => s.path.join(' ') === 'get')!;
    expect(get).toMatchObject({ takesKind: true, valued: ['-n', '--namespace', '-o', '--output'] });
    expect(get.flags).toContain('--show-labels');
    expect(specs.find((s) => s.path.join(' ') === 'rollout status')!.takesKind).toBe(true);
    expect(specs.find((s) => s.path.join(' ') === 'completion')!.takesKind).toBe(false);
  });
});

describe('bash completion', () => {
  const script = bashScript('skiff', commandSpecs(program()), ['pods', 'po', 'deployments', 'deploy', 'services']);
  it.each([
    { line: 'skiff ', want: ['completion', 'get', 'rollout', 'up'] },
    { line: 'skiff ro', want: ['rollout'] },
    { line: 'skiff rollout ', want: ['status', 'undo'] },
    { line: 'skiff rollout undo --to', want: ['--to-revision'] },
    { line: 'skiff get p', want: ['po', 'pods'] },
    { line: 'skiff get -n kube-system de', want: ['deploy', 'deployments'] },
    { line: 'skiff get --show-labels de', want: ['deploy', 'deployments'] },
    { line: 'skiff up --d', want: ['--data-dir'] },
    { line: 'skiff completion ', want: [] },
    { line: 'skiff get deploy ', want: ['api', 'web'] },
    { line: 'skiff get deploy w', want: ['web'] },
    { line: 'skiff get -n staging deploy ', want: ['web-in-staging'] },
    { line: 'skiff get --namespace=prod po ', want: ['web-in-prod'] },
    { line: 'skiff rollout undo deploy/', want: ['deploy/api', 'deploy/web'] },
  ])('"$line"', ({ line, want }) => {
    expect(complete(script, line)).toEqual(want);
  });

  it('zsh loads the same function through bashcompinit', () => {
    const zsh = zshScript('skiff', commandSpecs(program()), ['pods']);
    expect(zsh.startsWith('#compdef skiff\n')).toBe(true);
    expect(zsh).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh).toContain('complete -F _skiff skiff');
    expect(spawnSync('bash', ['-n'], { input: zsh }).status).toBe(0);
  });
});
