import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import { sleep } from './retry';

/**
 * One run at a time changes a job's state, on this machine. Graph has no conditional start (no ETag on the job,
 * no "start if disabled"), so two runs that both read "Disabled" would both send `start`, and Graph warns that
 * repeated starts can stop the service. Re-reading right before sending narrows the window; this lock closes it
 * for runs that share a machine (two terminals, a deploy and a `restart`, Terraform's parallel walk, a Pulumi
 * provider process): an exclusive lock file per job, created with O_EXCL in the OS temp directory, around the
 * read-decide-send. Its limit: runs on two machines (two CI runners on one job) are not serialized; that is why
 * README says one job belongs to one state.
 *
 * A lock whose holder died (its pid is gone) or that is older than {@link STALE_MS} is taken over; a live holder
 * is waited for, up to {@link WAIT_MS}, with a progress line.
 */

/** A lock older than this is stale: no state change takes that long. */
const STALE_MS = 10 * 60_000;
/** How long a run waits for another run on the same job. */
const WAIT_MS = 5 * 60_000;
const POLL_MS = 100;

/** Runs `fn` holding the lock of job `key` (the Graph root, service principal and job id). */
export async function withJobLock<T>(
  key: { readonly graphRoot: string; readonly servicePrincipalId: string; readonly jobId: string },
  log: (line: string) => void,
  fn: () => Promise<T>,
  options: { readonly dir?: string; readonly waitMs?: number } = {},
): Promise<T> {
  const id = createHash('sha256')
    .update(`${key.graphRoot}\n${key.servicePrincipalId.toLowerCase()}\n${key.jobId}`)
    .digest('hex')
    .slice(0, 32);
  const file = path.join(options.dir ?? tmpdir(), `rollbar-provisioning-job-${id}.lock`);
  const owner = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + (options.waitMs ?? WAIT_MS);
  let said = false;
  for (;;) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(owner);
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(file);
    if (holder === 'gone') continue;
    if (holder.stale) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new RollbarProvisioningError(
        [
          problem(
            'JOB_BUSY',
            'jobId',
            'be free of other runs changing its state',
            key.jobId,
            `Another run (pid ${holder.pid}) has held ${file} for over ${Math.round((options.waitMs ?? WAIT_MS) / 1000)} s: let it finish and run this step again, or delete the file if no such run exists.`,
          ),
        ],
        'Refusing to change the provisioning job',
      );
    }
    if (!said) {
      log(`Another run (pid ${holder.pid}) is changing this job's state; waiting for it to finish…`);
      said = true;
    }
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    // Only our own lock is removed: a run that took over a lock it judged stale owns it now.
    if ((await readFile(file, 'utf8').catch(() => '')) === owner) await unlink(file).catch(() => undefined);
  }
}

async function readHolder(file: string): Promise<'gone' | { readonly pid: number; readonly stale: boolean }> {
  let text: string;
  let mtime: number;
  try {
    [text, mtime] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mtimeMs)]);
  } catch {
    return 'gone';
  }
  const pid = Number(text.split(' ')[0]);
  // An empty file is a lock being written this instant: not stale unless it stays so.
  const old = Date.now() - mtime > STALE_MS;
  return { pid, stale: old || (Number.isInteger(pid) && pid > 0 && !alive(pid)) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
