// The bytes between the client and the server's JSON-RPC reader, over stdio: each message's
// `Content-Length` header is checked before anything is buffered (a malformed or oversized one is
// dropped, never buffered, and the stream read on from the next header), and two protocol rules
// the library does not enforce are answered here: a request after `shutdown` gets InvalidRequest,
// and a request whose params are null gets InvalidParams.
import { Transform, type TransformCallback } from 'node:stream';

/** Above the 5-million-character document limit with headroom (a character is at most 4 bytes in UTF-8, plus JSON escapes). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER = /content-length:/i;

const INVALID_REQUEST = -32600;
const INVALID_PARAMS = -32602;

export interface FramingEvents {
  /** Something dropped or refused, said for the log. */
  log(message: string): void;
  /** Writes a JSON-RPC response directly to the client. */
  respond(message: object): void;
}

export class ValidatingReader extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private shutDown = false;
  /** Bytes are being dropped until the next header. */
  private dropping = false;

  constructor(private readonly events: FramingEvents) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (chunk.length) this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    try {
      this.drain();
    } catch (error) {
      this.events.log(`dropped input: ${(error as Error).message}`);
      this.buffer = Buffer.alloc(0);
    }
    done();
  }

  private drain(): void {
    while (this.buffer.length) {
      // A message starts with one of the protocol's two header fields; anything else is dropped up to the next header.
      if (!/^content-(length|type):/i.test(this.buffer.subarray(0, 64).toString('latin1')) && this.buffer.length >= 16) {
        const before = this.buffer.length;
        this.resync('bytes that are not a message header', 0);
        if (this.buffer.length === before) return;
        continue;
      }
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) this.resync(`a header longer than ${MAX_HEADER_BYTES} bytes`, this.buffer.length);
        return;
      }
      const header = this.buffer.subarray(0, end).toString('ascii');
      const fields = new Map(header.split('\r\n').map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon < 0 ? line.length : colon).trim().toLowerCase(), colon < 0 ? undefined : line.slice(colon + 1).trim()] as const;
      }));
      const value = fields.get('content-length');
      if (value === undefined || !/^\d{1,15}$/.test(value)) {
        this.resync(value === undefined ? `a header without Content-Length (${JSON.stringify(header.slice(0, 80))})` : `a malformed Content-Length (${JSON.stringify(value.slice(0, 40))})`, end + 4);
        continue;
      }
      const length = Number(value);
      const start = end + 4;
      if (length > MAX_MESSAGE_BYTES) {
        // Never buffered: dropped, and the stream read on from the next header (so later messages are answered).
        this.resync(`a Content-Length of ${length} bytes (above the limit of ${MAX_MESSAGE_BYTES})`, start);
        continue;
      }
      if (this.buffer.length < start + length) return;
      const frame = this.buffer.subarray(0, start + length);
      const body = this.buffer.subarray(start, start + length);
      this.buffer = this.buffer.subarray(start + length);
      this.dropping = false;
      if (this.accept(body)) this.push(Buffer.from(frame));
    }
  }

  /** Drops `count` bytes and anything else up to the next header. */
  private resync(why: string, count: number): void {
    // Said once per run of dropped bytes, not once per chunk of them.
    if (!this.dropping) this.events.log(`dropped ${why}`);
    this.dropping = true;
    const rest = this.buffer.subarray(count).toString('latin1');
    const next = rest.search(HEADER);
    // No header yet: keep only a tail that may be the start of one split across chunks.
    this.buffer = next < 0 ? this.buffer.subarray(Math.max(count, this.buffer.length - 15)) : this.buffer.subarray(count + next);
  }

  /** Whether the message goes on to the server; refused requests are answered here. */
  private accept(body: Buffer): boolean {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch {
      return true; // the JSON-RPC reader answers a parse error itself
    }
    if (!message || typeof message !== 'object' || typeof message.method !== 'string') return true;
    const isRequest = typeof message.id === 'number' || typeof message.id === 'string';
    if (!isRequest) {
      if (message.params === null && message.method !== 'exit') {
        this.events.log(`ignored ${message.method}: params is null`);
        return false;
      }
      return true;
    }
    if (this.shutDown) {
      this.events.respond({ jsonrpc: '2.0', id: message.id, error: { code: INVALID_REQUEST, message: `${message.method} after shutdown: the server is shutting down` } });
      return false;
    }
    if (message.method === 'shutdown') {
      this.shutDown = true;
      return true;
    }
    if (message.params === null) {
      this.events.respond({ jsonrpc: '2.0', id: message.id, error: { code: INVALID_PARAMS, message: `${message.method} needs params (got null)` } });
      return false;
    }
    return true;
  }
}
