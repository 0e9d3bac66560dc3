import type { Platform, WorkloadImage } from './types.js';

export interface Location {
  platform: Platform;
  cluster: string;
  workload: string;
  namespace: string | null;
}

/** One unique image that runs somewhere: what gets scanned. */
export interface RunningImage {
  digest: string;
  repository: string;
  references: string[];
  locations: Location[];
  owner: string | null;
}

export interface UnpinnedImage {
  platform: Platform;
  cluster: string;
  workload: string;
  image: string;
  owner: string | null;
}

/**
 * Rows -> unique digests. 25,000 rows with 2,000 digests is one pass over Maps. The owner is the
 * team named most often among the image's workloads (ties: alphabetical), so that an image shared by
 * teams still has one place to notify.
 */
export function aggregateInventory(rows: readonly WorkloadImage[]): { images: RunningImage[]; unpinned: UnpinnedImage[] } {
  const byDigest = new Map<string, { image: RunningImage; refs: Set<string>; places: Map<string, Location>; teams: Map<string, number> }>();
  const unpinned = new Map<string, UnpinnedImage>();
  for (const row of rows) {
    if (row.digest === null) {
      const key = `${row.platform}\u0000${row.cluster}\u0000${row.workload}\u0000${row.image}`;
      if (!unpinned.has(key)) unpinned.set(key, { platform: row.platform, cluster: row.cluster, workload: row.workload, image: row.image, owner: row.team });
      continue;
    }
    let entry = byDigest.get(row.digest);
    if (!entry) {
      entry = {
        image: { digest: row.digest, repository: row.repository, references: [], locations: [], owner: null },
        refs: new Set(),
        places: new Map(),
        teams: new Map(),
      };
      byDigest.set(row.digest, entry);
    }
    entry.refs.add(row.image);
    const placeKey = `${row.platform}\u0000${row.cluster}\u0000${row.workload}`;
    if (!entry.places.has(placeKey))
      entry.places.set(placeKey, { platform: row.platform, cluster: row.cluster, workload: row.workload, namespace: row.namespace });
    if (row.team !== null) entry.teams.set(row.team, (entry.teams.get(row.team) ?? 0) + 1);
  }
  const images: RunningImage[] = [];
  for (const entry of byDigest.values()) {
    entry.image.references = [...entry.refs].sort();
    entry.image.locations = [...entry.places.values()].sort((a, b) => placeOrder(a).localeCompare(placeOrder(b)));
    entry.image.owner = pickOwner(entry.teams);
    images.push(entry.image);
  }
  images.sort((a, b) => a.digest.localeCompare(b.digest));
  return { images, unpinned: [...unpinned.values()] };
}

function placeOrder(location: Location): string {
  return `${location.platform}/${location.cluster}/${location.workload}`;
}

function pickOwner(teams: Map<string, number>): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const [team, count] of teams) {
    if (count > bestCount || (count === bestCount && best !== null && team < best)) [best, bestCount] = [team, count];
  }
  return best;
}
