/** The roles a user holds per path prefix (the server's), and a change of one as the Users screen asks for it. */
export const ROLES = ["viewer", "editor", "publisher", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** `role: null` removes the user's role on the prefix. */
export interface RoleChange {
  userId: number;
  pathPrefix: string;
  role: Role | null;
}
