// Who a client is, for the bounds kept per client (connections per address, fair scheduling
// between clients, event streams per address). An IPv4 address is one client. An IPv6 host
// usually holds a whole /64 (SLAAC, privacy addresses: a new address is free for the asking), so
// counting each IPv6 address alone would let one host multiply every per-address bound; the /64
// is the client instead. IPv4 addresses in IPv6 form (`::ffff:a.b.c.d`, as a dual-stack listener
// reports IPv4 peers) are their IPv4 address. Anything else (no address: 'local') is itself.
import { isIPv4, isIPv6 } from 'node:net';

/** The 8 hextets of an IPv6 address (zone removed, `::` expanded, a trailing IPv4 part split). */
function hextets(address: string): number[] {
  const bare = address.split('%')[0];
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const parts = (s: string | undefined): number[] => {
    if (s === undefined || s === '') return [];
    const out: number[] = [];
    for (const p of s.split(':')) {
      if (p.includes('.')) {
        const [a, b, c, d] = p.split('.').map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const h = parts(head);
  const t = parts(tail);
  return tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** The key a client's per-client bounds are kept under (see above). */
export function clientKey(address: string | undefined): string {
  if (address === undefined) return 'local';
  if (isIPv4(address) || !isIPv6(address)) return address;
  const h = hextets(address);
  // ::ffff:0:0/96, IPv4-mapped.
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    return `${h[6] >> 8}.${h[6] & 0xff}.${h[7] >> 8}.${h[7] & 0xff}`;
  }
  return `${h.slice(0, 4).map((x) => x.toString(16)).join(':')}::/64`;
}
