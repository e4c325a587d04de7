import { allocate, type DType, type FloatArray } from './dtype';

/**
 * Recycles the scratch buffers that carry gradients through the graph during backward.
 * Those buffers never escape to the caller (only leaf gradients do, and they are not pooled), so
 * a training loop reaches a steady state where backward allocates nothing new.
 */

const MAX_POOLED_BYTES = 64 * 1024 * 1024;

const free: Record<DType, Map<number, FloatArray[]>> = { float32: new Map(), float64: new Map() };
let created = 0;
let reused = 0;
let pooledBuffers = 0;
let pooledBytes = 0;

export interface PoolStats {
  /** Buffers the pool has ever had to allocate. Flat over a steady training loop. */
  created: number;
  /** Requests served from recycled buffers. */
  reused: number;
  /** Buffers currently waiting for reuse, and their bytes. */
  pooledBuffers: number;
  pooledBytes: number;
}

/** A buffer of `size` elements with arbitrary contents, for callers that overwrite all of it. */
export function acquire(dtype: DType, size: number): FloatArray {
  const list = free[dtype].get(size);
  if (list !== undefined && list.length > 0) {
    const buffer = list.pop()!;
    pooledBuffers--;
    pooledBytes -= buffer.byteLength;
    reused++;
    return buffer;
  }
  created++;
  return allocate(dtype, size);
}

/** A zero-filled buffer of `size` elements. */
export function acquireZeroed(dtype: DType, size: number): FloatArray {
  const before = created;
  const buffer = acquire(dtype, size);
  if (created === before) buffer.fill(0); // fresh buffers are already zero
  return buffer;
}

/** Hands a buffer back; the caller must not touch it afterwards. */
export function release(buffer: FloatArray): void {
  if (pooledBytes + buffer.byteLength > MAX_POOLED_BYTES) return; // let the GC have it
  const byType = free[buffer instanceof Float32Array ? 'float32' : 'float64'];
  let list = byType.get(buffer.length);
  if (list === undefined) byType.set(buffer.length, (list = []));
  list.push(buffer);
  pooledBuffers++;
  pooledBytes += buffer.byteLength;
}

export function poolStats(): PoolStats {
  return { created, reused, pooledBuffers, pooledBytes };
}

/** Drops every pooled buffer (e.g. after a large model is discarded). */
export function clearPool(): void {
  free.float32.clear();
  free.float64.clear();
  pooledBuffers = 0;
  pooledBytes = 0;
}
