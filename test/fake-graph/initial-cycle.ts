/**
 * The fake's initial provisioning cycle: a scripted timeline that moves on each read of the job, so that
 * `status --wait` sees progress, then steady state, a quarantine or a failed cycle.
 *
 * From microsoftgraph/microsoft-graph-docs-contrib: api-reference/v1.0/resources/synchronization-synchronizationstatus.md
 * (`code` NotRun while the first run has not completed, then Active or Quarantine; `progress` as a
 * synchronizationProgress collection; `steadyStateFirstAchievedTime`, `steadyStateLastAchievedTime`),
 * resources/synchronization-synchronizationprogress.md (completedUnits, totalUnits, units,
 * progressObservationDateTime) and api/synchronization-synchronizationjob-get.md (the zero time
 * `0001-01-01T00:00:00Z` for a steady state never reached).
 */
import type { FakeJob } from './server';

/** How the scripted cycle ends. */
export type InitialCycleEnd =
  | 'steady'
  | 'failed'
  | {
      readonly quarantine: 'EncounteredQuarantineException' | 'TooManyDeletes' | 'EncounteredEscrowProportionThreshold';
    };

interface Script {
  readonly totalUnits: number;
  readonly reads: number;
  readonly end: InitialCycleEnd;
  done: number;
}

const NEVER = '0001-01-01T00:00:00Z';

/** Scripts per job. */
export class FakeInitialCycle {
  private readonly scripts = new WeakMap<FakeJob, Script>();

  /**
   * Starts an initial cycle on `job`: Active, status NotRun, progress 0 of `totalUnits`; each later read of the
   * job advances it, and read number `reads` ends it as `end` says.
   */
  start(job: FakeJob, o: { readonly totalUnits: number; readonly reads: number; readonly end: InitialCycleEnd }): void {
    job.schedule.state = 'Active';
    job.schedule.interval = 'PT40M';
    job.status.code = 'NotRun';
    delete job.status.quarantine;
    job.status.lastExecution = null;
    job.status.steadyStateFirstAchievedTime = NEVER;
    job.status.steadyStateLastAchievedTime = NEVER;
    job.status.progress = [progress(0, o.totalUnits)];
    this.scripts.set(job, { ...o, done: 0 });
  }

  /** Called on each GET of the job, before it is answered. */
  onRead(job: FakeJob): void {
    const s = this.scripts.get(job);
    if (!s || s.done >= s.reads) return;
    s.done++;
    const completed = Math.round((s.totalUnits * s.done) / s.reads);
    job.status.progress = [progress(completed, s.totalUnits)];
    if (s.done < s.reads) return;
    const now = new Date().toISOString();
    const execution = (state: 'Succeeded' | 'Failed') => ({
      activityIdentifier: `fake-cycle-${job.id.slice(-8)}`,
      state,
      timeBegan: now,
      timeEnded: now,
      countEntitled: s.totalUnits,
      countImported: s.totalUnits,
      countExported: state === 'Succeeded' ? s.totalUnits : 0,
      countEscrowed: state === 'Succeeded' ? 0 : s.totalUnits,
      ...(state === 'Failed' && {
        error: {
          code: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
          message: 'fake: the SCIM endpoint answered 500 to every request',
        },
      }),
    });
    if (s.end === 'steady') {
      job.status.code = 'Active';
      job.status.lastExecution = execution('Succeeded');
      job.status.lastSuccessfulExecution = job.status.lastExecution;
      job.status.steadyStateFirstAchievedTime = now;
      job.status.steadyStateLastAchievedTime = now;
      job.status.synchronizedEntryCountByType = [{ key: 'User', value: s.totalUnits }];
    } else if (s.end === 'failed') {
      job.status.code = 'Active';
      job.status.lastExecution = execution('Failed');
      job.status.countSuccessiveCompleteFailures = 1;
    } else {
      job.status.code = 'Quarantine';
      job.status.lastExecution = execution('Failed');
      job.status.quarantine = {
        reason: s.end.quarantine,
        currentBegan: now,
        seriesBegan: now,
        nextAttempt: new Date(Date.now() + 6 * 3600_000).toISOString(),
        seriesCount: 1,
        error: {
          code: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable',
          message: 'fake: quarantined during the initial cycle',
        },
      };
    }
  }
}

function progress(completedUnits: number, totalUnits: number) {
  return { completedUnits, totalUnits, units: 'users', progressObservationDateTime: new Date().toISOString() };
}
