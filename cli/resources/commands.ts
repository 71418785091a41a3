// The resource commands (get, apply, delete) on the `skiff` program, with kubectl's flags.

import { Command, InvalidArgumentError } from 'commander';
import { runApply, runCreate, type ApplyFlags } from './apply.js';
import { addConnectionFlags } from './connection.js';
import { runDelete, type DeleteFlags } from './delete.js';
import { runGet, type GetFlags } from './get.js';
import { describeError, printError } from './output.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** kubectl's boolean flags take `--flag=false`; a bare `--flag` means true. */
export function parseBool(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`expected true or false, not "${value}"`);
}

/** `--dry-run=none|server`; kubectl's `client` mode (print without sending) is not offered. */
export function dryRunMode(value: string): 'none' | 'server' {
  if (value === 'none' || value === 'server') return value;
  throw new InvalidArgumentError(`expected none or server, not "${value}"${value === 'client' ? ' (skiff has no client-side dry run: use server, which checks more)' : ''}`);
}

/** Runs a command body: its exit code, or 1 with the error printed kubectl-style. */
export async function exitWith(run: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (err) {
    printError(describeError(err));
    process.exitCode = 1;
  }
}

export function addResourceCommands(program: Command): void {
  addConnectionFlags(program.command('get').argument('<kinds>', 'a kind or several joined by commas: pods, po, deployments.apps, svc,deploy').argument('[names...]', 'objects to show (all when none)'), { allNamespaces: true })
    .description('Show objects as a table (the server chooses the columns), or as YAML, JSON, names or a JSONPath template')
    .option('-o, --output <format>', 'wide | yaml | json | name | jsonpath=TEMPLATE')
    .option('-l, --selector <selector>', 'only objects with these labels: app=web,tier!=db, env in (a,b)')
    .option('--field-selector <selector>', 'only objects with these fields: status.phase=Running')
    .option('--show-labels', 'add a LABELS column', false)
    .option('--no-headers', 'leave out the header row')
    .option('-w, --watch', 'after the table, print a row for every change until Ctrl-C', false)
    .option('--watch-only', 'print a row for every change from now on, without the table first', false)
    .addHelpText(
      'after',
      `
JSONPath templates support {.a.b}, {.items[0].x}, {.items[*].metadata.name}, ['key'] subscripts,
{range .items[*]}...{end}, literal text and {"\\n"}; not filters, slices or recursive descent.

Examples:
  skiff get pods
  skiff get po,svc -n kube-system
  skiff get deployments -A -o wide
  skiff get pods -l app=web --show-labels
  skiff get pod web -o yaml
  skiff get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'
  skiff get pods -w
  skiff get deploy web --watch-only
`,
    )
    .action(async (kinds: string, names: string[], opts: GetFlags & { headers?: boolean }) => {
      await exitWith(() => runGet(kinds, names, { ...opts, noHeaders: opts.headers === false }));
    });

  addConnectionFlags(program.command('apply'))
    .description('Create or update objects from manifests (YAML or JSON, several documents per file)')
    .option('-f, --filename <path>', 'a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'also read the subdirectories of a -f directory', false)
    .option('--server-side [bool]', 'let the server merge the manifest and track which manager owns each field', parseBool, false)
    .option('--force-conflicts [bool]', 'with --server-side: take over fields another manager owns', parseBool, false)
    .option('--field-manager <name>', 'the manager recorded for these fields (default: skiff with --server-side, else kubectl-client-side-apply)')
    .option('--dry-run <mode>', 'server: the server checks everything and answers, but stores nothing', dryRunMode, 'none')
    .addHelpText(
      'after',
      `
With --server-side the manifest goes to the server as an apply patch: the server creates the
object or merges the manifest into it by each kind's merge keys, removes the fields this
manager applied before and no longer does, and refuses (409, each field and its manager named)
to change a field another manager owns unless --force-conflicts is given.

Without it, how objects are updated: skiff records each manifest in the object's
kubectl.kubernetes.io/last-applied-configuration annotation. On the next apply it sends a JSON
merge patch that sets every field of the new manifest that changed and removes every field the
previous manifest had and the new one drops; fields no manifest mentioned (server defaults,
other writers) are kept. This is a simplification of kubectl's client-side apply: lists are
replaced whole (no strategic merge), and live edits to fields the manifest did not change are
not reverted. Objects are applied in file order; each gets a line (created, configured,
unchanged, or the error with each failing field), and the exit code is 1 if any failed.
A YAML error anywhere (reported as file:line:column) means nothing is applied.

Examples:
  skiff apply -f web.yaml
  skiff apply -f manifests/ -R
  cat web.yaml | skiff apply -f -
  skiff apply -f web.yaml -n staging
  skiff apply --server-side -f web.yaml
  skiff apply --server-side --force-conflicts -f web.yaml
  skiff apply --dry-run=server -f web.yaml
`,
    )
    .action(async (opts: ApplyFlags) => {
      await exitWith(() => runApply(opts));
    });

  addConnectionFlags(program.command('create'))
    .description('Create objects from manifests; an object that exists already is an error (apply updates it)')
    .option('-f, --filename <path>', 'a file, a directory of .yaml/.yml/.json files, or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'also read the subdirectories of a -f directory', false)
    .option('--field-manager <name>', 'the manager recorded for these fields', 'skiff-create')
    .option('--dry-run <mode>', 'server: the server checks everything and answers, but stores nothing', dryRunMode, 'none')
    .addHelpText(
      'after',
      `
Examples:
  skiff create -f web.yaml
  skiff create -f manifests/ -R
  skiff create --dry-run=server -f web.yaml
`,
    )
    .action(async (opts: ApplyFlags) => {
      await exitWith(() => runCreate(opts));
    });

  addConnectionFlags(program.command('delete').argument('[what...]', 'KIND NAME..., KIND/NAME..., or KIND with -l / --all'), { allNamespaces: true })
    .description('Delete objects by manifest, by name, by label selector, or all of a kind')
    .option('-f, --filename <path>', 'delete the objects in these manifests (repeatable)', collect, [])
    .option('-R, --recursive', 'also read the subdirectories of a -f directory', false)
    .option('-l, --selector <selector>', 'delete the objects with these labels')
    .option('--all', 'delete every object of the kind in the namespace', false)
    .option('--grace-period <seconds>', 'seconds a pod gets to stop (0: at once); -1 keeps its own', '-1')
    .option('--cascade <policy>', 'what happens to dependents: background | foreground | orphan', 'background')
    .option('--wait [bool]', 'return only once the objects are gone (as kubectl, the default; --wait=false to return at once)', parseBool, true)
    .option('--timeout <duration>', 'how long --wait waits (30s, 2m)', '60s')
    .option('--ignore-not-found', 'a missing object is not an error', false)
    .addHelpText(
      'after',
      `
Examples:
  skiff delete -f web.yaml
  skiff delete pod web api
  skiff delete deploy/web svc/web
  skiff delete pods -l app=web --wait=false
  skiff delete deployments --all --cascade=foreground
  skiff delete pod web --grace-period=0
`,
    )
    .action(async (what: string[], opts: DeleteFlags) => {
      await exitWith(() => runDelete(what, opts));
    });
}
