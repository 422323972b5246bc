import {
  hashMapper,
  hashMapperHcl,
  listMapper,
  listMapperHcl,
  stringToHclTerraform,
  stringToTerraform,
  TerraformDataSource,
  TerraformStack,
  Token,
  type ITerraformDependable,
} from 'cdktf';
import type { Construct } from 'constructs';

/** The `hashicorp/external` provider, pinned exactly like the prebuilt azuread bindings pin theirs. */
export const EXTERNAL_PROVIDER = { source: 'hashicorp/external', version: '2.3.5' } as const;

/** Configuration of an {@link ExternalData}. */
export interface ExternalDataConfig {
  /** The program and its arguments; it reads `query` as JSON on stdin and prints a flat JSON object of strings. */
  readonly program: readonly string[];
  /**
   * Strings passed to the program (the external protocol carries only strings).
   * @default - an empty object
   */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * Resources to wait for before reading (this defers the read to apply time while they change).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Terraform's `external` data source, which @cdktf/provider-azuread does not include. Used only for the
 * read-only Graph steps, so that they run at plan time and their answer shows in the plan.
 */
export class ExternalData extends TerraformDataSource {
  static readonly tfResourceType = 'external';

  private readonly program: readonly string[];
  private readonly query: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, config: ExternalDataConfig) {
    super(scope, id, {
      terraformResourceType: ExternalData.tfResourceType,
      ...(config.dependsOn !== undefined && { dependsOn: [...config.dependsOn] }),
    });
    this.program = config.program;
    this.query = config.query ?? {};
    // Declared here rather than through a provider construct: the provider needs no configuration, and a
    // second `provider "external" {}` block (from a second construct) would be a Terraform error.
    TerraformStack.of(this).addOverride('terraform.required_providers.external', { ...EXTERNAL_PROVIDER });
  }

  /** One string of the program's answer, `result.<key>`. */
  result(key: string): string {
    return Token.asString(this.interpolationForAttribute(`result.${key}`));
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      program: listMapper(stringToTerraform, false)(this.program) as unknown,
      query: hashMapper(stringToTerraform)(this.query) as unknown,
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return {
      program: {
        value: listMapperHcl(stringToHclTerraform, false)(this.program) as unknown,
        isBlock: false,
        type: 'list',
        storageClassType: 'stringList',
      },
      query: {
        value: hashMapperHcl(stringToHclTerraform)(this.query) as unknown,
        isBlock: false,
        type: 'map',
        storageClassType: 'stringMap',
      },
    };
  }
}
