import t from 'tap';
import { catchEarlySignals } from '../src/early-signals.js';

// SIGUSR2 stands in for SIGTERM: emitting a real SIGTERM here would reach the test runner's own handlers.
t.test('a signal caught while starting is delivered once the shutdown handler exists', async (t) => {
  const before = process.listenerCount('SIGUSR2');
  const early = catchEarlySignals(['SIGUSR2']);
  t.equal(process.listenerCount('SIGUSR2'), before + 1, 'caught from the start: Node does not apply its default action');
  process.emit('SIGUSR2', 'SIGUSR2');
  process.emit('SIGUSR2', 'SIGUSR2');
  const delivered: string[] = [];
  early.release((signal) => delivered.push(signal));
  t.same(delivered, ['SIGUSR2'], 'the first signal, once');
  t.equal(process.listenerCount('SIGUSR2'), before, 'no longer caught after release');
});

t.test('nothing is delivered when no signal came', async (t) => {
  const early = catchEarlySignals(['SIGUSR2']);
  let called = false;
  early.release(() => (called = true));
  t.equal(called, false);
});
