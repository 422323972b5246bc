import { parseRestartScopes, RESTART_SCOPES, restartJob } from '../../constructs/graph';
import { RollbarProvisioningError } from '../../constructs/core';
import { problem, UsageError } from '../../constructs/core/problems';
import { flag, parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { confirm } from '../confirm';
import { GRAPH_ENV_HELP } from '../graph-command';
import { WRITE_SYNC } from '../permissions';

const width = Math.max(...RESTART_SCOPES.map((s) => s.name.length)) + 2;

/** `restart`: Graph's restart of the job with a documented reset scope; destructive scopes ask first. */
export const restartCommand: Command = {
  name: 'restart',
  summary: 'restart the job with a reset scope (quarantine, full, force-deletes…); asks before destructive ones',
  permissions: WRITE_SYNC,
  help: `Usage: rollbar-provisioning restart --service-principal-id ID [--scope quarantine|full|force-deletes|...] [--yes]
         [--job-id ID] [--tenant-id ID]

Restarts the provisioning job with Graph's restart action and the reset scope named (Microsoft Graph
synchronizationJobRestartCriteria). Scopes (comma-separated for several, default quarantine):
${RESTART_SCOPES.map((s) => `  ${s.name.padEnd(width)}${s.graph}: ${s.doc}${s.destructive ? ' (asks first)' : ''}`).join('\n')}
Graph's None and ConnectorDataStore are not offered: Graph's reference says not to use them.

A TooManyDeletes quarantine (more deletions than accidentalDeletionThreshold) is released with
--scope force-deletes after the pending deletions were reviewed ('rollbar-provisioning logs'); the deploy
never does it on its own. Scopes marked "asks first" ask for confirmation at a terminal; without a terminal
(a pipeline) they refuse unless --yes is given.

Options:
  --service-principal-id ID  required. The Rollbar service principal (object id or /servicePrincipals/{id})
  --scope SCOPE              the reset scope (default quarantine)
  --yes                      do not ask (for scripts)
  --job-id ID                the job (default: the service principal's only job)
  --tenant-id ID             refuse to act with a Graph token of another tenant

${GRAPH_ENV_HELP}
`,
  async run(args, ctx) {
    const parsed = parseArgs(args, {
      valued: ['service-principal-id', 'scope', 'job-id', 'tenant-id'],
      booleans: ['yes'],
      maxPositional: 0,
    });
    const servicePrincipalId = flag(parsed, 'service-principal-id');
    if (servicePrincipalId === undefined) throw new UsageError('--service-principal-id is required');
    const scopes = parseRestartScopes(flag(parsed, 'scope') ?? 'quarantine');
    const destructive = scopes.filter((s) => s.destructive);
    if (destructive.length > 0 && !parsed.flags.has('yes')) {
      const what = destructive.map((s) => `${s.name} (${s.doc})`).join('; ');
      const answer = await confirm(ctx, `Restart with ${what}?`);
      if (answer !== true) {
        throw new RollbarProvisioningError([
          problem(
            'CONFIRMATION_REQUIRED',
            '--scope',
            answer === undefined ? 'be confirmed, and there is no terminal to ask' : 'be confirmed',
            destructive.map((s) => s.name).join(','),
            answer === undefined
              ? 'Nothing was restarted. Pass --yes to confirm in a script.'
              : 'Nothing was restarted.',
          ),
        ]);
      }
    }
    const jobId = flag(parsed, 'job-id');
    const r = await restartJob(ctx.graph(flag(parsed, 'tenant-id')), {
      servicePrincipalId,
      scopes,
      ...(jobId !== undefined && { jobId }),
    });
    ctx.out(
      `Restarted job ${r.jobId} (resetScope ${r.resetScope}); it was ${r.before.statusCode}${r.before.quarantineReason ? ` (${r.before.quarantineReason})` : ''}.\n`,
    );
    if (
      r.before.quarantineReason === 'TooManyDeletes' &&
      !scopes.some((s) => s.graph === 'ForceDeletes' || s.graph === 'Full')
    ) {
      ctx.progress(
        'the job was quarantined for TooManyDeletes: the pending deletions are still held back and the threshold applies again; review them, then restart --scope force-deletes to allow them',
      );
    }
    ctx.progress("follow the cycle with 'rollbar-provisioning status --wait'");
    return EXIT.ok;
  },
};
