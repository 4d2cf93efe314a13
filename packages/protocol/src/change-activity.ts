/**
 * What the console hears when a change request moves (issue 14): enough to refresh the review
 * count and the change's page, nothing more. Keys and content are read through tRPC, where the
 * read permission is checked, so an event never tells anyone what they could not read.
 */
export interface ChangeActivity {
  id: string;
  /** the change's status after the action */
  status: string;
  author: string;
  revision: number;
  /** what happened, e.g. "submit", "review", "publish", "conflicted" */
  action: string;
}
