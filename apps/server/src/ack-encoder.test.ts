import { Decoder, Encoder, PacketType, type Packet } from "socket.io-parser";
import { describe, expect, it } from "vitest";
import { PreEncoded, preEncodedOk, preEncodingParser } from "./ack-encoder.ts";

const snapshot = {
  path: "/app/a.json",
  exists: true,
  version: 3,
  mzxid: "42",
  data: '{"k":"é \\" \\u2028"}',
  format: "json",
};

function decode(encoded: ReturnType<Encoder["encode"]>): Packet {
  const d = new Decoder();
  let out: Packet | undefined;
  d.on("decoded", (p: Packet) => (out = p));
  for (const chunk of encoded) d.add(chunk);
  return out!;
}

describe("pre-encoding socket.io encoder", () => {
  const ours = new preEncodingParser.Encoder();
  const stock = new Encoder();

  for (const nsp of ["/", "/admin"]) {
    it(`writes the same bytes as socket.io's encoder for an ack (namespace ${nsp})`, () => {
      const enc = ours.encode({ type: PacketType.ACK, nsp, id: 17, data: [preEncodedOk(snapshot)] });
      expect(enc).toEqual(stock.encode({ type: PacketType.ACK, nsp, id: 17, data: [{ ok: true, value: snapshot }] }));
      expect(decode(enc).data).toEqual([{ ok: true, value: snapshot }]);
    });
  }

  it("encodes a shared value once", () => {
    expect(preEncodedOk(snapshot)).toBe(preEncodedOk(snapshot));
    expect(preEncodedOk({ ...snapshot })).not.toBe(preEncodedOk(snapshot));
  });

  it("leaves every other packet to socket.io's encoder", () => {
    const event = { type: PacketType.EVENT, nsp: "/", data: ["changed", { path: "/a" }] };
    expect(ours.encode(event)).toEqual(stock.encode(event));
    const plainAck = {
      type: PacketType.ACK,
      nsp: "/",
      id: 3,
      data: [{ ok: false, error: { code: "X", message: "m" } }],
    };
    expect(ours.encode(plainAck)).toEqual(stock.encode(plainAck));
    const binary = { type: PacketType.ACK, nsp: "/", id: 4, data: [Buffer.from("hi")] };
    expect(ours.encode(binary)).toEqual(stock.encode(binary));
  });

  it("still means the same value if something else stringifies it", () => {
    expect(JSON.parse(JSON.stringify([new PreEncoded('{"a":1}')]))).toEqual([{ a: 1 }]);
  });
});
