// What the Lab's worker does with the page's commands: builds the experiment's two runs, trains
// them at the chosen speed in short slices (so a pause or a new experiment is read between
// slices), and sends the records of each slice in one message. No DOM and no worker globals:
// worker.ts wires it to `self`, and tests drive it in Node with their own clock.
import { parseExperiment } from './lab/experiment';
import { ExperimentRun, type StepRecord } from './lab/runner';
import type { Speed, TrainerCommand, TrainerEvent } from './worker-protocol';

export interface TrainerClock {
  now(): number;
  /** Calls `callback` after about `delayMs` (0: as soon as pending messages have been read). */
  schedule(callback: () => void, delayMs: number): void;
}

/** Longest stretch of training between two looks at the page's messages. */
export const SLICE_MS = 12;
/** Paced speeds send their records about this often. */
const PACED_TICK_MS = 16;

export class Trainer {
  private run: ExperimentRun | undefined;
  private token = -1;
  private speed: Speed = 'max';
  private playing = false;
  /** Train without pacing until this many steps are done (restoring a view), then stop. */
  private target = 0;
  /** advance() calls so far: the step both runs have reached (a diverged run stops earlier). */
  private steps = 0;
  private anchorTime = 0;
  private anchorSteps = 0;
  private tickPending = false;
  /** Bumped by every load, so a tick scheduled for the previous experiment does nothing. */
  private generation = 0;
  private pendingA: StepRecord[] = [];
  private pendingB: StepRecord[] = [];

  constructor(
    private readonly post: (event: TrainerEvent) => void,
    private readonly clock: TrainerClock,
  ) {}

  handle(command: TrainerCommand): void {
    if (command.type === 'load') return this.load(command.token, command.experiment);
    if (command.token !== this.token || !this.run) return;
    switch (command.type) {
      case 'play':
        if (this.run.finished) return this.flush();
        this.playing = true;
        this.reanchor();
        return this.wake();
      case 'pause':
        this.playing = false;
        this.target = 0;
        return this.flush();
      case 'step':
        this.playing = false;
        this.target = 0;
        if (!this.run.finished) this.advanceOnce();
        return this.flush();
      case 'speed':
        this.speed = command.speed;
        this.reanchor();
        return this.wake();
      case 'advance-to':
        this.target = command.step;
        return this.wake();
    }
  }

  private load(token: number, value: unknown): void {
    this.token = token;
    this.generation++;
    this.tickPending = false;
    this.run = undefined;
    this.playing = false;
    this.target = 0;
    this.steps = 0;
    this.pendingA = [];
    this.pendingB = [];
    const parsed = parseExperiment(value);
    if (!parsed.ok) {
      this.post({ type: 'failed', token, problems: parsed.problems });
      return;
    }
    try {
      this.run = new ExperimentRun(parsed.experiment);
    } catch (error) {
      this.post({ type: 'failed', token, problems: [`the experiment could not be built: ${(error as Error).message}`] });
      return;
    }
    this.post({ type: 'loaded', token, layerNames: [...this.run.layerNames], labels: { ...this.run.labels }, steps: parsed.experiment.steps });
  }

  private reanchor(): void {
    this.anchorTime = this.clock.now();
    this.anchorSteps = this.steps;
  }

  private wake(): void {
    if (this.tickPending || !this.run) return;
    this.tickPending = true;
    const generation = this.generation;
    this.clock.schedule(() => generation === this.generation && this.tick(), 0);
  }

  private advanceOnce(): void {
    const { a, b } = this.run!.advance();
    this.steps++;
    if (a) this.pendingA.push(a);
    if (b) this.pendingB.push(b);
  }

  private tick(): void {
    this.tickPending = false;
    const run = this.run;
    if (!run) return;
    const started = this.clock.now();
    const restoring = this.target > this.steps;
    const paced = this.speed !== 'max' && !restoring;
    const due = paced ? Math.floor(((started - this.anchorTime) * (this.speed as number)) / 1000) - (this.steps - this.anchorSteps) : Infinity;
    let left = this.playing || restoring ? due : 0;
    while (left > 0 && !run.finished) {
      this.advanceOnce();
      left--;
      if (restoring && this.steps >= this.target) {
        this.target = 0;
        this.reanchor();
        break;
      }
      // The first step goes out alone: the chart's first point should not wait for a whole slice.
      if (this.steps === 1 || this.clock.now() - started >= SLICE_MS) break;
    }
    if (run.finished) this.playing = false;
    // Behind a paced speed the machine cannot keep: count afresh rather than bunch steps up.
    if (paced && left > 0) this.reanchor();
    this.flush();
    if (!this.playing && this.target <= this.steps) return;
    let delay = 0;
    if (this.speed !== 'max' && this.target <= this.steps) {
      const nextDue = this.anchorTime + ((this.steps - this.anchorSteps + 1) * 1000) / this.speed;
      delay = Math.max(PACED_TICK_MS, nextDue - this.clock.now());
    }
    this.tickPending = true;
    const generation = this.generation;
    this.clock.schedule(() => generation === this.generation && this.tick(), delay);
  }

  private flush(): void {
    const run = this.run;
    if (!run) return;
    const event: TrainerEvent = {
      type: 'records',
      token: this.token,
      a: this.pendingA,
      b: this.pendingB,
      status: { a: run.status('a'), b: run.status('b') },
      finished: run.finished,
      playing: this.playing || this.target > this.steps,
    };
    this.pendingA = [];
    this.pendingB = [];
    this.post(event);
  }
}
