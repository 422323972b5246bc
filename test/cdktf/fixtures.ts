/** Shared GIVENs of the CDKTF tests: a stack with the token variable and one RollbarProvisioning. */
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { RollbarProvisioning, type RollbarProvisioningProps } from '../../constructs/cdktf';

export const USER_A = '11111111-1111-4111-8111-111111111111';
export const GROUP_B = '22222222-2222-4222-8222-222222222222';
export const ADOPTED_SP = '33333333-3333-4333-8333-333333333333';
export const TEMPLATE_GUID = '44444444-4444-4444-8444-444444444444';

/** A small spec: two roles, one user and one group assignment. */
export function smallSpec(): Omit<RollbarProvisioningProps, 'secretToken'> {
  return {
    roles: [{ value: 'User' }, { value: 'Admin', displayName: 'Administrator' }],
    assignments: {
      'alice-doe': { principalObjectId: USER_A, principalType: 'User', role: 'Admin' },
      'platform-team': { principalObjectId: GROUP_B, principalType: 'Group', role: 'User' },
    },
  };
}

/** The stack and construct built from `spec`, with the token from an ephemeral variable (as the stack does). */
export function build(spec: Omit<RollbarProvisioningProps, 'secretToken'> = smallSpec()): {
  stack: TerraformStack;
  rollbar: RollbarProvisioning;
} {
  const stack = new TerraformStack(Testing.app(), 'test');
  const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
  token.addOverride('ephemeral', true);
  const rollbar = new RollbarProvisioning(stack, 'Rollbar', { ...spec, secretToken: token.stringValue });
  return { stack, rollbar };
}

/** `Testing.synth` of {@link build}: a JSON string for cdktf's matchers. */
export function synth(spec?: Omit<RollbarProvisioningProps, 'secretToken'>): string {
  return Testing.synth(build(spec).stack);
}

/** A synthesized stack, parsed. */
export interface TerraformJson {
  data?: Record<string, Record<string, Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
  terraform?: Record<string, unknown>;
  variable?: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
}

/** The one block of `type` in `section` whose logical id is the construct id `id` under `Rollbar`. */
export function block(
  json: TerraformJson,
  section: 'resource' | 'data',
  type: string,
  id: string,
): { name: string; body: Record<string, unknown> } {
  const blocks = Object.entries(json[section]?.[type] ?? {}).filter(([name]) => name.startsWith(`Rollbar_${id}_`));
  if (blocks.length !== 1) throw new Error(`expected one ${section} ${type} ${id}, found ${blocks.length}`);
  const [name, body] = blocks[0]!;
  return { name, body };
}

/** Terraform's address of a block: `type.name`, with `data.` for data sources. */
export function address(section: 'resource' | 'data', type: string, name: string): string {
  return section === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
}

/**
 * Terraform's evaluation of the literal parts of a synthesized template: `${"…"}` (an HCL string literal, which
 * the construct writes for text with quotes or backslashes) becomes its text, `$${` and `%%{` their characters;
 * every other interpolation is kept as written. Enough to read back what the construct wrote; the real
 * terraform evaluates it in hcl.test.ts.
 */
export function evaluateLiterals(template: string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
      out += `${template[i]}{`;
      i += 3;
    } else if (template.startsWith('${"', i)) {
      i += 3;
      for (; template[i] !== '"'; i++) {
        if (i >= template.length) throw new Error(`unterminated literal in ${template}`);
        if (template.startsWith('$${', i) || template.startsWith('%%{', i)) {
          out += `${template[i]}{`;
          i += 2;
          continue;
        }
        if (template[i] !== '\\') {
          out += template[i];
          continue;
        }
        const c = template[++i];
        out += c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : (c ?? '');
      }
      if (template[i + 1] !== '}') throw new Error(`not a lone literal in ${template}`);
      i += 2;
    } else if (template.startsWith('${', i)) {
      let depth = 0;
      let inString = false;
      const start = i;
      for (; i < template.length; i++) {
        const c = template[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{') depth++;
        else if (c === '}' && --depth === 0) break;
      }
      out += template.slice(start, ++i);
    } else {
      out += template[i++];
    }
  }
  return out;
}
