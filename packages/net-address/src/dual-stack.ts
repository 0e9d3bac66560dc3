/**
 * Opens (binds, listens) on `address`; when that is the dual-stack `::` and the kernel has no IPv6 (a
 * container with IPv6 disabled), opens on 0.0.0.0 instead and says so through `onFallback`. Every
 * listener of every service binds this way, so `::` means the same everywhere.
 */
export async function withIpv4Fallback<T>(
  address: string,
  open: (address: string) => T | Promise<T>,
  onFallback: (code: string | undefined) => void,
): Promise<T> {
  try {
    return await open(address);
  } catch (err) {
    if (address !== '::' || !isNoIpv6(err)) throw err;
    onFallback((err as NodeJS.ErrnoException).code);
    return open('0.0.0.0');
  }
}

/** What binding `::` fails with where the kernel or the container has no IPv6. */
function isNoIpv6(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}
