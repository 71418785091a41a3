// Progress for long waits (rollout status, drain): on a terminal one line rewritten in place,
// the final word in green; in a pipe each new message once, plain, so logs stay stable.

export interface StatusLine {
  /** A step that may be superseded; repeated messages are not printed twice. */
  update(message: string): void;
  /** The last line, kept. */
  done(message: string): void;
}

export function statusLine(stream: NodeJS.WriteStream = process.stdout): StatusLine {
  const tty = stream.isTTY === true;
  const colour = tty && !process.env.NO_COLOR;
  let last = '';
  let open = false;
  return {
    update(message) {
      if (message === last) return;
      last = message;
      if (tty) {
        stream.write(`\r\x1b[K${message}`);
        open = true;
      } else {
        stream.write(`${message}\n`);
      }
    },
    done(message) {
      if (tty && open) stream.write('\r\x1b[K');
      stream.write(colour ? `\x1b[32m${message}\x1b[0m\n` : `${message}\n`);
      open = false;
      last = message;
    },
  };
}
