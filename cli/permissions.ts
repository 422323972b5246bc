/**
 * The least Microsoft Graph permissions each command needs: one description, from which every command's --help
 * and README's permissions table are generated (`npm run generate`; a test fails when README is stale).
 *
 * Least privileged per Graph's reference (microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/):
 * - reading jobs, schemas and templates (synchronization-synchronizationjob-get.md, -synchronizationschema-get.md):
 *   Synchronization.Read.All, or Application.ReadWrite.OwnedBy for an app the identity owns;
 * - writing them, start/pause/restart, validateCredentials, secrets, provisionOnDemand
 *   (synchronization-synchronizationjob-restart.md, -provisionondemand.md, -validatecredentials.md):
 *   Synchronization.ReadWrite.All, or Application.ReadWrite.OwnedBy for an owned app;
 * - provisioning logs (provisioningobjectsummary-list.md): AuditLog.Read.All and Directory.Read.All;
 * - roles for a person signed in (the rbac-synchronization include, provisioningobjectsummary-list.md).
 * The deploy identity's row is what `cdktf deploy` and `pulumi up` need as a whole (the azuread provider's
 * resources plus the Graph steps).
 */

/** What one command (or the deploy identity) needs. */
export interface CommandPermissions {
  /** Microsoft Graph application permissions, all of them needed (empty: no Graph call). */
  readonly graph: readonly string[];
  /** Whether Application.ReadWrite.OwnedBy replaces the synchronization permission for an app the identity owns. */
  readonly ownedByAlternative?: boolean;
  /** Signed in as a person: any one of these Entra roles. */
  readonly roles: readonly string[];
  /** An option that needs more, such as `--test-connection`. */
  readonly extra?: { readonly option: string; readonly graph: readonly string[]; readonly why: string };
}

const SYNC_ROLES = ['Application Administrator', 'Cloud Application Administrator'] as const;

/** No Graph call at all. */
export const OFFLINE: CommandPermissions = { graph: [], roles: [] };

/** Reads the job, its schema or templates. */
export const READ_SYNC: CommandPermissions = {
  graph: ['Synchronization.Read.All'],
  ownedByAlternative: true,
  roles: SYNC_ROLES,
};

/** Changes the job, its schema or secrets, or provisions. */
export const WRITE_SYNC: CommandPermissions = {
  graph: ['Synchronization.ReadWrite.All'],
  ownedByAlternative: true,
  roles: SYNC_ROLES,
};

/**
 * The canary step: provisions on demand, and reads the app's assignments (api/serviceprincipal-list-approleassignedto.md:
 * Application.Read.All) to tell a new assignment's replication lag from a real skip.
 */
export const CANARY: CommandPermissions = {
  graph: ['Synchronization.ReadWrite.All', 'Application.Read.All'],
  roles: SYNC_ROLES,
};

/**
 * Changes the service principal itself (its single sign-on settings): api/serviceprincipal-update.md,
 * Application.ReadWrite.All, or Application.ReadWrite.OwnedBy for an owned app.
 */
export const WRITE_APP: CommandPermissions = {
  graph: ['Application.ReadWrite.All'],
  ownedByAlternative: true,
  roles: SYNC_ROLES,
};

/** Reads the provisioning logs (and, for a user principal name, the user's id). */
export const READ_LOGS: CommandPermissions = {
  graph: ['AuditLog.Read.All', 'Directory.Read.All'],
  roles: [
    'Reports Reader',
    'Security Reader',
    'Global Reader',
    'Application Administrator',
    'Cloud Application Administrator',
  ],
};

/** `cdktf deploy` / `pulumi up`: the azuread provider's resources and every Graph step. */
export const DEPLOY_IDENTITY: CommandPermissions = {
  graph: ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'Synchronization.ReadWrite.All'],
  roles: ['Cloud Application Administrator', 'Application Administrator'],
};

/** The `Permissions:` section of a command's --help. */
export function permissionsHelp(p: CommandPermissions): string {
  if (p.graph.length === 0) return 'Permissions: none (no Microsoft Graph call).';
  const lines = [
    `Permissions (least privileged): Microsoft Graph ${graphText(p)}; signed in as a person, ${rolesText(p)}.`,
  ];
  if (p.extra) lines.push(`  ${p.extra.option} also needs ${p.extra.graph.join(' and ')} (${p.extra.why}).`);
  return lines.join('\n');
}

function graphText(p: CommandPermissions): string {
  const all = p.graph.join(' and ');
  return p.ownedByAlternative ? `${all} (or Application.ReadWrite.OwnedBy for an app the identity owns)` : all;
}

function rolesText(p: CommandPermissions): string {
  return p.roles.length === 1 ? `the role ${p.roles[0]}` : `one of the roles ${p.roles.join(', ')}`;
}

/** README's permissions table: the deploy identity, then each command. */
export function permissionsTable(
  commands: readonly { readonly name: string; readonly permissions: CommandPermissions }[],
): string {
  const rows: [string, string, string][] = [
    ['who', 'Microsoft Graph application permissions (least)', 'signed in as a person (one role)'],
    ['deploy identity (`cdktf deploy`, `pulumi up`)', graphCell(DEPLOY_IDENTITY), roleCell(DEPLOY_IDENTITY)],
    ...commands.map((c): [string, string, string] => [
      `\`rollbar-provisioning ${c.name}\``,
      graphCell(c.permissions),
      roleCell(c.permissions),
    ]),
  ];
  const [head, ...body] = rows;
  const line = (r: readonly string[]): string => `| ${r.join(' | ')} |`;
  return [line(head!), line(head!.map(() => '---')), ...body.map(line)].join('\n');
}

function graphCell(p: CommandPermissions): string {
  if (p.graph.length === 0) return 'none (offline)';
  const base = p.graph.map((g) => `\`${g}\``).join(', ');
  const owned = p.ownedByAlternative ? ' (or `Application.ReadWrite.OwnedBy` for an owned app)' : '';
  const extra = p.extra ? `; \`${p.extra.option}\`: ${p.extra.graph.map((g) => `\`${g}\``).join(', ')}` : '';
  return `${base}${owned}${extra}`;
}

function roleCell(p: CommandPermissions): string {
  return p.roles.length === 0 ? 'none' : p.roles.join(', ');
}

/** The markers around the generated table in README.md. */
export const PERMISSIONS_TABLE_BEGIN = '<!-- permissions-table:begin (generated by npm run generate) -->';
export const PERMISSIONS_TABLE_END = '<!-- permissions-table:end -->';
