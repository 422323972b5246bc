/**
 * Warnings: a valid spec that will fail or surprise at deploy time. `validate` and `npm run synth` print them and
 * say "valid, with N warnings"; `--strict` makes them failures. Each rule is a small pure function of the spec.
 * Call them on a spec that `validateSpec` accepted (they skip values of the wrong type rather than report them).
 */
import type { ExpressionNode } from './expression/ast';
import { parseExpression } from './expression/parser';
import { showValue } from './problems';
import type { RollbarProvisioningSpec } from './spec';

/** Stable warning codes. Adding one is a minor change (it may fail a `--strict` run that passed). */
export const WARNING_CODES = [
  'PLACEHOLDER_OBJECT_ID',
  'DELETION_GUARD_OFF',
  'NO_NOTIFICATION_EMAIL',
  'TEST_CONNECTION_OFF',
  'IGNORED_WHEN_ADOPTING',
  'UNDOCUMENTED_TARGET_ATTRIBUTE',
  'UNDOCUMENTED_SOURCE_ATTRIBUTE',
  'PRINCIPAL_TYPE_IGNORED',
  'CANARY_NOT_ASSIGNED',
] as const;

/** A stable, SCREAMING_SNAKE warning code. */
export type WarningCode = (typeof WARNING_CODES)[number];

/** Something valid that is probably not what was meant; same fields as a problem. */
export interface Warning {
  readonly code: WarningCode;
  readonly path: string;
  /** `<path> <what>, got '<value>'. <advice>`. Never contains a secret value. */
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

function warning(code: WarningCode, path: string, what: string, value: unknown, advice: string): Warning {
  return { code, path, message: `${path} ${what}, got '${showValue(value)}'. ${advice}` };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A GUID of one repeated digit (the version and variant digits aside), such as the examples'
 * `11111111-1111-4111-8111-111111111111`: no directory hands such an id out.
 */
export function isPlaceholderObjectId(id: string): boolean {
  return /^([0-9a-f])\1{7}-\1{4}-[0-9a-f]\1{3}-[0-9a-f]\1{3}-\1{12}$/i.test(id);
}

/**
 * Rollbar's documented target attributes (the Rollbar provisioning tutorial, reference §1.1), with the `.value`
 * form SCIM mappings use for the e-mail.
 */
export const DOCUMENTED_TARGET_ATTRIBUTES = {
  users: [
    'userName',
    'externalId',
    'active',
    'name.familyName',
    'name.givenName',
    'emails[type eq "work"]',
    'emails[type eq "work"].value',
  ],
  groups: ['displayName', 'externalId', 'members'],
} as const;

/**
 * The Entra source attributes of Microsoft's documented SCIM mappings (use-scim-to-provision-users-and-groups.md,
 * reference §4.2). Entra has many more: one outside this list is checked for real at deploy time.
 */
export const DOCUMENTED_SOURCE_ATTRIBUTES = {
  users: ['userPrincipalName', 'IsSoftDeleted', 'mail', 'givenName', 'surname', 'mailNickname', 'objectId'],
  groups: ['displayName', 'members', 'objectId'],
} as const;

/** The spec as warnings read it: values may be of any type until checked. */
export type WarnableSpec = RollbarProvisioningSpec<unknown>;
type Spec = WarnableSpec;

function placeholderIds(spec: Spec): Warning[] {
  const out: Warning[] = [];
  const check = (path: string, id: unknown): void => {
    if (typeof id === 'string' && isPlaceholderObjectId(id)) {
      out.push(
        warning(
          'PLACEHOLDER_OBJECT_ID',
          path,
          'looks like a placeholder object id',
          id,
          'Replace it with the real Object ID from the Entra admin center (Users or Groups ▸ Overview ▸ Object ID).',
        ),
      );
    }
  };
  check('existingServicePrincipalObjectId', spec.existingServicePrincipalObjectId);
  if (isRecord(spec.canary)) check('canary.principalObjectId', spec.canary.principalObjectId);
  const assignments: unknown = spec.assignments;
  if (isRecord(assignments)) {
    for (const [key, a] of Object.entries(assignments)) {
      if (isRecord(a)) check(`assignments.${key}.principalObjectId`, a.principalObjectId);
    }
  }
  return out;
}

function deletionGuardOff(spec: Spec): Warning[] {
  if (spec.scope !== 'all' || spec.accidentalDeletionThreshold !== 0) return [];
  return [
    warning(
      'DELETION_GUARD_OFF',
      'accidentalDeletionThreshold',
      "turns the accidental-deletion guard off while scope is 'all'",
      0,
      'Every user in the tenant is in scope: keep a threshold (500 is the suggested value).',
    ),
  ];
}

function noNotification(spec: Spec): Warning[] {
  if (spec.notification !== undefined) return [];
  return [
    warning(
      'NO_NOTIFICATION_EMAIL',
      'notification',
      'names no e-mail for failures',
      undefined,
      'Nobody hears of a quarantine: set notification.email to a monitored mailbox.',
    ),
  ];
}

function testConnectionOff(spec: Spec): Warning[] {
  if (spec.testConnection !== false) return [];
  return [
    warning(
      'TEST_CONNECTION_OFF',
      'testConnection',
      'skips the connection test',
      false,
      'A wrong token is saved and only fails in the first cycle: remove testConnection: false.',
    ),
  ];
}

function ignoredWhenAdopting(spec: Spec): Warning[] {
  if (spec.existingServicePrincipalObjectId === undefined) return [];
  return (['displayName', 'applicationTemplateId', 'protect'] as const)
    .filter((key) => spec[key] !== undefined)
    .map((key) =>
      warning(
        'IGNORED_WHEN_ADOPTING',
        key,
        'is ignored when an app is adopted (existingServicePrincipalObjectId)',
        spec[key],
        'The adopted app is not created by this project: remove the setting.',
      ),
    );
}

function attributesOf(node: ExpressionNode, into: Set<string>): void {
  if (node.kind === 'attribute') into.add(node.name);
  else if (node.kind === 'function') for (const arg of node.args) attributesOf(arg, into);
  else if (node.kind === 'comparison') {
    attributesOf(node.left, into);
    attributesOf(node.right, into);
  }
}

function undocumentedAttributes(spec: Spec): Warning[] {
  const out: Warning[] = [];
  const mappings: unknown = spec.mappings;
  if (!isRecord(mappings)) return out;
  for (const side of ['users', 'groups'] as const) {
    const patch = mappings[side];
    const attributes = isRecord(patch) ? patch.attributes : undefined;
    if (!isRecord(attributes)) continue;
    const targets: readonly string[] = DOCUMENTED_TARGET_ATTRIBUTES[side];
    const sources: readonly string[] = DOCUMENTED_SOURCE_ATTRIBUTES[side];
    for (const [target, mapping] of Object.entries(attributes)) {
      const path = `mappings.${side}.attributes.${target}`;
      if (!targets.includes(target)) {
        out.push(
          warning(
            'UNDOCUMENTED_TARGET_ATTRIBUTE',
            path,
            `is not one of Rollbar's documented ${side} attributes`,
            target,
            `Documented: ${targets.join(', ')}. The job's schema decides at deploy time.`,
          ),
        );
      }
      if (!isRecord(mapping) || typeof mapping.source !== 'string') continue;
      const parsed = parseExpression(mapping.source);
      if (!parsed.ok) continue;
      const used = new Set<string>();
      attributesOf(parsed.tree, used);
      for (const name of [...used].filter((n) => !sources.includes(n))) {
        out.push(
          warning(
            'UNDOCUMENTED_SOURCE_ATTRIBUTE',
            `${path}.source`,
            `reads an Entra attribute outside Microsoft's documented SCIM mappings`,
            name,
            "Entra defines many more; the job's schema decides at deploy time (a misspelling fails there).",
          ),
        );
      }
    }
  }
  return out;
}

function principalTypeIgnored(spec: Spec): Warning[] {
  const assignments: unknown = spec.assignments;
  if (!isRecord(assignments)) return [];
  const keys = Object.keys(assignments).filter((k) => isRecord(assignments[k]) && 'principalType' in assignments[k]);
  const [first] = keys;
  if (first === undefined) return [];
  // One warning for the file, not one per assignment: an old configuration has it on every entry.
  return [
    warning(
      'PRINCIPAL_TYPE_IGNORED',
      `assignments.${first}.principalType`,
      `is ignored (set on ${keys.length} assignment${keys.length === 1 ? '' : 's'})`,
      (assignments[first] as Record<string, unknown>).principalType,
      'Remove principalType: Entra reads the type from the object id.',
    ),
  ];
}

/**
 * The canary user is not among the assignments while only assigned users are in scope: on demand it would be
 * skipped as not entitled, unless it is a member of an assigned group, which cannot be told offline. Skipped
 * when any object id is still an engine value (a Pulumi Output), since it may be the canary's.
 */
function canaryNotAssigned(spec: Spec): Warning[] {
  const canary: unknown = spec.canary;
  if (!isRecord(canary) || typeof canary.principalObjectId !== 'string') return [];
  if ((spec.scope ?? 'assignedOnly') !== 'assignedOnly') return [];
  const assignments: unknown = spec.assignments;
  const principals = isRecord(assignments)
    ? Object.values(assignments).map((a) => (isRecord(a) ? a.principalObjectId : undefined))
    : [];
  if (principals.some((p) => typeof p !== 'string')) return [];
  const id = canary.principalObjectId.toLowerCase();
  if (principals.some((p) => (p as string).toLowerCase() === id)) return [];
  return [
    warning(
      'CANARY_NOT_ASSIGNED',
      'canary.principalObjectId',
      "is not among the assignments while scope is 'assignedOnly'",
      canary.principalObjectId,
      'Only assigned users are provisioned: assign the canary user (or make sure it is a direct member of an ' +
        'assigned group), or the canary is skipped as not entitled and the deploy stops.',
    ),
  ];
}

/** The warning rules, in the order their warnings are listed. */
export const WARNING_RULES: readonly ((spec: WarnableSpec) => Warning[])[] = [
  placeholderIds,
  deletionGuardOff,
  noNotification,
  testConnectionOff,
  ignoredWhenAdopting,
  undocumentedAttributes,
  principalTypeIgnored,
  canaryNotAssigned,
];

/** Every warning of a valid spec (an empty list when there is none). */
export function specWarnings(spec: WarnableSpec): Warning[] {
  if (!isRecord(spec)) return [];
  return WARNING_RULES.flatMap((rule) => rule(spec));
}
