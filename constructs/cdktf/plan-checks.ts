import { DefaultTokenResolver, Fn, Op, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import type { ExternalData } from './external-data';

/**
 * A trigger that converges: `value` while the plan-time read says in sync, else unknown at plan time (timestamp()
 * is), which replaces the step; at apply time it resolves to `value` again, so once the step has repaired the
 * drift the next plan is empty. A trigger holding the drift itself would differ from the stored one on the next
 * plan too, and never settle.
 */
export function converged(inSync: string, value: string): string {
  return Token.asString(Fn.conditional(Op.eq(inSync, 'true'), value, Fn.replace(Fn.timestamp(), '/.*/', value)));
}

/** One Terraform `check` block with one assertion. */
interface CheckBlock {
  readonly assert: readonly [{ readonly condition: string; readonly error_message: string }];
}

/**
 * One Terraform `check` block per concern of the plan-time read, so that `terraform plan` names what drifted as a
 * warning (a failed check never fails a plan or an apply). Terraform 1.5 or later reads them. They are named
 * after the read's own logical id, so that two instances never collide.
 */
export function addPlanChecks(
  plan: ExternalData,
  concerns: { readonly mappings: boolean; readonly sso?: boolean },
): void {
  const stack = TerraformStack.of(plan);
  const field = (key: string): string => plan.result(key);
  const isTrue = (key: string): string => Token.asString(Op.eq(field(key), 'true'));
  // (cdktf writes an operand '' or 0 as `undefined`, so emptiness is asked as a length below 1.)
  const isEmpty = (key: string): string => Token.asString(Op.lt(Fn.lengthOf(field(key)), 1));
  const check = (concern: string, condition: string, message: string): void =>
    addCheck(stack, `${plan.friendlyUniqueId}_${concern}`, { assert: [{ condition, error_message: message }] });

  if (concerns.mappings) {
    check(
      'mappings',
      isTrue('mappingsInSync'),
      `Rollbar attribute mappings differ from the code, and the next apply rewrites them: ${field('drift')}`,
    );
  }
  if (concerns.sso === true) {
    check(
      'sso',
      isTrue('ssoInSync'),
      `Rollbar single sign-on differs from the code, and the next apply sets it again: ${field('ssoDrift')}`,
    );
  }
  check('provisioning', isTrue('jobOk'), `Rollbar provisioning: ${field('jobDrift')}`);
  check('deletions', isEmpty('deletions'), `Rollbar provisioning: ${field('deletions')}`);
  check(
    'graph_read',
    isEmpty('readError'),
    `Rollbar: Microsoft Graph could not be read at plan time, so this plan assumes no drift: ${field('readError')}`,
  );
}

const checksOf = new WeakMap<TerraformStack, Record<string, CheckBlock>>();

/**
 * cdktf 0.21 has no check construct, so the blocks are stack overrides in `cdk.tf.json`. Its HCL output
 * (`cdktf synth --hcl`) renders no override but the `terraform` block, so the stack's HCL is extended with them
 * too: the HCL exit path from CDKTF keeps the warnings.
 */
function addCheck(stack: TerraformStack, name: string, block: CheckBlock): void {
  stack.addOverride(`check.${name}`, block);
  let checks = checksOf.get(stack);
  if (checks === undefined) {
    const blocks: Record<string, CheckBlock> = {};
    checks = blocks;
    checksOf.set(stack, blocks);
    const toHcl = stack.toHclTerraform.bind(stack);
    stack.toHclTerraform = () => {
      const out = toHcl();
      return { ...out, hcl: `${String(out.hcl)}\n${renderChecks(stack, blocks)}` };
    };
  }
  checks[name] = block;
}

function renderChecks(stack: TerraformStack, blocks: Record<string, CheckBlock>): string {
  const resolved = Tokenization.resolve(blocks, {
    scope: stack,
    resolver: new DefaultTokenResolver(new StringConcat()),
  }) as Record<string, CheckBlock>;
  // The resolved strings are templates whose literal text holds no quote or backslash (it is ours, above),
  // so they go between quotes as they are, as cdktf's own HCL renderer writes a string with an interpolation.
  return Object.entries(resolved)
    .map(([name, { assert }]) =>
      [
        `check "${name}" {`,
        ...assert.flatMap((a) => [
          '  assert {',
          `    condition     = "${a.condition}"`,
          `    error_message = "${a.error_message}"`,
          '  }',
        ]),
        '}',
      ].join('\n'),
    )
    .join('\n\n');
}
