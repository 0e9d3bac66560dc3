// The frame budget's rules on their own, with a fake clock: who reads, who waits, who is closed.
import t from 'tap';
import { FrameBudget, type BudgetMember } from '../src/frame-budget.js';

class Member implements BudgetMember {
  holdsFrame = false;
  frameStartedAt = 0;
  paused = false;
  evicted = false;
  pauseForBudget(paused: boolean): void {
    this.paused = paused;
  }
  evict(): void {
    this.evicted = true;
  }
}

function setup(slots: number, count: number) {
  let clock = 0;
  // A budget of exactly `slots` 1,000-byte frames (each counted with 16 bytes for its octet count).
  const budget = new FrameBudget(slots * 1_016, 1_000, 10_000, () => clock);
  const members = Array.from({ length: count }, () => new Member());
  for (const member of members) budget.add(member);
  const hold = (m: Member, framesEnded = 0) => {
    m.holdsFrame = true;
    budget.afterPush(m, framesEnded);
  };
  const finish = (m: Member) => {
    m.holdsFrame = false;
    budget.afterPush(m, 1);
  };
  return { budget, members, hold, finish, advance: (ms: number) => (clock += ms) };
}

t.test('at most `slots` frames are held: the last slot taken pauses everyone else, holders go on', async (t) => {
  const { budget, members, hold } = setup(4, 10);
  t.equal(budget.slots, 4);
  for (const m of members.slice(0, 3)) hold(m);
  t.ok(
    members.every((m) => !m.paused),
    'three of four slots: everyone reads',
  );
  hold(members[3]!);
  t.same(
    members.map((m) => m.paused),
    [false, false, false, false, true, true, true, true, true, true],
  );
  t.equal(budget.waiting, 6);
  const late = new Member();
  budget.add(late);
  t.equal(late.paused, true, 'a connection accepted meanwhile waits too');
});

t.test('everyone reads again once a quarter of the slots is free; a finished holder waits until then', async (t) => {
  const { budget, members, hold, finish } = setup(8, 10);
  for (const m of members.slice(0, 8)) hold(m);
  finish(members[0]!);
  t.equal(members[0]!.paused, true, 'finished its frame with 7 of 8 slots still held: waits');
  t.equal(members[9]!.paused, true);
  budget.remove(members[1]!); // a holder closed: 6 of 8 held, a quarter free
  t.ok(
    members.every((m) => !m.paused),
    'everyone reads again',
  );
  t.equal(budget.waiting, 0);
});

t.test('while others wait, a frame older than the timeout is evicted; a holder that keeps finishing frames is not', async (t) => {
  const { budget, members, hold, advance } = setup(2, 3);
  hold(members[0]!); // will stall
  hold(members[1]!); // keeps streaming: each push ends a frame and starts another
  advance(9_000);
  hold(members[1]!, 1);
  advance(2_000);
  budget.evictSlow();
  t.same(
    members.map((m) => m.evicted),
    [true, false, false],
  );
});

t.test('nobody is evicted while nobody waits', async (t) => {
  const { budget, members, hold, advance } = setup(4, 2);
  hold(members[0]!);
  advance(60_000);
  budget.evictSlow();
  t.equal(members[0]!.evicted, false);
});
