import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App, Testing } from 'cdktf';
import { RollbarProvisioningError } from '../../../constructs/core';
import { loadConfig, loadConfigText } from '../../../constructs/config';
import { RollbarStack, STACK_ID } from '../../../stacks/cdktf/rollbar-stack';
import { AZURERM_ENV, STATE_KEY_ENV, stateBackendFromEnv } from '../../../stacks/cdktf/state-backend';
import type { TerraformJson } from '../../cdktf/fixtures';
import '../../cdktf/matchers';

const REPO = path.resolve(__dirname, '..', '..', '..');

/** Synthesizes a configuration the way main.ts does, into a fresh directory; returns cdk.tf.json's text. */
function synthFile(yaml: string): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-cdktf-stack-'));
  try {
    const app = new App({ outdir });
    const backend = stateBackendFromEnv({}, path.join(outdir, 'stacks', STACK_ID), REPO);
    new RollbarStack(app, STACK_ID, { config: loadConfigText(yaml), backend });
    app.synth();
    return fs.readFileSync(path.join(outdir, 'stacks', STACK_ID, 'cdk.tf.json'), 'utf8');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const ROLES = {
  user: ['  - value: User'],
  admin: ['  - value: Admin', '    description: Rollbar account administrators'],
  observer: ['  - value: Observer'],
};
const ASSIGNMENTS = {
  platform: [
    '  platform-team:',
    '    principalObjectId: 11111111-1111-4111-8111-111111111111',
    '    principalType: Group',
    '    role: User',
  ],
  jane: [
    '  jane-doe:',
    '    principalObjectId: 22222222-2222-4222-8222-222222222222',
    '    principalType: User',
    '    role: Admin',
  ],
  support: [
    '  support:',
    '    principalObjectId: 33333333-3333-4333-8333-333333333333',
    '    principalType: Group',
    '    role: Observer',
  ],
  hire: [
    '  new-hire:',
    '    principalObjectId: 44444444-4444-4444-8444-444444444444',
    '    principalType: User',
    '    role: User',
  ],
};
const yaml = (roles: string[][], assignments: string[][]): string =>
  ['roles:', ...roles.flat(), 'assignments:', ...assignments.flat()].join('\n');

describe('identity: the synthesized stack does not depend on the order of roles and assignments', () => {
  const base = synthFile(
    yaml([ROLES.user, ROLES.admin, ROLES.observer], [ASSIGNMENTS.platform, ASSIGNMENTS.jane, ASSIGNMENTS.support]),
  );

  it('is byte-identical when roles and assignments are reordered', () => {
    const reordered = synthFile(
      yaml([ROLES.observer, ROLES.user, ROLES.admin], [ASSIGNMENTS.support, ASSIGNMENTS.platform, ASSIGNMENTS.jane]),
    );
    expect(reordered).toBe(base);
  });

  it('gains exactly one for_each entry, and nothing else, when one assignment is added', () => {
    const grown = JSON.parse(
      synthFile(
        yaml(
          [ROLES.user, ROLES.admin, ROLES.observer],
          [ASSIGNMENTS.platform, ASSIGNMENTS.hire, ASSIGNMENTS.jane, ASSIGNMENTS.support],
        ),
      ),
    ) as TerraformJson;
    const before = JSON.parse(base) as TerraformJson;
    const [name, assignments] = Object.entries(grown.resource.azuread_app_role_assignment ?? {})[0]!;
    const forEach = assignments.for_each as Record<string, unknown>;
    const previous = before.resource.azuread_app_role_assignment![name]!.for_each as Record<string, unknown>;
    expect(Object.keys(forEach).filter((k) => !(k in previous))).toEqual(['new-hire']);
    delete forEach['new-hire'];
    expect(grown).toEqual(before);
  });
});

describe('RollbarStack', () => {
  const stack = new RollbarStack(Testing.app(), STACK_ID, { config: loadConfig(path.join(REPO, 'rollbar.yaml')) });
  const out = Testing.synth(stack);
  const json = JSON.parse(out) as TerraformJson;

  it('configures the azuread provider from the environment only', () => {
    expect(out).toHaveProviderWithProperties(AzureadProvider, {});
    expect(JSON.stringify((json as { provider?: unknown }).provider)).toBe('{"azuread":[{}]}');
  });

  it('takes the token from the ephemeral variable rollbar_secret_token, and requires Terraform 1.10 for it', () => {
    expect(json.variable?.rollbar_secret_token).toMatchObject({
      type: 'string',
      sensitive: true,
      ephemeral: true,
      nullable: false,
    });
    expect(json.terraform?.required_version).toBe('>= 1.10');
    expect(out).not.toContain('sha256(var.rollbar_secret_token)');
    expect(out).not.toContain('nonsensitive');
  });

  it('rotates through the plain variable rollbar_secret_token_version, default "1", in the Credentials trigger', () => {
    expect(json.variable?.rollbar_secret_token_version).toMatchObject({
      type: 'string',
      default: '1',
      nullable: false,
    });
    expect(json.variable?.rollbar_secret_token_version).not.toHaveProperty('ephemeral');
    const credentials = Object.entries(json.resource.terraform_data ?? {}).find(([name]) =>
      name.startsWith('Rollbar_Credentials_'),
    )?.[1];
    expect(credentials?.triggers_replace).toMatchObject({
      secret_token_version: '${var.rollbar_secret_token_version}',
    });
  });

  it("defaults rollbar_secret_token_version to the configuration's secretTokenVersion", () => {
    const fromConfig = new RollbarStack(Testing.app(), STACK_ID, {
      config: loadConfigText('secretTokenVersion: "2026-12"\n'),
    });
    const variables = (JSON.parse(Testing.synth(fromConfig)) as TerraformJson).variable;
    expect(variables?.rollbar_secret_token_version).toMatchObject({ default: '2026-12' });
  });

  it('outputs the application, service principal and job ids and a portal link', () => {
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'application_object_id',
      'portal_url',
      'service_principal_id',
      'service_principal_object_id',
      'synchronization_job_id',
    ]);
    expect(json.output?.portal_url?.value).toMatch(
      /^https:\/\/portal\.azure\.com\/#view\/Microsoft_AAD_IAM\/ManagedAppMenuBlade\/~\/Provisioning\/objectId\/\$\{azuread_application_from_template\.\w+\.service_principal_object_id\}$/,
    );
    expect(json.output?.synchronization_job_id?.value).toMatch(
      /^\$\{element\(split\("\/", azuread_synchronization_job\./,
    );
  });

  it('matches the snapshot of the README scenario (rollbar.yaml)', () => {
    // The bundle's content hash changes with every CLI edit; the rest of the path is what matters here.
    const stable = out.replace(/(assets\/Rollbar_Cli_[0-9A-F]+\/)[0-9A-F]{32}\//g, '$1<cli-bundle-hash>/');
    expect(stable).toMatchSnapshot();
  });
});

describe('state backend', () => {
  it('is a local file next to cdktf.json, by a path relative to the stack directory', () => {
    const stackDir = path.join(REPO, 'cdktf.out', 'stacks', STACK_ID);
    expect(stateBackendFromEnv({}, stackDir, REPO)).toEqual({
      kind: 'local',
      path: '../../../terraform.rollbar.tfstate',
    });
  });

  it('is a local file in the stack directory when the output is outside the project', () => {
    const stackDir = path.join(os.tmpdir(), 'elsewhere', 'stacks', STACK_ID);
    expect(stateBackendFromEnv({}, stackDir, REPO)).toEqual({ kind: 'local', path: 'terraform.rollbar.tfstate' });
  });

  it('is azurerm, with Entra ID sign-in, when the environment names a storage account', () => {
    const backend = stateBackendFromEnv(
      { [AZURERM_ENV.storageAccountName]: 'ststate', [AZURERM_ENV.containerName]: 'tfstate' },
      'unused',
      REPO,
    );
    expect(backend).toEqual({
      kind: 'azurerm',
      storageAccountName: 'ststate',
      containerName: 'tfstate',
      key: 'rollbar.tfstate',
      useAzureadAuth: true,
    });
    const app = Testing.app();
    const stack = new RollbarStack(app, STACK_ID, { config: { roles: [{ value: 'User' }] }, backend });
    expect(JSON.parse(Testing.synth(stack))).toMatchObject({
      terraform: {
        backend: {
          azurerm: {
            storage_account_name: 'ststate',
            container_name: 'tfstate',
            key: 'rollbar.tfstate',
            use_azuread_auth: true,
          },
        },
      },
    });
  });

  describe('one state per configuration file (one tenant each)', () => {
    const stackDir = path.join(REPO, 'cdktf.out', 'stacks', STACK_ID);
    const azurerm = { [AZURERM_ENV.storageAccountName]: 'ststate', [AZURERM_ENV.containerName]: 'tfstate' };
    const keyOf = (env: NodeJS.ProcessEnv, file: string): unknown => {
      const b = stateBackendFromEnv({ ...azurerm, ...env }, stackDir, REPO, path.join(REPO, file));
      return b.kind === 'azurerm' ? b.key : undefined;
    };
    const localOf = (env: NodeJS.ProcessEnv, file: string): unknown => {
      const b = stateBackendFromEnv(env, stackDir, REPO, path.join(REPO, file));
      return b.kind === 'local' ? b.path : undefined;
    };

    it("keeps the previous release's path and key for the default rollbar.yaml", () => {
      expect(localOf({}, 'rollbar.yaml')).toBe('../../../terraform.rollbar.tfstate');
      expect(keyOf({}, 'rollbar.yaml')).toBe('rollbar.tfstate');
      expect(stateBackendFromEnv({}, stackDir, REPO)).toEqual(stateBackendFromEnv({}, stackDir, REPO, 'rollbar.yaml'));
    });

    it('gives the two-tenant example two states, locally and in azurerm', () => {
      const files = ['examples/two-tenants/contoso.yaml', 'examples/two-tenants/fabrikam.yaml'];
      expect(files.map((f) => localOf({}, f))).toEqual([
        '../../../terraform.rollbar-examples-two-tenants-contoso.tfstate',
        '../../../terraform.rollbar-examples-two-tenants-fabrikam.tfstate',
      ]);
      expect(files.map((f) => keyOf({}, f))).toEqual([
        'rollbar-examples-two-tenants-contoso.tfstate',
        'rollbar-examples-two-tenants-fabrikam.tfstate',
      ]);
    });

    it('tells apart two files of the same name in different folders', () => {
      expect(keyOf({}, 'tenants/a/rollbar.yaml')).not.toBe(keyOf({}, 'tenants/b/rollbar.yaml'));
    });

    it('takes ROLLBAR_STATE_KEY when set, and ROLLBAR_STATE_AZURERM_KEY over it for azurerm', () => {
      expect(localOf({ [STATE_KEY_ENV]: 'contoso' }, 'rollbar.yaml')).toBe('../../../terraform.contoso.tfstate');
      expect(keyOf({ [STATE_KEY_ENV]: 'contoso' }, 'x.yaml')).toBe('contoso.tfstate');
      expect(keyOf({ [STATE_KEY_ENV]: 'contoso', [AZURERM_ENV.key]: 'legacy.tfstate' }, 'x.yaml')).toBe(
        'legacy.tfstate',
      );
    });

    it('asks for ROLLBAR_STATE_KEY for a file outside the project, and rejects a key that is no file name', () => {
      const outside = path.join(os.tmpdir(), 'tenant.yaml');
      const codes = (env: NodeJS.ProcessEnv, file: string): unknown => {
        try {
          stateBackendFromEnv(env, stackDir, REPO, file);
          return [];
        } catch (e) {
          return (e as RollbarProvisioningError).problems.map((p) => `${p.code} ${p.path}`);
        }
      };
      expect(codes({}, outside)).toEqual([`INVALID_CONFIG ${STATE_KEY_ENV}`]);
      expect(codes({ [STATE_KEY_ENV]: 'tenant' }, outside)).toEqual([]);
      expect(codes({ [STATE_KEY_ENV]: '../other' }, path.join(REPO, 'rollbar.yaml'))).toEqual([
        `INVALID_CONFIG ${STATE_KEY_ENV}`,
      ]);
    });
  });

  it('reports every missing or invalid azurerm setting at once', () => {
    const read = (): unknown =>
      stateBackendFromEnv(
        { [AZURERM_ENV.storageAccountName]: 'ststate', [AZURERM_ENV.useAzureadAuth]: 'maybe' },
        'unused',
        REPO,
      );
    expect(read).toThrow(RollbarProvisioningError);
    try {
      read();
    } catch (e) {
      expect((e as RollbarProvisioningError).problems.map((p) => p.path)).toEqual([
        AZURERM_ENV.containerName,
        AZURERM_ENV.useAzureadAuth,
      ]);
    }
  });
});
