/**
 * The export round trip under the real terraform (issue 24, acceptance 3): the portal-made Rollbar app of
 * test/fake-graph/portal-app.ts, exported with `--imports terraform`, synthesized, the import blocks put beside the
 * synthesized `cdk.tf.json` as `imports.tf` (README, "Export"), then plan, apply and a second plan.
 *
 * What the first plan can and cannot do: the job, the roles and the assignments are imported. The three
 * `terraform_data` steps (Credentials, Mappings, ProvisioningState) are created: Terraform 1.11 can import a
 * `terraform_data`, but its importer sets only `id` (hashicorp/terraform
 * `internal/builtin/providers/terraform/resource_data.go`, importDataStore: "terraform_data has no way to refresh
 * the full resource value from only the import ID"), so the configured `triggers_replace` differs from the
 * imported null and the plan replaces it ("must be replaced", its provisioner runs anyway): creating them is the
 * honest plan. Of the three, only Credentials writes to Graph (it needs the token, which Graph never returns);
 * Mappings finds the schema already as the file says and ProvisioningState finds the job already Active.
 *
 * The portal app also has SAML single sign-on set up in the portal (mode, sign-on URL, one active certificate):
 * the exported file declares no `sso`, so adopting must leave all of it as the portal set it, with 0 writes to it
 * (issue 25, acceptance 5).
 *
 * The portal app here has no inexpressible difference (the title mapping's flowBehavior is the template's): with
 * one, the Mappings step rewrites the schema to the file's, which is what the exported file says a deploy does.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { AttributeMapping } from '@microsoft/microsoft-graph-types';
import { fakeEnv, runMain } from '../cli/run';
import { seedPortalApp } from '../fake-graph/portal-app';
import type { FakeGraph } from '../fake-graph/server';
import { PORTAL_SP } from '../fixtures/portal-app';
import { rollbarTemplateSchema } from '../fixtures/rollbar-schema';
import { findSecretForms } from '../secret-forms';
import {
  installStandIns,
  mark,
  removeDir,
  report,
  startFake,
  synthStack,
  tempDir,
  Terraform,
  writesSince,
  type RunResult,
} from './harness';
import { terraformOk } from './retry';

const PORTAL_SSO = {
  preferredSingleSignOnMode: 'saml',
  loginUrl: 'https://rollbar.com/acme/saml/login/azure/',
  notificationEmailAddresses: ['identity-ops@example.com'],
  preferredTokenSigningKeyThumbprint: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
  keyCredentials: [
    {
      keyId: '6d1b1c0e-3f1a-4c8e-9a55-0c2b7d4e9f01',
      customKeyIdentifier: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
      displayName: 'CN=Microsoft Azure Federated SSO Certificate',
      startDateTime: '2026-06-01T00:00:00Z',
      endDateTime: '2029-06-01T00:00:00Z',
      type: 'AsymmetricX509Cert' as const,
      usage: 'Sign' as const,
      key: null,
    },
  ],
};

let dir: string;
let fake: FakeGraph;
let tf: Terraform;
let jobId: string;
let exported: { code: number; stdout: string; stderr: string };
const printed: string[] = [];

function titleMapping(mappings: AttributeMapping[] | null | undefined): AttributeMapping {
  const title = mappings?.find((m) => m.targetAttributeName === 'title');
  if (!title) throw new Error('the fixture has no title mapping');
  return title;
}

beforeAll(async () => {
  dir = tempDir('export');
  const standIns = installStandIns(dir);
  fake = await startFake();
  jobId = seedPortalApp(fake, fake.validSecretToken).jobId;
  // The portal app without its FlowAlways edit: the title mapping flows as the template says.
  const users = (s: ReturnType<typeof rollbarTemplateSchema>) =>
    s.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User')?.attributeMappings;
  titleMapping(users(fake.job(PORTAL_SP, jobId).schema)).flowBehavior = titleMapping(
    users(rollbarTemplateSchema()),
  ).flowBehavior;
  // SSO as an admin sets it in the portal (Rollbar's SSO tutorial): SAML mode, the sign-on URL, one active
  // token-signing certificate.
  Object.assign(fake.directory.servicePrincipals.get(PORTAL_SP)!, PORTAL_SSO);

  exported = await runMain(
    [
      'export',
      '--service-principal-id',
      PORTAL_SP,
      '--out',
      'rollbar.yaml',
      '--imports',
      'terraform',
      '--imports-out',
      'imports.tf',
    ],
    { env: fakeEnv(fake), cwd: dir },
  );
  const stackDir = await synthStack(path.join(dir, 'rollbar.yaml'), path.join(dir, 'cdktf.out'));
  // README "Export": the import blocks go beside the synthesized cdk.tf.json (Terraform reads every .tf and
  // .tf.json file of the directory).
  copyFileSync(path.join(dir, 'imports.tf'), path.join(stackDir, 'imports.tf'));
  tf = new Terraform(stackDir, standIns, fake);
  printed.push((await terraformOk(tf, ['init'])).output);
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

interface PlannedChange {
  address: string;
  change: { actions: string[]; importing?: { id: string } };
}

describe('export, synth, plan with the import blocks, apply, plan again', () => {
  let plan: RunResult;

  test('export exits 0 (nothing inexpressible) and writes the import blocks', () => {
    expect(exported.code).toBe(0);
    const blocks = readFileSync(path.join(dir, 'imports.tf'), 'utf8');
    expect(blocks.match(/^import \{$/gm)).toHaveLength(1 + 2 + 3);
  });

  test('the first plan imports the job, the roles and the assignments, and creates the three steps', async () => {
    plan = await tf.ok(['plan', '-out', 'adopt.tfplan']);
    report('plan', plan);
    printed.push(plan.output);
    const json = JSON.parse((await tf.ok(['show', '-json', 'adopt.tfplan'])).stdout) as {
      resource_changes: PlannedChange[];
    };
    const summary = Object.fromEntries(
      json.resource_changes.map((c) => [
        c.address.replace(/_[0-9A-F]{8}(?=[.[]|$)/g, ''),
        `${c.change.actions.join('+')}${c.change.importing ? ' import' : ''}`,
      ]),
    );
    expect(summary).toEqual({
      'azuread_synchronization_job.Rollbar_Job': 'no-op import',
      'azuread_application_app_role.Rollbar_Role-Admin': 'no-op import',
      'azuread_application_app_role.Rollbar_Role-User': 'no-op import',
      'azuread_app_role_assignment.Rollbar_Assignments["alex-kim"]': 'no-op import',
      'azuread_app_role_assignment.Rollbar_Assignments["alex-kim-2"]': 'no-op import',
      'azuread_app_role_assignment.Rollbar_Assignments["engineering"]': 'no-op import',
      'terraform_data.Rollbar_Credentials': 'create',
      'terraform_data.Rollbar_Mappings': 'create',
      'terraform_data.Rollbar_ProvisioningState': 'create',
    });
    expect(plan.output).toContain('Plan: 6 to import, 3 to add, 0 to change, 0 to destroy.');
  });

  test('the apply writes only the Credentials step to Graph: no role, assignment or job is touched', async () => {
    const since = mark(fake);
    const apply = await tf.ok(['apply', 'adopt.tfplan']);
    report('apply', apply);
    printed.push(apply.output);
    const job = `/servicePrincipals/${PORTAL_SP}/synchronization`;
    expect(writesSince(fake, since)).toEqual([`POST ${job}/jobs/${jobId}/validateCredentials`, `PUT ${job}/secrets`]);
    expect(apply.output).toContain('Apply complete! Resources: 6 imported, 3 added, 0 changed, 0 destroyed.');
  });

  test('adopting without sso leaves the single sign-on the portal set up: 0 writes to it', () => {
    expect(
      writesSince(fake, 0).filter((w) =>
        /^PATCH \/(servicePrincipals|applications)\/|addTokenSigningCertificate/.test(w),
      ),
    ).toEqual([]);
    const sp = fake.directory.servicePrincipals.get(PORTAL_SP)!;
    expect({
      preferredSingleSignOnMode: sp.preferredSingleSignOnMode,
      loginUrl: sp.loginUrl,
      notificationEmailAddresses: sp.notificationEmailAddresses,
      preferredTokenSigningKeyThumbprint: sp.preferredTokenSigningKeyThumbprint,
      keyCredentials: sp.keyCredentials,
    }).toEqual(PORTAL_SSO);
  });

  test('a second plan is empty', async () => {
    const since = mark(fake);
    const again = await tf.run(['plan', '-detailed-exitcode']);
    printed.push(again.output);
    expect(again.code).toBe(0);
    expect(again.output).toContain('No changes.');
    expect(writesSince(fake, since)).toEqual([]);
  });

  test('the token is in nothing the export or terraform printed', () => {
    const everything = [exported.stdout, exported.stderr, readFileSync(path.join(dir, 'rollbar.yaml'), 'utf8')]
      .concat(printed)
      .join('\n');
    expect(findSecretForms('export round trip', everything, [fake.validSecretToken])).toEqual([]);
  });
});
