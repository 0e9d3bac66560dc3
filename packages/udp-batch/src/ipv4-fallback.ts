/**
 * Opens on `address`; when that is the dual-stack `::` and the kernel has no IPv6 (a container with
 * IPv6 disabled), opens on 0.0.0.0 instead and says so through `onFallback`.
 */
export async function openWithIpv4Fallback<T>(address: string, open: (address: string) => T | Promise<T>, onFallback: (code: string | undefined) => void): Promise<T> {
  try {
    return await open(address);
  } catch (err) {
    if (address !== '::' || !isNoIpv6(err)) throw err;
    onFallback((err as NodeJS.ErrnoException).code);
    return open('0.0.0.0');
  }
}

function isNoIpv6(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EAFNOSUPPORT' || code === 'EADDRNOTAVAIL' || code === 'EPROTONOSUPPORT';
}
