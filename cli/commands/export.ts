import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import type { ExportResult } from '../../constructs/core';
import { pulumiImportFile, terraformImportBlocks } from '../../constructs/core/imports';
import { exportPortalApp } from '../../constructs/graph';
import { flag, parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { UsageError } from '../../constructs/core/problems';
import { GRAPH_ENV_HELP } from '../graph-command';
import { oneLine } from '../output';

/** Exit code when the file was written but the portal has configuration the model cannot express. */
export const EXPORT_NOT_EXPRESSED_EXIT = 3;

const READ_APP = {
  graph: ['Application.Read.All', 'Synchronization.Read.All'],
  roles: ['Cloud Application Administrator', 'Application Administrator'],
} as const;

/** `export`: an app set up in the portal, as a rollbar.yaml that adopts it, and its imports. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'write rollbar.yaml for a Rollbar app set up in the portal (adopting it changes nothing); imports',
  permissions: READ_APP,
  help: `Usage: rollbar-provisioning export --service-principal-id ID [--out FILE] [--imports terraform|pulumi]
         [--imports-out FILE] [--job-id ID] [--tenant-id ID] [--construct-path Rollbar] [--pulumi-name rollbar]
         [--pulumi-urn URN]

Reads a Rollbar enterprise application from Microsoft Graph (its roles, assignments, provisioning job, schema and
the settings saved with the token) and writes a configuration that adopts it (existingServicePrincipalObjectId):
roles with their ids, assignments, notification, deletion threshold, scope, provisioning state, and mappings as a
patch against Microsoft's current Rollbar template. Read-only: nothing in the tenant changes.

Never written: the token, and any value Graph returns masked ('*'), which is unknown and reported. Default Access
assignments are listed in a commented section and left out (this project does not assign Default Access; they
keep working). Assignments of service principals are skipped. Keys are made from display names and never follow
later renames.

Exit code: 0 when the file carries everything; ${EXPORT_NOT_EXPRESSED_EXIT} when the portal has configuration the model
cannot express (listed on stderr and in the file's section "NOT EXPRESSED IN THIS FILE"; the file is written);
1 on failure (nothing written); 2 on a usage error.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --out FILE                 where to write the configuration (default: rollbar.yaml; '-' for stdout). An
                             existing file is replaced whole, never half-written
  --imports terraform        also write Terraform import blocks for the job, roles and assignments (Terraform
                             1.5 or later), for the stack's directory (cdktf.out/stacks/rollbar)
  --imports pulumi           also write a file for 'pulumi import --file' (the component's children)
  --imports-out FILE         where to write the imports (default: imports.tf, or pulumi-import.json; '-': stdout)
  --construct-path PATH      Terraform: the construct ids from the stack to RollbarProvisioning, '/'-separated
                             (default: Rollbar, the repository's stack)
  --pulumi-name NAME         Pulumi: the component's name (default: rollbar, the repository's program)
  --pulumi-urn URN           Pulumi: the component's URN (default: built from Pulumi.yaml's project, PULUMI_STACK
                             or 'dev', and the name)
  --job-id ID                the job (default: the service principal's only job)
  --tenant-id ID             refuse to read with a Graph token of another tenant

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: [
        'service-principal-id',
        'out',
        'imports',
        'imports-out',
        'job-id',
        'tenant-id',
        'construct-path',
        'pulumi-name',
        'pulumi-urn',
      ],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const imports = flag(parsed, 'imports');
    if (imports !== undefined && imports !== 'terraform' && imports !== 'pulumi') {
      throw new UsageError(`--imports must be terraform or pulumi, got '${oneLine(imports)}'`);
    }
    const jobId = flag(parsed, 'job-id');
    // Loaded on use: yaml is not needed by the graph steps, which run in every deploy.
    const { renderExportedConfig } = await import('../../constructs/config/write');
    ctx.progress('Reading the app from Microsoft Graph…');
    const result = await exportPortalApp(ctx.graph(flag(parsed, 'tenant-id')), {
      servicePrincipalId,
      ...(jobId !== undefined && { jobId }),
    });
    const text = renderExportedConfig(result);
    const writes: [string, string][] = [[flag(parsed, 'out') ?? 'rollbar.yaml', text]];
    if (imports === 'terraform') {
      const path = (flag(parsed, 'construct-path') ?? 'Rollbar').split('/').filter((p) => p !== '');
      writes.push([flag(parsed, 'imports-out') ?? 'imports.tf', terraformImportBlocks(result.imports, path)]);
    } else if (imports === 'pulumi') {
      const name = flag(parsed, 'pulumi-name') ?? 'rollbar';
      const urn = flag(parsed, 'pulumi-urn') ?? defaultUrn(ctx.env, ctx.io.cwd, name);
      const file = pulumiImportFile(result.imports, name, urn);
      writes.push([flag(parsed, 'imports-out') ?? 'pulumi-import.json', `${JSON.stringify(file, null, 2)}\n`]);
    }
    for (const [target, content] of writes) {
      if (target === '-') ctx.out(content);
      else {
        writeWhole(nodePath.resolve(ctx.io.cwd, target), content);
        ctx.progress(`Wrote ${target}.`);
      }
    }
    report(result, ctx.err);
    return result.differences.length > 0 ? EXPORT_NOT_EXPRESSED_EXIT : EXIT.ok;
  },
};

/** Writes beside the target, then renames: a reader never sees half a file. */
function writeWhole(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, content, { encoding: 'utf8', flag: 'wx' });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}

function report(result: ExportResult, err: (line: string) => void): void {
  for (const n of result.notes) err(`note: ${n.kind} ${oneLine(n.path)}: ${oneLine(n.message)}`);
  for (const d of result.differences) {
    err(
      `not expressed: ${d.kind} ${oneLine(d.path)}: ${oneLine(d.message)}${d.job ? ` (job: ${oneLine(d.job)})` : ''}`,
    );
  }
  if (result.differences.length > 0) {
    err(
      `${result.differences.length} piece(s) of portal configuration cannot be expressed: see "NOT EXPRESSED IN THIS FILE" in the file.`,
    );
  }
}

function defaultUrn(env: NodeJS.ProcessEnv, cwd: string, name: string): string {
  const stack = env.PULUMI_STACK?.trim() || 'dev';
  let project = 'rollbar-provisioning';
  try {
    const text = readFileSync(nodePath.join(cwd, 'Pulumi.yaml'), 'utf8');
    project = /^name:\s*(\S+)\s*$/m.exec(text)?.[1] ?? project;
  } catch {
    // No Pulumi.yaml here: the repository's project name.
  }
  return `urn:pulumi:${stack}::${project}::rollbar-provisioning:index:RollbarProvisioning::${name}`;
}
