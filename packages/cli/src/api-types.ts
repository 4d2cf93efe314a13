/** The shapes of the REST API v1 answers the CLI reads (the fields it uses, not all of them). */
export interface Stat {
  version: number;
  mzxid: string;
  numChildren: number;
}

export interface KeyAnswer {
  path: string;
  content: string;
  encoding: string;
  format: string;
  version: number;
  mzxid: string;
}

export interface Listing {
  path: string;
  stat: Stat;
  children: { name: string; path: string; stat: Stat }[];
}

export interface HistoryEntry {
  id: string;
  path: string;
  version: number;
  op: string;
  author: string;
  message: string;
  at: number;
}

export interface HistoryPage {
  items: HistoryEntry[];
  nextCursor: string | null;
}

export interface DiffAnswer {
  from: { id: string; label: string };
  to: { id: string; label: string };
  unified: string;
}

export interface WriteAnswer {
  stat?: Stat;
}
