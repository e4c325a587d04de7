// The worker's trainer in Node, on a clock the test moves: paced speeds train as many steps as
// the time allows, a pause stops at once, restoring trains unpaced to the step it was at, events of
// a replaced experiment never arrive, and a bad experiment is refused with its problems.
import assert from 'node:assert/strict';
import { presetExperiment } from '../../webview/lab/presets';
import { runToEnd, type StepRecord } from '../../webview/lab/runner';
import { SLICE_MS, Trainer, type TrainerClock } from '../../webview/trainer';
import { readTrainerCommand, type TrainerEvent } from '../../webview/worker-protocol';

/** A clock that only moves when the test says so; scheduled callbacks run when their time comes. */
class TestClock implements TrainerClock {
  time = 0;
  private queue: Array<{ at: number; callback: () => void }> = [];

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, delayMs: number): void {
    this.queue.push({ at: this.time + delayMs, callback });
  }

  /** Moves time forward by `ms`, running what falls due on the way (each callback costs 1 ms). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.queue.sort((x, y) => x.at - y.at);
      const next = this.queue[0];
      if (!next || next.at > end) break;
      this.queue.shift();
      this.time = Math.max(this.time, next.at);
      next.callback();
      this.time += 1;
    }
    this.time = Math.max(this.time, end);
  }
}

function setup() {
  const clock = new TestClock();
  const events: TrainerEvent[] = [];
  const trainer = new Trainer((e) => events.push(structuredClone(e)), clock);
  const records = (run: 'a' | 'b', token = 1) => events.flatMap((e) => (e.type === 'records' && e.token === token ? (e[run] as StepRecord[]) : []));
  return { clock, events, trainer, records };
}

describe('Gradient Lab trainer', () => {
  it('trains at a paced speed about as many steps as the time allows', () => {
    const { clock, trainer, records } = setup();
    const experiment = presetExperiment('pytorch-docs');
    experiment.steps = 200;
    trainer.handle({ type: 'load', token: 1, experiment });
    trainer.handle({ type: 'speed', token: 1, speed: 50 });
    trainer.handle({ type: 'play', token: 1 });
    clock.advance(1000);
    const done = records('a').length;
    assert.ok(done >= 45 && done <= 52, `50 steps/s for one second trained ${done} steps`);
  });

  it('pauses at once, steps one at a time, and finishes with the same records as runToEnd', () => {
    const { clock, trainer, records, events } = setup();
    const experiment = presetExperiment('pytorch-docs');
    trainer.handle({ type: 'load', token: 1, experiment });
    trainer.handle({ type: 'step', token: 1 });
    trainer.handle({ type: 'step', token: 1 });
    assert.equal(records('a').length, 2);
    trainer.handle({ type: 'speed', token: 1, speed: 'max' });
    trainer.handle({ type: 'play', token: 1 });
    trainer.handle({ type: 'pause', token: 1 });
    clock.advance(100);
    assert.equal(records('a').length, 2, 'nothing trains after a pause');
    trainer.handle({ type: 'play', token: 1 });
    clock.advance(1000);
    const last = events.at(-1);
    assert.ok(last?.type === 'records' && last.finished && !last.playing);
    const headless = runToEnd(experiment);
    assert.deepEqual(records('a'), headless.a.records);
    assert.deepEqual(records('b'), headless.b.records);
  });

  it('at full speed sends the steps of each slice of about SLICE_MS in one message, not one message per step', () => {
    const { clock, trainer, events, records } = setup();
    // Each look at the clock costs a millisecond: the trainer looks once per step.
    const now = clock.now.bind(clock);
    clock.now = () => {
      clock.time += 1;
      return now();
    };
    const experiment = presetExperiment('pytorch-docs');
    experiment.steps = 600;
    trainer.handle({ type: 'load', token: 1, experiment });
    trainer.handle({ type: 'speed', token: 1, speed: 'max' });
    trainer.handle({ type: 'play', token: 1 });
    clock.advance(10_000);
    assert.equal(records('a').length, 600);
    const messages = events.filter((e) => e.type === 'records');
    assert.ok(messages.length <= 600 / (SLICE_MS - 1) + 3, `${messages.length} messages for 600 steps`);
    // The first step goes alone (the chart's first point), then whole slices.
    assert.equal(messages[0].type === 'records' && messages[0].a.length, 1);
  });

  it('restores by training unpaced to the step it had reached, then stays paused', () => {
    const { clock, trainer, records, events } = setup();
    const experiment = presetExperiment('pytorch-docs');
    trainer.handle({ type: 'load', token: 1, experiment });
    trainer.handle({ type: 'speed', token: 1, speed: 10 });
    trainer.handle({ type: 'advance-to', token: 1, step: 17 });
    clock.advance(50);
    assert.equal(records('a').length, 17);
    const last = events.at(-1);
    assert.ok(last?.type === 'records' && !last.playing);
    clock.advance(1000);
    assert.equal(records('a').length, 17);
  });

  it('drops everything about an experiment once another is loaded', () => {
    const { clock, trainer, events } = setup();
    trainer.handle({ type: 'load', token: 1, experiment: presetExperiment('exploding-rnn') });
    trainer.handle({ type: 'speed', token: 1, speed: 'max' });
    trainer.handle({ type: 'play', token: 1 });
    trainer.handle({ type: 'load', token: 2, experiment: presetExperiment('pytorch-docs') });
    trainer.handle({ type: 'play', token: 1 });
    clock.advance(500);
    assert.deepEqual(
      events.filter((e) => e.type === 'records').map((e) => e.token),
      [],
      'the old experiment sends nothing, and a play for it does not start the new one',
    );
    trainer.handle({ type: 'play', token: 2 });
    clock.advance(500);
    assert.ok(events.some((e) => e.type === 'records' && e.token === 2 && e.finished));
  });

  it('refuses an experiment that is not valid, with its problems', () => {
    const { trainer, events } = setup();
    trainer.handle({ type: 'load', token: 3, experiment: { version: 1, steps: -1 } });
    const failed = events.at(-1);
    assert.ok(failed?.type === 'failed' && failed.token === 3);
    assert.ok(failed.problems.some((p) => p.startsWith('steps')), failed.problems.join('; '));
  });

  it('reads only well-formed commands', () => {
    assert.deepEqual(readTrainerCommand({ type: 'speed', token: 1, speed: 'max' }), { type: 'speed', token: 1, speed: 'max' });
    for (const bad of [null, 'play', { type: 'play' }, { type: 'play', token: -1 }, { type: 'speed', token: 1, speed: 0 }, { type: 'speed', token: 1, speed: Infinity }, { type: 'advance-to', token: 1, step: 1.5 }, { type: 'eval', token: 1 }]) {
      assert.equal(readTrainerCommand(bad), undefined, JSON.stringify(bad));
    }
  });
});
