import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import type { CliAsset } from './cli-asset';
import { jsonTemplate } from './template-string';
import { TerraformData } from './terraform-data';

/** Configuration of a {@link CliStep}. */
export interface CliStepConfig {
  /** The CLI bundle in the stack output. */
  readonly cli: CliAsset;
  /** The `graph` command to run, such as `save-credentials`. */
  readonly command: string;
  /** The command's input, passed as JSON in env `ROLLBAR_INPUT` (local-exec has no stdin). Never a secret. */
  readonly input: Readonly<Record<string, unknown>>;
  /** Values whose change re-runs the step (`triggers_replace`), shown in the plan. */
  readonly triggers: Readonly<Record<string, unknown>>;
  /**
   * Extra environment for the command, for the token only (see {@link RollbarProvisioning}).
   * @default - none
   */
  readonly secretEnvironment?: Readonly<Record<string, string>>;
  /**
   * Steps and resources that must be complete first.
   * @default - only those the triggers and input reference
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * One Graph step that changes something: a `terraform_data` whose `local-exec` runs the CLI when it is
 * created or its triggers change. It has no destroy-time action: what it wrote to Graph goes with the
 * service principal or the job.
 */
export class CliStep extends TerraformData {
  constructor(scope: Construct, id: string, config: CliStepConfig) {
    super(scope, id, {
      triggersReplace: { ...config.triggers },
      ...(config.dependsOn !== undefined && { dependsOn: [...config.dependsOn] }),
      provisioners: [
        {
          type: 'local-exec',
          ...config.cli.localExec('graph', config.command),
          environment: { ROLLBAR_INPUT: jsonTemplate(config.input), ...config.secretEnvironment },
        },
      ],
    });
  }
}
