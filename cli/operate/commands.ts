// The commands that operate on a running cluster's objects — scale, rollout, cordon,
// uncordon, drain, label, annotate, edit — plus `config` and `completion`, on the `skiff`
// program with kubectl's flags.

import { Option, type Command } from 'commander';
import { addCompletionCommand } from '../completion/commands.js';
import { addConfigCommands } from '../config/commands.js';
import { addConnectionFlags } from '../resources/connection.js';
import { describeError, printError } from '../resources/output.js';
import { parseBool } from '../resources/commands.js';
import { runCordon } from './cordon.js';
import { runDrain, type DrainFlags } from './drain.js';
import { runEdit } from './edit.js';
import { runMetadataEdit, type LabelFlags } from './label.js';
import { runRollout, type RolloutFlags, type RolloutVerb } from './rollout/run.js';
import { runScale, type ScaleFlags } from './scale.js';

/** Runs a command body: its exit code, or 1 with the error printed kubectl-style. */
async function exitWith(run: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (err) {
    printError(describeError(err));
    process.exitCode = 1;
  }
}

const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;

export function addOperateCommands(program: Command): void {
  addConnectionFlags(program.command('scale').argument('<target...>', 'KIND/NAME... or KIND NAME...'))
    .description('Set the replicas of Deployments, ReplicaSets or custom kinds with a scale subresource')
    .requiredOption('--replicas <n>', 'the number of replicas wanted')
    .option('--current-replicas <n>', 'only scale if it has this many replicas now (a precondition)')
    .addHelpText('after', examples('skiff scale deployment/web --replicas=3', 'skiff scale deploy web api --replicas=0', 'skiff scale rs/web-5d8f --current-replicas=2 --replicas=4'))
    .action((target: string[], opts: ScaleFlags) => exitWith(() => runScale(target, opts)));

  addRollout(program);

  addConnectionFlags(program.command('cordon').argument('[nodes...]', 'node names'))
    .description('Mark nodes unschedulable: no new pods land there; the running ones stay')
    .option('-l, --selector <selector>', 'the nodes with these labels')
    .addHelpText('after', examples('skiff cordon node-0', 'skiff cordon -l zone=a'))
    .action((nodes: string[], opts: { selector?: string }) => exitWith(() => runCordon(nodes, opts, true)));

  addConnectionFlags(program.command('uncordon').argument('[nodes...]', 'node names'))
    .description('Mark nodes schedulable again')
    .option('-l, --selector <selector>', 'the nodes with these labels')
    .addHelpText('after', examples('skiff uncordon node-0'))
    .action((nodes: string[], opts: { selector?: string }) => exitWith(() => runCordon(nodes, opts, false)));

  addConnectionFlags(program.command('drain').argument('<nodes...>', 'node names'))
    .description('Cordon nodes and move their pods away through the eviction API (PodDisruptionBudgets are honoured), waiting until they are gone')
    .option('--ignore-daemonsets', 'leave DaemonSet pods in place (their controller would recreate them at once)', false)
    .option('--force', 'also delete pods no controller would recreate (they are gone for good)', false)
    .option('--delete-emptydir-data', 'also remove pods with emptyDir volumes (that data is lost)', false)
    .option('--grace-period <seconds>', "seconds each pod gets to stop; -1: the pod's own", '-1')
    .option('--timeout <duration>', 'give up after this long (0: wait as long as it takes)', '0s')
    .option('--pod-selector <selector>', 'only the pods with these labels')
    .option('--disable-eviction', 'delete pods directly, bypassing PodDisruptionBudgets', false)
    .option('--dry-run', 'only list what would be cordoned and removed', false)
    .addOption(new Option('--eviction-retry <duration>', 'wait between evictions a budget refused').default('5s').hideHelp())
    .addHelpText(
      'after',
      `
A pod a PodDisruptionBudget protects is evicted once the budget allows it; until then skiff says
so and tries again every 5 seconds. The node stays cordoned afterwards: \`skiff uncordon NODE\`.
${examples('skiff drain node-0 --ignore-daemonsets --dry-run', 'skiff drain node-0 --ignore-daemonsets', 'skiff drain node-0 --ignore-daemonsets --delete-emptydir-data --timeout=2m', 'skiff drain node-0 --pod-selector=app=web --force')}`,
    )
    .action((nodes: string[], opts: DrainFlags) => exitWith(() => runDrain(nodes, opts)));

  for (const [verb, field] of [
    ['label', 'labels'],
    ['annotate', 'annotations'],
  ] as const) {
    addConnectionFlags(program.command(verb).argument('<args...>', `KIND NAME... or KIND/NAME..., then key=value to set and key- to remove`))
      .description(`Set or remove ${field} on objects`)
      .option('--overwrite', 'allow changing a key that already has a value', false)
      .option('-l, --selector <selector>', 'every object of the kind with these labels')
      .option('--all', 'every object of the kind in the namespace', false)
      .addHelpText(
        'after',
        verb === 'label'
          ? examples('skiff label pod web tier=front', 'skiff label deploy/web env=prod --overwrite', 'skiff label pods -l app=web canary-', 'skiff label nodes node-0 zone=a')
          : examples("skiff annotate deploy web owner='team a'", 'skiff annotate pods --all checked=yes', 'skiff annotate svc/web owner-'),
      )
      .action((args: string[], opts: LabelFlags) => exitWith(() => runMetadataEdit(args, opts, field)));
  }

  addConnectionFlags(program.command('edit').argument('<target...>', 'KIND NAME or KIND/NAME'))
    .description('Edit an object as YAML in $KUBE_EDITOR, $EDITOR or vi, and save it to the cluster')
    .addHelpText(
      'after',
      `
On save the object is updated. If the change is refused (bad YAML, an invalid field), the editor
opens again with the reason at the top; if someone else changed the object meanwhile, it opens on
their version with your changes applied again. Quitting without changes cancels.
${examples('skiff edit deployment web', 'KUBE_EDITOR=nano skiff edit svc/web', "EDITOR='code --wait' skiff edit cm settings -n staging")}`,
    )
    .action((target: string[], opts) => exitWith(() => runEdit(target, opts)));

  addConfigCommands(program);
  addCompletionCommand(program);
}

function addRollout(program: Command): void {
  const rollout = program
    .command('rollout')
    .description('Follow, inspect, undo, restart, pause and resume rollouts of Deployments (and DaemonSets)')
    .addHelpText('after', examples('skiff rollout status deploy/web', 'skiff rollout history deploy/web', 'skiff rollout undo deploy/web --to-revision=2', 'skiff rollout restart deploy/web'));
  const verb = (name: RolloutVerb, description: string, help: string[], extra?: (c: Command) => Command) => {
    let cmd = addConnectionFlags(rollout.command(name).argument('<target...>', 'KIND/NAME or KIND NAME')).description(description);
    if (extra) cmd = extra(cmd);
    cmd.addHelpText('after', examples(...help)).action((target: string[], opts: RolloutFlags) => exitWith(() => runRollout(name, target, opts)));
  };
  verb('status', 'Wait until a rollout finishes, showing its progress; exit 1 if it exceeds its progress deadline', ['skiff rollout status deploy/web', 'skiff rollout status ds/agent --timeout=2m', 'skiff rollout status deploy/web --watch=false'], (c) =>
    c.option('--timeout <duration>', 'give up after this long (0: no limit)', '0s').option('-w, --watch [bool]', 'wait until done (--watch=false: print the state once)', parseBool, true),
  );
  verb('history', 'List the revisions of a rollout, or show one revision\'s pod template', ['skiff rollout history deploy/web', 'skiff rollout history deploy/web --revision=2'], (c) =>
    c.option('--revision <n>', "show this revision's pod template"),
  );
  verb('undo', 'Go back to the previous revision (or --to-revision)', ['skiff rollout undo deploy/web', 'skiff rollout undo deploy/web --to-revision=1', 'skiff rollout undo ds/agent'], (c) =>
    c.option('--to-revision <n>', 'the revision to go back to (0: the previous one)', '0'),
  );
  verb('restart', 'Replace every pod, one step at a time, by stamping the pod template with the time', ['skiff rollout restart deploy/web', 'skiff rollout restart ds/agent']);
  verb('pause', 'Stop rolling out template changes until resumed (scaling still works)', ['skiff rollout pause deploy/web']);
  verb('resume', 'Roll out the template changes made while paused', ['skiff rollout resume deploy/web']);
}
