/**
 * Fargate's own view of the task's clock: the task metadata endpoint v4 (`${ECS_CONTAINER_METADATA_URI_V4}/task`)
 * reports `ClockDrift: { ClockErrorBound (ms), ReferenceTimestamp, ClockSynchronizationStatus }` on
 * platform 1.4+. The service reports it beside its own estimate: two independent witnesses that the
 * host the routers' time comes from was itself synchronised.
 */
export interface HostClockBound {
  /** ClockErrorBound, in ms. */
  boundMs: number;
  /** `SYNCHRONIZED` or `NOT_SYNCHRONIZED`. */
  status: string | null;
  referenceTimestamp: string | null;
}

export async function readHostClockBound(metadataUri: string, fetchImpl: typeof fetch = fetch, timeoutMs = 2_000): Promise<HostClockBound | null> {
  const response = await fetchImpl(`${metadataUri.replace(/\/$/, '')}/task`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) return null;
  const body = (await response.json()) as { ClockDrift?: { ClockErrorBound?: unknown; ClockSynchronizationStatus?: unknown; ReferenceTimestamp?: unknown } };
  const drift = body.ClockDrift;
  if (!drift || typeof drift.ClockErrorBound !== 'number' || !Number.isFinite(drift.ClockErrorBound)) return null;
  return {
    boundMs: drift.ClockErrorBound,
    status: typeof drift.ClockSynchronizationStatus === 'string' ? drift.ClockSynchronizationStatus : null,
    referenceTimestamp: typeof drift.ReferenceTimestamp === 'string' ? drift.ReferenceTimestamp : null,
  };
}
