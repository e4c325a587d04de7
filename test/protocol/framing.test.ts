// The server over raw stdio bytes: an oversized or malformed Content-Length is dropped (logged)
// and later messages are still answered; a request after shutdown gets InvalidRequest (-32600);
// params: null gets InvalidParams (-32602); exit after shutdown ends the process with status 0.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ensureServerBuilt, ROOT } from './lspClient';

interface Message {
  id?: number;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
}

class RawServer {
  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  stderr = '';
  private buffer = Buffer.alloc(0);

  constructor() {
    this.child = spawn(process.execPath, [join(ROOT, 'dist', 'server.js'), '--stdio']);
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      for (;;) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
        if (this.buffer.length < end + 4 + length) return;
        this.messages.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message);
        this.buffer = this.buffer.subarray(end + 4 + length);
      }
    });
  }

  bytes(data: string | Buffer): void {
    this.child.stdin!.write(data);
  }

  send(message: object): void {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    this.bytes(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  async answer(id: number, timeout = 10_000): Promise<Message> {
    const start = Date.now();
    for (;;) {
      const found = this.messages.find((m) => m.id === id && m.method === undefined);
      if (found) return found;
      if (Date.now() - start > timeout) throw new Error(`no answer to request ${id}; stderr: ${this.stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async initialize(): Promise<void> {
    this.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    await this.answer(1);
    this.send({ method: 'initialized', params: {} });
  }
}

const hover = (id: number) => ({ id, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///never-opened.py' }, position: { line: 0, character: 0 } } });

describe('protocol: message framing and protocol states over raw stdio', function () {
  this.timeout(60_000);
  let server: RawServer;
  before(() => ensureServerBuilt());
  beforeEach(async () => {
    server = new RawServer();
    await server.initialize();
  });
  afterEach(() => {
    if (server.child.exitCode === null) server.child.kill();
  });

  it('drops a 2 GB Content-Length without buffering it and answers the next message', async () => {
    server.bytes('Content-Length: 2147483648\r\n\r\n{"jsonrpc":"2.0","id":99,"method":"textDocument/hover","params":');
    server.bytes(Buffer.alloc(4 * 1024 * 1024, 'x'));
    // Letters right before the next header, in the same write: still read from its header on.
    server.bytes('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    server.send(hover(2));
    assert.deepEqual((await server.answer(2)).result, null);
    assert.match(server.stderr, /Content-Length of 2147483648 bytes/);
    assert.equal(server.messages.find((m) => m.id === 99), undefined);
  });

  it('drops malformed headers and answers the next message', async () => {
    server.bytes('Content-Length: banana\r\n\r\n{"jsonrpc":"2.0","id":98,"method":"shutdown"}');
    server.send(hover(3));
    assert.deepEqual((await server.answer(3)).result, null);
    assert.match(server.stderr, /malformed Content-Length \("banana"\)/);
    server.bytes('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\nnot a message at all');
    server.send(hover(8));
    assert.deepEqual((await server.answer(8)).result, null);
    assert.match(server.stderr, /without Content-Length \("Content-Type: application/);
    server.bytes('X-Garbage: yes\r\n\r\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
    server.send(hover(10));
    assert.deepEqual((await server.answer(10)).result, null);
    assert.match(server.stderr, /dropped bytes that are not a message header/);
    server.bytes(`Content-Length: -5\r\n\r\n`);
    server.send(hover(9));
    assert.deepEqual((await server.answer(9)).result, null);
    assert.match(server.stderr, /malformed Content-Length \("-5"\)/);
    assert.equal(server.messages.find((m) => m.id === 98), undefined);
  });

  it('answers params: null with InvalidParams, and a request after shutdown with InvalidRequest', async () => {
    server.send({ id: 4, method: 'textDocument/hover', params: null });
    const invalid = await server.answer(4);
    assert.equal(invalid.error?.code, -32602);
    assert.match(invalid.error!.message, /needs params/);
    server.send({ id: 5, method: 'textDocument/codeAction', params: null });
    assert.equal((await server.answer(5)).error?.code, -32602);

    server.send({ id: 6, method: 'shutdown' });
    assert.equal((await server.answer(6)).error, undefined);
    server.send(hover(7));
    const after = await server.answer(7);
    assert.equal(after.error?.code, -32600);
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
    server.send({ method: 'exit' });
    assert.equal(await exited, 0);
  });
});
