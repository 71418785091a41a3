// `skiff config view|get-contexts|current-context|use-context|set-context`: the kubeconfig kubectl uses.

import type { Command } from 'commander';
import { stringify } from 'yaml';
import { mergeKubeconfigs } from '../../client/kubeconfig.js';
import { describeError, printError, printOut } from '../resources/output.js';
import { padColumns } from '../resources/table.js';
import { contextRows, loadKubeconfigs, setContext, useContext, viewConfig } from './kubeconfig-view.js';

interface FileFlags {
  kubeconfig?: string;
  context?: string;
}

function run(body: () => number): void {
  try {
    process.exitCode = body();
  } catch (err) {
    printError(describeError(err));
    process.exitCode = 1;
  }
}

function load(flags: FileFlags) {
  const { files, configs } = loadKubeconfigs({ kubeconfig: flags.kubeconfig });
  if (!files.length) throw new Error('no kubeconfig found (looked at --kubeconfig, $KUBECONFIG, ~/.kube/config); for a local cluster run `npx skiff up`');
  return { files, configs, merged: mergeKubeconfigs(configs) };
}

export function addConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description('Show and switch the kubeconfig contexts (the file kubectl would read: --kubeconfig, $KUBECONFIG, ~/.kube/config)')
    .addHelpText('after', '\nExamples:\n  skiff config view --minify\n  skiff config get-contexts\n  skiff config use-context lab\n  skiff config set-context --current --namespace=staging\n');

  config
    .command('view')
    .description('The merged kubeconfig; certificates and tokens are hidden unless --raw')
    .option('--kubeconfig <file>', 'this file only')
    .option('--context <name>', 'the context --minify keeps (default: current-context)')
    .option('--minify', 'only the current context, its cluster and user', false)
    .option('--raw', 'show certificate data and tokens as they are', false)
    .option('-o, --output <format>', 'yaml | json', 'yaml')
    .addHelpText('after', '\nExamples:\n  skiff config view\n  skiff config view --minify --raw > lab.kubeconfig\n  skiff config view -o json\n')
    .action((opts: FileFlags & { minify: boolean; raw: boolean; output: string }) =>
      run(() => {
        if (opts.output !== 'yaml' && opts.output !== 'json') throw new Error(`unknown output format "${opts.output}"; use yaml or json`);
        const view = viewConfig(load(opts).merged, { minify: opts.minify, raw: opts.raw, context: opts.context });
        process.stdout.write(opts.output === 'json' ? `${JSON.stringify(view, null, 4)}\n` : stringify(view));
        return 0;
      }),
    );

  config
    .command('get-contexts')
    .argument('[name]', 'only this context')
    .description('The contexts, the current one marked *')
    .option('--kubeconfig <file>', 'this file only')
    .option('-o, --output <format>', 'name: only the names')
    .option('--no-headers', 'leave out the header row')
    .addHelpText('after', '\nExamples:\n  skiff config get-contexts\n  skiff config get-contexts -o name\n')
    .action((name: string | undefined, opts: FileFlags & { output?: string; headers?: boolean }) =>
      run(() => {
        const { merged } = load(opts);
        const rows = contextRows(merged, name);
        if (name && !rows.length) throw new Error(`context ${name} not found`);
        if (opts.output === 'name') rows.forEach((r) => printOut(r[1]));
        else if (opts.output) throw new Error(`unknown output format "${opts.output}"; use name`);
        else process.stdout.write(padColumns(opts.headers === false ? rows : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...rows]));
        return 0;
      }),
    );

  config
    .command('current-context')
    .description('The name of the current context')
    .option('--kubeconfig <file>', 'this file only')
    .action((opts: FileFlags) =>
      run(() => {
        const current = load(opts).merged.currentContext;
        if (!current) throw new Error('current-context is not set');
        printOut(current);
        return 0;
      }),
    );

  config
    .command('set-context')
    .argument('[name]', 'the context to create or change')
    .description("Create a context or change one's cluster, user or namespace")
    .option('--kubeconfig <file>', 'this file only')
    .option('--current', 'change the current context', false)
    .option('--namespace <ns>', 'the namespace commands use by default in this context')
    .option('--cluster <name>', 'the cluster entry it uses')
    .option('--user <name>', 'the user entry it uses')
    .addHelpText('after', '\nExamples:\n  skiff config set-context --current --namespace=staging\n  skiff config set-context lab-admin --cluster=lab --user=admin\n')
    .action((name: string | undefined, opts: FileFlags & { current: boolean; namespace?: string; cluster?: string; user?: string }) =>
      run(() => {
        const { files, configs, merged } = load(opts);
        if (name && opts.current) throw new Error('give a context name or --current, not both');
        const target = opts.current ? merged.currentContext : name;
        if (!target) throw new Error(opts.current ? 'current-context is not set' : 'say which context: a name, or --current');
        const { created } = setContext(files, configs, target, { cluster: opts.cluster, user: opts.user, namespace: opts.namespace });
        printOut(`Context "${target}" ${created ? 'created' : 'modified'}.`);
        return 0;
      }),
    );

  config
    .command('use-context')
    .argument('<name>', 'the context to make current')
    .description('Make a context the current one (written to the file that sets current-context, else the first)')
    .option('--kubeconfig <file>', 'this file only')
    .addHelpText('after', '\nExamples:\n  skiff config use-context lab\n')
    .action((name: string, opts: FileFlags) =>
      run(() => {
        const { files, configs } = load(opts);
        useContext(files, configs, name);
        printOut(`Switched to context "${name}".`);
        return 0;
      }),
    );
}
