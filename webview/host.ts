// The page's link to its host: VS Code's webview API in the editor, the stand-in of the
// `npm run lab` page in a browser (webview/standalone/). Messages in are read with the protocol's
// readers; anything else is ignored and logged.
import { describeValue } from './guards';
import { readHostMessage, type HostMessage, type ViewMessage } from './protocol';

interface WebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): WebviewApi;

export class Host {
  private readonly api: WebviewApi;

  constructor() {
    this.api = acquireVsCodeApi();
  }

  post(message: ViewMessage): void {
    this.api.postMessage(message);
  }

  log(level: 'info' | 'warn' | 'error', message: string): void {
    this.post({ type: 'log', level, message: message.slice(0, 2000) });
  }

  listen(handler: (message: HostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = readHostMessage(event.data);
      if (!message) {
        // VS Code's own frame messages never reach this listener; anything else malformed is noted.
        this.log('warn', `Gradient Lab ignored ${describeValue(event.data)} from the host`);
        return;
      }
      handler(message);
    });
  }

  get state(): unknown {
    return this.api.getState();
  }

  set state(value: unknown) {
    this.api.setState(value);
  }
}
