/**
 * The neutral model of what an engine declares, so that a CDKTF synthesis and the Pulumi registrations of one
 * spec can be compared: a sorted list of pieces `{ kind, key, inputs, after }`.
 *
 * - `kind`: the concept (DESIGN.md "The engines" table), not the engine's type; `key` the role value or
 *   assignment key, `''` for singletons.
 * - `inputs`: the values that matter, named alike. A value known only at deploy time becomes a symbolic
 *   reference `${kind.attribute}`: CDKTF's Terraform expressions and Pulumi's faked mock outputs map to the same
 *   text. A role id is a literal in both (core `roleId`). The token is `${secretToken}`.
 * - `after`: every piece this one waits for, directly or not, through references or explicit dependencies;
 *   roles and assignments collapse to `role:*` and `assignment:*` (CDKTF's one `for_each` resource cannot depend
 *   per instance), and lookups are left out (a Pulumi invoke is no dependency).
 *
 * Engine mechanics with no counterpart are left out: CDKTF's CLI asset, and the plan-time read (`Plan`) beyond
 * the sync template look-up it makes while no job exists (Pulumi's `SyncTemplate`; its drift reports are what the
 * Pulumi dynamic providers' diffs do); Pulumi's sign-in inputs and serialized providers. When the provisioning
 * step runs again differs by engine and is not compared: Pulumi's after new credentials or mappings, CDKTF's
 * when the plan-time read finds the job's state drifted (its triggers hold no other step's id).
 */
import { evaluateLiterals } from '../cdktf/fixtures';
import { FAKE, isSecretWrapper, type Invocation, type Registration } from '../pulumi/mocks';

/** One piece of the procedure. */
export interface Piece {
  readonly kind: string;
  readonly key: string;
  readonly inputs: Record<string, unknown>;
  readonly after: string[];
}

/** A synthesized CDKTF stack, parsed. */
export interface TerraformJson {
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

const LOOKUPS = new Set(['clientConfig', 'template', 'existingServicePrincipal', 'existingApplication']);
const camel = (s: string): string => s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const id = (kind: string, key = ''): string => (key === '' ? kind : `${kind}:${key}`);
type Inputs = Record<string, unknown>;
const camelKeys = (o: Record<string, unknown>): Inputs =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
const collapse = (pieceId: string): string => pieceId.replace(/^(role|assignment):.*$/, '$1:*');

/** Sorts pieces and closes `after` over the graph; `direct` holds each piece's direct dependencies. */
function finish(pieces: Omit<Piece, 'after'>[], direct: Map<string, Set<string>>): Piece[] {
  const closure = (from: string, seen = new Set<string>()): Set<string> => {
    for (const next of direct.get(from) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        closure(next, seen);
      }
    }
    return seen;
  };
  return pieces
    .map((p) => {
      const self = id(p.kind, p.key);
      const after = [...closure(self)].filter((d) => d !== self && !LOOKUPS.has(d.split(':')[0]!)).map(collapse);
      return { ...p, after: [...new Set(after)].sort() };
    })
    .sort((a, b) => `${a.kind}\u0000${a.key}`.localeCompare(`${b.kind}\u0000${b.key}`));
}

// ---------------------------------------------------------------------------------------------- CDKTF

/** The neutral pieces of a CDKTF synthesis whose construct is called `Rollbar`. */
export function fromCdktf(json: TerraformJson): Piece[] {
  const blocks: {
    address: string;
    section: 'data' | 'resource';
    type: string;
    name: string;
    body: Record<string, unknown>;
  }[] = [];
  for (const section of ['data', 'resource'] as const) {
    for (const [type, byName] of Object.entries(json[section] ?? {})) {
      for (const [name, body] of Object.entries(byName)) {
        blocks.push({ address: `${section === 'data' ? 'data.' : ''}${type}.${name}`, section, type, name, body });
      }
    }
  }
  const constructId = (name: string): string => /^Rollbar_(.+)_[0-9A-F]{8}$/.exec(name)?.[1] ?? name;
  // The plan-time read stands for Pulumi's SyncTemplate only when the job takes its template id from it.
  const readsSyncTemplate = Object.values(json.resource?.azuread_synchronization_job ?? {}).some((job) =>
    /\$\{data\.external\.Rollbar_Plan_\w+\.result\.templateId\}/.test(String(job.template_id)),
  );
  const pieceOf = (b: (typeof blocks)[number]): string | undefined => {
    const cid = constructId(b.name);
    switch (`${b.section} ${b.type}`) {
      case 'data azuread_client_config':
        return 'clientConfig';
      case 'data azuread_application_template':
        return 'template';
      case 'data azuread_service_principal':
        return 'existingServicePrincipal';
      case 'data azuread_application':
        return 'existingApplication';
      case 'data external':
        return cid === 'Plan' && readsSyncTemplate ? 'syncTemplate' : undefined;
      case 'resource azuread_application_from_template':
        return 'application';
      case 'resource azuread_application_app_role':
        return id('role', String(b.body.value));
      case 'resource azuread_app_role_assignment':
        return 'assignment:*';
      case 'resource azuread_synchronization_job':
        return 'job';
      case 'resource azuread_application_identifier_uri':
        return 'ssoIdentifierUri';
      case 'resource azuread_application_redirect_uris':
        return 'ssoRedirectUris';
      case 'resource azuread_service_principal_token_signing_certificate':
        return id('ssoCertificate', cid.replace(/^SsoCertificate-/, ''));
      case 'resource terraform_data':
        return {
          Credentials: 'credentials',
          Mappings: 'mappings',
          Canary: 'canary',
          ProvisioningState: 'provisioningState',
          SsoSettings: 'ssoSettings',
        }[cid];
      default:
        return undefined;
    }
  };
  const pieceByAddress = new Map(blocks.flatMap((b) => (pieceOf(b) ? [[b.address, pieceOf(b)!] as const] : [])));
  const roleIdByAddress = new Map(
    blocks.filter((b) => b.type === 'azuread_application_app_role').map((b) => [b.address, String(b.body.role_id)]),
  );

  const expressions: [RegExp, (m: RegExpExecArray) => string | { literal: string }][] = [
    [/^element\(split\("\/", azuread_synchronization_job\.[\w-]+\.id\), 5\)$/, () => 'job.jobId'],
    [/^azuread_application_from_template\.[\w-]+\.(\w+)$/, (m) => `application.${camel(m[1]!)}`],
    [/^data\.azuread_client_config\.[\w-]+\.tenant_id$/, () => 'clientConfig.tenantId'],
    [/^data\.azuread_application_template\.[\w-]+\.template_id$/, () => 'template.templateId'],
    [/^data\.external\.Rollbar_Plan_\w+\.result\.templateId$/, () => 'syncTemplate.templateId'],
    [/^data\.azuread_service_principal\.[\w-]+\.client_id$/, () => 'existingServicePrincipal.clientId'],
    [/^data\.azuread_application\.[\w-]+\.object_id$/, () => 'existingApplication.objectId'],
    [/^(azuread_application_app_role\.[\w-]+)\.role_id$/, (m) => ({ literal: roleIdByAddress.get(m[1]!)! })],
    [/^(nonsensitive\()?var\.rollbar_secret_token\)?$/, () => 'secretToken'],
    [
      /^(azuread_service_principal_token_signing_certificate\.[\w-]+)\.(\w+)$/,
      (m) => `${pieceByAddress.get(m[1]!)!}.${camel(m[2]!)}`,
    ],
  ];
  const expression = (expr: string): string => {
    for (const [pattern, to] of expressions) {
      const m = pattern.exec(expr);
      if (m) {
        const out = to(m);
        return typeof out === 'string' ? `\${${out}}` : out.literal;
      }
    }
    throw new Error(`neutral model: unknown Terraform expression \${${expr}}`);
  };
  const value = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\$\{([^{}]+)\}/g, (_m, expr: string) => expression(expr));
    if (Array.isArray(v)) return v.map(value);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  // ROLLBAR_INPUT is JSON with `${jsonencode(expr)}` holes: each becomes the string "${expr}".
  const cliInput = (body: Record<string, unknown>): Record<string, unknown> => {
    const exec = (body.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]!['local-exec'];
    const text = evaluateLiterals(exec.environment.ROLLBAR_INPUT!).replace(
      /\$\{jsonencode\((.+?)\)\}/g,
      (_m, expr: string) => JSON.stringify(`\${${expr}}`),
    );
    return value(JSON.parse(text)) as Record<string, unknown>;
  };
  const references = (body: unknown): string[] => {
    const text = JSON.stringify(body);
    return [...pieceByAddress.keys()].filter((a) =>
      new RegExp(`(?<![\\w.])${a.replace(/[.$]/g, '\\$&')}\\b`).test(text),
    );
  };

  const pieces: Omit<Piece, 'after'>[] = [];
  const direct = new Map<string, Set<string>>();
  const depend = (from: string, body: Record<string, unknown>): void => {
    const set = direct.get(from) ?? new Set<string>();
    for (const a of [...references(body), ...((body.depends_on as string[] | undefined) ?? [])]) {
      const to = pieceByAddress.get(a);
      if (to !== undefined && to !== from) set.add(to);
    }
    direct.set(from, set);
  };

  for (const b of blocks) {
    const piece = pieceOf(b);
    if (piece === undefined) continue;
    const body = b.body;
    const add = (kind: string, inputs: Record<string, unknown>, key = ''): void => {
      pieces.push({ kind, key, inputs });
      depend(id(kind, key), body);
    };
    switch (piece.split(':')[0]) {
      case 'clientConfig':
        add('clientConfig', {});
        break;
      case 'template':
        add('template', { displayName: body.display_name });
        break;
      case 'existingServicePrincipal':
        add('existingServicePrincipal', { objectId: body.object_id });
        break;
      case 'existingApplication':
        add('existingApplication', value({ clientId: body.client_id }) as Record<string, unknown>);
        break;
      case 'application':
        add('application', {
          ...(value({ displayName: body.display_name, templateId: body.template_id }) as Record<string, unknown>),
          protect: (body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true,
        });
        break;
      case 'role':
        add(
          'role',
          value({
            roleId: body.role_id,
            value: body.value,
            displayName: body.display_name,
            description: body.description,
            allowedMemberTypes: body.allowed_member_types,
            applicationId: body.application_id,
          }) as Record<string, unknown>,
          String(body.value),
        );
        break;
      case 'assignment':
        depend('assignment:*', body);
        for (const [key, entry] of Object.entries(body.for_each as Record<string, Record<string, unknown>>)) {
          add(
            'assignment',
            value({
              appRoleId: entry.role_id,
              principalObjectId: entry.principal_object_id,
              resourceObjectId: body.resource_object_id,
            }) as Record<string, unknown>,
            key,
          );
          depend(id('assignment', key), entry);
        }
        break;
      case 'syncTemplate':
        add(
          'syncTemplate',
          value(pick(body.query as Record<string, unknown>, ['servicePrincipalId', 'tenantId'])) as Record<
            string,
            unknown
          >,
        );
        break;
      case 'job':
        add('job', {
          ...(value({
            servicePrincipalId: body.service_principal_id,
            templateId: body.template_id,
            enabled: body.enabled,
          }) as Record<string, unknown>),
          ignoreChanges: ((body.lifecycle as { ignore_changes?: string[] }).ignore_changes ?? []).map(camel),
        });
        break;
      case 'credentials': {
        const token = (body.provisioner as { 'local-exec': { environment: Record<string, string> } }[])[0]![
          'local-exec'
        ].environment.ROLLBAR_SECRET_TOKEN;
        add('credentials', { ...cliInput(body), token: value(token) });
        break;
      }
      case 'mappings':
        if (b.section === 'data') depend('mappings', body);
        else add('mappings', cliInput(body));
        break;
      case 'canary':
        add('canary', cliInput(body));
        break;
      case 'provisioningState':
        add('provisioningState', cliInput(body));
        break;
      case 'ssoIdentifierUri':
        add('ssoIdentifierUri', value(pick(camelKeys(body), ['applicationId', 'identifierUri'])) as Inputs);
        break;
      case 'ssoRedirectUris':
        add('ssoRedirectUris', value(pick(camelKeys(body), ['applicationId', 'type', 'redirectUris'])) as Inputs);
        break;
      case 'ssoCertificate':
        add(
          'ssoCertificate',
          value(pick(camelKeys(body), ['servicePrincipalId', 'endDate'])) as Inputs,
          piece.slice('ssoCertificate:'.length),
        );
        break;
      case 'ssoSettings':
        add('ssoSettings', cliInput(body));
        // Its trigger reads the plan-time read's SSO drift, which Pulumi's diff reads itself: mechanics, not order.
        direct.get('ssoSettings')?.delete('syncTemplate');
        break;
    }
  }
  return finish(pieces, direct);
}

// --------------------------------------------------------------------------------------------- Pulumi

/** The fake values of ./mocks, by the reference they stand for (the longer ones first: they contain others). */
const FAKE_REFERENCES: [string, string][] = [
  [`/applications/${FAKE.applicationObjectId}`, 'application.applicationId'],
  [`/servicePrincipals/${FAKE.servicePrincipalObjectId}`, 'application.servicePrincipalId'],
  [FAKE.jobId, 'job.jobId'],
  [FAKE.applicationObjectId, 'application.applicationObjectId'],
  [FAKE.servicePrincipalObjectId, 'application.servicePrincipalObjectId'],
  [FAKE.existingApplicationObjectId, 'existingApplication.objectId'],
  [FAKE.tenantId, 'clientConfig.tenantId'],
  [FAKE.galleryTemplateId, 'template.templateId'],
  [FAKE.syncTemplateId, 'syncTemplate.templateId'],
  [FAKE.clientId, 'existingServicePrincipal.clientId'],
];

/** The neutral pieces of the Pulumi registrations (and invokes) of the component called `name`. */
export function fromPulumi(
  name: string,
  registrations: Registration[],
  invocations: Invocation[],
  token: string,
): Piece[] {
  const value = (v: unknown): unknown => {
    if (isSecretWrapper(v)) return value(v.value);
    if (typeof v === 'string') {
      if (v === token) return '${secretToken}';
      return [...thumbprints, ...FAKE_REFERENCES].reduce((s, [fake, ref]) => s.split(fake).join(`\${${ref}}`), v);
    }
    if (Array.isArray(v)) return v.map(value);
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v;
  };
  const mine = registrations.filter((r) => r.name.startsWith(`${name}-`));
  // A certificate's thumbprint (the mocks answer one per resource name) stands for its `thumbprint` reference.
  const thumbprints: [string, string][] = mine
    .filter((r) => typeof r.state.thumbprint === 'string')
    .map((r) => [
      String(r.state.thumbprint),
      `ssoCertificate:${r.name.slice(`${name}-sso-certificate-`.length)}.thumbprint`,
    ]);
  const pieceOf = (r: Registration): string | undefined => {
    const kind = {
      'azuread:index/applicationFromTemplate:ApplicationFromTemplate': 'application',
      'azuread:index/applicationAppRole:ApplicationAppRole': 'role',
      'azuread:index/appRoleAssignment:AppRoleAssignment': 'assignment',
      'azuread:index/synchronizationJob:SynchronizationJob': 'job',
      'pulumi-nodejs:dynamic/rollbar-provisioning:SyncTemplate': 'syncTemplate',
      'pulumi-nodejs:dynamic/rollbar-provisioning:Credentials': 'credentials',
      'pulumi-nodejs:dynamic/rollbar-provisioning:Mappings': 'mappings',
      'pulumi-nodejs:dynamic/rollbar-provisioning:Canary': 'canary',
      'pulumi-nodejs:dynamic/rollbar-provisioning:ProvisioningState': 'provisioningState',
      'azuread:index/applicationIdentifierUri:ApplicationIdentifierUri': 'ssoIdentifierUri',
      'azuread:index/applicationRedirectUris:ApplicationRedirectUris': 'ssoRedirectUris',
      'azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate': 'ssoCertificate',
      'pulumi-nodejs:dynamic/rollbar-provisioning:SsoSettings': 'ssoSettings',
    }[r.type];
    if (kind === 'role') return id(kind, String(r.inputs.value));
    if (kind === 'ssoCertificate') return id(kind, r.name.slice(`${name}-sso-certificate-`.length));
    if (kind === 'assignment') return id(kind, r.name.slice(`${name}-assignment-`.length));
    return kind;
  };
  const pieceByUrn = new Map(mine.map((r) => [r.urn, pieceOf(r)!]));

  const pieces: Omit<Piece, 'after'>[] = [];
  const direct = new Map<string, Set<string>>();
  for (const r of mine) {
    const piece = pieceOf(r)!;
    const [kind, key = ''] = piece.split(':') as [string, string?];
    const inputs = value(r.inputs) as Record<string, unknown>;
    const target = pick(inputs, ['servicePrincipalId', 'jobId', 'tenantId']);
    const neutral: Record<string, Record<string, unknown>> = {
      application: { ...pick(inputs, ['displayName', 'templateId']), protect: r.protect },
      role: pick(inputs, ['roleId', 'value', 'displayName', 'description', 'allowedMemberTypes', 'applicationId']),
      assignment: pick(inputs, ['appRoleId', 'principalObjectId', 'resourceObjectId']),
      job: { ...pick(inputs, ['servicePrincipalId', 'templateId', 'enabled']), ignoreChanges: [...r.ignoreChanges] },
      syncTemplate: pick(inputs, ['servicePrincipalId', 'tenantId']),
      credentials: { ...target, ...pick(inputs, ['settings', 'test']), token: inputs.secretToken },
      mappings: { ...target, mappings: inputs.mappings },
      canary: { ...target, ...pick(inputs, ['principalObjectId', 'enabled']) },
      provisioningState: { ...target, enabled: inputs.enabled },
      ssoIdentifierUri: pick(inputs, ['applicationId', 'identifierUri']),
      ssoRedirectUris: pick(inputs, ['applicationId', 'type', 'redirectUris']),
      ssoCertificate: pick(inputs, ['servicePrincipalId', 'endDate']),
      ssoSettings: {
        ...pick(inputs, ['servicePrincipalId', 'tenantId', 'activeThumbprint']),
        sso: {
          accountName: inputs.accountName,
          ...(inputs.notificationEmails !== undefined && { certificateNotificationEmails: inputs.notificationEmails }),
        },
      },
    };
    pieces.push({ kind, key, inputs: neutral[kind]! });
    direct.set(
      piece,
      new Set(r.dependencies.map((u) => pieceByUrn.get(u)).filter((p): p is string => p !== undefined)),
    );
  }
  const lookups: Record<string, (inputs: Record<string, unknown>) => Omit<Piece, 'after'>> = {
    'azuread:index/getClientConfig:getClientConfig': () => ({ kind: 'clientConfig', key: '', inputs: {} }),
    'azuread:index/getApplicationTemplate:getApplicationTemplate': (i) => ({
      kind: 'template',
      key: '',
      inputs: pick(i, ['displayName']),
    }),
    'azuread:index/getServicePrincipal:getServicePrincipal': (i) => ({
      kind: 'existingServicePrincipal',
      key: '',
      inputs: pick(i, ['objectId']),
    }),
    'azuread:index/getApplication:getApplication': (i) => ({
      kind: 'existingApplication',
      key: '',
      inputs: value(pick(i, ['clientId'])) as Record<string, unknown>,
    }),
  };
  for (const call of invocations) pieces.push(lookups[call.token]!(call.inputs));
  return finish(pieces, direct);
}
