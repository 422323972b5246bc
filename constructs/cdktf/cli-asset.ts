import { AssetType, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { cliBundlePath } from '../bundle/cli';

/**
 * The CLI bundle, copied into the stack output (`assets/<id>/<content hash>/rollbar-provisioning.cjs`) and run
 * with `node` relative to `path.module`: the synthesized stack carries its own Graph steps and names no path
 * of the synthesizing machine, so it applies the same from a CI runner, a laptop or a consumer's project.
 */
export class CliAsset extends TerraformAsset {
  constructor(scope: Construct, id: string) {
    super(scope, id, { path: cliBundlePath(), type: AssetType.FILE });
  }

  /** The bundle as Terraform finds it, relative to the stack's directory. */
  get script(): string {
    return `\${path.module}/${this.path}`;
  }

  /**
   * A `local-exec` that runs the CLI with `args` without a shell: `node` and the bundle as its interpreter, the
   * last word as its command (Terraform appends the command to the interpreter's arguments). No quoting to get
   * right on any OS, and nothing that `cdktf synth --hcl` could mangle. The words are fixed, never values or
   * secrets.
   */
  localExec(...args: readonly [...string[], string]): { interpreter: string[]; command: string } {
    const words = [...args];
    const command = words.pop() ?? '';
    return { interpreter: ['node', this.script, ...words], command };
  }

  /** An argv for the `external` data source's `program`. */
  program(...args: readonly string[]): string[] {
    return ['node', this.script, ...args];
  }
}
