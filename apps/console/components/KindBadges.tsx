/** Small markers for what kind of znode a row is. */
import "./KindBadges.css";
export function KindBadges({ kind, sequential, system }: { kind: string; sequential: boolean; system?: boolean }) {
  return (
    <span className="badges">
      {kind === "ephemeral" && (
        <span className="badge badge-eph" title="Ephemeral: lives as long as the session that created it">
          eph
        </span>
      )}
      {kind === "container" && (
        <span className="badge badge-ctr" title="Container: removed by the server once its last child goes">
          ctr
        </span>
      )}
      {kind === "ttl" && (
        <span className="badge badge-ctr" title="TTL node: removed after its time-to-live without changes">
          ttl
        </span>
      )}
      {sequential && (
        <span className="badge badge-seq" title="Sequential: the name ends with the parent's counter">
          seq
        </span>
      )}
      {system && (
        <span className="badge badge-sys" title="Reserved for Conifer / ZooKeeper bookkeeping">
          system
        </span>
      )}
    </span>
  );
}
