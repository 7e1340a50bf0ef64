/**
 * Jobs of the server (settlement runs and what-if runs started through the API): one at a time, each with its
 * stage while it runs and the stored run's id when done. The work holds the store while it settles (other
 * requests wait for it).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from './errors.ts';

export interface Job {
  id: string;
  /** `monitor`: a whole-year monitoring run; its `runId` is then the monitoring run's id. */
  kind: 'settle' | 'what-if' | 'monitor';
  year: number;
  method: string | null;
  status: 'running' | 'done' | 'failed';
  /** The pipeline stage running now (dip, drg, ffs, capitation, record). */
  stage: string | null;
  startedAt: string;
  finishedAt: string | null;
  runId: string | null;
  /** What-if: the issued run it is compared with; monitor: the settlement run its flags belong to. */
  baseRunId: string | null;
  message: string | null;
  /** Why a failed job failed, each language on its own (walk4 #15: the workbench showed "zh / en" in both). */
  error: { zh: string; en: string } | null;
  /** A warning about the result (e.g. the store's cases changed since the base run), zh and en. */
  warning: { zh: string; en: string } | null;
}

export class JobBoard {
  private readonly jobs = new Map<string, Job>();

  /** `onRunStored` is told when a job has stored its run (before the job reads as done), e.g. to drop a cached run list. */
  /**
   * `store` is held for the whole job (the server lets the store go only when no request and no job uses it).
   */
  constructor(
    private readonly onRunStored: () => void = () => {},
    private readonly store?: { acquire(): Promise<void>; release(): void },
  ) {}

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /**
   * Start `work` as a job (409 while another job runs) once `before` (e.g. the audit record naming the job) is done;
   * answers at once with the running job.
   */
  async start(
    meta: Pick<Job, 'kind' | 'year' | 'method' | 'baseRunId'>,
    before: (job: Job) => Promise<void>,
    work: (onStage: (s: string) => void) => Promise<{ runId: string; warning?: { zh: string; en: string } }>,
  ): Promise<Job> {
    if ([...this.jobs.values()].some((j) => j.status === 'running')) {
      throw new ApiError(409, 'RUN_IN_PROGRESS', '已有一次结算运行正在进行', 'a settlement run is already in progress');
    }
    const job: Job = {
      id: `job-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
      ...meta,
      status: 'running',
      stage: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      runId: null,
      message: null,
      error: null,
      warning: null,
    };
    this.jobs.set(job.id, job);
    try {
      await before(job);
    } catch (e) {
      this.jobs.delete(job.id);
      throw e;
    }
    const held = this.store;
    void (async () => {
      await held?.acquire();
      try {
        return await work((s) => {
          job.stage = s;
        });
      } finally {
        held?.release();
      }
    })()
      .then((r) => {
        this.onRunStored();
        job.status = 'done';
        job.runId = r.runId;
        job.warning = r.warning ?? null;
      })
      .catch((e: Error & { zh?: string; en?: string }) => {
        job.status = 'failed';
        job.message = e.zh && e.en ? `${e.zh} / ${e.en}` : e.message;
        job.error =
          e.zh && e.en ? { zh: e.zh, en: e.en } : { zh: `运行失败：${e.message}`, en: `the run failed: ${e.message}` };
      })
      .finally(() => {
        job.finishedAt = new Date().toISOString();
        job.stage = null;
      });
    return job;
  }
}
