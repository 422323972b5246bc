import { listProvisioningLogs, type ProvisioningLogEntry } from '../../constructs/graph';
import { flag, parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { UsageError } from '../../constructs/core/problems';
import { parseSince } from '../duration';
import { GRAPH_ENV_HELP } from '../graph-command';
import { READ_LOGS } from '../permissions';

const DEFAULT_SINCE = '1d';

/** `logs`: the Rollbar app's provisioning logs, newest first, one line each. */
export const logsCommand: Command = {
  name: 'logs',
  summary: 'show the provisioning logs: newest first, one line per event, failures and reasons',
  permissions: READ_LOGS,
  help: `Usage: rollbar-provisioning logs --service-principal-id ID [--since 1h|2d|ISO] [--failed] [--user UPN|OID]
         [--job-id ID] [--max N] [--tenant-id ID] [--json]

The app's provisioning logs (Enterprise applications, Rollbar, Provisioning logs), read from Microsoft Graph's
GET /auditLogs/provisioning, filtered by Graph and paged through, newest first, one line each:
  time  action  source identity -> target identity  status  error code: reason
Read-only. Graph keeps provisioning logs for 30 days.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --since WHEN               only events after WHEN: a duration back from now (30m, 1h, 2d) or an ISO date-time
                             (default ${DEFAULT_SINCE})
  --failed                   only failures
  --user UPN|OID             only events about this user (a user principal name is looked up in Entra ID)
  --job-id ID                only events of this job (default: every job of the service principal)
  --max N                    show at most the N newest events (default 200)
  --tenant-id ID             refuse to read with a Graph token of another tenant
  --json                     print {"entries":[…],"truncated":…}; each entry: id, activityDateTime, action, status,
                             errorCode, reason, recommendedAction, source, target, jobId, cycleId, changeId

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: ['service-principal-id', 'since', 'user', 'job-id', 'max', 'tenant-id'],
      booleans: ['failed', 'json'],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const maxText = flag(parsed, 'max');
    const max = maxText === undefined ? 200 : Number(maxText);
    if (!Number.isInteger(max) || max < 1)
      throw new UsageError(`--max must be a positive whole number, got '${maxText}'`);
    const since = parseSince(flag(parsed, 'since') ?? DEFAULT_SINCE);
    const user = flag(parsed, 'user');
    const jobId = flag(parsed, 'job-id');
    const logs = await listProvisioningLogs(ctx.graph(flag(parsed, 'tenant-id')), {
      servicePrincipalId,
      since,
      max,
      failedOnly: parsed.flags.has('failed'),
      ...(user !== undefined && { user }),
      ...(jobId !== undefined && { jobId }),
    });
    if (parsed.flags.has('json')) {
      ctx.out(`${JSON.stringify({ entries: logs.entries, truncated: logs.truncated }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (logs.entries.length === 0) {
      ctx.out(`No ${parsed.flags.has('failed') ? 'failed ' : ''}provisioning events since ${since.toISOString()}.\n`);
      return EXIT.ok;
    }
    ctx.out(`${logs.entries.map(formatLogEntry).join('\n')}\n`);
    if (logs.truncated)
      ctx.progress(`showing the ${logs.entries.length} newest events; more match (raise --max or narrow --since)`);
    return EXIT.ok;
  },
};

/** One line: time, action, source → target identity, status, error code and reason. */
export function formatLogEntry(e: ProvisioningLogEntry): string {
  const who = (i: ProvisioningLogEntry['source']): string =>
    i.displayName && i.id ? `${i.displayName} (${i.id})` : (i.displayName ?? i.id ?? '?');
  const error = [e.errorCode, e.reason].filter(Boolean).join(': ');
  return [
    e.activityDateTime,
    e.action,
    `${who(e.source)} → ${who(e.target)}`,
    e.status,
    ...(error ? [error] : []),
  ].join('  ');
}
