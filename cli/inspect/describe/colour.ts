// Colour for a description on a terminal: Warning events stand out in yellow. Never in pipes
// or with NO_COLOR, so scripts and golden files see plain text.

const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';

export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** The description with its Warning event rows in yellow (applied after alignment, so columns stay put). */
export function colourDescription(text: string): string {
  return text.replace(/^( {2}Warning {2}.*)$/gm, `${YELLOW}$1${RESET}`);
}
