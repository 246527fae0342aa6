// Which product a request asks for: uniform, or Zipf (rank k drawn with weight 1/k^s), so a few
// keys get most reads: with s = 1 over 10,000 keys, about 20% of keys draw about 80% of reads.
export type KeySampler = () => number;

export function createKeySampler(
  keys: { distribution: 'uniform' | 'zipf'; zipfExponent: number; keySpace: number },
  random: () => number = Math.random,
): KeySampler {
  const n = keys.keySpace;
  if (keys.distribution === 'uniform') return () => 1 + Math.floor(random() * n);
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / Math.pow(k, keys.zipfExponent);
    cdf[k - 1] = sum;
  }
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  return () => {
    const u = random();
    let lo = 0,
      hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
