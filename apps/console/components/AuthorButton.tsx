/** Lets the user say who they are (sent as x-conifer-author) until accounts exist. */
"use client";
import { useState } from "react";
import { setAuthor, useAuthor } from "../lib/author.ts";
import { Modal } from "./Modal.tsx";

export function AuthorButton() {
  const author = useAuthor();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState("");
  return (
    <>
      <button
        type="button"
        className="author-btn"
        data-testid="author-button"
        onClick={() => {
          setDraft(author);
          setOpen(true);
        }}
        title="The name recorded with your changes"
      >
        <span className="avatar" aria-hidden="true">{(author || "?").slice(0, 1).toUpperCase()}</span>
        <span className="author-name">{author || "Set your name"}</span>
      </button>
      {open && (
        <Modal title="Your display name" onClose={() => setOpen(false)}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setAuthor(draft);
              setOpen(false);
            }}
          >
            <p className="muted">Recorded as the author of everything you publish from this browser. Stored locally until accounts exist.</p>
            <input className="input" autoFocus value={draft} maxLength={100} placeholder="e.g. Ada Lovelace" onChange={(e) => setDraft(e.target.value)} aria-label="Display name" />
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
              <button type="submit" className="btn btn-primary">Save</button>
            </div>
          </form>
        </Modal>
      )}
    </>
  );
}
