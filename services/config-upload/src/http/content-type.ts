/** Content types a router or script sends with a config; anything else is 415. */
export function acceptedContentType(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  const type = header.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/octet-stream' ||
    type === 'application/gzip' ||
    type === 'application/x-gzip' ||
    // curl --data-binary and MikroTik /tool fetch send this by default
    type === 'application/x-www-form-urlencoded' ||
    type === 'multipart/form-data'
  );
}
