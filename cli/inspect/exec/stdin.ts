// Local stdin into an exec session, the same for WebSocket and SPDY: each chunk to `onData`,
// its end to `onEnd`; the returned function stops forwarding when the session ends.

export function forwardStdin(stdin: NodeJS.ReadableStream, onData: (chunk: Buffer) => void, onEnd: () => void): () => void {
  const data = (chunk: Buffer | string) => onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  stdin.on('data', data);
  stdin.on('end', onEnd);
  stdin.resume();
  return () => {
    stdin.off('data', data);
    stdin.off('end', onEnd);
    stdin.pause();
  };
}
