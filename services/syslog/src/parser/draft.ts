import type { StructuredData } from '@netsidecar/contracts';

/**
 * What the header parsers and vendor recognisers fill in, before the event is assembled in its
 * contract key order. `null` means "absent", as in the event.
 */
export interface Draft {
  timestamp: string | null;
  timestampRaw: string | null;
  host: string | null;
  app: string | null;
  procId: string | null;
  msgId: string | null;
  message: string;
  structuredData: StructuredData | null;
  vendor: Record<string, unknown> | null;
}

export function emptyDraft(): Draft {
  return {
    timestamp: null,
    timestampRaw: null,
    host: null,
    app: null,
    procId: null,
    msgId: null,
    message: '',
    structuredData: null,
    vendor: null,
  };
}
