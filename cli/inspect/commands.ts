// The inspection commands on the `skiff` program: describe, logs, exec, top, explain,
// api-resources and version, with kubectl's flags and examples.

import type { Command } from 'commander';
import { exitWith, parseBool } from '../resources/commands.js';
import { addConnectionFlags } from '../resources/connection.js';
import { runApiResources, type ApiResourcesFlags } from './api-resources.js';
import { runDescribe, type DescribeFlags } from './describe/run.js';
import { runExec, type ExecFlags } from './exec/run.js';
import { runExplain, type ExplainFlags } from './explain.js';
import { runLogs, type LogsFlags } from './logs.js';
import { runTop, type TopFlags } from './top.js';
import { runVersion, type VersionFlags } from './version.js';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',')];

export function addInspectCommands(program: Command): void {
  addConnectionFlags(program.command('describe').argument('<what...>', 'KIND [NAME...], or KIND/NAME...'), { allNamespaces: true })
    .description("Show an object in detail, with related objects (a Deployment's ReplicaSets, a Service's endpoints, a Node's pods) and its recent events")
    .option('-l, --selector <selector>', 'describe the objects with these labels')
    .option('--show-events [bool]', 'end with the objects\' events (--show-events=false leaves them out)', parseBool, true)
    .addHelpText(
      'after',
      `
A name that matches no object exactly describes the objects whose names start with it, as
kubectl does: \`skiff describe pod web\` finds web-7d9f8c6b5-abcde.

Examples:
  skiff describe pod web-7d9f8c6b5-abcde
  skiff describe deploy/web svc/web
  skiff describe pods -l app=web
  skiff describe node node-0
  skiff describe backups.example.com nightly     (custom kinds get a generic description)
`,
    )
    .action(async (what: string[], opts: DescribeFlags) => {
      await exitWith(() => runDescribe(what, opts));
    });

  addConnectionFlags(program.command('logs').argument('[pod]', 'a pod name, or KIND/NAME of a workload (deploy/web): one of its pods'))
    .description("Print a container's log (from its node's kubelet, through the API server)")
    .option('-c, --container <name>', 'the container (default: the pod\'s default container, or its first)')
    .option('-f, --follow', 'keep streaming new lines until the container stops or you press Ctrl-C', false)
    .option('-p, --previous', "the log of the container's previous run (after a restart)", false)
    .option('--tail <lines>', 'only the last N lines (-1: all)', '-1')
    .option('--since <duration>', 'only lines newer than this: 30s, 5m, 1h')
    .option('--since-time <time>', 'only lines after this RFC 3339 time')
    .option('--timestamps', 'start each line with its RFC 3339 timestamp', false)
    .option('--limit-bytes <bytes>', 'stop after this many bytes')
    .option('-l, --selector <selector>', 'the logs of every pod with these labels (last 10 lines each unless --tail)')
    .option('--all-containers', "every container of the pod (init containers first)", false)
    .option('--prefix', 'start each line with its source: [pod/NAME/CONTAINER]', false)
    .option('--max-log-requests <n>', 'how many logs -f may follow at once', '5')
    .addHelpText(
      'after',
      `
Examples:
  skiff logs web-7d9f8c6b5-abcde
  skiff logs deploy/web --tail 20
  skiff logs web-7d9f8c6b5-abcde -c sidecar -f
  skiff logs web-7d9f8c6b5-abcde --previous
  skiff logs web-7d9f8c6b5-abcde --since 5m --timestamps
  skiff logs -l app=web --prefix -f
  skiff logs web-7d9f8c6b5-abcde --all-containers
`,
    )
    .action(async (pod: string | undefined, opts: LogsFlags) => {
      await exitWith(() => runLogs(pod, opts));
    });

  addConnectionFlags(program.command('exec').argument('<pod>', 'a pod name, or KIND/NAME of a workload (deploy/web)').argument('[command...]', 'the command and its arguments, after --'))
    .description('Run a command in a container; exits with its exit code')
    .option('-c, --container <name>', "the container (default: the pod's default container, or its first)")
    .option('-i, --stdin', 'pass stdin to the command', false)
    .option('-t, --tty', 'give the command a terminal (with -i, on a terminal: raw mode, window size follows yours)', false)
    .option('-q, --quiet', 'print only what the command prints', false)
    .addHelpText(
      'after',
      `
The session goes through the API server and the kubelet to the container runtime. With -i
and no terminal it is SPDY/3.1 (as kubectl's), which passes the end of piped input on, so
\`echo data | skiff exec -i POD -- cat\` ends with the command's own exit code; with -t (or
without -i) it is a WebSocket (v4.channel.k8s.io).

Examples:
  skiff exec web-7d9f8c6b5-abcde -- ls /
  skiff exec deploy/web -c web -- env
  skiff exec -it web-7d9f8c6b5-abcde -- sh
  skiff exec web-7d9f8c6b5-abcde -- sh -c 'exit 3'; echo $?      (prints 3)
  tar cf - dir | skiff exec -i web-7d9f8c6b5-abcde -- tar xf - -C /tmp
`,
    )
    .action(async (pod: string, command: string[], opts: ExecFlags) => {
      await exitWith(() => runExec(pod, command, opts));
    });

  addConnectionFlags(program.command('top').argument('<what>', 'nodes or pods').argument('[name]', 'one node or pod'), { allNamespaces: true })
    .description('Show CPU and memory use of nodes or pods (metrics.k8s.io)')
    .option('--containers', 'one line per container', false)
    .option('--sort-by <field>', 'cpu or memory (highest first); by name otherwise')
    .option('-l, --selector <selector>', 'only objects with these labels')
    .option('--sum', 'add a line with the totals (pods)', false)
    .option('--no-headers', 'leave out the header row')
    .addHelpText(
      'after',
      `
Examples:
  skiff top nodes
  skiff top pods -A
  skiff top pods --containers --sort-by=memory
`,
    )
    .action(async (what: string, name: string | undefined, opts: TopFlags & { headers?: boolean }) => {
      await exitWith(() => runTop(what, name, { ...opts, noHeaders: opts.headers === false }));
    });

  addConnectionFlags(program.command('explain').argument('<what>', 'a kind, or a field path below it: pods, deploy.spec.template'))
    .description("Document a kind or a field, from the server's OpenAPI v3 schemas")
    .option('--recursive', 'list every field below, by indentation, without descriptions', false)
    .option('--api-version <group/version>', 'the version to explain when a kind is served in several')
    .addHelpText(
      'after',
      `
Examples:
  skiff explain pods
  skiff explain deployment.spec.strategy
  skiff explain pod.spec.containers.resources
  skiff explain svc --recursive
`,
    )
    .action(async (what: string, opts: ExplainFlags) => {
      await exitWith(() => runExplain(what, opts));
    });

  addConnectionFlags(program.command('api-resources'))
    .description('List the kinds the server serves (from discovery)')
    .option('--namespaced [bool]', 'only namespaced (true) or cluster-scoped (false) kinds', parseBool)
    .option('--api-group <group>', "only this API group ('' for the core group)")
    .option('--verbs <verbs>', 'only kinds that support these verbs: get,list', collect, [])
    .option('-o, --output <format>', 'wide (adds VERBS and CATEGORIES) or name')
    .option('--no-headers', 'leave out the header row')
    .addHelpText(
      'after',
      `
Examples:
  skiff api-resources
  skiff api-resources --namespaced=false
  skiff api-resources --api-group=apps -o wide
  skiff api-resources --verbs=list -o name
`,
    )
    .action(async (opts: ApiResourcesFlags & { headers?: boolean }) => {
      await exitWith(() => runApiResources({ ...opts, noHeaders: opts.headers === false }));
    });

  addConnectionFlags(program.command('version'))
    .description("Print the client's version and the server's")
    .option('--client', 'only the client version (no server needed)', false)
    .option('-o, --output <format>', 'json or yaml')
    .addHelpText(
      'after',
      `
Examples:
  skiff version
  skiff version --client
  skiff version -o json
`,
    )
    .action(async (opts: VersionFlags) => {
      await exitWith(() => runVersion(opts));
    });
}
