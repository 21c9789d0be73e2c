// ARM's read throttle: a token bucket per subscription (250 tokens, refilled at 25 per second). The scanner
// paces itself with one per subscription; the test emulator enforces the same model.

export interface BucketLimits {
  capacity: number;
  refillPerSecond: number;
}

export const ARM_READ_BUCKET: BucketLimits = { capacity: 250, refillPerSecond: 25 };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly limits: BucketLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limits.capacity;
    this.updatedAt = now();
  }

  private refill(): void {
    const at = this.now();
    this.tokens = Math.min(
      this.limits.capacity,
      this.tokens + ((at - this.updatedAt) / 1000) * this.limits.refillPerSecond,
    );
    this.updatedAt = at;
  }

  /** Takes one token if there is one; returns false when the caller must wait. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Whole tokens left, as the x-ms-ratelimit-remaining-* headers report them. */
  remaining(): number {
    this.refill();
    return Math.floor(this.tokens);
  }

  /** Never believes it has more tokens than the server says remain (other clients share the bucket). */
  limitTo(remaining: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, remaining);
  }

  /** Milliseconds until one token is available. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.limits.refillPerSecond) * 1000);
  }
}
