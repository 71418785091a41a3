// `skiff exec POD|KIND/NAME [-c C] [-i] [-t] -- CMD...`: runs a command in a container and
// exits with its exit code, as kubectl does (`command terminated with exit code N`).

import { resourcePath } from '../../../api/resources.js';
import { connect, resolveKind, type ConnectionFlags } from '../../resources/connection.js';
import { chooseContainer, resolvePod } from '../pods.js';
import { endOnClosedStdout, transportFor } from '../stream.js';
import { execQuery } from './channel.js';
import { runSession } from './session.js';
import { runSpdySession } from './spdy-session.js';

export interface ExecFlags extends ConnectionFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
}

export async function runExec(ref: string, command: string[], flags: ExecFlags): Promise<number> {
  if (command.length === 0) throw new Error('you must give a command after --: skiff exec POD -- COMMAND [ARGS...]');
  endOnClosedStdout();
  let tty = flags.tty === true;
  if (tty && !(flags.stdin && process.stdin.isTTY)) {
    if (!flags.quiet) process.stderr.write(flags.stdin ? 'Unable to use a TTY - input is not a terminal or the right kind of file\n' : 'Unable to use a TTY - you asked for -t without -i; add -i for an interactive terminal\n');
    tty = false;
  }
  const conn = await connect(flags);
  try {
    const { pod, note } = await resolvePod(conn.client, conn.registry, conn.namespace, ref);
    if (note && !flags.quiet) process.stderr.write(`${note}\n`);
    const container = chooseContainer(pod, flags.container);
    if (container.note && !flags.quiet) process.stderr.write(`${container.note}\n`);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      throw new Error(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
    }
    const path = resourcePath(resolveKind('pods', conn.registry), pod.metadata?.namespace ?? conn.namespace, pod.metadata?.name ?? '', 'exec');
    const transport = transportFor(conn.client.config, path, execQuery(command, container.name, { stdin: flags.stdin === true, tty }));
    // Piped input needs its end passed on, which only SPDY can say to a v4 runtime; a
    // terminal session never ends its input that way, so it keeps the WebSocket.
    const io = { stdin: flags.stdin ? process.stdin : undefined, stdout: process.stdout, stderr: process.stderr, tty };
    const outcome = flags.stdin && !tty ? await runSpdySession(transport, io) : await runSession(transport, io);
    if ('error' in outcome) throw new Error(outcome.error);
    if (outcome.exitCode !== 0) process.stderr.write(`command terminated with exit code ${outcome.exitCode}\n`);
    return outcome.exitCode;
  } finally {
    conn.client.close();
  }
}
