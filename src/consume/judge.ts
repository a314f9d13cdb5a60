/** A Judge over the receiver's live plan: hot-reloaded, and named in every verdict. */
import type { LivePlan } from '../stream/live-plan.js';
import type { BatchResult } from '../validate/index.js';
import type { Judge, VerdictPlan } from './verdict.js';

export class LiveJudge implements Judge {
  private named: VerdictPlan;

  constructor(private readonly live: LivePlan) {
    this.named = this.describe();
  }

  validate(batch: unknown): BatchResult {
    return this.live.validate(batch);
  }

  plan(): VerdictPlan {
    return this.named;
  }

  /** Call after a reload so the next verdicts name the new plan. */
  refresh(): void {
    this.named = this.describe();
  }

  private describe(): VerdictPlan {
    const i = this.live.info();
    return { file: i.file, id: i.id, name: i.name, version: i.version, loaded_at: i.loaded_at };
  }
}
