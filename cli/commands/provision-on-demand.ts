import {
  formatOnDemand,
  MAX_ON_DEMAND_MEMBERS,
  onDemandVerdict,
  ON_DEMAND_TIMEOUT_MS,
  provisionOnDemand,
  type OnDemandSubject,
} from '../../constructs/graph';
import { flag, parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { UsageError } from '../../constructs/core/problems';
import { parseDuration } from '../duration';
import { GRAPH_ENV_HELP } from '../graph-command';
import { WRITE_SYNC } from '../permissions';

/** `provision-on-demand`: one user, or a group with up to five members, provisioned now, step by step. */
export const provisionOnDemandCommand: Command = {
  name: 'provision-on-demand',
  summary: 'provision one user (or a group and up to 5 members) now, and show each step',
  permissions: WRITE_SYNC,
  help: `Usage: rollbar-provisioning provision-on-demand --service-principal-id ID (--user OID | --group OID [--member OID]...)
         [--job-id ID] [--rule-id ID] [--tenant-id ID] [--timeout 2m] [--json]

The portal's "Provision on demand": provisions one user (or one group and up to ${MAX_ON_DEMAND_MEMBERS} of its members) in Rollbar
now, instead of at the next cycle, and prints each step Graph reports (import, scoping, matching, export) with
its status and Graph's description. The synchronization rule is read from the job's schema. A user who is not
in scope is reported with what excluded them (not assigned, not active, a scoping filter).
Graph allows 5 requests per 10 seconds: a throttled request is retried after Graph's Retry-After (the wait is
printed). Graph gives no step detail for groups: their result is Graph's word alone.

Exit code: 0 when the user was provisioned or was already in sync (Graph's RedundantExport skip); 1 when it
was skipped (not in scope) or failed; 2 for a usage error.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --user OID                 the user's object id
  --group OID                a group's object id (instead of --user)
  --member OID               with --group: a member to provision with it (repeat, at most ${MAX_ON_DEMAND_MEMBERS})
  --job-id ID                the job (default: the service principal's only job)
  --rule-id ID               the synchronization rule (default: the schema's rule for users or groups)
  --tenant-id ID             refuse to act with a Graph token of another tenant
  --timeout DURATION         how long to wait for Graph's answer (default ${ON_DEMAND_TIMEOUT_MS / 60_000}m; Graph says usually
                             under 30 s); not resent after a timeout, since Graph may still be provisioning
  --json                     print the parsed result as JSON: outcome, ok, result, errorCode, errorMessage,
                             steps [{name, type, status, description, details}], scopeReasons, action,
                             reportableIdentifier, statusInfo, sourceIdentity, targetIdentity, modifiedProperties

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: ['service-principal-id', 'user', 'group', 'job-id', 'rule-id', 'tenant-id', 'timeout'],
      repeated: ['member'],
      booleans: ['json'],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const user = flag(parsed, 'user');
    const group = flag(parsed, 'group');
    const members = parsed.lists.get('member') ?? [];
    if ((user === undefined) === (group === undefined)) throw new UsageError('give one of --user or --group');
    if (user !== undefined && members.length > 0) throw new UsageError('--member goes with --group, not --user');
    const subject: OnDemandSubject = user !== undefined ? { user } : { group: group!, members };
    const timeout = flag(parsed, 'timeout');
    const jobId = flag(parsed, 'job-id');
    const ruleId = flag(parsed, 'rule-id');
    const result = await provisionOnDemand(ctx.graph(flag(parsed, 'tenant-id')), {
      servicePrincipalId,
      subject,
      ...(jobId !== undefined && { jobId }),
      ...(ruleId !== undefined && { ruleId }),
      ...(timeout !== undefined && { timeoutMs: parseDuration(timeout, 'timeout') }),
    });
    ctx.out(parsed.flags.has('json') ? `${JSON.stringify(result, null, 2)}\n` : formatOnDemand(result));
    if (!result.ok) ctx.err(`rollbar-provisioning provision-on-demand: ${onDemandVerdict(result)}`);
    return result.ok ? EXIT.ok : EXIT.failure;
  },
};
