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

const v6 = (text: string) => ipaddr.IPv6.parse(text);
/** IPv6 forms that carry an IPv4 address, and where it sits (byte offset; Teredo's client is inverted). */
const embeddingForms: { prefix: ipaddr.IPv6; bits: number; at: number; inverted?: boolean }[] = [
  { prefix: v6('::'), bits: 96, at: 12 }, // IPv4-compatible (::a9fe:a9fe, ::7f00:1), deprecated but still parsed
  { prefix: v6('::ffff:0:0'), bits: 96, at: 12 }, // IPv4-mapped
  { prefix: v6('::ffff:0:0:0'), bits: 96, at: 12 }, // IPv4-translated (RFC 6145)
  { prefix: v6('64:ff9b::'), bits: 96, at: 12 }, // NAT64, well-known prefix (RFC 6052)
  // NAT64, local-use prefix (RFC 8215): where the IPv4 sits depends on the operator's prefix
  // length, so it is judged as carrying 0.0.0.0, that is refused whole.
  { prefix: v6('64:ff9b:1::'), bits: 48, at: -1 },
  { prefix: v6('2002::'), bits: 16, at: 2 }, // 6to4
  { prefix: v6('2001::'), bits: 32, at: 4 }, // Teredo: the server
  { prefix: v6('2001::'), bits: 32, at: 12, inverted: true }, // Teredo: the client, its bits inverted
];

/** Every IPv4 address an IPv6 address carries in one of the forms above. */
export function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] {
  const bytes = address.toByteArray();
  return embeddingForms
    .filter((form) => address.match(form.prefix, form.bits))
    .map((form) =>
      form.at < 0
        ? new ipaddr.IPv4([0, 0, 0, 0])
        : new ipaddr.IPv4(bytes.slice(form.at, form.at + 4).map((b) => (form.inverted ? b ^ 0xff : b))),
    );
}

/**
 * True for an address a public receiver may have: ipaddr.js's `unicast`. An IPv6 address that
 * carries an IPv4 one (compatible, mapped, translated, NAT64, 6to4, Teredo) is judged by what it
 * carries: every embedded IPv4 address must be public, or a gateway would take us to it.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  // `unicast` excludes private, loopback, link-local (169.254.169.254 metadata included), CGNAT
  // (carrierGradeNat), multicast, unspecified, reserved, unique-local (fd00:ec2::254 included)
  // and the documentation ranges.
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const carried = embeddedIPv4(parsed as ipaddr.IPv6);
  if (carried.length) return carried.every((ipv4) => ipv4.range() === 'unicast');
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
