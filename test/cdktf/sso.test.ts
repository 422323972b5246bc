/**
 * SAML SSO in the CDKTF construct: the provider's resources with Rollbar's URLs for the account, one certificate
 * per declared key, the Graph step with the active certificate's thumbprint and no secret, the stack's outputs,
 * and nothing at all when `sso` is not declared.
 */
import { Testing, type TerraformStack } from 'cdktf';
import { RollbarStack } from '../../stacks/cdktf/rollbar-stack';
import { block, build, evaluateLiterals, smallSpec, type TerraformJson } from './fixtures';

const json = (spec = smallSpec()): TerraformJson => JSON.parse(Testing.synth(build(spec).stack)) as TerraformJson;
const withSso = (sso: Record<string, unknown>): TerraformJson =>
  json({ ...smallSpec(), sso: sso as { accountName: string } });

/** ROLLBAR_INPUT of a step, its `${jsonencode(x)}` holes as the strings `<x>`. */
function stepInput(body: Record<string, unknown>): Record<string, unknown> {
  const exec = (body.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]!['local-exec'];
  const text = evaluateLiterals(exec.environment.ROLLBAR_INPUT!).replace(
    /\$\{jsonencode\((.*?)\)\}/g,
    (_m, e: string) => JSON.stringify(`<${e}>`),
  );
  return JSON.parse(text) as Record<string, unknown>;
}

describe('GIVEN sso with an account name', () => {
  const j = withSso({ accountName: 'acme', certificateNotificationEmails: ['ops@example.com'] });
  const app = Object.keys(j.resource.azuread_application_from_template!)[0]!;

  test("THEN the identifier and the reply URL are Rollbar's, on the application", () => {
    expect(block(j, 'resource', 'azuread_application_identifier_uri', 'SsoIdentifierUri').body).toEqual({
      application_id: `\${azuread_application_from_template.${app}.application_id}`,
      identifier_uri: 'https://saml.rollbar.com',
    });
    expect(block(j, 'resource', 'azuread_application_redirect_uris', 'SsoRedirectUris').body).toEqual({
      application_id: `\${azuread_application_from_template.${app}.application_id}`,
      type: 'Web',
      redirect_uris: ['https://rollbar.com/acme/saml/sso/azure/'],
    });
  });

  test('THEN one token-signing certificate, primary, on the service principal', () => {
    const cert = block(j, 'resource', 'azuread_service_principal_token_signing_certificate', 'SsoCertificate-primary');
    expect(cert.body).toEqual({
      service_principal_id: `\${azuread_application_from_template.${app}.service_principal_id}`,
    });
  });

  test('THEN the SsoSettings step activates that certificate, after the identifier, reply URL and certificate', () => {
    const cert = block(j, 'resource', 'azuread_service_principal_token_signing_certificate', 'SsoCertificate-primary');
    const step = block(j, 'resource', 'terraform_data', 'SsoSettings').body;
    const exec = (step.provisioner as { 'local-exec': { command: string; environment: Record<string, string> } }[])[0]![
      'local-exec'
    ];
    expect(exec.command).toBe('set-sso');
    expect(stepInput(step)).toEqual({
      activeThumbprint: `<azuread_service_principal_token_signing_certificate.${cert.name}.thumbprint>`,
      servicePrincipalId: `<azuread_application_from_template.${app}.service_principal_id>`,
      sso: { accountName: 'acme', certificateNotificationEmails: ['ops@example.com'] },
      tenantId: expect.stringMatching(/^<data\.azuread_client_config\..+\.tenant_id>$/),
    });
    expect(step.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^azuread_application_identifier_uri\./),
        expect.stringMatching(/^azuread_application_redirect_uris\./),
        `azuread_service_principal_token_signing_certificate.${cert.name}`,
      ]),
    );
  });

  test('THEN the SSO step carries no token: its environment is ROLLBAR_INPUT alone', () => {
    const step = block(j, 'resource', 'terraform_data', 'SsoSettings').body;
    const exec = (step.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]!['local-exec'];
    expect(Object.keys(exec.environment)).toEqual(['ROLLBAR_INPUT']);
    expect(JSON.stringify(step)).not.toContain('rollbar_secret_token');
  });

  test('THEN the plan-time read gets sso, and a check block reports its drift', () => {
    const plan = Object.values(j.data!.external!)[0]!;
    expect(JSON.parse(evaluateLiterals(String((plan.query as Record<string, string>).sso)))).toEqual({
      accountName: 'acme',
      certificateNotificationEmails: ['ops@example.com'],
    });
    const checks = (j as unknown as { check: Record<string, unknown> }).check;
    expect(Object.keys(checks).filter((k) => k.endsWith('_sso'))).toHaveLength(1);
  });
});

test('GIVEN two certificates and activeCertificate THEN each has its own address and the named one is active', () => {
  const j = withSso({
    accountName: 'acme',
    signingCertificates: { primary: {}, '2029': { endDate: '2029-06-01T00:00:00Z' } },
    activeCertificate: '2029',
  });
  const next = block(j, 'resource', 'azuread_service_principal_token_signing_certificate', 'SsoCertificate-2029');
  expect(next.body.end_date).toBe('2029-06-01T00:00:00Z');
  const primary = block(j, 'resource', 'azuread_service_principal_token_signing_certificate', 'SsoCertificate-primary');
  const step = block(j, 'resource', 'terraform_data', 'SsoSettings').body;
  expect(stepInput(step).activeThumbprint).toBe(
    `<azuread_service_principal_token_signing_certificate.${next.name}.thumbprint>`,
  );
  // Adding a certificate leaves the first one's address alone: the same name as with one certificate.
  const one = withSso({ accountName: 'acme' });
  expect(
    block(one, 'resource', 'azuread_service_principal_token_signing_certificate', 'SsoCertificate-primary').name,
  ).toBe(primary.name);
});

test('GIVEN no sso THEN the stack declares nothing of it: adding the feature added nothing', () => {
  const j = json();
  const text = JSON.stringify(j);
  for (const type of [
    'azuread_application_identifier_uri',
    'azuread_application_redirect_uris',
    'azuread_service_principal_token_signing_certificate',
  ]) {
    expect(j.resource[type]).toBeUndefined();
  }
  expect(text).not.toContain('set-sso');
  expect(text).not.toContain('ssoInSync');
  expect(Object.keys(Object.values(j.data!.external!)[0]!.query as Record<string, unknown>)).not.toContain('sso');
});

describe('the stack (stacks/cdktf) outputs', () => {
  const outputs = (sso?: { accountName: string }): string[] => {
    const app = Testing.app();
    const stack: TerraformStack = new RollbarStack(app, 'rollbar', { config: { ...smallSpec(), ...(sso && { sso }) } });
    return Object.keys((JSON.parse(Testing.synth(stack)) as TerraformJson).output ?? {});
  };
  test('with sso: the metadata URL, the thumbprint and the expiry', () => {
    expect(outputs({ accountName: 'acme' })).toEqual(
      expect.arrayContaining([
        'sso_federation_metadata_url',
        'sso_signing_certificate_thumbprint',
        'sso_signing_certificate_expiry',
      ]),
    );
  });
  test('without sso: none of them', () => {
    expect(outputs().filter((o) => o.startsWith('sso_'))).toEqual([]);
  });
});
