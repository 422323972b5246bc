import type { CliContext } from './context';

/**
 * Asks a yes/no question at the terminal (on stderr, so that stdout stays the command's output) and resolves to
 * the answer; `undefined` when stdin is not a terminal, so that nobody is asked who cannot answer (a pipeline
 * refuses instead of hanging or guessing).
 */
export async function confirm(ctx: CliContext, question: string): Promise<boolean | undefined> {
  const stdin = ctx.io.stdin;
  if (!stdin.isTTY) return undefined;
  ctx.io.stderr.write(`${question} [y/N] `);
  const line = await readLine(stdin);
  return /^\s*(y|yes)\s*$/i.test(line);
}

function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      stream.removeListener('data', onData);
      stream.removeListener('end', done);
      stream.removeListener('error', onError);
      stream.pause();
      resolve(text.split(/\r?\n/)[0] ?? '');
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      if (/\r?\n/.test(text)) done();
    };
    const onError = (e: Error): void => reject(e);
    stream.on('data', onData);
    stream.on('end', done);
    stream.on('error', onError);
    stream.resume();
  });
}
