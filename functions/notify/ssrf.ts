/**
 * Where a webhook may be sent. Receivers' URLs come from outside, so every address is checked
 * against the ranges an attacker could use to reach our own network: at registration (scheme,
 * credentials, literal addresses) and, decisively, inside each connection's DNS lookup, so the
 * address checked is the address connected to and DNS rebinding has no gap to use.
 */
import { type LookupAddress, lookup as systemLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Why a URL or address is refused; the delivery log shows the message. */
export class UnsafeWebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeWebhookTargetError';
  }
}

export interface TargetPolicy {
  /** Plain http to loopback, for development on one machine (WEBHOOK_ALLOW_LOOPBACK_HTTP=true). */
  allowLoopbackHttp: boolean;
}

/** True for an address a public receiver may have: ipaddr.js's `unicast`, after unwrapping IPv4-mapped IPv6. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  // `unicast` excludes private, loopback, link-local (169.254.169.254 metadata included), CGNAT
  // (carrierGradeNat), multicast, unspecified, reserved, unique-local (fd00:ec2::254 included),
  // and the documentation, 6to4 and Teredo ranges.
  return parsed.range() === 'unicast';
}

export function isLoopbackAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'loopback';
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1']);
const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * Checks a receiver URL as written: https (or http to loopback in local mode), no credentials,
 * and no literal address outside public unicast. Names are checked when connecting.
 */
export function checkWebhookUrl(text: string, policy: TargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UnsafeWebhookTargetError('not a URL');
  }
  if (url.username || url.password) throw new UnsafeWebhookTargetError('the URL may not carry credentials');
  const host = bareHost(url.hostname);
  if (url.protocol === 'http:') {
    const loopback = loopbackNames.has(host) || (isIP(host) !== 0 && isLoopbackAddress(host));
    if (policy.allowLoopbackHttp && loopback) return url;
    throw new UnsafeWebhookTargetError('only https URLs are accepted');
  }
  if (url.protocol !== 'https:') throw new UnsafeWebhookTargetError('only https URLs are accepted');
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw new UnsafeWebhookTargetError(`${host} is not a public address`);
  if (host === 'localhost' || host.endsWith('.localhost'))
    throw new UnsafeWebhookTargetError(`${host} is not a public host`);
  return url;
}

/** Resolves a name to all its addresses; tests pass their own (e.g. one that rebinds). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((answer, fail) =>
    systemLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? fail(error) : answer(addresses),
    ),
  );

/**
 * A `lookup` for net/tls connections (the `lookup` option of `http.request`/`https.request`)
 * that refuses the whole answer if any address fails `accept`: the socket connects only to an
 * address that was checked in this very call. `refusal` names what the address is not.
 */
export function guardedLookup(
  resolver: Resolver,
  accept: (address: string) => boolean,
  refusal = 'not a public address',
): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname)
      .then((addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        const refused = wanted.find((a) => !accept(a.address));
        if (refused)
          throw new UnsafeWebhookTargetError(`${hostname} resolves to ${refused.address}, which is ${refusal}`);
        if (wanted.length === 0) throw new UnsafeWebhookTargetError(`${hostname} has no address`);
        if (options.all) callback(null, wanted);
        else callback(null, (wanted[0] as LookupAddress).address, (wanted[0] as LookupAddress).family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

/** The address check for a URL's literal host; a name is checked by `guardedLookup` instead. */
export function acceptsLiteral(url: URL, policy: TargetPolicy): boolean {
  const host = bareHost(url.hostname);
  if (isIP(host) === 0) return true;
  return url.protocol === 'http:' ? policy.allowLoopbackHttp && isLoopbackAddress(host) : isPublicAddress(host);
}
