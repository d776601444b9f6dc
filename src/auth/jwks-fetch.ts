// Fetching a JSON Web Key Set: GET over https, no redirects (as core's client), at most
// MAX_BODY_BYTES, trusting the system's CAs plus NODE_EXTRA_CA_CERTS. Unless the operator
// allows it (`--allow-private-jwks`, for an identity provider on the private network), only
// public addresses are contacted (public-address.ts): an IP literal is checked before
// connecting, a host name when it resolves, and the connection goes to the address checked,
// so a name that resolves differently a moment later (DNS rebinding) gains nothing.
import dns from 'node:dns';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-address';

export const MAX_BODY_BYTES = 256 * 1024;

/** Fetches a URI's JSON body (throws with a reason on any failure). */
export type JwksFetcher = (uri: string, signal: AbortSignal) => Promise<unknown>;

export interface JwksFetchOptions {
  /** Contact private, loopback and other non-public addresses too. */
  readonly allowPrivateAddresses: boolean;
  /** The https agent (tests: one trusting their own CA); Node's global agent otherwise. */
  readonly agent?: https.Agent;
}

/** dns.lookup, failing for a name with any address that is not public. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, '', 4);
      return;
    }
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad !== undefined || addresses.length === 0) {
      callback(new Error(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which is not a public address`), '', 4);
      return;
    }
    if (options.all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  });
};

export function jwksFetcher(opts: JwksFetchOptions): JwksFetcher {
  return (uri, signal) => new Promise<unknown>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      reject(new Error('the URI is not valid'));
      return;
    }
    if (url.protocol !== 'https:') {
      reject(new Error('the URI is not https'));
      return;
    }
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!opts.allowPrivateAddresses && isIP(host) !== 0 && !isPublicAddress(host)) {
      reject(new Error(`${host} is not a public address`));
      return;
    }
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      // An abort reports the signal's reason (a TimeoutError for AbortSignal.timeout).
      reject(signal.aborted && signal.reason instanceof Error ? signal.reason : e);
    };
    const req = https.get(url, {
      signal, headers: { accept: 'application/json' }, ...(opts.agent ? { agent: opts.agent } : {}),
      ...(opts.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }),
    }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(new Error(`HTTP status ${res.statusCode}`));
        return;
      }
      if (Number(res.headers['content-length'] ?? '0') > MAX_BODY_BYTES) {
        res.destroy();
        fail(new Error(`the response is larger than ${MAX_BODY_BYTES} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY_BYTES) {
          res.destroy();
          fail(new Error(`the response is larger than ${MAX_BODY_BYTES} bytes`));
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        if (settled) return;
        settled = true;
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          reject(new Error('the response is not JSON'));
        }
      });
    });
    req.on('error', fail);
  });
}
