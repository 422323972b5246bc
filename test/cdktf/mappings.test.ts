import { ExternalData } from '../../constructs/cdktf/external-data';
import { TerraformData } from '../../constructs/cdktf/terraform-data';
import type { MappingsSpec } from '../../constructs/core';
import { address, block, evaluateLiterals, smallSpec, synth, type TerraformJson } from './fixtures';
import './matchers';

const MAPPINGS: MappingsSpec = {
  users: {
    attributes: {
      'emails[type eq "work"].value': { source: 'Coalesce([mail], [userPrincipalName])' },
      'name.givenName': { source: '[givenName]', apply: 'onCreateOnly' },
      'name.familyName': null,
    },
    scopingFilters: [
      { name: 'Engineering', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }] },
    ],
  },
  groups: { enabled: false },
};

/** Every resource address that `from` waits for, directly or through others. */
function waitsFor(json: TerraformJson, from: string): Set<string> {
  const bodies = new Map<string, Record<string, unknown>>();
  for (const [type, blocks] of Object.entries(json.resource)) {
    for (const [name, body] of Object.entries(blocks)) bodies.set(address('resource', type, name), body);
  }
  const seen = new Set<string>();
  const visit = (at: string): void => {
    for (const dep of (bodies.get(at)?.depends_on as string[] | undefined) ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        visit(dep);
      }
    }
  };
  visit(from);
  return seen;
}

describe('RollbarProvisioning: the mappings step', () => {
  const out = synth({ ...smallSpec(), mappings: MAPPINGS });
  const json = JSON.parse(out) as TerraformJson;
  const plan = block(json, 'data', 'external', 'Plan');
  const mappings = block(json, 'resource', 'terraform_data', 'Mappings');
  const credentials = block(json, 'resource', 'terraform_data', 'Credentials');
  const state = block(json, 'resource', 'terraform_data', 'ProvisioningState');
  const at = (b: { name: string }): string => address('resource', 'terraform_data', b.name);

  it('comes after the credentials and before the provisioning state', () => {
    expect(waitsFor(json, at(mappings))).toContain(at(credentials));
    expect([...waitsFor(json, at(state))]).toEqual(expect.arrayContaining([at(mappings), at(credentials)]));
    expect(waitsFor(json, at(credentials)).has(at(mappings))).toBe(false);
  });

  it("is not the provisioning step's trigger: a mapping drift replans the mappings step alone", () => {
    expect(JSON.stringify(state.body.triggers_replace)).not.toContain(at(mappings));
    expect(JSON.stringify(state.body.triggers_replace)).not.toContain(at(credentials));
  });

  it('gives the patch to the one plan-time read (graph plan)', () => {
    expect(out).toHaveDataSourceWithProperties(ExternalData, {
      program: ['node', expect.stringMatching(/rollbar-provisioning\.cjs$/), 'graph', 'plan'],
      query: expect.objectContaining({ mappings: expect.any(String) }),
    });
    const query = plan.body.query as Record<string, string>;
    expect(JSON.parse(evaluateLiterals(query.mappings!))).toEqual(MAPPINGS);
  });

  it('names the drifted attributes in a check block, whose warning never fails the plan', () => {
    const checks = (json as { check?: Record<string, { assert: Record<string, string>[] }> }).check ?? {};
    const data = `data.external.${plan.name}.result`;
    expect(checks[`${plan.name}_mappings`]?.assert).toEqual([
      {
        condition: `\${(${data}.mappingsInSync == "true")}`,
        error_message: `Rollbar attribute mappings differ from the code, and the next apply rewrites them: \${${data}.drift}`,
      },
    ]);
  });

  it('shows the patch in the plan: a trigger holding its JSON, key by key', () => {
    const triggers = mappings.body.triggers_replace as Record<string, string>;
    expect(JSON.parse(evaluateLiterals(triggers.mappings!))).toEqual(MAPPINGS);
    expect(evaluateLiterals(triggers.mappings!)).toContain(
      '"emails[type eq \\"work\\"].value":{"source":"Coalesce([mail], [userPrincipalName])"}',
    );
  });

  it('applies with graph apply-mappings, re-run by the desired digest and by drift of the live schema', () => {
    const data = `data.external.${plan.name}.result`;
    expect(out).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: expect.objectContaining({
        desired_digest: `\${${data}.desiredDigest}`,
        live_schema: `\${(${data}.mappingsInSync == "true") ? "in sync" : replace(timestamp(), "/.*/", "in sync")}`,
      }),
    });
    const exec = (mappings.body.provisioner as Record<string, Record<string, unknown>>[])[0]!['local-exec']!;
    expect(exec).toMatchObject({ interpreter: ['node', expect.any(String), 'graph'], command: 'apply-mappings' });
    expect(exec.when).toBeUndefined();
    expect(exec.environment).not.toHaveProperty('ROLLBAR_SECRET_TOKEN');
  });

  it('is absent when the spec does not manage the schema', () => {
    const plain = JSON.parse(synth(smallSpec())) as TerraformJson;
    expect(block(plain, 'data', 'external', 'Plan').body.query).not.toHaveProperty('mappings');
    expect(Object.keys((plain as { check?: object }).check ?? {}).filter((n) => n.endsWith('_mappings'))).toEqual([]);
    expect(Object.keys(plain.resource.terraform_data ?? {}).filter((n) => n.startsWith('Rollbar_Mappings_'))).toEqual(
      [],
    );
  });

  it('manages the schema with an empty patch (Rollbar defaults)', () => {
    const empty = JSON.parse(synth({ ...smallSpec(), mappings: {} })) as TerraformJson;
    expect(block(empty, 'resource', 'terraform_data', 'Mappings').body.triggers_replace).toMatchObject({
      mappings: '{}',
    });
  });
});
