// The Lab's Web Worker: trains the experiment off the page's thread, so the panel (and the editor)
// never waits on training. Started by the page from a blob: URL of this bundle (see charts' host,
// webview/training.ts).
import { Trainer, type TrainerClock } from './trainer';
import { readTrainerCommand, type TrainerEvent } from './worker-protocol';

// The worker's global scope, as far as this file uses it (the project's lib is the DOM's).
declare const self: { postMessage(message: unknown): void; onmessage: ((event: MessageEvent<unknown>) => void) | null };

// A message to ourselves runs after the messages already queued (a pause, a new experiment) and,
// unlike setTimeout(0), is never clamped to 4 ms when ticks follow one another.
const channel = new MessageChannel();
const soon: Array<() => void> = [];
channel.port1.onmessage = () => soon.shift()?.();

const clock: TrainerClock = {
  now: () => performance.now(),
  schedule(callback, delayMs) {
    if (delayMs > 0) {
      setTimeout(callback, delayMs);
      return;
    }
    soon.push(callback);
    channel.port2.postMessage(null);
  },
};

const trainer = new Trainer((event: TrainerEvent) => self.postMessage(event), clock);

self.onmessage = (event: MessageEvent<unknown>) => {
  const command = readTrainerCommand(event.data);
  if (!command) {
    console.warn('Gradient Lab worker: ignored a malformed message');
    return;
  }
  trainer.handle(command);
};
