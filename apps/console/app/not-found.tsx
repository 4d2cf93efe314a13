/** Unknown console URL. */
import Link from "next/link";

export default function NotFound() {
  return (
    <div className="page">
      <div className="empty-state">
        <h2>Page not found</h2>
        <p>
          Config lives under <code>/nodes/…</code>: the URL is the node&apos;s path.
        </p>
        <Link href="/nodes" className="btn">
          Open the config tree
        </Link>
      </div>
    </div>
  );
}
