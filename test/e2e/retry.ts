import type { RunResult, Terraform } from './harness';

const STAND_IN_DID_NOT_START = "Failed to read any lines from plugin's stdout";

/**
 * On a loaded machine a stand-in provider now and then exits before its handshake, and terraform stops with
 * "Failed to read any lines from plugin's stdout". Such a run says nothing about the stack, so it is tried once
 * more; any other outcome, failures included, is returned as it is. A saved plan may be stale by then (the
 * failed run may have applied part of it), so an `apply <plan file>` is tried again as `apply -auto-approve`,
 * which plans the rest anew; the log says so.
 */
export async function runTerraform(
  tf: Terraform,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const first = await tf.run(args, env);
  if (first.code === 0 || !first.output.includes(STAND_IN_DID_NOT_START)) return first;
  const savedPlan = args[0] === 'apply' && args.length === 2 && !args[1]!.startsWith('-');
  const again = savedPlan ? ['apply', '-auto-approve'] : args;
  process.stdout.write(
    `[e2e] terraform ${args.join(' ')}: a stand-in provider did not start; once more as terraform ${again.join(' ')}\n`,
  );
  return tf.run(again, env);
}

/** {@link runTerraform}, expecting exit code 0; otherwise throws with the whole output. */
export async function terraformOk(
  tf: Terraform,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const result = await runTerraform(tf, args, env);
  if (result.code !== 0)
    throw new Error(`terraform ${args.join(' ')} exited ${String(result.code)}:\n${result.output}`);
  return result;
}
