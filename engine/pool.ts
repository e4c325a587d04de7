import { allocate, type DType, type FloatArray } from './dtype';

/**
 * Recycles buffers the graph owns, so a training loop reaches a steady state where a step
 * allocates little and backward nothing:
 * - scratch: the buffers that carry gradients through backward (acquire / release);
 * - outputs: values ops save for backward and intermediate results no caller can see (between
 *   the layers of a Sequential, the hidden states inside an RNN), handed back when backward frees
 *   the graph (acquireForOutput / releaseOutput).
 * Two separate pools, because outputs a caller keeps never come back: drawing gradient scratch
 * from the same pool would make every step allocate anew.
 */

const MAX_POOLED_BYTES = 64 * 1024 * 1024;

class BufferPool {
  private readonly free: Record<DType, Map<number, FloatArray[]>> = { float32: new Map(), float64: new Map() };
  buffers = 0;
  bytes = 0;

  take(dtype: DType, size: number): FloatArray | null {
    const list = this.free[dtype].get(size);
    if (list === undefined || list.length === 0) return null;
    const buffer = list.pop()!;
    this.buffers--;
    this.bytes -= buffer.byteLength;
    return buffer;
  }

  give(buffer: FloatArray): void {
    if (totalBytes() + buffer.byteLength > MAX_POOLED_BYTES) return; // let the GC have it
    const byType = this.free[buffer instanceof Float32Array ? 'float32' : 'float64'];
    let list = byType.get(buffer.length);
    if (list === undefined) byType.set(buffer.length, (list = []));
    list.push(buffer);
    this.buffers++;
    this.bytes += buffer.byteLength;
  }

  clear(): void {
    this.free.float32.clear();
    this.free.float64.clear();
    this.buffers = 0;
    this.bytes = 0;
  }
}

const scratch = new BufferPool();
const outputs = new BufferPool();
let created = 0;
let reused = 0;

function totalBytes(): number {
  return scratch.bytes + outputs.bytes;
}

export interface PoolStats {
  /** Scratch buffers the pool has ever had to allocate. Flat over a steady training loop. */
  created: number;
  /** Requests (scratch or output) served from recycled buffers. */
  reused: number;
  /** Buffers currently waiting for reuse, and their bytes. */
  pooledBuffers: number;
  pooledBytes: number;
}

/** A scratch buffer of `size` elements with arbitrary contents, for callers that overwrite all of it. */
export function acquire(dtype: DType, size: number): FloatArray {
  const buffer = scratch.take(dtype, size);
  if (buffer !== null) {
    reused++;
    return buffer;
  }
  created++;
  return allocate(dtype, size);
}

/** A zero-filled scratch buffer of `size` elements. */
export function acquireZeroed(dtype: DType, size: number): FloatArray {
  const buffer = scratch.take(dtype, size);
  if (buffer === null) {
    created++;
    return allocate(dtype, size); // fresh buffers are already zero
  }
  reused++;
  buffer.fill(0);
  return buffer;
}

/** Hands a scratch buffer back; the caller must not touch it afterwards. */
export function release(buffer: FloatArray): void {
  scratch.give(buffer);
}

/**
 * Storage for an op's output: a recycled one when available (contents arbitrary: the op must
 * overwrite all of it), otherwise a fresh allocation.
 */
export function acquireForOutput(dtype: DType, size: number): FloatArray {
  const buffer = outputs.take(dtype, size);
  if (buffer !== null) {
    reused++;
    return buffer;
  }
  return allocate(dtype, size);
}

/** Hands back an output buffer nothing refers to any more. */
export function releaseOutput(buffer: FloatArray): void {
  outputs.give(buffer);
}

export function poolStats(): PoolStats {
  return { created, reused, pooledBuffers: scratch.buffers + outputs.buffers, pooledBytes: totalBytes() };
}

/** Drops every pooled buffer (e.g. after a large model is discarded). */
export function clearPool(): void {
  scratch.clear();
  outputs.clear();
}
