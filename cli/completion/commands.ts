// `skiff completion bash|zsh`.

import type { Command } from 'commander';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import { bashScript, commandSpecs, zshScript } from './script.js';

/** Every way a kind can be typed: `pods`, `pod`, `po`, `deployments.apps`. */
export function kindWords(): string[] {
  return BUILTIN_RESOURCES.flatMap((t) => [t.resource, t.singular, ...t.shortNames, ...(t.group ? [`${t.resource}.${t.group}`] : [])]);
}

export function addCompletionCommand(program: Command): void {
  program
    .command('completion')
    .argument('<shell>', 'bash or zsh')
    .description('Print a shell completion script (commands, flags, kinds, and names from the cluster)')
    .addHelpText(
      'after',
      `
Install:
  bash, this shell:   source <(skiff completion bash)
  bash, for good:     echo 'source <(skiff completion bash)' >> ~/.bashrc
                      (or: skiff completion bash | sudo tee /etc/bash_completion.d/skiff)
  zsh, this shell:    source <(skiff completion zsh)
  zsh, for good:      echo 'source <(skiff completion zsh)' >> ~/.zshrc   (after compinit)

Bash needs the bash-completion package. Object names and namespaces are completed by asking
the cluster (skiff get ... -o name), so they need a reachable kubeconfig.

Examples:
  skiff completion bash > ~/.skiff-completion.bash
  skiff completion zsh
`,
    )
    .action((shell: string) => {
      const specs = commandSpecs(program);
      if (shell === 'bash') process.stdout.write(bashScript(program.name(), specs, kindWords()));
      else if (shell === 'zsh') process.stdout.write(zshScript(program.name(), specs, kindWords()));
      else {
        process.stderr.write(`error: unsupported shell "${shell}"; supported: bash, zsh\n`);
        process.exitCode = 1;
      }
    });
}
