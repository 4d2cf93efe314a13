/**
 * A socket.io packet encoder that can send an acknowledgement whose JSON was encoded once.
 *
 * Why: after a publish every subscribed SDK fetches the same version at the same moment, and
 * the fetch benchmark showed JSON.stringify of the (1–5 KB) ack as the largest piece of the
 * server's CPU per fetch. The content cache hands out one snapshot object per version, so its
 * answer is encoded once (`preEncodedOk`) and spliced into every ack packet; everything else
 * goes through socket.io's own encoder unchanged. The bytes on the wire are exactly what the
 * default encoder would produce, so any socket.io client reads them.
 */
import { createRequire } from "node:module";
import type * as Parser from "socket.io-parser";
import type { Packet } from "socket.io-parser";

// The CommonJS build: the very module instance socket.io itself loads (an ESM import would
// resolve to the package's separate debug build under Node).
const { Decoder, Encoder, PacketType } = createRequire(import.meta.url)("socket.io-parser") as typeof Parser;

/** The JSON text of an ack argument, encoded once and reused for every socket. */
export class PreEncoded {
  constructor(readonly json: string) {}
  /** Never reached through our encoder; keeps a stray JSON.stringify meaningful. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

const cache = new WeakMap<object, PreEncoded>();

/** `{ ok: true, value }` for a value shared between many acks (encoded on first use). */
export function preEncodedOk(value: object): PreEncoded {
  let enc = cache.get(value);
  if (!enc) {
    enc = new PreEncoded(`{"ok":true,"value":${JSON.stringify(value)}}`);
    cache.set(value, enc);
  }
  return enc;
}

class PreEncodingEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Parser.Encoder["encode"]> {
    const data: unknown = packet.data;
    if (packet.type === PacketType.ACK && Array.isArray(data) && data.length === 1 && data[0] instanceof PreEncoded) {
      // the layout of socket.io-parser's encodeAsString: type, namespace (when not "/"), id, JSON
      const nsp = packet.nsp && packet.nsp !== "/" ? `${packet.nsp},` : "";
      return [`${PacketType.ACK}${nsp}${packet.id ?? ""}[${data[0].json}]`];
    }
    return super.encode(packet);
  }
}

/** The `parser` option for `new Server(...)`. */
export const preEncodingParser = { Encoder: PreEncodingEncoder, Decoder };
