/** Every ZooKeeper Stat field, readable: zxids and the owner session in hex, times as dates. */
import { bytes, dateTime, hex } from "../../lib/display.ts";
import type { StatData } from "../../lib/types.ts";
import "./node.css";

export function StatPanel({ stat, kind, path }: { stat: StatData; kind: string; path: string }) {
  const owner = stat.ephemeralOwner !== "0" ? hex(stat.ephemeralOwner) : null;
  const rows: [string, string, string, string?][] = [
    ["czxid", hex(stat.czxid), "zxid of the transaction that created the node", stat.czxid],
    ["mzxid", hex(stat.mzxid), "zxid of the last data change", stat.mzxid],
    ["pzxid", hex(stat.pzxid), "zxid of the last change to the children", stat.pzxid],
    ["ctime", dateTime(stat.ctime), "when the node was created", String(stat.ctime)],
    ["mtime", dateTime(stat.mtime), "when the data last changed", String(stat.mtime)],
    ["version", String(stat.version), "number of data changes"],
    ["cversion", String(stat.cversion), "number of changes to the children"],
    ["aversion", String(stat.aversion), "number of ACL changes"],
    [
      "ephemeralOwner",
      owner ?? "0x0 (not ephemeral)",
      owner ? "session that owns this ephemeral node" : `kind: ${kind}`,
      stat.ephemeralOwner,
    ],
    ["dataLength", bytes(stat.dataLength), "size of the data", String(stat.dataLength)],
    ["numChildren", String(stat.numChildren), "number of children"],
  ];
  return (
    <div className="stat-panel">
      <table className="kv" data-testid="stat-table" aria-label={`Stat of ${path}`}>
        <tbody>
          {rows.map(([k, v, help, raw]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="mono" data-field={k}>
                {v}
                {raw !== undefined && raw !== v && <span className="raw">{raw}</span>}
              </td>
              <td className="muted help">{help}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
