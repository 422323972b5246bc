/**
 * What adopting takes over, written for the engines: Terraform `import` blocks for the synthesized stack, and a
 * file for `pulumi import --file`. Pure: addresses come from the naming module (construct ids, Pulumi names) and
 * the export's import ids.
 *
 * Terraform addresses are the logical ids CDKTF gives the resources: `cdktf/lib/private/unique.js` makeUniqueId,
 * the construct path below the stack joined with `_`, then the first 8 hex digits (upper case) of the MD5 of the
 * path joined with `/` (test/cdktf/imports.test.ts checks them against a synthesized stack, so a change in cdktf
 * fails there rather than in a user's plan). An assignment's address is its `for_each` instance
 * (`…Assignments_…["key"]`), which an `import` block may name from Terraform 1.5 on: one block per assignment.
 */
import { createHash } from 'node:crypto';
import type { ExportImports } from './export';
import { constructIds, pulumiNames } from './naming';

/** The Terraform resource types adopting imports (azuread provider). */
const TF = {
  job: 'azuread_synchronization_job',
  role: 'azuread_application_app_role',
  assignment: 'azuread_app_role_assignment',
} as const;

/** The Pulumi types of the same resources (@pulumi/azuread). */
export const PULUMI_IMPORT_TYPES = {
  job: 'azuread:index/synchronizationJob:SynchronizationJob',
  role: 'azuread:index/applicationAppRole:ApplicationAppRole',
  assignment: 'azuread:index/appRoleAssignment:AppRoleAssignment',
} as const;

/** CDKTF's logical id of a resource at `path` (construct ids below the stack). */
export function cdktfLogicalId(path: readonly string[]): string {
  const components = path.filter((c) => c !== 'Default');
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '');
  if (components.length === 1) return clean(components[0]!);
  const hash = createHash('md5').update(components.join('/')).digest('hex').slice(0, 8).toUpperCase();
  const human: string[] = [];
  for (const c of components) if (human.length === 0 || !human[human.length - 1]!.endsWith(c)) human.push(c);
  return `${human
    .filter((c) => c !== 'Resource')
    .map(clean)
    .join('_')
    .slice(0, 240)}_${hash}`;
}

/** HCL string literal: JSON's escapes are HCL's for these ids, and `${` / `%{` must not start a template. */
function hclString(text: string): string {
  return JSON.stringify(text).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
}

/**
 * Terraform `import` blocks for the stack that holds `RollbarProvisioning` at `constructPath` (the construct ids
 * from the stack down; the repository's stack: `['Rollbar']`).
 */
export function terraformImportBlocks(imports: ExportImports, constructPath: readonly string[]): string {
  const at = (id: string): string => cdktfLogicalId([...constructPath, id]);
  const block = (to: string, id: string): string => `import {\n  to = ${to}\n  id = ${hclString(id)}\n}\n`;
  const blocks = [block(`${TF.job}.${at(constructIds.job)}`, imports.job)];
  for (const [value, id] of Object.entries(imports.roles)) {
    blocks.push(block(`${TF.role}.${at(constructIds.role(value))}`, id));
  }
  for (const [key, id] of Object.entries(imports.assignments)) {
    blocks.push(block(`${TF.assignment}.${at(constructIds.assignments)}[${hclString(key)}]`, id));
  }
  return blocks.join('\n');
}

/** One resource of a `pulumi import --file` file. */
export interface PulumiImportResource {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly parent: string;
}

/**
 * The file `pulumi import --file` reads: the component's children by their names (pulumiNames), each with its id
 * and the component as parent. `componentUrn` is the component's URN (`pulumi stack --show-urns` prints it after
 * a first `pulumi up`, or it is `urn:pulumi:<stack>::<project>::rollbar-provisioning:index:RollbarProvisioning::<name>`).
 */
export function pulumiImportFile(
  imports: ExportImports,
  component: string,
  componentUrn: string,
): { nameTable: Record<string, string>; resources: PulumiImportResource[] } {
  const names = pulumiNames(component);
  const parent = component;
  const resources: PulumiImportResource[] = [
    { type: PULUMI_IMPORT_TYPES.job, name: names.job, id: imports.job, parent },
    ...Object.entries(imports.roles).map(([value, id]) => ({
      type: PULUMI_IMPORT_TYPES.role,
      name: names.role(value),
      id,
      parent,
    })),
    ...Object.entries(imports.assignments).map(([key, id]) => ({
      type: PULUMI_IMPORT_TYPES.assignment,
      name: names.assignment(key),
      id,
      parent,
    })),
  ];
  return { nameTable: { [parent]: componentUrn }, resources };
}
