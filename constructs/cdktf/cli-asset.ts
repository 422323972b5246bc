import { AssetType, TerraformAsset } from 'cdktf';
import type { Construct } from 'constructs';
import { cliBundlePath } from './cli-bundle';

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

  /** A shell command line for `local-exec` (arguments are fixed words, never values or secrets). */
  command(...args: readonly string[]): string {
    return ['node', `"${this.script}"`, ...args].join(' ');
  }

  /** An argv for the `external` data source's `program`. */
  program(...args: readonly string[]): string[] {
    return ['node', this.script, ...args];
  }
}
