import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  type TerraformMetaArguments,
} from 'cdktf';
import type { Construct } from 'constructs';

/** Configuration of a {@link TerraformData}. */
export interface TerraformDataConfig extends TerraformMetaArguments {
  /**
   * Values whose change replaces the resource (and so runs its provisioners again).
   * @default - none
   */
  readonly triggersReplace?: Readonly<Record<string, unknown>>;
}

/**
 * Terraform's built-in `terraform_data` (Terraform 1.4 or later). cdktf 0.21 has a class for it, `DataResource`,
 * but that class runs `terraform version` while it validates the stack: synthesis would fail on a machine
 * without terraform (a CI job that only synthesizes) and spawn terraform once per instance everywhere else.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';

  private readonly triggersReplace?: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    const { triggersReplace, ...meta } = config;
    super(scope, id, { ...meta, terraformResourceType: TerraformData.tfResourceType });
    this.triggersReplace = triggersReplace;
  }

  /** The instance's id: a new one on every replacement, so a dependent that references it runs again too. */
  get id(): string {
    return this.getStringAttribute('id');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) as unknown };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      triggers_replace: {
        value: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) as unknown,
        isBlock: false,
        type: 'map',
        storageClassType: 'anyMap',
      },
    };
  }
}
