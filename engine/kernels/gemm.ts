/**
 * General matrix multiply over flat arrays with arbitrary element strides:
 *
 *   C(i, j) = Σ_k A(i, k) · B(k, j) (+ bias[j])     or, when accumulating,  C(i, j) += Σ_k A(i, k) · B(k, j)
 *   A(i, k) = a[aOffset + i·aRow + k·aCol],  B(k, j) = b[bOffset + k·bRow + j·bCol],  C(i, j) = c[cOffset + i·n + j]
 *
 * Strides cover A·B, A·Bᵀ and Aᵀ·B without copying a transpose. The work is done in 4×4 tiles of C
 * whose sixteen partial sums stay in registers for the whole k loop: eight loads feed sixteen
 * multiply-adds, which is what makes this several times faster than a triple loop in JavaScript.
 * The bias (a linear layer's) is added to the finished sums on the way out, the order PyTorch's
 * addmm uses, saving a separate pass over C.
 *
 * There are two copies, gemm64 and gemm32, identical but for the array type: each only ever sees
 * one element type, so V8 keeps its loads monomorphic. Sums are carried in float64 either way.
 */
export function gemm64(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOffset: number,
  bRow: number,
  bCol: number,
  c: Float64Array,
  cOffset: number,
  accumulate: boolean,
  bias: Float64Array | null,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const pa0 = aOffset + i * aRow;
    const pa1 = pa0 + aRow;
    const pa2 = pa1 + aRow;
    const pa3 = pa2 + aRow;
    for (let j = 0; j < n4; j += 4) {
      const pb0 = bOffset + j * bCol;
      const pb1 = pb0 + bCol;
      const pb2 = pb1 + bCol;
      const pb3 = pb2 + bCol;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const b0 = b[pb0 + kb];
        const b1 = b[pb1 + kb];
        const b2 = b[pb2 + kb];
        const b3 = b[pb3 + kb];
        let x = a[pa0 + ka];
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
        x = a[pa1 + ka];
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
        x = a[pa2 + ka];
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
        x = a[pa3 + ka];
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
      }
      let o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += n;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += n;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += n;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
        continue;
      }
      if (bias !== null) {
        const q0 = bias[j], q1 = bias[j + 1], q2 = bias[j + 2], q3 = bias[j + 3];
        c00 += q0; c01 += q1; c02 += q2; c03 += q3;
        c10 += q0; c11 += q1; c12 += q2; c13 += q3;
        c20 += q0; c21 += q1; c22 += q2; c23 += q3;
        c30 += q0; c31 += q1; c32 += q2; c33 += q3;
      }
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
    // Leftover columns: one column of four rows at a time.
    for (let j = n4; j < n; j++) {
      const pb = bOffset + j * bCol;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const y = b[pb + kb];
        c0 += a[pa0 + ka] * y;
        c1 += a[pa1 + ka] * y;
        c2 += a[pa2 + ka] * y;
        c3 += a[pa3 + ka] * y;
      }
      const o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + n] += c1; c[o + 2 * n] += c2; c[o + 3 * n] += c3;
        continue;
      }
      if (bias !== null) {
        const q = bias[j];
        c0 += q; c1 += q; c2 += q; c3 += q;
      }
      c[o] = c0; c[o + n] = c1; c[o + 2 * n] = c2; c[o + 3 * n] = c3;
    }
  }
  // Leftover rows: one row, four columns at a time, then single elements.
  for (let i = m4; i < m; i++) {
    const pa = aOffset + i * aRow;
    for (let j = 0; j < n4; j += 4) {
      const pb0 = bOffset + j * bCol;
      const pb1 = pb0 + bCol;
      const pb2 = pb1 + bCol;
      const pb3 = pb2 + bCol;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const x = a[pa + ka];
        c0 += x * b[pb0 + kb];
        c1 += x * b[pb1 + kb];
        c2 += x * b[pb2 + kb];
        c3 += x * b[pb3 + kb];
      }
      const o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + 1] += c1; c[o + 2] += c2; c[o + 3] += c3;
        continue;
      }
      if (bias !== null) {
        c0 += bias[j]; c1 += bias[j + 1]; c2 += bias[j + 2]; c3 += bias[j + 3];
      }
      c[o] = c0; c[o + 1] = c1; c[o + 2] = c2; c[o + 3] = c3;
    }
    for (let j = n4; j < n; j++) {
      const pb = bOffset + j * bCol;
      let s = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) s += a[pa + ka] * b[pb + kb];
      const o = cOffset + i * n + j;
      if (accumulate) c[o] += s;
      else c[o] = bias !== null ? s + bias[j] : s;
    }
  }
}

/** gemm64's twin for Float32Array operands (same code; see the note at the top). */
export function gemm32(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOffset: number,
  aRow: number,
  aCol: number,
  b: Float32Array,
  bOffset: number,
  bRow: number,
  bCol: number,
  c: Float32Array,
  cOffset: number,
  accumulate: boolean,
  bias: Float32Array | null,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const pa0 = aOffset + i * aRow;
    const pa1 = pa0 + aRow;
    const pa2 = pa1 + aRow;
    const pa3 = pa2 + aRow;
    for (let j = 0; j < n4; j += 4) {
      const pb0 = bOffset + j * bCol;
      const pb1 = pb0 + bCol;
      const pb2 = pb1 + bCol;
      const pb3 = pb2 + bCol;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const b0 = b[pb0 + kb];
        const b1 = b[pb1 + kb];
        const b2 = b[pb2 + kb];
        const b3 = b[pb3 + kb];
        let x = a[pa0 + ka];
        c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
        x = a[pa1 + ka];
        c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
        x = a[pa2 + ka];
        c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
        x = a[pa3 + ka];
        c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
      }
      let o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c00; c[o + 1] += c01; c[o + 2] += c02; c[o + 3] += c03; o += n;
        c[o] += c10; c[o + 1] += c11; c[o + 2] += c12; c[o + 3] += c13; o += n;
        c[o] += c20; c[o + 1] += c21; c[o + 2] += c22; c[o + 3] += c23; o += n;
        c[o] += c30; c[o + 1] += c31; c[o + 2] += c32; c[o + 3] += c33;
        continue;
      }
      if (bias !== null) {
        const q0 = bias[j], q1 = bias[j + 1], q2 = bias[j + 2], q3 = bias[j + 3];
        c00 += q0; c01 += q1; c02 += q2; c03 += q3;
        c10 += q0; c11 += q1; c12 += q2; c13 += q3;
        c20 += q0; c21 += q1; c22 += q2; c23 += q3;
        c30 += q0; c31 += q1; c32 += q2; c33 += q3;
      }
      c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += n;
      c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += n;
      c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += n;
      c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
    }
    // Leftover columns: one column of four rows at a time.
    for (let j = n4; j < n; j++) {
      const pb = bOffset + j * bCol;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const y = b[pb + kb];
        c0 += a[pa0 + ka] * y;
        c1 += a[pa1 + ka] * y;
        c2 += a[pa2 + ka] * y;
        c3 += a[pa3 + ka] * y;
      }
      const o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + n] += c1; c[o + 2 * n] += c2; c[o + 3 * n] += c3;
        continue;
      }
      if (bias !== null) {
        const q = bias[j];
        c0 += q; c1 += q; c2 += q; c3 += q;
      }
      c[o] = c0; c[o + n] = c1; c[o + 2 * n] = c2; c[o + 3 * n] = c3;
    }
  }
  // Leftover rows: one row, four columns at a time, then single elements.
  for (let i = m4; i < m; i++) {
    const pa = aOffset + i * aRow;
    for (let j = 0; j < n4; j += 4) {
      const pb0 = bOffset + j * bCol;
      const pb1 = pb0 + bCol;
      const pb2 = pb1 + bCol;
      const pb3 = pb2 + bCol;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) {
        const x = a[pa + ka];
        c0 += x * b[pb0 + kb];
        c1 += x * b[pb1 + kb];
        c2 += x * b[pb2 + kb];
        c3 += x * b[pb3 + kb];
      }
      const o = cOffset + i * n + j;
      if (accumulate) {
        c[o] += c0; c[o + 1] += c1; c[o + 2] += c2; c[o + 3] += c3;
        continue;
      }
      if (bias !== null) {
        c0 += bias[j]; c1 += bias[j + 1]; c2 += bias[j + 2]; c3 += bias[j + 3];
      }
      c[o] = c0; c[o + 1] = c1; c[o + 2] = c2; c[o + 3] = c3;
    }
    for (let j = n4; j < n; j++) {
      const pb = bOffset + j * bCol;
      let s = 0;
      for (let p = 0, ka = 0, kb = 0; p < k; p++, ka += aCol, kb += bRow) s += a[pa + ka] * b[pb + kb];
      const o = cOffset + i * n + j;
      if (accumulate) c[o] += s;
      else c[o] = bias !== null ? s + bias[j] : s;
    }
  }
}
