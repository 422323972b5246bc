import * as nodePath from 'node:path';
import {
  activeCertificateExpiry,
  getJobStatus,
  GraphError,
  jobProblems,
  readSingleSignOn,
  planMappings,
  testSavedCredentials,
  waitForSteadyState,
  type ExecutionSummary,
  type GraphClient,
  type JobStatus,
} from '../../constructs/graph';
import { flag, parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { UsageError } from '../../constructs/core/problems';
import { parseDuration } from '../duration';
import { GRAPH_ENV_HELP } from '../graph-command';
import { READ_SYNC } from '../permissions';
import { graphText, oneLine } from '../output';

/** Mapping drift, as `status --config` reports it. */
interface MappingsDrift {
  readonly managed: boolean;
  readonly inSync?: boolean;
  readonly warnings?: readonly string[];
}

/** SAML single sign-on, as `status` reports it: the active certificate and its expiry. */
interface SsoStatus {
  readonly mode: string;
  readonly activeThumbprint?: string;
  readonly expires?: string;
  readonly daysLeft?: number;
  /** Inside 60 days of expiry (or expired): what to do. */
  readonly warning?: string;
  /** Why the service principal could not be read (a permission, say); the rest is then absent. */
  readonly notRead?: string;
}

/**
 * The service principal's SAML settings, when it has any. Reading them needs Application.Read.All, which a
 * read-only provisioning identity may not have: that is said, not failed, since the job's status stands alone.
 */
async function ssoStatus(client: GraphClient, servicePrincipalId: string): Promise<SsoStatus | undefined> {
  try {
    const live = await readSingleSignOn(client, servicePrincipalId);
    if (live.mode !== 'saml' && live.activeThumbprint === '') return undefined;
    const active = live.certificates.find((c) => c.active);
    const expiry = activeCertificateExpiry(live, new Date());
    return {
      mode: live.mode,
      ...(active !== undefined && { activeThumbprint: active.thumbprint, expires: active.endDateTime }),
      ...(expiry !== undefined && { daysLeft: expiry.daysLeft }),
      ...(expiry?.warn === true && { warning: expiry.message }),
    };
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    if (e.status === 404) return undefined;
    const why = e.status === 401 || e.status === 403 ? 'it needs Application.Read.All' : e.message;
    return { mode: 'unknown', notRead: `not read: ${why}` };
  }
}

/** `status`: the job's state, last cycle, quarantine, counts, (with --config) mapping drift; waits with --wait. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'show the provisioning job: state, last cycle, quarantine, counts, mapping drift; --wait for steady state',
  permissions: {
    ...READ_SYNC,
    extra: {
      option: '--test-connection',
      graph: ['Synchronization.ReadWrite.All'],
      why: "Graph's validateCredentials is a write action",
    },
  },
  help: `Usage: rollbar-provisioning status --service-principal-id ID [--job-id ID] [--tenant-id ID] [--config FILE]
         [--wait [--timeout 30m] [--poll 30s]] [--no-exit-code] [--test-connection] [--json]

Reads the provisioning job from Microsoft Graph and prints a summary: schedule state and status code, the last
cycle (result, times, counts), the last successful cycle, quarantine (reason, since, next attempt), the
synchronized object counts, and, with --config, whether the live attribute mappings match the configuration.
When the app has SAML single sign-on, the active signing certificate and its expiry, with a warning (on stderr
too) inside 60 days of it and the four-step rotation (README); reading it needs Application.Read.All, and
without it status says so and goes on. Read-only, except --test-connection.

Exit code: 1 when the job is quarantined or its last cycle failed (so a pipeline notices), unless
--no-exit-code; with --wait, 0 once the job reached steady state, 1 on quarantine, a failed cycle, a job that
is not running, or the timeout; with --test-connection, 1 when the saved credentials fail.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --job-id ID                the job (default: the service principal's only job)
  --tenant-id ID             refuse to read with a Graph token of another tenant
  --config FILE              also compare the live mappings with FILE's mappings (read-only)
  --wait                     wait for the initial cycle to finish (steady state), printing its progress
  --timeout DURATION         with --wait: give up after DURATION (default 30m; 30s, 2h, 1d…)
  --poll DURATION            with --wait: time between reads of the job (default 30s)
  --no-exit-code             exit 0 whatever the job's health (a read that worked)
  --test-connection          also run Test Connection with the saved credentials (calls Rollbar; needs write
                             permission, see below)
  --json                     print the status as JSON: jobId, templateId, state, interval, statusCode,
                             lastExecution, lastSuccessfulExecution, quarantine, synchronizedEntryCountByType,
                             steadyStateFirstAchievedTime, steadyStateLastAchievedTime, progress, mappings,
                             testConnection, sso, problems, wait

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: ['service-principal-id', 'job-id', 'tenant-id', 'config', 'timeout', 'poll'],
      booleans: ['json', 'wait', 'no-exit-code', 'test-connection'],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const wait = parsed.flags.has('wait');
    const timeoutText = flag(parsed, 'timeout');
    const pollText = flag(parsed, 'poll');
    if (!wait && (timeoutText !== undefined || pollText !== undefined)) {
      throw new UsageError(`--${timeoutText !== undefined ? 'timeout' : 'poll'} goes with --wait`);
    }
    const timeoutMs = parseDuration(timeoutText ?? '30m', 'timeout');
    const pollMs = parseDuration(pollText ?? '30s', 'poll');
    const jobId = flag(parsed, 'job-id');
    const configFile = flag(parsed, 'config');
    const config =
      configFile !== undefined
        ? (await import('../../constructs/config')).loadConfig(nodePath.resolve(ctx.io.cwd, configFile))
        : undefined;
    const client = ctx.graph(flag(parsed, 'tenant-id'));
    let status: JobStatus;
    let waited: { outcome: string; problems: string[] } | undefined;
    if (wait) {
      const w = await waitForSteadyState(client, {
        servicePrincipalId,
        ...(jobId !== undefined && { jobId }),
        timeoutMs,
        pollMs,
        onProgress: (line) => ctx.progress(line),
      });
      status = w.status;
      waited = {
        outcome: w.outcome,
        problems: w.outcome === 'timeout' ? [`no steady state within ${timeoutText ?? '30m'}`] : w.problems,
      };
    } else {
      status = await getJobStatus(client, { servicePrincipalId, ...(jobId !== undefined && { jobId }) });
    }
    let mappings: MappingsDrift | undefined;
    if (config !== undefined) {
      if (config.mappings === undefined) {
        mappings = { managed: false };
      } else {
        const plan = await planMappings(client, { servicePrincipalId, jobId: status.jobId, mappings: config.mappings });
        mappings = { managed: true, inSync: plan.inSync, warnings: plan.warnings };
      }
    }
    const testConnection = parsed.flags.has('test-connection')
      ? await testSavedCredentials(client, { servicePrincipalId, jobId: status.jobId })
      : undefined;
    const sso = await ssoStatus(client, servicePrincipalId);
    // A certificate about to expire is a warning, not a failure of the job: it goes to stderr, the exit code stays.
    if (sso?.warning !== undefined) ctx.progress(`warning: ${sso.warning}`);
    const problems = waited ? waited.problems : jobProblems(status);
    if (testConnection && !testConnection.ok) problems.push('Test Connection with the saved credentials failed');
    if (parsed.flags.has('json')) {
      ctx.out(
        `${JSON.stringify(
          {
            ...status,
            ...(mappings && { mappings }),
            ...(testConnection && { testConnection }),
            ...(waited && { wait: waited.outcome }),
            ...(sso && { sso }),
            problems,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      ctx.out(formatStatus(status, mappings, testConnection, waited?.outcome, sso));
    }
    if (problems.length === 0) return EXIT.ok;
    const summary = `${problems.join('; ')}`;
    if (parsed.flags.has('no-exit-code')) {
      ctx.progress(`${summary} (--no-exit-code: exit 0)`);
      return EXIT.ok;
    }
    ctx.err(`rollbar-provisioning status: ${summary}.`);
    return EXIT.failure;
  },
};

/**
 * The human summary. Every value comes from Graph: each is shown on one line with its control characters escaped,
 * and Graph's messages are cut (`--json` has them whole).
 */
export function formatStatus(
  s: JobStatus,
  mappings?: MappingsDrift,
  testConnection?: { readonly ok: boolean; readonly code?: string; readonly message?: string },
  waited?: string,
  sso?: SsoStatus,
): string {
  const lines: [string, string][] = [];
  lines.push(['Job', `${s.jobId}${s.templateId ? ` (template ${s.templateId})` : ''}`]);
  lines.push([
    'State',
    `${s.state} (status ${s.statusCode})${s.interval && s.state === 'Active' ? `, every ${duration(s.interval)}` : ''}`,
  ]);
  lines.push(['Last cycle', s.lastExecution ? cycle(s.lastExecution) : 'none yet']);
  if (s.lastExecution?.error?.message)
    lines.push([
      'Last error',
      `${s.lastExecution.error.code ?? ''} ${graphText(s.lastExecution.error.message)}`.trim(),
    ]);
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
    if (q.error?.message) lines.push(['Quarantine error', graphText(q.error.message)]);
    lines.push(['Fix', quarantineFix(q.reason)]);
  } else {
    lines.push(['Quarantine', 'no']);
  }
  const counts = Object.entries(s.synchronizedEntryCountByType);
  lines.push(['Synchronized', counts.length > 0 ? counts.map(([k, v]) => `${k} ${v}`).join(', ') : 'nothing yet']);
  if (s.steadyStateLastAchievedTime) lines.push(['Steady state', `last reached ${s.steadyStateLastAchievedTime}`]);
  else if (s.progress?.length) {
    const p = s.progress[s.progress.length - 1]!;
    lines.push([
      'Progress',
      `${p.completedUnits} of ${p.totalUnits}${p.units ? ` ${p.units}` : ''} (initial cycle, no steady state yet)`,
    ]);
  }
  if (waited) lines.push(['Wait', WAIT_OUTCOMES[waited] ?? waited]);
  if (testConnection) {
    lines.push([
      'Test Connection',
      testConnection.ok
        ? 'passed (Rollbar accepts the saved token)'
        : `FAILED: ${[testConnection.code, testConnection.message && graphText(testConnection.message)].filter(Boolean).join(' ')}`,
    ]);
  }
  if (mappings) {
    lines.push([
      'Mappings',
      !mappings.managed
        ? 'not managed (the configuration has no mappings)'
        : mappings.inSync
          ? 'in sync with the configuration'
          : 'OUT OF SYNC with the configuration (a deploy corrects it)',
    ]);
    for (const w of mappings.warnings ?? []) lines.push(['Warning', graphText(w)]);
  }
  if (sso) {
    lines.push([
      'SAML certificate',
      sso.notRead ??
        (sso.activeThumbprint === undefined
          ? `none active (single sign-on mode ${sso.mode})`
          : `${sso.activeThumbprint}, expires ${sso.expires ?? 'unknown'}${sso.daysLeft !== undefined ? ` (in ${sso.daysLeft} days)` : ''}`),
    ]);
    if (sso.warning !== undefined) lines.push(['Warning', sso.warning]);
  }
  const width = Math.max(...lines.map(([k]) => k.length)) + 2;
  return `${lines.map(([k, v]) => `${`${k}:`.padEnd(width)}${oneLine(v)}`).join('\n')}\n`;
}

const WAIT_OUTCOMES: Readonly<Record<string, string>> = {
  steady: 'steady state reached (the initial cycle is done)',
  quarantined: 'stopped: the job went into quarantine',
  failed: 'stopped: the last cycle failed',
  stopped: 'nothing to wait for: the job is not running',
  timeout: 'gave up: no steady state before the timeout',
};

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
      return "review the pending deletions ('rollbar-provisioning logs'), then allow them with 'rollbar-provisioning restart --scope force-deletes' or raise accidentalDeletionThreshold";
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
