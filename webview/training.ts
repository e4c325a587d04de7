// The page's side of the training worker. A webview's resources come from another origin than the
// page, and a worker cannot be started from another origin: the page fetches the worker bundle
// (allowed by connect-src) and starts it from a blob: URL of those bytes (allowed by worker-src).
import { readTrainerEvent, type Speed, type TrainerCommand, type TrainerEvent } from './worker-protocol';

export class Training {
  private worker: Worker | undefined;
  private token = 0;
  private readonly queue: TrainerCommand[] = [];
  /** Set by the panel; events and problems before then have nowhere to go and are kept back. */
  onEvent: (event: TrainerEvent) => void = () => undefined;
  onProblem: (message: string) => void = () => undefined;

  /** Fetches and starts the worker; started first thing, so the worker loads while the panel is built. */
  async start(workerUrl: URL): Promise<void> {
    const response = await fetch(workerUrl);
    if (!response.ok) throw new Error(`the training worker could not be loaded (${response.status})`);
    const source = await response.blob();
    const blobUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(blobUrl, { type: 'module', name: 'gradient-lab' });
    performance.mark('lab:worker');
    // The worker has read its script once it is constructed and running; the URL is not needed again.
    setTimeout(() => URL.revokeObjectURL(blobUrl), 10_000);
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const message = readTrainerEvent(event.data);
      if (!message) return this.onProblem('the training worker sent a malformed message');
      if (message.token !== this.token) return;
      this.onEvent(message);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.onProblem(`the training worker failed: ${event.message || 'unknown error'}`);
    };
    this.worker = worker;
    for (const command of this.queue.splice(0)) worker.postMessage(command);
  }

  /** Starts a new experiment; events about earlier ones are dropped from now on. */
  load(experiment: unknown): void {
    this.token++;
    this.send({ type: 'load', token: this.token, experiment });
  }

  play(): void {
    this.send({ type: 'play', token: this.token });
  }

  pause(): void {
    this.send({ type: 'pause', token: this.token });
  }

  stepOnce(): void {
    this.send({ type: 'step', token: this.token });
  }

  speed(speed: Speed): void {
    this.send({ type: 'speed', token: this.token, speed });
  }

  advanceTo(step: number): void {
    this.send({ type: 'advance-to', token: this.token, step });
  }

  private send(command: TrainerCommand): void {
    if (this.worker) this.worker.postMessage(command);
    else this.queue.push(command);
  }

  dispose(): void {
    this.worker?.terminate();
  }
}
