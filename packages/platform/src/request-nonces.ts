/**
 * Replay protection for signed requests (docs/standard/signatures.md, "Replay"): a request
 * that carries a signed X-Jiexu-Nonce is accepted once per institution and nonce within the
 * timestamp window; a second one is refused. Remembered in this process for twice the
 * window (a timestamp may lie up to the window on either side of the clock), at most `max`
 * nonces (the oldest forgotten first). Several platform processes do not share this memory:
 * docs/platform.md says how to deploy them.
 */
export class NonceMemory {
  /** `${institution} ${nonce}` → when it was first seen (ms), in insertion order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max = 1_000_000,
  ) {}

  /** True the first time, false for a nonce already used by this institution within the window. */
  use(institution: string, nonce: string, now: number): boolean {
    this.prune(now);
    const key = `${institution} ${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }

  private prune(now: number): void {
    for (const [key, at] of this.seen) {
      if (now - at <= 2 * this.windowMs) break;
      this.seen.delete(key);
    }
  }
}
