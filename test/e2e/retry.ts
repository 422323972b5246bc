import type { RunResult, Terraform } from './harness';

/**
 * On a loaded machine a stand-in provider now and then exits before its handshake, and terraform stops with
 * "Failed to read any lines from plugin's stdout" before doing anything. Such a run says nothing about the stack,
 * so it is tried once more; any other outcome, failures included, is returned as it is.
 */
export async function runTerraform(
  tf: Terraform,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const first = await tf.run(args, env);
  if (first.code === 0 || !first.output.includes("Failed to read any lines from plugin's stdout")) return first;
  process.stdout.write(`[e2e] terraform ${args.join(' ')}: a stand-in provider did not start; once more\n`);
  return tf.run(args, env);
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
