-- Content that is not UTF-8 (written by another ZooKeeper client) is kept as base64 with its
-- encoding, so rolling a release back restores the bytes, not their base64 text.
ALTER TABLE "ChangeItem" ADD COLUMN "baseEncoding" TEXT NOT NULL DEFAULT 'utf8';
ALTER TABLE "ReleaseItem" ADD COLUMN "fromEncoding" TEXT NOT NULL DEFAULT 'utf8';
ALTER TABLE "ReleaseItem" ADD COLUMN "toEncoding" TEXT NOT NULL DEFAULT 'utf8';
