/**
 * The bound on memory held for unfinished TCP and TLS frames, across all connections. A connection
 * whose last bytes end inside a frame holds that frame until the rest arrives: up to the largest
 * message (64 KiB by default) each, so 10,000 connections could hold about 0.7 GB. The budget turns
 * that into `slots` frames at most (budget / largest message), counted at their largest, so what is
 * held can never pass the budget whatever the senders do next:
 *
 * - While fewer than `slots` connections hold a frame, every connection reads freely.
 * - When the last slot is taken, every connection that holds no frame stops reading (TCP pushes back
 *   on its sender; nothing is lost or closed), and the ones that hold a frame go on reading, so they
 *   can finish it and free their slot. A connection that finishes its frame then waits too.
 * - When a quarter of the slots are free again, everyone reads again.
 * - While everyone waits, a connection whose unfinished frame is older than `frameTimeoutMs` is
 *   closed (counted `held_frame_timeout`): otherwise `slots` slow senders could hold the budget and
 *   starve every other router. Its partial frame was never a message, so no accepted event is lost.
 *
 * A single frame above the largest message is not held at all: the decoder closes that connection
 * (`message_too_large`) as before.
 */
export interface BudgetMember {
  /** True while the connection's decoder holds an unfinished frame. */
  readonly holdsFrame: boolean;
  /** Epoch ms at which the frame it holds began. */
  frameStartedAt: number;
  /** Stop or resume reading for the budget's sake (other reasons to pause are the member's own). */
  pauseForBudget(paused: boolean): void;
  /** Close it: its unfinished frame has held a slot for too long while others wait. */
  evict(): void;
}

export class FrameBudget {
  private readonly members = new Set<BudgetMember>();
  private readonly holders = new Set<BudgetMember>();
  private tight = false;
  readonly slots: number;

  constructor(
    budgetBytes: number,
    maxFrameBytes: number,
    private readonly frameTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // A held frame is at most the largest message plus its octet count (`65536 `): counted at that.
    this.slots = Math.max(1, Math.floor(budgetBytes / (maxFrameBytes + 16)));
  }

  /** Connections waiting for the budget (not reading). */
  get waiting(): number {
    return this.tight ? this.members.size - this.holders.size : 0;
  }

  get holding(): number {
    return this.holders.size;
  }

  add(member: BudgetMember): void {
    this.members.add(member);
    if (this.tight) member.pauseForBudget(true);
  }

  remove(member: BudgetMember): void {
    this.members.delete(member);
    if (this.holders.delete(member)) this.maybeLoosen();
  }

  /** After bytes went through the member's decoder; `framesEnded` frames came out of them. */
  afterPush(member: BudgetMember, framesEnded: number): void {
    if (member.holdsFrame) {
      if (!this.holders.has(member)) {
        this.holders.add(member);
        member.frameStartedAt = this.now();
        if (this.holders.size >= this.slots && !this.tight) this.tighten();
      } else if (framesEnded > 0) {
        member.frameStartedAt = this.now(); // the frame it holds now is a new one
      }
      return;
    }
    if (this.holders.delete(member)) this.maybeLoosen();
    if (this.tight) member.pauseForBudget(true);
  }

  /** Closes the connections whose unfinished frame is older than the timeout, while others wait. */
  evictSlow(): void {
    if (!this.tight) return;
    const before = this.now() - this.frameTimeoutMs;
    for (const holder of [...this.holders]) if (holder.frameStartedAt < before) holder.evict();
  }

  private tighten(): void {
    this.tight = true;
    for (const member of this.members) if (!this.holders.has(member)) member.pauseForBudget(true);
  }

  private maybeLoosen(): void {
    if (!this.tight || this.holders.size > Math.floor((this.slots * 3) / 4)) return;
    this.tight = false;
    for (const member of this.members) member.pauseForBudget(false);
  }
}
