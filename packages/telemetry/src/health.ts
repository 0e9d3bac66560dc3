/**
 * Readiness as the NLB sees it. A service registers checks; `/healthz` is ready only when every
 * check passes, and says which one failed otherwise (the NLB only reads the status code, people
 * read the reason).
 */
export type ReadinessCheck = () => string | null; // null = ready, else the reason it is not

export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** On SIGTERM: the NLB should stop sending new flows here while the service drains. */
  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  status(): { ready: boolean; reasons: string[] } {
    const reasons: string[] = this.shuttingDown ? ['shutting down'] : [];
    for (const [name, check] of this.checks) {
      let reason: string | null;
      try {
        reason = check();
      } catch (err) {
        reason = `check failed: ${(err as Error).message}`;
      }
      if (reason !== null) reasons.push(`${name}: ${reason}`);
    }
    return { ready: reasons.length === 0, reasons };
  }
}
