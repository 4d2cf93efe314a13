/**
 * Above a system node's page (only admins get there): what the subtree is and why it is best
 * left alone. ZooKeeper's own /zookeeper and Conifer's /conifer look like any other node, and
 * an admin may still edit them, so the page says what editing them risks.
 */
import { CONIFER_ROOT } from "@conifer/shared";
import { isWithin } from "@conifer/coordinator/paths";

export function SystemNotice({ path }: { path: string }) {
  const conifer = isWithin(path, CONIFER_ROOT);
  return (
    <div className="banner banner-warn system-notice" role="note" data-testid="system-notice">
      <p>
        <strong>System node.</strong>{" "}
        {conifer ? (
          <>
            <code>/conifer</code> holds Conifer&apos;s internal state (the SDK instances connected to its servers
            register here).
          </>
        ) : (
          <>
            <code>/zookeeper</code> is ZooKeeper&apos;s own subtree: its quotas and the ensemble&apos;s configuration.
          </>
        )}{" "}
        Applications and SDKs never need to read it, and it is not versioned in history. Editing or deleting it can
        break this installation.
      </p>
    </div>
  );
}
