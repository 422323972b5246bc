import * as nodePath from 'node:path';
import { getJobStatus, planMappings, type ExecutionSummary, type JobStatus } from '../../constructs/graph';
import { flag, parseArgs } from '../args';
import { EXIT, UsageError, type Command } from '../command';
import { GRAPH_ENV_HELP } from '../graph-command';

/** Mapping drift, as `status --config` reports it. */
interface MappingsDrift {
  readonly managed: boolean;
  readonly inSync?: boolean;
  readonly warnings?: readonly string[];
}

/** `status`: the job's state, last cycle, quarantine, counts and (with --config) mapping drift. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'show the provisioning job: state, last cycle, quarantine, counts, mapping drift',
  help: `Usage: rollbar-provisioning status --service-principal-id ID [--job-id ID] [--tenant-id ID] [--config FILE] [--json]

Reads the provisioning job from Microsoft Graph and prints a summary: schedule state and status code, the last
cycle (result, times, counts), the last successful cycle, quarantine (reason, since, next attempt), the
synchronized object counts, and, with --config, whether the live attribute mappings match the configuration.
Read-only.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --job-id ID                the job (default: the service principal's only job)
  --tenant-id ID             refuse to read with a Graph token of another tenant
  --config FILE              also compare the live mappings with FILE's mappings (read-only)
  --json                     print the status as JSON: jobId, templateId, state, interval, statusCode,
                             lastExecution, lastSuccessfulExecution, quarantine, synchronizedEntryCountByType,
                             steadyStateFirstAchievedTime, steadyStateLastAchievedTime, mappings

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: ['service-principal-id', 'job-id', 'tenant-id', 'config'],
      booleans: ['json'],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const jobId = flag(parsed, 'job-id');
    const configFile = flag(parsed, 'config');
    const config =
      configFile !== undefined
        ? (await import('../../constructs/config')).loadConfig(nodePath.resolve(ctx.io.cwd, configFile))
        : undefined;
    const client = ctx.graph(flag(parsed, 'tenant-id'));
    const status = await getJobStatus(client, { servicePrincipalId, ...(jobId !== undefined && { jobId }) });
    let mappings: MappingsDrift | undefined;
    if (config !== undefined) {
      if (config.mappings === undefined) {
        mappings = { managed: false };
      } else {
        const plan = await planMappings(client, { servicePrincipalId, jobId: status.jobId, mappings: config.mappings });
        mappings = { managed: true, inSync: plan.inSync, warnings: plan.warnings };
      }
    }
    if (parsed.flags.has('json')) {
      ctx.out(`${JSON.stringify({ ...status, ...(mappings && { mappings }) }, null, 2)}\n`);
    } else {
      ctx.out(formatStatus(status, mappings));
    }
    return EXIT.ok;
  },
};

/** The human summary. */
export function formatStatus(s: JobStatus, mappings?: MappingsDrift): string {
  const lines: [string, string][] = [];
  lines.push(['Job', `${s.jobId}${s.templateId ? ` (template ${s.templateId})` : ''}`]);
  lines.push([
    'State',
    `${s.state} (status ${s.statusCode})${s.interval && s.state === 'Active' ? `, every ${duration(s.interval)}` : ''}`,
  ]);
  lines.push(['Last cycle', s.lastExecution ? cycle(s.lastExecution) : 'none yet']);
  if (s.lastExecution?.error?.message)
    lines.push(['Last error', `${s.lastExecution.error.code ?? ''} ${s.lastExecution.error.message}`.trim()]);
  lines.push([
    'Last success',
    s.lastSuccessfulExecution
      ? (s.lastSuccessfulExecution.timeEnded ?? s.lastSuccessfulExecution.timeBegan ?? 'yes')
      : 'none yet',
  ]);
  if (s.quarantine) {
    const q = s.quarantine;
    const parts = [q.reason ?? 'quarantined'];
    if (q.currentBegan) parts.push(`since ${q.currentBegan}`);
    if (q.nextAttempt) parts.push(`next attempt ${q.nextAttempt}`);
    if (q.seriesCount !== undefined) parts.push(`${q.seriesCount} re-evaluation${q.seriesCount === 1 ? '' : 's'}`);
    lines.push(['Quarantine', parts.join(', ')]);
    if (q.error?.message) lines.push(['Quarantine error', q.error.message]);
    lines.push(['Fix', quarantineFix(q.reason)]);
  } else {
    lines.push(['Quarantine', 'no']);
  }
  const counts = Object.entries(s.synchronizedEntryCountByType);
  lines.push(['Synchronized', counts.length > 0 ? counts.map(([k, v]) => `${k} ${v}`).join(', ') : 'nothing yet']);
  if (s.steadyStateLastAchievedTime) lines.push(['Steady state', `last reached ${s.steadyStateLastAchievedTime}`]);
  if (mappings) {
    lines.push([
      'Mappings',
      !mappings.managed
        ? 'not managed (the configuration has no mappings)'
        : mappings.inSync
          ? 'in sync with the configuration'
          : 'OUT OF SYNC with the configuration (a deploy corrects it)',
    ]);
    for (const w of mappings.warnings ?? []) lines.push(['Warning', w]);
  }
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  return `${lines.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n')}\n`;
}

function cycle(e: ExecutionSummary): string {
  const when = e.timeBegan ? `${e.timeBegan}${e.timeEnded ? ` to ${e.timeEnded}` : ' (running)'}` : '';
  const counts = [
    e.countEntitled !== undefined ? `${e.countEntitled} in scope` : undefined,
    e.countImported !== undefined ? `${e.countImported} read` : undefined,
    e.countExported !== undefined ? `${e.countExported} written to Rollbar` : undefined,
    e.countEscrowed !== undefined ? `${e.countEscrowed} failed` : undefined,
  ].filter((c): c is string => c !== undefined);
  return [e.state ?? 'unknown', when, counts.join(', ')].filter((p) => p !== '').join('; ');
}

function quarantineFix(reason: string | undefined): string {
  switch (reason) {
    case 'EncounteredQuarantineException':
      return 'check the Rollbar token (rotate it, deploy again: the deploy tests and saves it, then restarts the job)';
    case 'TooManyDeletes':
      return 'review the pending deletions, then allow them in the portal or raise accidentalDeletionThreshold';
    default:
      return 'see the provisioning logs in the Entra admin center, fix the cause, then deploy again (it restarts the job)';
  }
}

function duration(iso: string): string {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(iso);
  if (!m) return iso;
  const h = Number(m[1] ?? 0);
  const min = Number(m[2] ?? 0);
  return [h > 0 ? `${h} h` : '', min > 0 ? `${min} min` : ''].filter((p) => p !== '').join(' ') || iso;
}
